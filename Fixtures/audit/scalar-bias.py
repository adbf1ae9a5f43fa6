# Logistic regression with a float bias whose gradient sums the residuals instead of averaging
# them: the weights' gradient is right, the bias's is len(y) times too large.
import numpy as np

rng = np.random.default_rng(4)
X = rng.normal(size=(8, 2))
y = (X[:, 0] - X[:, 1] > 0).astype(float)
w = np.zeros(2)
b = 0.0
lr = 0.2

for epoch in range(50):
    p = 1 / (1 + np.exp(-(X @ w + b)))
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    grad_w = X.T @ (p - y) / len(y)
    grad_b = np.sum(p - y)
    w -= lr * grad_w
    b -= lr * grad_b
    if epoch % 10 == 0:
        print(f"epoch {epoch}: loss {loss:.6f}, b {b:.6f}")
