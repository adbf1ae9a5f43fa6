# Linear regression whose loss is never assigned, only printed with a label; the weights'
# gradient drops the 2 of the squared error's derivative.
import numpy as np

rng = np.random.default_rng(9)
X = rng.normal(size=(30, 3))
y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=30)
w = np.zeros(3)
lr = 0.1

for step in range(40):
    r = X @ w - y
    if step % 10 == 0:
        print(f"step {step}: mse {np.mean(r ** 2):.6f}")
    g = X.T @ r / len(y)
    w -= lr * g
