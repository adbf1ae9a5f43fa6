import numpy as np

rng = np.random.default_rng(0)
X = rng.normal(0, 10, size=(50, 2))
y = X @ np.array([3.0, -1.0]) + rng.normal(0, 1, 50)

w = np.zeros(2)
lr = 0.05
history = []
for step in range(200):
    r = X @ w - y
    loss = np.mean(r ** 2)
    history.append(loss)
    w = w - lr * 2 * X.T @ r / len(y)
    if step % 20 == 0:
        print(step, loss)

print("final w:", w)
print("finite losses:", np.isfinite(history).sum())
