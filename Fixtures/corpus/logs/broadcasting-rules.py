# family: broadcasting rules by example, ending in a shape mismatch ValueError
import numpy as np

a = np.arange(12).reshape(3, 4)
row = np.array([10, 20, 30, 40])
col = np.array([[100], [200], [300]])
print(a + row)
print(a + col)

# (3, 4) with (4,) works, (3, 4) with (3,) does not - unless we add an axis
v = np.array([1, 2, 3])
print((a.T + v).T)
print(a + v[:, None])
print(a * v[:, np.newaxis] - 1)
signs = a[..., None] * np.array([1, -1])
print(signs.shape, signs[0, 1])

# outer products three ways
x = np.arange(1, 4)
y = np.arange(1, 5)
print(np.outer(x, y))
print(x[:, None] * y[None, :])
print(np.array_equal(np.multiply.outer(x, y), x.reshape(-1, 1) * y))

def broadcast_shape(*shapes):
    ndim = max(len(s) for s in shapes)
    padded = [(1,) * (ndim - len(s)) + tuple(s) for s in shapes]
    out = []
    for dims in zip(*padded):
        sizes = {d for d in dims if d != 1}
        if len(sizes) > 1:
            raise ValueError(f"cannot broadcast {shapes!r}")
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)

for shapes in [((3, 4), (4,)), ((5, 1, 3), (4, 1)), ((2, 1), (1, 2), (2, 2))]:
    print(shapes, "->", broadcast_shape(*shapes), np.broadcast_shapes(*shapes))

try:
    broadcast_shape((3, 4), (3,))
except ValueError as err:
    print("ours:", err)
big = np.ones((4, 4))
print(big.sum())
big + np.ones(3)

print("still running after the error")
print(np.broadcast_to(row, (2, 4)))
