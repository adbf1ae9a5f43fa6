# family: numerical gradient check (central differences) against backprop of a tiny tanh layer
import numpy as np

np.random.seed(3)
X = np.random.randn(5, 4)
y = np.random.randn(5, 2)
params = {"W": 0.5 * np.random.randn(4, 2), "b": np.zeros(2)}

def forward(params, X):
    return np.tanh(X @ params["W"] + params["b"])

def loss_fn(params):
    return 0.5 * np.sum((forward(params, X) - y) ** 2)

def analytic_grads(params):
    out = forward(params, X)
    delta = (out - y) * (1 - out ** 2)
    return {"W": X.T @ delta, "b": delta.sum(axis=0)}

print("loss:", loss_fn(params))

def numeric_grads(f, params, h=1e-5):
    grads = {}
    for name, value in params.items():
        g = np.zeros_like(value)
        it = np.nditer(value, flags=["multi_index"])
        for _ in it:
            i = it.multi_index
            old = value[i]
            value[i] = old + h
            plus = f(params)
            value[i] = old - h
            minus = f(params)
            value[i] = old
            g[i] = (plus - minus) / (2 * h)
        grads[name] = g
    return grads

num = numeric_grads(loss_fn, params)
ana = analytic_grads(params)

def rel_error(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))

for name in params:
    err = rel_error(num[name], ana[name])
    print(f"{name}: relative error {err:.2e}")
    assert err < 1e-6, name
print(ana["W"])

# a wrong gradient (missing the tanh derivative) is caught at once
def bad_grads(params):
    delta = forward(params, X) - y
    return {"W": X.T @ delta, "b": delta.sum(axis=0)}

print({k: round(float(rel_error(num[k], v)), 4) for k, v in bad_grads(params).items()})
