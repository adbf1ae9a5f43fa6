# A 3-8-1 sigmoid network by gradient descent, its loss printed to 17 digits.
import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

rng = np.random.default_rng(21)
X = rng.normal(size=(64, 3))
y = ((X[:, 0] * X[:, 1] > 0) ^ (X[:, 2] > 0.5)).astype(float).reshape(-1, 1)
W1 = rng.normal(scale=0.5, size=(3, 8))
b1 = np.zeros(8)
W2 = rng.normal(scale=0.5, size=(8, 1))
b2 = np.zeros(1)
lr = 0.5
for epoch in range(1501):
    h = sigmoid(X @ W1 + b1)
    out = sigmoid(h.dot(W2) + b2)
    loss = np.mean((out - y) ** 2)
    if epoch % 300 == 0:
        print(epoch, loss)
    d_out = 2 * (out - y) / len(X) * out * (1 - out)
    d_h = (d_out @ W2.T) * h * (1 - h)
    W2 -= lr * (h.T @ d_out)
    b2 -= lr * d_out.sum(axis=0)
    W1 -= lr * X.T.dot(d_h)
    b1 -= lr * d_h.sum(axis=0)
print(W1[0], b2)
