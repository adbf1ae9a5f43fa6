# family: sorting and searching drills: sort, argsort, searchsorted, top-k with argpartition, lexsort
import numpy as np
rng = np.random.default_rng(31)
a = rng.integers(0, 100, size=12)
a

print(np.sort(a))
print(np.sort(a)[::-1])
order = np.argsort(a, kind="stable")
print(order)
a[order][:3], a.argmin(), a.argmax()

# top-3 without a full sort
k = 3
top = np.argpartition(a, -k)[-k:]
top = top[np.argsort(a[top])[::-1]]
print("top-3 values:", a[top], "at", top)
smallest, *middle, largest = np.sort(a)
print(smallest, len(middle), largest)

s = np.sort(a)
queries = np.array([-5, 0, 42, 50, 99, 1000])
left = np.searchsorted(s, queries)
right = np.searchsorted(s, queries, side="right")
for q, l, r in zip(queries, left, right):
    print(f"{q!r:>5}: insert at {l} .. {r}")

# sort records by last name, then first name
first = np.array(["Ana", "Luis", "Mei", "Ana", "Ken"])
last = np.array(["Ruiz", "Diaz", "Wang", "Diaz", "Wang"])
age = np.array([31, 25, 40, 22, 35])
idx = np.lexsort((first, last))
for i in idx:
    print("%-5s %-5s %d" % (last[i], first[i], age[i]))

# ranks, with ties broken by position
vals = np.array([3.2, 1.5, 3.2, 0.4, 2.8])
ranks = np.empty_like(vals, dtype=int)
ranks[np.argsort(vals, kind="stable")] = np.arange(len(vals))
print(ranks)
uniq, inv, cnt = np.unique(vals, return_inverse=True, return_counts=True)
uniq, inv, cnt
