s = "never closed
t = """also
not closed
