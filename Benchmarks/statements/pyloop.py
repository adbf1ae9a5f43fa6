x = 0
for i in range(200000):
    x = x + i
