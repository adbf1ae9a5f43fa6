# family: UNVERIFIABLE by nature: unseeded np.random.rand(3) and a time.time() difference
import time
import numpy as np

# no seed on purpose: every run prints other numbers
noise = np.random.rand(3)
print(noise)

t0 = time.time()
total = np.arange(200_000, dtype=np.float64).sum()
elapsed = time.time() - t0
print("sum:", total)
print("elapsed seconds:", elapsed)

print(noise.shape, noise.dtype, bool((noise >= 0).all() and (noise < 1).all()))
