# %% [1]
# family: Conway's game of life on a torus with np.roll, a glider and a blinker
import numpy as np
%matplotlib inline

# %% [2]
def neighbours(grid):
    total = np.zeros_like(grid)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy == 0 and dx == 0:
                continue
            total += np.roll(np.roll(grid, dy, axis=0), dx, axis=1)
    return total

def step(grid):
    n = neighbours(grid)
    born = (grid == 0) & (n == 3)
    survives = (grid == 1) & ((n == 2) | (n == 3))
    return (born | survives).astype(grid.dtype)

def show(grid):
    print("\n".join("".join("#" if c else "." for c in row) for row in grid))

# %% [3]
world = np.zeros((8, 8), dtype=np.int8)
world[1, 2] = world[2, 3] = 1
world[3, 1:4] = 1
show(world)
print(world.sum(), world.dtype)

# %% [4]
g = world.copy()
for generation in range(1, 5):
    g = step(g)
    print(f"-- generation {generation}, alive {g.sum()}")
    show(g)

# %% [5]
# after 4 generations a glider is the same shape moved by (1, 1)
print(np.array_equal(g, np.roll(np.roll(world, 1, 0), 1, 1)))
print(neighbours(world))

# %% [6]
blinker = np.zeros((5, 5), dtype=np.int8)
blinker[2, 1:4] = 1
period = None
state = blinker
for k in range(1, 10):
    state = step(state)
    if np.array_equal(state, blinker):
        period = k
        break
print("blinker period:", period)
print(step(blinker))
