# %% [1]
# family: "100 numpy exercises"-style drills, bare expressions shown as Out[N]
import numpy as np
print(np.__version__ >= "1.0")

# %% [2]
# 1. a null vector of size 10 with the fifth value set to 1
Z = np.zeros(10)
Z[4] = 1
Z

# %% [3]
# 2. values from 10 to 49, reversed
v = np.arange(10, 50)
v[::-1]

# %% [4]
# 3. 3x3 matrix with values 0..8, and the indices of non-zero elements of a list
m = np.arange(9).reshape(3, 3)
print(m)
np.nonzero([1, 2, 0, 0, 4, 0])

# %% [5]
np.mean?

# %% [6]
# 4. border of ones, zeros inside
B = np.ones((5, 5))
B[1:-1, 1:-1] = 0
print(B)
print(B.sum(), B.size)

# %% [7]
# 5. checkerboard 8x8
C = np.zeros((8, 8), dtype=int)
C[1::2, ::2] = 1
C[::2, 1::2] = 1
C

# %% [8]
# 6. normalise a random 5x5 matrix to [0, 1]
np.random.seed(101)
R = np.random.random((5, 5))
%time R = (R - R.min()) / (R.max() - R.min())
print(R.min(), R.max())
np.round(R, 3)

# %% [9]
# 7. 1 to 4 just below the diagonal, and the memory size of an array
D = np.diag(1 + np.arange(4), k=-1)
print(D)
print("%d bytes" % (D.size * D.itemsize))
D.dtype, D.shape

# %% [10]
# 8. what do these evaluate to?
print(0 * np.nan, np.nan == np.nan, np.inf > np.nan, np.nan - np.nan, 0.3 == 3 * 0.1)

# %% [11]
# 9. negate the elements between 3 and 8, in place
A = np.arange(11)
A[(3 < A) & (A < 8)] *= -1
A

# %% [12]
# 10. common values of two random integer arrays
np.random.seed(5)
a1 = np.random.randint(0, 10, 10)
a2 = np.random.randint(0, 10, 10)
print(a1, a2, sep="\n")
np.intersect1d(a1, a2)
