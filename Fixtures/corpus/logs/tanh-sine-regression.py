# family: one-hidden-layer tanh network fitting sin(x), mini-batches (cells run out of file order: 1, 2, 4, 3)
import numpy as np

np.random.seed(11)
x_all = np.linspace(-np.pi, np.pi, 64).reshape(-1, 1)
y_all = np.sin(x_all)
print(x_all.shape, y_all.shape)

hidden = 10
W1 = np.random.randn(1, hidden) * 0.5
b1 = np.zeros(hidden)
W2 = np.random.randn(hidden, 1) * 0.5
b2 = np.zeros(1)

def forward(x):
    h = np.tanh(x @ W1 + b1)
    return h, h @ W2 + b2

# 先检查一下未训练的网络 (the user ran this check before training)
_, pred = forward(x_all)
print("mse now:", np.mean((pred - y_all) ** 2))
for xv in (-np.pi / 2, 0.0, 1.0, np.pi / 2):
    print("sin(%+.3f) = %+.4f, net says %+.4f" % (xv, np.sin(xv), forward(np.array([[xv]]))[1][0, 0]))

# 训练 (this cell was run after the check cell below: In [4] comes after In [3])
lr = 0.05
for epoch in range(1, 601):
    idx = np.random.permutation(len(x_all))
    for start in range(0, len(idx), 16):
        xb, yb = x_all[idx[start:start + 16]], y_all[idx[start:start + 16]]
        h, out = forward(xb)
        g_out = 2 * (out - yb) / len(xb)
        gW2, gb2 = h.T @ g_out, g_out.sum(0)
        g_h = (g_out @ W2.T) * (1 - h ** 2)
        gW1, gb1 = xb.T @ g_h, g_h.sum(0)
        W1 -= lr * gW1; b1 -= lr * gb1
        W2 -= lr * gW2; b2 -= lr * gb2
    if epoch % 100 == 0:
        mse = np.mean((forward(x_all)[1] - y_all) ** 2)
        print(f"epoch {epoch}: mse {mse:.6f}")

print("mse after training:", np.mean((forward(x_all)[1] - y_all) ** 2))
print("W1:", W1.ravel())
print("b2:", b2)
