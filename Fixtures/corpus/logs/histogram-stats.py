# family: descriptive statistics of exam scores: histogram, percentiles, z-scores, groupby with np.unique
import numpy as np

np.random.seed(2718)
scores = np.clip(np.random.normal(68, 12, size=200).round(), 0, 100).astype(int)
groups = np.random.choice(["A", "B", "C"], size=200, p=[0.5, 0.3, 0.2])
print(scores[:15])
print(groups[:15])

summary = {
    "n": scores.size,
    "mean": scores.mean(),
    "median": np.median(scores),
    "std": scores.std(ddof=1),
    "min": scores.min(),
    "max": scores.max(),
}
for key, value in summary.items():
    print("{:>7}: {}".format(key, value))

counts, edges = np.histogram(scores, bins=np.arange(0, 101, 10))
for lo, c in zip(edges[:-1], counts):
    print(f"{lo:3d}-{lo + 9:<3d} {c:3d} {'*' * (c // 2)}")
print(counts.sum() == scores.size)

p = np.percentile(scores, [10, 25, 50, 75, 90])
print("percentiles:", p)
iqr = p[3] - p[1]
outliers = scores[(scores < p[1] - 1.5 * iqr) | (scores > p[3] + 1.5 * iqr)]
print("outliers:", np.sort(outliers))

names, inverse = np.unique(groups, return_inverse=True)
means = np.bincount(inverse, weights=scores) / np.bincount(inverse)
for name, m, n in zip(names, means, np.bincount(inverse)):
    print(f"group {name}: n={n:3d} mean={m:6.2f}")

z = (scores - scores.mean()) / scores.std()
grades = np.select([z > 1, z > 0, z > -1], ["A", "B", "C"], default="D")
letters, nums = np.unique(grades, return_counts=True)
print(dict(zip(letters.tolist(), nums.tolist())))
print(np.corrcoef(scores, inverse)[0, 1])
