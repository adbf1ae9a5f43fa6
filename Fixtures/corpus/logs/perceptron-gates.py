# family: perceptron learning rule on logic gates, class with class attributes and inheritance
import numpy as np

class Perceptron:
    name = "perceptron"
    max_epochs = 20

    def __init__(self, n_inputs, lr=0.1, seed=None):
        rs = np.random.RandomState(seed)
        self.weights = rs.uniform(-0.5, 0.5, n_inputs)
        self.bias = 0.0
        self.lr = lr

    def activate(self, z):
        return np.where(z >= 0, 1, 0)

    def predict(self, X):
        return self.activate(X @ self.weights + self.bias)

    def train(self, X, y):
        for epoch in range(self.max_epochs):
            errors = 0
            for xi, target in zip(X, y):
                update = self.lr * (target - self.predict(xi))
                if update == 0:
                    continue
                self.weights += update * xi
                self.bias += update
                errors += 1
            if errors == 0:
                print(f"{self.name}: converged after {epoch + 1} epochs")
                break
        else:
            print(f"{self.name}: did not converge in {self.max_epochs} epochs")
        return self

    def __repr__(self):
        return f"{type(self).__name__}(w={np.round(self.weights, 3)}, b={self.bias:.3f})"

class SignPerceptron(Perceptron):
    """Same rule, but outputs -1/+1."""
    name = "sign perceptron"

    def activate(self, z):
        return np.where(z >= 0, 1, -1)

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
gates = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "NAND": np.array([1, 1, 1, 0]),
    "XOR": np.array([0, 1, 1, 0]),
}
for gate, target in gates.items():
    p = Perceptron(2, lr=0.1, seed=1).train(X, target)
    print(gate, p, p.predict(X), "ok" if (p.predict(X) == target).all() else "wrong")

sp = SignPerceptron(2, seed=2)
sp.train(X, np.array([-1, -1, -1, 1]))
print(sp)
print(sp.predict(X))
