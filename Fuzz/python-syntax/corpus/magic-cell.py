%%time
import numpy as np
x = np.random.rand(1000, 1000)
y = x @ x.T
