# family: feature normalisation and standardisation with axis means, keepdims and broadcasting
import numpy as np
np.set_printoptions(precision=3, suppress=True)

# rows are samples: height (cm), weight (kg), age (years)
people = np.array([[170, 65, 25],
                   [160, 55, 30],
                   [180, 80, 22],
                   [155, 50, 35],
                   [175, 72, 41]], dtype=np.float64)
print(people.shape, people.dtype)
print("column means:", people.mean(axis=0))
print("row means:   ", people.mean(axis=1))

lo, hi = people.min(axis=0), people.max(axis=0)
minmax = (people - lo) / (hi - lo)
print(minmax)
assert minmax.min() == 0 and minmax.max() == 1

def standardize(a, axis=0, ddof=0):
    mean = a.mean(axis=axis, keepdims=True)
    std = a.std(axis=axis, ddof=ddof, keepdims=True)
    return (a - mean) / std, mean, std

z, m, s = standardize(people)
print("mean", m, "std", s, sep="\n")
print(z)
print("check:", z.mean(axis=0), z.std(axis=0))

# unit-length rows (L2), and a robust scaler using the median and IQR
norms = np.sqrt((people ** 2).sum(axis=1))[:, np.newaxis]
unit = people / norms
print(np.linalg.norm(unit, axis=1))
q1, med, q3 = np.percentile(people, [25, 50, 75], axis=0)
robust = (people - med) / (q3 - q1)
print(robust)

# scaling a new sample with the statistics of the old ones
new = np.array([165.0, 60.0, 28.0])
print((new - m[0]) / s[0])
print(((new - lo) / (hi - lo)).round(2))
