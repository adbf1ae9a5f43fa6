import numpy as np
a = np.ones((4, 4)); b = np.ones((4, 4))
for i in range(20000):
    a -= 0.5 * b
