# family: elementary cellular automata (rules 30, 90, 110) with np.roll and a rule lookup table
import numpy as np

WIDTH = 31
STEPS = 15

def rule_table(number):
    # bit k of the rule number is the new state for neighbourhood k = 4*left + 2*centre + right
    return np.array([(number >> k) & 1 for k in range(8)], dtype=np.uint8)

def evolve(rule, width=WIDTH, steps=STEPS):
    table = rule_table(rule)
    row = np.zeros(width, dtype=np.uint8)
    row[width // 2] = 1
    history = [row]
    for _ in range(steps - 1):
        left, right = np.roll(row, 1), np.roll(row, -1)
        row = table[4 * left + 2 * row + right]
        history.append(row)
    return np.array(history)

print(rule_table(30), rule_table(110))

for rule in (30, 90):
    grid = evolve(rule)
    print(f"rule {rule}:")
    for line in grid:
        print("".join(".#"[v] for v in line))

g110 = evolve(110, steps=20)
print(g110.shape, g110.dtype)
print("live cells per step:", g110.sum(axis=1))
print("density: %.3f" % g110.mean())
for count in g110.sum(axis=1)[:10]:
    print(count, end=" ")
print()

# rule 90 from the centre is Pascal's triangle mod 2
g90 = evolve(90, steps=8)
centre = WIDTH // 2
pascal = [[1]]
for _ in range(7):
    prev = pascal[-1]
    pascal.append([1] + [(a + b) % 2 for a, b in zip(prev, prev[1:])] + [1])
ok = all((g90[i, centre - i:centre + i + 1:2] == np.array(p)).all() for i, p in enumerate(pascal))
print("matches Pascal mod 2:", ok)
