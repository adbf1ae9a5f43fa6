# Random initial weights from the legacy global RandomState.
import numpy as np

np.random.seed(1)
W = np.random.randn(3, 2)
print("W =", W)
print("row sums:", W.sum(axis=1))
