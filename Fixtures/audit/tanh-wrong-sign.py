# A tanh network fitting a sine whose output-weight gradient has the wrong sign.
import numpy as np

np.random.seed(21)
x = np.linspace(-1, 3, 12).reshape(-1, 1)
t = np.sin(x)
W1 = 0.5 * np.random.randn(1, 4)
b1 = np.zeros(4)
W2 = 0.5 * np.random.randn(4, 1)
b2 = np.zeros(1)
lr = 0.05

for step in range(400):
    a = np.tanh(x @ W1 + b1)
    pred = a @ W2 + b2
    loss = np.mean((pred - t) ** 2)
    g = 2 * (pred - t) / len(x)
    gW2 = -(a.T @ g)
    gb2 = g.sum(axis=0)
    ga = g @ W2.T * (1 - a ** 2)
    gW1 = x.T @ ga
    gb1 = ga.sum(axis=0)
    W1 -= lr * gW1
    b1 -= lr * gb1
    W2 -= lr * gW2
    b2 -= lr * gb2
    if step % 100 == 0:
        print(step, f"{loss:.6f}")
