# family: logistic regression from scratch as a class, binary cross-entropy, accuracy
import numpy as np
np.set_printoptions(precision=4, suppress=True)

class LogisticRegression:
    """Binary logistic regression trained by full-batch gradient descent."""

    eps = 1e-12  # keeps log() away from zero

    def __init__(self, lr=0.1, n_iter=500, verbose_every=None):
        self.lr = lr
        self.n_iter = n_iter
        self.verbose_every = verbose_every
        self.w = None
        self.b = 0.0

    @staticmethod
    def _sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def predict_proba(self, X):
        return self._sigmoid(X @ self.w + self.b)

    def loss(self, X, y):
        p = np.clip(self.predict_proba(X), self.eps, 1 - self.eps)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    def fit(self, X, y):
        self.w = np.zeros(X.shape[1])
        for i in range(self.n_iter):
            p = self.predict_proba(X)
            self.w -= self.lr * X.T @ (p - y) / len(y)
            self.b -= self.lr * np.mean(p - y)
            if self.verbose_every and i % self.verbose_every == 0:
                print(f"iter {i:3d} loss {self.loss(X, y):.5f}")
        return self

    def predict(self, X, threshold=0.5):
        return (self.predict_proba(X) >= threshold).astype(int)

rng = np.random.default_rng(3)
n_per_class = 40
X0 = rng.normal(loc=[-1.0, -1.0], scale=1.0, size=(n_per_class, 2))
X1 = rng.normal(loc=[1.5, 1.0], scale=1.0, size=(n_per_class, 2))
X = np.vstack([X0, X1])
y = np.concatenate([np.zeros(n_per_class), np.ones(n_per_class)])
print(X.shape, y.shape, y.mean())

model = LogisticRegression(lr=0.5, n_iter=300, verbose_every=50).fit(X, y)
print("w:", model.w, "b:", round(model.b, 4))

pred = model.predict(X)
acc = (pred == y).mean()
print(f"train accuracy: {acc:.2%}")
print("first probabilities:", model.predict_proba(X[:6]))
print("mistakes at:", np.nonzero(pred != y)[0])
