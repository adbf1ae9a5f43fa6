# family: k-nearest-neighbours classifier with argsort, bincount voting and a train/test split
import numpy as np
np.random.seed(21)

def make_data(n_per_class=25):
    centres = [(0, 0), (2.5, 2.5), (-2.5, 2.5)]
    X = np.concatenate([np.random.randn(n_per_class, 2) + c for c in centres])
    y = np.repeat(np.arange(len(centres)), n_per_class)
    return X, y

X, y = make_data()
perm = np.random.permutation(len(X))
X, y = X[perm], y[perm]
X_train, X_test = X[:55], X[55:]
y_train, y_test = y[:55], y[55:]
print(len(X_train), len(X_test), np.bincount(y_train))

def pairwise_sq_dists(A, B):
    # |a - b|^2 = |a|^2 - 2 a.b + |b|^2
    return (A ** 2).sum(1)[:, None] - 2 * A @ B.T + (B ** 2).sum(1)[None, :]

def knn_predict(X_train, y_train, X_query, k=5):
    d = pairwise_sq_dists(X_query, X_train)
    nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
    votes = y_train[nearest]
    return np.array([np.bincount(v, minlength=3).argmax() for v in votes]), nearest

pred, nearest = knn_predict(X_train, y_train, X_test)
print("nearest of the first test point:", nearest[0])
print("pred:", pred)
print("true:", y_test)

for k in (1, 3, 5, 9, 15):
    p, _ = knn_predict(X_train, y_train, X_test, k=k)
    print("k=%-2d accuracy=%.3f" % (k, np.mean(p == y_test)))

grid = np.array([[0.0, 0.0], [2.5, 2.5], [-2.5, 2.5], [0.0, 2.0]])
print(knn_predict(X_train, y_train, grid, k=7)[0])
