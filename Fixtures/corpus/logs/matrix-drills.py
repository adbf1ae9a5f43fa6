# family: matrix operation drills: @ vs dot, outer, eye, trace, stack/concatenate, meshgrid, bare expressions
import numpy as np
A = np.arange(1, 7).reshape(2, 3)
B = np.arange(6, 0, -1).reshape(3, 2)
A @ B

print(np.dot(A, B))
print(np.array_equal(A @ B, A.dot(B)))
(B @ A).shape

I = np.eye(3)
print(I, I.dtype)
print("trace:", np.trace(B @ A), "=", np.trace(A @ B))
np.eye(3, k=1, dtype=int) + 2 * np.eye(3, dtype=int)

u, v = np.array([1, 2, 3]), np.array([4, 5, 6])
print("inner:", u @ v, "outer:\n", np.outer(u, v))
print("cross:", np.cross(u, v))
np.stack([u, v]), np.stack([u, v], axis=1).shape

top = np.zeros((2, 3), dtype=int)
bottom = np.ones((1, 3), dtype=int)
C = np.concatenate([top, bottom, A], axis=0)
print(C)
print(np.hstack([A, A]).shape, np.vstack([A, A]).shape)
C[1:, ::2]

xs = np.linspace(0, 1, 3)
ys = np.linspace(10, 20, 2)
XX, YY = np.meshgrid(xs, ys)
print(XX)
print(YY)
XX + YY

# powers, transposes and element-wise vs matrix products
M = np.array([[2, 1], [1, 1]])
print(M ** 3)
print(np.linalg.matrix_power(M, 3))
print((M @ M.T == M.T @ M).all(), M.T is M, (M.T == M).all())
M.sum(axis=0), M.sum(axis=1), M.max()
