def gen(xs):
    while (n := len(xs)) > 0:
        yield xs.pop()
    yield from range(3)
    return
