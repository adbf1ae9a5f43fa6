import numpy as np
a = np.ones((4, 4))
for i in range(20000):
    c = a.T
