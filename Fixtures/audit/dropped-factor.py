# Linear regression whose loss is the mean squared error but whose gradient drops the
# factor 2: grad is half the gradient of the loss.
import numpy as np

rng = np.random.default_rng(9)
X = np.c_[np.ones(30), rng.uniform(-1, 1, size=(30, 2))]
y = X @ np.array([0.5, 2.0, -1.0]) + 0.05 * rng.normal(size=30)
theta = np.zeros(3)
alpha = 0.1

for i in range(150):
    residual = X @ theta - y
    mse = np.mean(residual ** 2)
    grad = X.T @ residual / len(y)
    theta -= alpha * grad
    if i % 30 == 0:
        print(f"{i:3d} mse={mse:.8f}")
print("theta:", theta)
