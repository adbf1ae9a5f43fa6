# A one-hidden-layer sigmoid network whose hidden-bias gradient sums over the wrong axis: the
# batch has as many rows as the layer has units (4), so NumPy accepts it.
import numpy as np

np.random.seed(8)
X = np.random.randn(4, 3)
Y = np.random.randn(4, 2)
W1 = np.random.randn(3, 4) * 0.3
b1 = np.zeros(4)
W2 = np.random.randn(4, 2) * 0.3
b2 = np.zeros(2)
lr = 0.1

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

for epoch in range(120):
    A = sigmoid(X @ W1 + b1)
    out = A @ W2 + b2
    loss = 0.5 * np.sum((out - Y) ** 2)
    d_out = out - Y
    dW2 = A.T @ d_out
    db2 = d_out.sum(axis=0)
    dA = d_out @ W2.T * A * (1 - A)
    dW1 = X.T @ dA
    db1 = dA.sum(axis=1)
    W1 -= lr * dW1
    b1 -= lr * db1
    W2 -= lr * dW2
    b2 -= lr * db2
    if epoch % 40 == 0:
        print("epoch", epoch, "loss", loss)
