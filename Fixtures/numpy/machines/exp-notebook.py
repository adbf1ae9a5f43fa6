# Printed exponentials, to 17 significant digits: the last digit shows whose exp ran.
import numpy as np

np.set_printoptions(precision=17)
x = np.linspace(-3.0, 3.0, 241)
y = np.exp(x)
print(y)
logits = np.array([2.5, -1.25, 0.3, 1.7788])
p = np.exp(logits) / np.exp(logits).sum()
print(p)
print(float(np.exp(-3.7739)))
