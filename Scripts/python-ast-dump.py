#!/usr/bin/env python3.12
"""CPython's view of Python sources, in the canonical dump PythonSyntax's tests compare with.

Run with CPython 3.12 (the parser's oracle: it has PEP 701 f-strings). Reads a JSON list of
objects {"source": TEXT, "transformed": TEXT or null} on stdin and writes a JSON list of
{"dump": TEXT} or {"error": {"type", "msg", "lineno", "offset", "end_lineno", "end_offset"}}.
`transformed` is the same source after IPython's TransformerManager (computed by the caller,
which has IPython); it is parsed only when the source itself is not Python (a cell with a
magic, a shell escape or a help request).

The dump, one node a line, two spaces of indentation a level:

    Kind scalar=value ... @line:col-endline:endcol
      field
        Child ...

- Fields in `_fields` order; a field that is None or [] is left out. Operators, contexts,
  ints and identifier strings are printed inline; nodes and lists of nodes as children.
- Columns are CPython's: UTF-8 byte offsets, from 0.
- Constant values are typed: int:DECIMAL, float:HEX-BITS, complex:HEX-BITS (of the imaginary
  part), str:"escaped", bytes:HEX, True, False, None, Ellipsis. Strings escape backslash,
  the double quote and every character outside printable ASCII as \\u{HEX}.
- Inside a JoinedStr, Constant pieces are printed without positions and empty ones dropped
  (CPython 3.12.1 emits empty pieces and places merged pieces inconsistently).
- IPython's translations `get_ipython().run_line_magic(name, args)`, `run_cell_magic(name,
  line, body)`, `system(cmd)` and `getoutput(cmd)` are printed as one `IPythonMagic` node, and
  every node of a statement holding one is placed by its line alone (`@line`), since IPython
  rewrote the columns.
"""
import ast
import json
import struct
import sys

INLINE = (ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.expr_context)
MAGIC = {"run_line_magic": "line", "run_cell_magic": "cell", "system": "system",
         "getoutput": "getoutput"}


def quote(text):
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        else:
            out.append("\\u{%x}" % code)
    out.append('"')
    return "".join(out)


def bits(value):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", value))[0]


def constant(value):
    if value is None or value is True or value is False:
        return str(value)
    if value is Ellipsis:
        return "Ellipsis"
    if isinstance(value, int):
        return "int:%d" % value
    if isinstance(value, float):
        return "float:" + bits(value)
    if isinstance(value, complex):
        return "complex:" + bits(value.imag)
    if isinstance(value, str):
        return "str:" + quote(value)
    if isinstance(value, bytes):
        return "bytes:" + value.hex()
    raise TypeError(type(value))


def magic(node):
    """The IPython escape an expression node stands for, or None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    inner = node.func.value
    if not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
            and inner.func.id == "get_ipython" and node.func.attr in MAGIC):
        return None
    args = [a.value for a in node.args if isinstance(a, ast.Constant)]
    kind = MAGIC[node.func.attr]
    if kind == "line":
        return f"IPythonMagic kind=line name={quote(args[0])} args={quote(args[1])}"
    if kind == "cell":
        return (f"IPythonMagic kind=cell name={quote(args[0])} args={quote(args[1])} "
                f"body={quote(args[2])}")
    return f"IPythonMagic kind={kind} args={quote(args[0])}"


def holds_magic(node):
    return any(magic(n) for n in ast.walk(node))


def place(node, lines_only):
    if not hasattr(node, "lineno") or node.lineno is None:
        return ""
    if lines_only:
        return f" @{node.lineno}"
    return f" @{node.lineno}:{node.col_offset}-{node.end_lineno}:{node.end_col_offset}"


def dump(node, depth, out, lines_only=False, in_fstring=False):
    pad = "  " * depth
    text = magic(node)
    if text is not None:
        if isinstance(node, ast.expr):
            out.append(pad + text + place(node, True))
        return
    if isinstance(node, ast.Expr) and magic(node.value) is not None:
        out.append(pad + magic(node.value) + place(node, True))
        return
    if isinstance(node, ast.stmt) and not lines_only and holds_magic(node):
        lines_only = True
    head = [type(node).__name__]
    children = []
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(node, ast.Constant) and name == "value":
            head.append("value=" + constant(value))
            continue
        if value is None or (isinstance(value, list) and not value):
            continue
        if isinstance(value, INLINE):
            head.append(f"{name}={type(value).__name__}")
        elif isinstance(value, ast.AST):
            children.append((name, [value]))
        elif isinstance(value, list):
            if all(isinstance(v, INLINE) for v in value):
                head.append(f"{name}=" + ",".join(type(v).__name__ for v in value))
            elif all(isinstance(v, str) for v in value):
                head.append(f"{name}=" + ",".join(quote(v) for v in value))
            else:
                children.append((name, value))
        elif isinstance(value, str):
            head.append(f"{name}={quote(value)}")
        elif isinstance(value, int):
            head.append(f"{name}={value}")
        else:
            head.append(f"{name}={constant(value)}")
    positioned = not (in_fstring and isinstance(node, ast.Constant))
    out.append(pad + " ".join(head) + (place(node, lines_only) if positioned else ""))
    for name, values in children:
        if isinstance(node, ast.JoinedStr) and name == "values":
            values = [v for v in values
                      if not (isinstance(v, ast.Constant) and v.value == "")]
            if not values:
                continue
        out.append(pad + "  " + name)
        for child in values:
            if child is None:
                out.append(pad + "    None")
                continue
            dump(child, depth + 2, out, lines_only, isinstance(node, ast.JoinedStr))


def dump_source(source):
    out = []
    dump(ast.parse(source), 0, out)
    return "\n".join(out) + "\n"


def error(exc):
    return {"type": type(exc).__name__, "msg": exc.msg, "lineno": exc.lineno,
            "offset": exc.offset, "end_lineno": exc.end_lineno, "end_offset": exc.end_offset}


def main():
    sys.setrecursionlimit(20000)
    if sys.version_info[:2] < (3, 12):
        sys.exit("python-ast-dump: needs CPython 3.12 or later")
    results = []
    for item in json.load(sys.stdin):
        try:
            results.append({"dump": dump_source(item["source"])})
        except SyntaxError as exc:
            transformed = item.get("transformed")
            if transformed is not None and transformed != item["source"]:
                try:
                    results.append({"dump": dump_source(transformed)})
                    continue
                except SyntaxError:
                    pass
            results.append({"error": error(exc)})
        except Exception as exc:  # MemoryError, RecursionError, ValueError: not a tree
            results.append({"error": {"type": type(exc).__name__, "msg": str(exc),
                                      "lineno": None, "offset": None, "end_lineno": None,
                                      "end_offset": None}})
    # ASCII JSON: a string CPython accepts may hold a lone surrogate, which UTF-8 cannot carry.
    json.dump(results, sys.stdout, ensure_ascii=True, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
