import numpy as np

rng = np.random.default_rng(5)
X = rng.normal(size=(30, 3))
y = X @ np.array([0.5, -1.0, 2.0]) + 0.1 * rng.normal(size=30)

w = np.zeros(3)
for epoch in range(400):
    lr = 0.01 * 1.03 ** epoch
    r = (X * w).sum(axis=1) - y
    loss = np.mean(r ** 2)
    w -= lr * 2 * (X * r[:, None]).sum(axis=0) / len(y)
    print("epoch", epoch, "lr", f"{lr:9.3e}", "loss", f"{loss:.6e}", "w", w)
