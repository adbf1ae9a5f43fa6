if True:
    !echo yes
else:
    x = 1
