# family: mini-batch SGD for multivariate linear regression, reshuffled every epoch
import numpy as np

rng = np.random.default_rng(0)
n, d = 120, 3
X = rng.normal(size=(n, d))
true_w = np.array([2.0, -1.0, 0.5])
y = X @ true_w + 0.7 + rng.normal(scale=0.2, size=n)
print(X.shape, y.shape)

def batches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]

def loss(w, b, X, y):
    r = X @ w + b - y
    return float(r @ r) / len(y)

w = np.zeros(d)
b = 0.0
lr, batch_size, max_epochs = 0.01, 16, 60
for epoch in range(max_epochs):
    for xb, yb in batches(X, y, batch_size, rng):
        err = xb @ w + b - yb
        w -= lr * 2 * xb.T @ err / len(yb)
        b -= lr * 2 * err.mean()
    current = loss(w, b, X, y)
    if epoch % 10 == 0:
        print(f"epoch {epoch:2d} loss {current:.6f}")
    if current < 0.0434:
        print(f"stopped at epoch {epoch}, loss {current:.6f}")
        break
else:
    print("ran all", max_epochs, "epochs")

print("w:", w)
print("b:", b)
print("error:", np.abs(w - true_w).max())

sizes = [len(xb) for xb, _ in batches(X, y, batch_size, rng)]
print(sizes, sum(sizes))
