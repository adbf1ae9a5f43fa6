# family: one-hot encoding and confusion-matrix counts, precision/recall/F1 per class
import numpy as np

labels = ["cat", "dog", "bird"]
y_true = np.array([0, 1, 2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 1, 1, 2])
y_pred = np.array([0, 2, 2, 2, 1, 0, 1, 1, 2, 0, 1, 0, 1, 2, 2])

one_hot = np.zeros((y_true.size, len(labels)), dtype=int)
one_hot[np.arange(y_true.size), y_true] = 1
print(one_hot[:5])
print("same as eye indexing:", np.array_equal(one_hot, np.eye(3, dtype=int)[y_true]))
print("back to labels:", one_hot.argmax(axis=1))

k = len(labels)
cm = np.zeros((k, k), dtype=np.int64)
for t, p in zip(y_true, y_pred):
    cm[t, p] += 1
print(cm)

# the same without a loop
cm2 = np.bincount(k * y_true + y_pred, minlength=k * k).reshape(k, k)
print((cm == cm2).all())

tp = np.diag(cm)
precision = tp / cm.sum(axis=0)
recall = tp / cm.sum(axis=1)
f1 = 2 * precision * recall / (precision + recall)
print("{:<6}{:>10}{:>10}{:>10}".format("class", "precision", "recall", "f1"))
for name, p, r, f in zip(labels, precision, recall, f1):
    print("{:<6}{:>10.3f}{:>10.3f}{:>10.3f}".format(name, p, r, f))

accuracy = tp.sum() / cm.sum()
print(f"accuracy = {accuracy:.4f} ({tp.sum()}/{cm.sum()})")
print("macro F1 =", f1.mean())
errors = {(labels[t], labels[p]): int(cm[t, p]) for t in range(k) for p in range(k) if t != p and cm[t, p]}
print(errors)
