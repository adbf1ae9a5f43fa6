# family: linear regression y = w*x + b by batch gradient descent (default_rng data)
"""Fit a line to noisy data with plain gradient descent.

Nothing fancy: mean squared error, two parameters, fixed learning rate.
"""
import numpy as np

rng = np.random.default_rng(42)
n = 50
x = rng.uniform(0, 10, size=n)
noise = rng.normal(0, 1.5, size=n)
y = 3.0 * x + 4.0 + noise
print("first five x:", x[:5])
print("first five y:", y[:5])

def predict(x, w, b):
    return w * x + b

def mse(y_hat, y):
    return np.mean((y_hat - y) ** 2)

def gradients(x, y, w, b):
    err = predict(x, w, b) - y
    return 2 * np.mean(err * x), 2 * np.mean(err)

w, b = 0.0, 0.0
lr = 0.01
history = []
for step in range(1, 2001):
    dw, db = gradients(x, y, w, b)
    w -= lr * dw
    b -= lr * db
    if step % 250 == 0:
        loss = mse(predict(x, w, b), y)
        history.append(loss)
        print(f"step {step:4d}: w={w:.4f} b={b:.4f} loss={loss:.5f}")

# closed form for comparison
x_mean, y_mean = x.mean(), y.mean()
w_star = np.sum((x - x_mean) * (y - y_mean)) / np.sum((x - x_mean) ** 2)
b_star = y_mean - w_star * x_mean
print("closed form:", w_star, b_star)
print("gap:", abs(w - w_star), abs(b - b_star))

residuals = y - predict(x, w, b)
print("residual mean %.6f, std %.6f" % (residuals.mean(), residuals.std()))
print("R^2 = {:.4f}".format(1 - residuals.var() / y.var()))
