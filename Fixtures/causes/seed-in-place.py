# Initial weights scaled in place before they are printed: what is printed is not the draws
# themselves, so the seed search cannot take its shortcut and replays each candidate.
import numpy as np

np.random.seed(4)
W = np.random.randn(2, 3)
W *= 0.5
print("W =", W)
print("norm:", round(float(np.linalg.norm(W)), 6))
