if True:
    %timeit np.dot(a, b)
    !echo hi
for f in files:
    !wc -l {f}
