import numpy as np
big = np.array([1e200, -1e200, 3.0])

print(np.cov(big))

print(np.linalg.norm(np.array([[1e200], [1.0]]), axis=0))

print(np.exp(np.array([1e3])))
