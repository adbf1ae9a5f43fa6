# family: 1-D random walks with cumsum: first passage, maximum excursion, many walkers at once
import numpy as np
np.random.seed(123)

steps = np.random.choice([-1, 1], size=1000)
walk = np.concatenate([[0], np.cumsum(steps)])
print("final position:", walk[-1])
print("min / max:", walk.min(), walk.max())
print("first 20:", walk[:20])

# first time the walker gets 10 away from the origin
far = np.abs(walk) >= 10
first = far.argmax() if far.any() else None
print("first passage of |x| >= 10 at step", first)

# the same with a plain loop and the walrus operator
i = 0
while abs(pos := walk[i]) < 10:
    i += 1
print(i, pos)

n_walkers, n_steps = 500, 200
moves = np.random.randint(0, 2, size=(n_walkers, n_steps)) * 2 - 1
paths = moves.cumsum(axis=1)
print(paths.shape)
print("mean final:", paths[:, -1].mean())
print("std final: ", paths[:, -1].std(), "vs sqrt(n) =", np.sqrt(n_steps))

hit30 = (np.abs(paths) >= 30).any(axis=1)
print("walkers reaching 30:", hit30.sum(), "of", n_walkers)
crossing = np.where(hit30, (np.abs(paths) >= 30).argmax(axis=1), -1)
print("crossing steps (first 12):", crossing[:12])
print("mean crossing step:", crossing[hit30].mean())

# time spent on the positive side
positive = (paths > 0).mean(axis=1)
hist, edges = np.histogram(positive, bins=5, range=(0, 1))
for lo, hi, count in zip(edges[:-1], edges[1:], hist):
    print(f"[{lo:.1f}, {hi:.1f}) {'#' * (count // 10)} {count}")
