# A Generator's draws: a sample and its mean.
import numpy as np

rng = np.random.default_rng(3)
sample = rng.normal(loc=1.0, scale=2.0, size=5)
print(sample)
print(round(float(sample.mean()), 6))
