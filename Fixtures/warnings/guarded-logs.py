import numpy as np
import warnings

p = np.array([0.0, 0.25, 0.5, 1.0])

with np.errstate(divide='ignore'):
    logp = np.log(p)
print(logp)
entropy = -np.sum(np.where(p > 0, p * logp, 0.0))
print("entropy:", entropy)

print(np.log(p))
print(np.log1p(-p))

np.seterr(divide='raise')
try:
    print(1.0 / np.array([1.0, 0.0]))
except FloatingPointError as err:
    print("refused:", err)
np.seterr(divide='warn')

if p.min() == 0:
    warnings.warn("some probabilities are exactly 0")
warnings.filterwarnings("ignore")
print(np.log(p).round(3))
