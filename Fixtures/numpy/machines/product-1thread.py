# A product whose contraction OpenBLAS blocks by thread, printed to 17 digits.
import numpy as np

np.set_printoptions(precision=17)
np.random.seed(0)
x = np.random.randn(333, 777)
w = np.random.randn(777, 65)
h = x.dot(w)
print(h[0, :8])
print(h[332, -8:])
print(float(np.exp(h[7, :4] / 40).sum()))
