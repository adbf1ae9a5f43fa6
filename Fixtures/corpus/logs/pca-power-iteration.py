# family: PCA by power iteration on the covariance matrix (no linalg), standardised data
import numpy as np
rs = np.random.RandomState(1)

# correlated 3-D data: a hidden 1-D factor plus noise
t = rs.randn(200)
data = np.column_stack([2 * t + 0.3 * rs.randn(200),
                        -t + 0.3 * rs.randn(200),
                        0.5 * rs.randn(200)])
print(data.shape)
print(data[:3])

mu = data.mean(axis=0)
sigma = data.std(axis=0)
Z = (data - mu) / sigma
cov = Z.T @ Z / (len(Z) - 1)
print("mean:", mu)
print("std: ", sigma)
print("covariance of standardised data:\n", cov)

def power_iteration(A, n_iter=1000, tol=1e-10):
    v = np.ones(A.shape[0]) / np.sqrt(A.shape[0])
    for i in range(n_iter):
        w = A @ v
        w /= np.sqrt(np.sum(w * w))
        if np.abs(w - v).max() < tol:
            v = w
            break
        v = w
    return v @ A @ v, v, i

lam1, v1, steps = power_iteration(cov)
print(f"largest eigenvalue {lam1:.6f} after {steps} steps")
print("direction:", v1)

# deflate and find the second component
cov2 = cov - lam1 * np.outer(v1, v1)
lam2, v2, steps2 = power_iteration(cov2)
print(f"second eigenvalue {lam2:.6f} after {steps2} steps")
print("orthogonal?", abs(v1 @ v2) < 1e-8)

total = np.trace(cov)
explained = np.array([lam1, lam2]) / total
print("explained variance ratio:", explained.round(4))
scores = Z @ np.stack([v1, v2], axis=1)
print(scores.shape, scores[:4])
