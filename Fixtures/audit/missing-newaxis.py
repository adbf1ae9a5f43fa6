# Logistic regression on three samples of three features whose weight gradient scales each
# column of X by one sample's residual: (p - y) lacks its new axis, and NumPy pairs samples
# with features only because there are as many of each.
import numpy as np

rng = np.random.default_rng(21)
X = rng.normal(size=(3, 3))
y = np.array([1.0, 0.0, 1.0])
w = np.zeros(3)
b = np.zeros(1)
lr = 0.5

for step in range(60):
    z = X @ w + b
    p = 1 / (1 + np.exp(-z))
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    grad_w = (X * (p - y)).sum(axis=0) / len(y)
    grad_b = (p - y).mean(keepdims=True)
    w -= lr * grad_w
    b -= lr * grad_b
    if step % 20 == 0:
        print(f"step {step:2d} loss {loss:.6f}")
