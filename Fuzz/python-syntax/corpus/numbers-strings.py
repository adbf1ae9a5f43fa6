n = 0x1F + 0o17 + 0b101 + 1_000_000 + 3.14e-2j
s = 'single' "double" r"raw\d+" b"bytes\x00" rb"\w"
t = """triple
quoted"""
u = u"\u00e9\N{GREEK SMALL LETTER ALPHA}"
