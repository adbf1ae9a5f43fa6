# Logistic regression, its cross-entropy printed to 17 digits.
import numpy as np

rng = np.random.default_rng(8)
X = rng.normal(size=(120, 4))
y = (X @ np.array([1.5, -2.0, 0.5, 0.0]) + 0.3 * rng.normal(size=120) > 0).astype(float)
w = np.zeros(4)
for it in range(301):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    if it % 50 == 0:
        print(it, loss)
    w -= 0.5 * X.T @ (p - y) / len(y)
print(w)
print(np.log(np.abs(w)))
