import numpy as np
a = np.ones((16, 10)); b = np.ones((10, 8))
for i in range(20000):
    c = a.dot(b)
