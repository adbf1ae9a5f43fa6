# family: naive 2-D convolution (cross-correlation) with loops, edge kernels, padding and max pooling
import numpy as np

image = np.zeros((6, 6))
image[:, 3:] = 10.0          # a vertical edge
image[2:4, 1:3] = 5.0        # and a small bright square
print(image)

def conv2d(x, kernel, stride=1, pad=0):
    if pad:
        x = np.pad(x, pad)
    kh, kw = kernel.shape
    oh = (x.shape[0] - kh) // stride + 1
    ow = (x.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[i, j] = np.sum(patch * kernel)
    return out

sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)
sobel_y = sobel_x.T
gx = conv2d(image, sobel_x)
print(gx.shape)
print(gx)

gy = conv2d(image, sobel_y, pad=1)
print(gy.shape)
magnitude = np.sqrt(conv2d(image, sobel_x, pad=1) ** 2 + gy ** 2)
np.set_printoptions(precision=2, suppress=True, linewidth=100)
print(magnitude)

print(conv2d(image, np.ones((2, 2)) / 4, stride=2))

def max_pool(x, size=2):
    h, w = x.shape
    return x[:h - h % size, :w - w % size].reshape(h // size, size, w // size, size).max(axis=(1, 3))

print(max_pool(magnitude))
print(max_pool(image, 3))

# the same convolution with a sliding-window view and einsum
from numpy.lib.stride_tricks import sliding_window_view as windows
fast = np.einsum("ijkl,kl->ij", windows(image, (3, 3)), sobel_x)
print(np.allclose(fast, gx), fast.dtype)
