# family: root finding: vectorised Newton iteration for square roots, bisection, fixed-point loops
import numpy as np

def newton_sqrt(a, tol=1e-12, max_iter=50):
    """Square roots of every entry of a, all at once."""
    a = np.asarray(a, dtype=float)
    x = np.where(a > 1, a / 2, 1.0)
    for i in range(max_iter):
        x_new = 0.5 * (x + a / x)
        if np.all(np.abs(x_new - x) <= tol * np.maximum(1.0, x_new)):
            return x_new, i + 1
        x = x_new
    raise RuntimeError("no convergence")

roots, iters = newton_sqrt([2.0, 9.0, 1e6, 0.25])
print(roots, iters)
print("error vs np.sqrt:", np.abs(roots - np.sqrt([2.0, 9.0, 1e6, 0.25])).max())

def bisect(f, lo, hi, tol=1e-10):
    flo = f(lo)
    assert flo * f(hi) < 0, "the root must be bracketed"
    n = 0
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if fm == 0:
            break
        elif np.sign(fm) == np.sign(flo):
            lo, flo = mid, fm
        else:
            hi = mid
        n += 1
    return 0.5 * (lo + hi), n

root, n = bisect(lambda x: x ** 3 - 2 * x - 5, 2.0, 3.0)
print(f"root {root:.12f} after {n} halvings")

# fixed point of cos(x) with a history of the iterates
x = 1.0
trace = [x]
while True:
    x_next = np.cos(x)
    trace.append(x_next)
    if abs(x_next - x) < 1e-9 or len(trace) > 200:
        break
    x = x_next
print(len(trace), trace[-1])
print(np.array(trace[:6]))

try:
    bisect(np.exp, 0.0, 1.0)
except AssertionError as e:
    print("AssertionError:", e)
