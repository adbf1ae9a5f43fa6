# A two-layer sigmoid network on XOR whose hidden-layer gradient leaves out the sigmoid's
# derivative: dW1 and db1 are not the gradients of the loss; dW2 and db2 are.
import numpy as np

np.random.seed(3)
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = np.array([[0.0], [1.0], [1.0], [0.0]])
W1 = np.random.randn(2, 3)
b1 = np.zeros(3)
W2 = np.random.randn(3, 1)
b2 = np.zeros(1)
lr = 0.5

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

for epoch in range(300):
    h = sigmoid(X @ W1 + b1)
    out = sigmoid(h @ W2 + b2)
    loss = 0.5 * np.sum((out - y) ** 2)
    d_out = (out - y) * out * (1 - out)
    dW2 = h.T @ d_out
    db2 = d_out.sum(axis=0)
    d_h = d_out @ W2.T
    dW1 = X.T @ d_h
    db1 = d_h.sum(axis=0)
    W1 -= lr * dW1
    b1 -= lr * db1
    W2 -= lr * dW2
    b2 -= lr * db2
    if epoch % 100 == 0:
        print(f"epoch {epoch}: loss {loss:.6f}")
print("out:", out.ravel())
