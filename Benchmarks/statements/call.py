def f(z):
    return z
x = 0
for i in range(100000):
    x = f(i)
