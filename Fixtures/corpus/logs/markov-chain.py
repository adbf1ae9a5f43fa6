# family: Markov chain weather model: matrix powers, stationary distribution, simulation (cells re-run out of order)
import numpy as np
np.set_printoptions(precision=4)

states = ["sunny", "cloudy", "rainy"]
P = np.array([[0.7, 0.2, 0.1],
              [0.3, 0.4, 0.3],
              [0.2, 0.3, 0.5]])
print(P.sum(axis=1))

# distribution after n days, starting from a sunny day
p0 = np.array([1.0, 0.0, 0.0])
p = p0.copy()
for day in range(1, 8):
    p = p @ P
    print(day, p)

# stationary distribution: iterate until nothing changes
pi = np.full(3, 1 / 3)
for it in range(1000):
    nxt = pi @ P
    if np.abs(nxt - pi).max() < 1e-14:
        break
    pi = nxt
print(f"converged after {it} steps:", pi)
print("P^50 rows:\n", np.linalg.matrix_power(P, 50))

# simulate 5 000 days and compare frequencies with the stationary law
rng = np.random.default_rng(99)
n_days = 5000
path = np.empty(n_days, dtype=int)
path[0] = 0
for t in range(1, n_days):
    path[t] = rng.choice(3, p=P[path[t - 1]])
freq = np.bincount(path, minlength=3) / n_days
print("simulated: ", freq)
print("stationary:", pi)

# how long do rainy spells last?
rainy = (path == 2).astype(int)
edges = np.diff(np.concatenate([[0], rainy, [0]]))
starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
spells = ends - starts
print("spells:", spells.size, "mean length:", spells.mean(), "expected:", 1 / (1 - P[2, 2]))
print({states[s]: int(c) for s, c in zip(*np.unique(path, return_counts=True))})
