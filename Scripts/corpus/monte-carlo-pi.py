# %% [1]
# family: Monte Carlo estimate of pi with RandomState, error versus sample size
import numpy as np
import math

rs = np.random.RandomState(1)

# %% [2]
def estimate_pi(n, rs):
    pts = rs.rand(n, 2)
    inside = np.sum((pts ** 2).sum(axis=1) <= 1.0)
    return 4.0 * inside / n, inside

# %% [3]
%time est, hits = estimate_pi(100_000, rs)
print("hits:", hits)
assert 3.1 < est < 3.2
print("estimate: %.6f  error: %.2e" % (est, abs(est - math.pi)))

# %% [4]
print(f"{'n':>8} | {'estimate':>9} | {'abs error':>10}")
print("-" * 33)
for exponent in range(2, 7):
    n = 10 ** exponent
    est, _ = estimate_pi(n, rs)
    print(f"{n:>8d} | {est:>9.5f} | {abs(est - math.pi):>10.6f}")

# %% [5]
# running estimate over 20 batches of 500 points
batch_hits = np.array([estimate_pi(500, rs)[1] for _ in range(20)])
running = 4 * np.cumsum(batch_hits) / (500 * np.arange(1, 21))
print(batch_hits)
print(running[[0, 4, 9, 19]])
