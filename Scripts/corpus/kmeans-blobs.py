# %% [1]
# family: k-means clustering on synthetic 2-D blobs (Lloyd's algorithm, argmin over distances)
import numpy as np

# %% [2]
rng = np.random.default_rng(2024)
centers_true = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 6.0]])
points = np.concatenate([c + rng.normal(scale=0.8, size=(30, 2)) for c in centers_true])
labels_true = np.repeat(np.arange(3), 30)
print(points.shape, points.dtype)
print(points[::15])

# %% [3]
def assign(points, centroids):
    # (n, 1, 2) - (1, k, 2) -> (n, k, 2)
    diff = points[:, None, :] - centroids[None, :, :]
    d2 = (diff ** 2).sum(axis=-1)
    return d2.argmin(axis=1), d2.min(axis=1).sum()

def update(points, labels, k):
    return np.array([points[labels == j].mean(axis=0) for j in range(k)])

# %% [4]
%%time
k = 3
start = rng.choice(len(points), size=k, replace=False)
centroids = points[start]
print("start indices:", start)
for it in range(100):
    labels, inertia = assign(points, centroids)
    new_centroids = update(points, labels, k)
    shift = np.abs(new_centroids - centroids).max()
    print(f"iter {it}: inertia={inertia:.4f} shift={shift:.6f}")
    centroids = new_centroids
    if shift < 1e-9:
        break

# %% [5]
order = np.argsort(centroids[:, 0] + 10 * centroids[:, 1])
print("centroids (sorted):")
print(centroids[order])
values, counts = np.unique(labels, return_counts=True)
print(dict(zip(values.tolist(), counts.tolist())))

# %% [6]
# how well do clusters match the true blobs? (contingency table)
table = np.zeros((3, 3), dtype=int)
np.add.at(table, (labels_true, labels), 1)
print(table)
