# A linear layer with a square weight matrix whose gradient is transposed once too often.
import numpy as np

np.random.seed(5)
X = np.random.randn(6, 3)
T = X @ np.array([[1.0, 0.5, 0.0], [0.0, -1.0, 2.0], [0.3, 0.0, 1.0]])
M = np.random.randn(3, 3) * 0.1
lr = 0.05

for k in range(80):
    P = X @ M
    cost = 0.5 * np.sum((P - T) ** 2) / len(X)
    dM = (X.T @ (P - T) / len(X)).T
    M -= lr * dM
    if k % 20 == 0:
        print(k, cost)
