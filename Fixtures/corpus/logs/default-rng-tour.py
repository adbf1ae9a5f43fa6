# family: tour of np.random.default_rng (normal, integers, random, choice, permutation, shuffle)
import numpy as np

rng = np.random.default_rng(42)
print(rng.random())
print(rng.random(3))

# integers: high is exclusive unless endpoint=True
dice = rng.integers(1, 7, size=12)
print("dice:", dice)
print("with endpoint:", rng.integers(1, 6, size=6, endpoint=True))
print("counts:", np.bincount(dice, minlength=7)[1:])

samples = rng.normal(loc=10.0, scale=2.0, size=(2, 4))
print(samples)
print(f"{samples.mean()=:.4f}")
print(f"{samples.std(ddof=1)=:.4f}")

colors = np.array(["red", "green", "blue", "yellow"])
print(rng.choice(colors, size=5))
print(rng.choice(colors, size=3, replace=False))
print(rng.choice(4, size=8, p=[0.1, 0.2, 0.3, 0.4]))

deck = np.arange(10)
print("permutation:", rng.permutation(deck))
print("deck unchanged:", deck)
rng.shuffle(deck)
print("shuffled in place:", deck)

# two generators with the same seed give the same stream
g1, g2 = np.random.default_rng(7), np.random.default_rng(7)
same = all(g1.random() == g2.random() for _ in range(5))
print("same stream:", same)
print(repr(g1.uniform(-1, 1, size=3)))
print(repr(g2.exponential(scale=0.5, size=3)))

# legacy API next to the new one
np.random.seed(42)
print(np.random.rand(3))
legacy_deck = np.arange(8)
np.random.shuffle(legacy_deck)
print(legacy_deck)
print(np.random.default_rng(42).random(3))
