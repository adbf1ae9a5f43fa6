# Similarities of random vectors, to 17 digits.
import numpy as np

rng = np.random.default_rng(11)
u = rng.normal(size=600)
v = rng.normal(size=600)
for k in range(5):
    w = rng.normal(size=600)
    print(k, np.dot(u, w), np.dot(v, w) / np.sqrt(np.dot(w, w)))
print(np.exp(np.dot(u, v) / 100), u @ v)
