# %% [1]
# family: two-layer ReLU net warm-up on random data (x.dot(w1), np.maximum(h, 0)), manual backprop
!pip install numpy
import numpy as np

# %% [2]
# N 是样本数, D_in 是输入维度, H 是隐藏层维度, D_out 是输出维度
N, D_in, H, D_out = 16, 10, 8, 3

np.random.seed(0)
# 随机生成输入和输出数据
x = np.random.randn(N, D_in)
y = np.random.randn(N, D_out)

# 随机初始化权重
w1 = np.random.randn(D_in, H)
w2 = np.random.randn(H, D_out)
print(x.shape, y.shape, w1.shape, w2.shape)

# %% [3]
learning_rate = 1e-3
for t in range(200):
    # 前向传播
    h = x.dot(w1)
    h_relu = np.maximum(h, 0)
    y_pred = h_relu.dot(w2)

    # 计算损失
    loss = np.square(y_pred - y).sum()
    if t % 20 == 0 or t == 199:
        print(t, loss)

    # 反向传播, 计算 w1 和 w2 的梯度
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.T.dot(grad_y_pred)
    grad_h_relu = grad_y_pred.dot(w2.T)
    grad_h = grad_h_relu.copy()
    grad_h[h < 0] = 0
    grad_w1 = x.T.dot(grad_h)

    # 更新权重
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2

# %% [4]
print(w2)

# %% [5]
# 隐藏层里有多少个神经元被激活了?
active = (h > 0).sum(axis=0)
print("active per unit:", active)
print("dead units:", np.flatnonzero(active == 0))
