def (x):
  return = 3
x[1:2:3:4]
else:
