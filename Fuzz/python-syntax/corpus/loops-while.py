i = 0
while i < 10:
    i += 1
    if i == 3:
        continue
    elif i > 7:
        break
else:
    print("done")
for k, (a, b) in enumerate(zip(xs, ys), start=1):
    print(k, a, b, sep="\t", end="")
