with open("out.txt", "w") as f, open("log") as g:
    f.write(g.read())
assert x.shape == (3, 4), f"bad shape {x.shape}"
global counter
del a[0], b.c
x, *rest = 1, 2, 3
