# A two-layer ReLU network fit to random data with a hand-written backward pass: the classic
# NumPy warm-up (64 samples of 1000 inputs, 100 hidden units, 10 outputs, 500 steps).
import numpy as np

np.random.seed(0)
batch, inputs, hidden, outputs = 64, 1000, 100, 10
x = np.random.randn(batch, inputs)
y = np.random.randn(batch, outputs)
w1 = np.random.randn(inputs, hidden)
w2 = np.random.randn(hidden, outputs)
rate = 1e-6
for step in range(500):
    h = x.dot(w1)
    h_relu = np.maximum(h, 0)
    y_pred = h_relu.dot(w2)
    loss = np.square(y_pred - y).sum()
    if step % 50 == 0:
        print(step, loss)
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.T.dot(grad_y_pred)
    grad_h = grad_y_pred.dot(w2.T)
    grad_h[h < 0] = 0
    grad_w1 = x.T.dot(grad_h)
    w1 -= rate * grad_w1
    w2 -= rate * grad_w2
print(loss)
