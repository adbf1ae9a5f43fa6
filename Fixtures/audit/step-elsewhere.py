# Softmax regression whose update step is computed on a line of its own, and whose weight
# gradient forgets to average over the batch (a factor of 12 too many).
import numpy as np

rng = np.random.default_rng(31)
X = rng.normal(size=(12, 3))
labels = rng.integers(0, 2, size=12)
Y = np.eye(2)[labels]
W = np.zeros((3, 2))
lr = 0.05

for epoch in range(30):
    scores = X @ W
    scores = scores - scores.max(axis=1, keepdims=True)
    P = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.mean(np.sum(Y * np.log(P), axis=1))
    grad = X.T @ (P - Y)
    step = lr * grad
    W -= step
    if epoch % 10 == 0:
        print(f"epoch {epoch} loss {loss:.6f}")
