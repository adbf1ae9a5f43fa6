# family: training bookkeeping in dicts (history, best epoch, early stopping) with a KeyError on purpose
import numpy as np

np.random.seed(17)
X = np.random.rand(40, 2)
y = (X[:, 0] + X[:, 1] > 1).astype(float)
history = {"loss": [], "acc": []}
n_calls = 0

def train_epoch(w, b, lr=1.0):
    global n_calls
    n_calls += 1
    p = 1 / (1 + np.exp(-(X @ w + b)))
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    acc = np.mean((p > 0.5) == y)
    w = w - lr * X.T @ (p - y) / len(y)
    b = b - lr * np.mean(p - y)
    return w, b, loss, acc

w, b = np.zeros(2), 0.0
best = {"loss": np.inf, "epoch": None}
patience, bad = 5, 0
for epoch in range(200):
    w, b, loss, acc = train_epoch(w, b, lr=2.0)
    history["loss"].append(loss)
    history["acc"].append(acc)
    if loss < best["loss"] - 5e-3:
        best.update(loss=loss, epoch=epoch, w=w.copy())
        bad = 0
    else:
        bad += 1
        if bad >= patience:
            print("early stop at epoch", epoch)
            break
print(f"calls={n_calls} best epoch={best['epoch']} loss={best['loss']:.5f}")

summary = {k: (round(min(v), 4), round(max(v), 4)) for k, v in history.items()}
print(summary)
every = {e: round(l, 4) for e, l in enumerate(history["loss"]) if e % 25 == 0}
print(every)
print(sorted({round(a, 1) for a in history["acc"]}))

del history["acc"]
print(list(history))
print("final weights", best["w"], "bias %.4f" % b)
print(history["acc"][-1])

print(history.get("acc", "gone"), len(history["loss"]))
