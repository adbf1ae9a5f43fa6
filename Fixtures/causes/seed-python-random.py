# Python's own random module: a dice experiment.
import random

random.seed(2)
rolls = [random.randint(1, 6) for _ in range(10)]
print(rolls)
print(sum(rolls) / len(rolls))
