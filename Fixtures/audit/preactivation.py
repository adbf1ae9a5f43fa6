# A sigmoid layer whose derivative is taken at the pre-activation z, z * (1 - z), instead of
# at the activation a = sigmoid(z).
import numpy as np

rng = np.random.default_rng(12)
X = 0.5 * rng.normal(size=(10, 2))
y = (X[:, :1] * X[:, 1:] > 0).astype(float)
W = rng.normal(size=(2, 1))
c = np.zeros(1)
lr = 0.1

for it in range(60):
    z = X @ W + c
    a = 1 / (1 + np.exp(-z))
    loss = np.mean((a - y) ** 2)
    delta = 2 * (a - y) / len(X) * z * (1 - z)
    dW = X.T @ delta
    dc = delta.sum(axis=0)
    W -= lr * dW
    c -= lr * dc
    if it % 20 == 0:
        print(it, round(float(loss), 8))
