# Random initial weights from the legacy global RandomState; the run used a seed far from the
# code's, so the search takes seconds (its progress bar is tested under a pseudo-terminal).
import numpy as np

np.random.seed(1)
W = np.random.randn(3, 2)
print("W =", W)
print("row sums:", W.sum(axis=1))
