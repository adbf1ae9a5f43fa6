key = lambda item: (item[1], -item[0])
best = a if a > b else b
fn = lambda *args, **kw: None
ok = not x and (y or z) is not None
