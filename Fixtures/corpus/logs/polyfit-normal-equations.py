# family: polynomial least-squares fit by the normal equations (np.vander, np.linalg.solve)
import numpy as np

np.random.seed(8)
x = np.linspace(-1, 1, 25)
y_clean = 0.5 - 1.2 * x + 2.0 * x ** 3
y = y_clean + np.random.normal(scale=0.1, size=x.shape)
print(x[:4], y[:4], sep="\n")

def design(x, degree):
    # columns 1, x, x^2, ..., x^degree
    return np.vander(x, degree + 1, increasing=True)

def fit(x, y, degree, ridge=0.0):
    X = design(x, degree)
    lhs = X.T @ X + ridge * np.eye(degree + 1)
    rhs = X.T @ y
    return np.linalg.solve(lhs, rhs)

print(design(x[:3], 3))

for degree in range(1, 6):
    coef = fit(x, y, degree)
    resid = y - design(x, degree) @ coef
    rss = float(resid @ resid)
    print(f"degree {degree}: rss={rss:10.6f} coef={np.array2string(coef, precision=3, suppress_small=True)}")

coef3 = fit(x, y, 3)
print("cubic coefficients:", coef3)
print("true coefficients: ", np.array([0.5, -1.2, 0.0, 2.0]))

# compare with np.polyfit (highest power first)
print(np.allclose(np.polyfit(x, y, 3)[::-1], coef3))

# a little ridge penalty shrinks the high-degree coefficients
for lam in [0.0, 0.01, 0.1, 1.0]:
    c = fit(x, y, 5, ridge=lam)
    print("%5.2f  |c| = %.4f  c5 = %+.4f" % (lam, np.sqrt(c @ c), c[5]))
