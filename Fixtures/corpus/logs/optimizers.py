# family: SGD, momentum and Adam optimizer classes compared on an ill-conditioned quadratic
import numpy as np

# f(w) = 0.5 * w^T A w - b^T w, minimum at A^-1 b
A = np.array([[10.0, 0.0], [0.0, 1.0]])
b = np.array([1.0, 1.0])
w_star = b / np.diag(A)

def f(w):
    return 0.5 * w @ A @ w - b @ w

def grad(w):
    return A @ w - b

class Optimizer:
    def __init__(self, lr=0.01, **kwargs):
        self.lr = lr
        self.extra = kwargs
        self.t = 0

    def step(self, w, g):
        self.t += 1
        return w - self._delta(g)

    def _delta(self, g):
        raise NotImplementedError

    def __repr__(self):
        opts = ", ".join(f"{k}={v}" for k, v in sorted(self.extra.items()))
        return f"{type(self).__name__}(lr={self.lr}{', ' if opts else ''}{opts})"

class SGD(Optimizer):
    def _delta(self, g):
        return self.lr * g

class Momentum(Optimizer):
    def __init__(self, lr=0.01, beta=0.9, **kwargs):
        super().__init__(lr, beta=beta, **kwargs)
        self.beta = beta
        self.v = 0.0

    def _delta(self, g):
        self.v = self.beta * self.v + g
        return self.lr * self.v

class Adam(Optimizer):
    def __init__(self, lr=0.01, *, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr, beta1=beta1, beta2=beta2, eps=eps)
        self.b1, self.b2, self.eps = beta1, beta2, eps
        self.m = self.v = 0.0

    def _delta(self, g):
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g * g
        m_hat = self.m / (1 - self.b1 ** self.t)
        v_hat = self.v / (1 - self.b2 ** self.t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

def run(opt, steps=150, every=50):
    w = np.array([-1.0, 2.0])
    for i in range(1, steps + 1):
        w = opt.step(w, grad(w))
        if i % every == 0:
            print(f"  {i:>3}: f={f(w):+.8f} dist={np.linalg.norm(w - w_star):.3e}")
    return w

results = {}
for opt in [SGD(lr=0.05), Momentum(lr=0.05, beta=0.8), Adam(lr=0.1)]:
    print(opt)
    results[type(opt).__name__] = run(opt)

best = min(results, key=lambda name: f(results[name]))
print("best:", best, results[best])
print("w* =", w_star, "f(w*) =", f(w_star))
