import numpy as np
a = np.ones((4, 2)); b = np.ones((2, 4))
for i in range(20000):
    c = a @ b
