# A damped random walk of five particles, printing every step; the saved output was cut after
# its first 1,000 characters (a notebook's output limit).
import numpy as np

rng = np.random.default_rng(12)
x = np.zeros(5)
for k in range(40):
    x = 0.9 * x + rng.normal(scale=0.5, size=5)
    print(k, "mean", x.mean(), "x", x)
