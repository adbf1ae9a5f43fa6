# %% [1]
# family: XOR network with sigmoid, full-batch gradient descent
%matplotlib inline
import numpy as np

# %% [2]
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def sigmoid_prime(s):
    # s is already sigmoid(z)
    return s * (1.0 - s)

# %% [3]
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y = np.array([[0], [1], [1], [0]], dtype=float)
print(X.shape, y.shape)

# %% [4]
np.random.seed(7)
n_in, n_hidden, n_out = 2, 4, 1
W1 = np.random.uniform(-1, 1, size=(n_in, n_hidden))
b1 = np.zeros((1, n_hidden))
W2 = np.random.uniform(-1, 1, size=(n_hidden, n_out))
b2 = np.zeros((1, n_out))
print("W1 =\n", W1)
print("W2 =\n", W2)

# %% [5]
lr = 0.5
losses = []
for epoch in range(4001):
    # forward
    h = sigmoid(X @ W1 + b1)
    out = sigmoid(h @ W2 + b2)
    loss = np.mean((out - y) ** 2)
    losses.append(loss)

    # backward
    d_out = 2 * (out - y) / len(X) * sigmoid_prime(out)
    dW2 = h.T @ d_out
    db2 = d_out.sum(axis=0, keepdims=True)
    d_h = d_out @ W2.T * sigmoid_prime(h)
    dW1 = X.T @ d_h
    db1 = d_h.sum(axis=0, keepdims=True)

    W2 -= lr * dW2
    b2 -= lr * db2
    W1 -= lr * dW1
    b1 -= lr * db1

    if epoch % 500 == 0:
        print(f"epoch {epoch:>5d}  loss {loss:.6f}")

# %% [6]
print("predictions:", out.ravel())
print("rounded:    ", np.round(out).astype(int).ravel())
print("accuracy:", np.mean(np.round(out) == y))

# %% [7]
print(f"loss went from {losses[0]:.4f} to {losses[-1]:.2e}")
print("b1 =", b1)
print("b2 =", b2)
