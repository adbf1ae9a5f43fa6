# Logistic regression trained inside a function, whose weight gradient forgets to divide by
# the number of samples while the loss is a mean: grad_w is n times the gradient of the loss.
import numpy as np

rng = np.random.default_rng(17)
features = rng.normal(size=(16, 2))
labels = (features[:, 0] - features[:, 1] > 0.5).astype(float)

def fit(X, y, lr=0.2, epochs=120):
    w = np.zeros(X.shape[1])
    b = np.zeros(1)
    for epoch in range(epochs):
        p = 1 / (1 + np.exp(-(X @ w + b)))
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        grad_w = X.T @ (p - y)
        grad_b = np.array([np.mean(p - y)])
        w -= lr * grad_w
        b -= lr * grad_b
        if epoch % 40 == 0:
            print(f"epoch {epoch:3d} loss {loss:.6f}")
    return w, b

w, b = fit(features, labels)
print("w:", w, "b:", b)
