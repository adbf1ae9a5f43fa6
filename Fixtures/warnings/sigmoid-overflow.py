import numpy as np

np.random.seed(7)
X = np.random.randn(40, 3) * 60.0
true_w = np.array([1.5, -2.0, 0.7])
y = (X @ true_w > 0).astype(float)

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def cross_entropy(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

w = np.zeros(3)
lr = 0.5
for epoch in range(201):
    p = sigmoid(X @ w)
    grad = X.T @ (p - y) / len(y)
    w -= lr * grad
    if epoch % 50 == 0:
        print(f"epoch {epoch:3d}  loss {cross_entropy(p, y):.6f}")

print("weights:", w)
print("accuracy:", np.mean((sigmoid(X @ w) > 0.5) == y))
