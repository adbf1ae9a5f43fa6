# Least squares by gradient descent on a cubic's coefficients; one printed number of the saved
# log was typed over by hand afterwards.
import numpy as np

t = np.linspace(-1.0, 1.0, 25)
target = 0.5 - 1.5 * t + 2.0 * t ** 3
V = np.vander(t, 4, increasing=True)
c = np.zeros(4)
for it in range(301):
    r = V @ c - target
    c -= 0.3 * V.T @ r / len(t)
    if it % 50 == 0:
        print(f"iter {it:3d} residual {np.sqrt(np.mean(r ** 2)):.8f}", c)
