# Logistic regression by gradient descent, elementwise, its loss printed to 17 digits.
import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

rng = np.random.default_rng(5)
X = rng.normal(size=(40, 3))
y = (X[:, 0] - 0.5 * X[:, 2] > 0).astype(float)
w = np.zeros(3)
b = 0.0
for step in range(200):
    p = sigmoid((X * w).sum(axis=1) + b)
    loss = float(np.mean((p - y) ** 2))
    if step % 25 == 0:
        print(step, loss)
    g = 2 * (p - y) * p * (1 - p)
    w -= 0.8 * (g[:, None] * X).mean(axis=0)
    b -= 0.8 * float(g.mean())
print(w, b)
