name = "w"
print(f"{name!r:>10} = {value:.{prec}f} ({ratio:%}) {{literal}}")
print(f"{x=}, {y = !s}, {'nested'} {d['k']:{width}.{prec}}")
msg = f"""step {i:04d}/{n}
  loss={loss:.6e}"""
