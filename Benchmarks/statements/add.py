import numpy as np
a = np.ones((4, 4)); b = np.ones((4, 4))
for i in range(100000):
    c = a + b
