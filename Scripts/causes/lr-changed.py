# Gradient descent on a quadratic bowl; the saved log was made with another learning rate than
# the one the code now says.
import numpy as np

A = np.array([[3.0, 0.5], [0.5, 1.0]])
b = np.array([1.0, -2.0])
x = np.zeros(2)
lr = 0.05
for step in range(60):
    grad = A @ x - b
    x = x - lr * grad
    if step % 10 == 0:
        f = 0.5 * x @ A @ x - b @ x
        print(f"step {step:2d}  f = {f:.10f}  x = {x}")
