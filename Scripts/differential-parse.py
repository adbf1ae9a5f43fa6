#!/usr/bin/env python3
"""Differential check of PythonSyntax against CPython 3.12 on many small inputs.

    Scripts/differential-parse.py RETRACE_BENCH DIR [DIR ...]

Every file under the DIRs (e.g. a libFuzzer corpus, .build-fuzz/python-syntax/corpus) is
parsed by CPython 3.12's ast.parse (through Scripts/python-ast-dump.py, with IPython's
transform where this Python has IPython) and by retrace (`retrace-bench dump-python`), and the
two are compared: both accept with the same tree, both reject (on the same line, with the same
message), or they disagree. Prints the counts and the first disagreements of each kind. It
writes nothing. Files that are not UTF-8, hold a NUL byte or that CPython rejects for a reason
retrace reports as "unsupported" or "limit" are counted apart.
"""
import collections
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
PYTHON312 = os.environ.get("PYTHON312", "/root/.pyenv/versions/3.12.1/bin/python3")


def main(argv):
    bench, dirs = argv[1], argv[2:]
    files = sorted(str(p) for d in dirs for p in pathlib.Path(d).rglob("*") if p.is_file())
    sources, kept = [], []
    for path in files:
        raw = pathlib.Path(path).read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if "\0" in text or "\r" in text:
            continue
        sources.append(text)
        kept.append(path)
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        manager = TransformerManager()

        def transform(text):
            try:
                return manager.transform_cell(text)
            except Exception:
                return None
    except ImportError:
        def transform(text):
            return None
    items = [{"source": s, "transformed": transform(s)} for s in sources]
    theirs = json.loads(subprocess.run(
        [PYTHON312, str(HERE / "python-ast-dump.py")], input=json.dumps(items),
        capture_output=True, text=True, check=True).stdout)
    mine = {}
    for start in range(0, len(kept), 500):
        out = subprocess.run([bench, "dump-python", *kept[start:start + 500]],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            record = json.loads(line)
            mine[record["file"]] = record
    counts = collections.Counter()
    examples = collections.defaultdict(list)
    messages = collections.defaultdict(collections.Counter)
    for path, source, cpython in zip(kept, sources, theirs):
        ours = mine.get(path)
        if ours is None:
            counts["missing"] += 1
            continue
        if "dump" in cpython and "dump" in ours:
            kind = "same tree" if cpython["dump"] == ours["dump"] else "different tree"
        elif "error" in cpython and "error" in ours:
            if ours["error"]["type"] in ("UnsupportedSyntax", "LimitExceeded"):
                kind = "both reject (retrace: unsupported or limit)"
            elif (ours["error"]["msg"], ours["error"]["lineno"], ours["error"]["offset"]) == (
                    cpython["error"]["msg"], cpython["error"]["lineno"],
                    cpython["error"]["offset"]):
                kind = "both reject, same message and place"
            elif ours["error"]["lineno"] == cpython["error"]["lineno"]:
                kind = "both reject, same line"
            else:
                kind = "both reject, other line"
        elif "error" in ours:
            kind = ("retrace refuses by name" if ours["error"]["type"] in
                    ("UnsupportedSyntax", "LimitExceeded") else "only retrace rejects")
        else:
            kind = "only CPython rejects"
        counts[kind] += 1
        if kind.startswith("both reject, "):
            messages[kind][(cpython["error"]["msg"][:60], ours["error"]["msg"][:60])] += 1
        if len(examples[kind]) < 5:
            examples[kind].append((source, cpython, ours))
    total = sum(counts.values())
    print(f"{total} inputs from {', '.join(dirs)}")
    for kind, count in counts.most_common():
        print(f"  {count:6d}  {kind}")
    for kind in ("both reject, other line", "both reject, same line"):
        print(f"\n{kind}: the most common pairs of messages (CPython | retrace)")
        for (theirs, ours), count in messages[kind].most_common(12):
            print(f"  {count:5d}  {theirs} | {ours}")
    for kind in ("different tree", "only retrace rejects", "only CPython rejects",
                 "both reject, other line", "both reject, same line"):
        for source, cpython, ours in examples.get(kind, []):
            print(f"\n--- {kind}: {source[:200]!r}")
            print("  CPython:", cpython.get("error") or "(tree)")
            print("  retrace:", ours.get("error") or "(tree)")


if __name__ == "__main__":
    main(sys.argv)
