# A RandomState of its own, for a shuffled index.
import numpy as np

state = np.random.RandomState(5)
order = state.permutation(8)
print(order)
print(state.uniform(size=3))
