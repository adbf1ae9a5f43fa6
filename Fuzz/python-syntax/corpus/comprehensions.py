squares = [i * i for i in range(10) if i % 2 == 0]
pairs = {(a, b) for a in xs for b in ys if a != b}
index = {k: v for k, v in zip(keys, values)}
total = sum(x for x in data if x > 0)
grid = [[0] * n for _ in range(m)]
