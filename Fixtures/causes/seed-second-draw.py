# Two draws from the legacy generator; the first print shows the second one.
import numpy as np

np.random.seed(8)
b = np.random.randn(3)
W = np.random.uniform(-1, 1, size=(2, 2))
print("W =", W)
print("b =", b)
