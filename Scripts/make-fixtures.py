#!/usr/bin/env python3
"""Regenerates Fixtures/ with real NumPy.

Every reference value the tests compare against comes from here: run
`python3 Scripts/make-fixtures.py` (all parts) or `python3 Scripts/make-fixtures.py random`
(one part). Each part lives in Scripts/fixtures/<part>.py and defines `generate(root)`.
The NumPy version is recorded in every generated file (and in Fixtures/numpy/VERSION).
The notebooks' outputs are what their own code prints when it runs here, in this CPython and
NumPy (parts `notebooks` and `corpus` run it; retrace never runs code). Part `python_syntax`
also needs CPython 3.12 (for `ast` dumps; see Scripts/python-ast-dump.py).
"""
import importlib
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))


def main(argv):
    parts_dir = ROOT / "Scripts" / "fixtures"
    available = sorted(p.stem for p in parts_dir.glob("*.py") if not p.stem.startswith("_"))
    wanted = argv[1:] or available
    unknown = [w for w in wanted if w not in available]
    if unknown:
        sys.exit(f"make-fixtures: unknown part(s) {unknown}; available: {available}")
    (ROOT / "Fixtures" / "numpy").mkdir(parents=True, exist_ok=True)
    (ROOT / "Fixtures" / "numpy" / "VERSION").write_text(np.__version__ + "\n")
    for name in wanted:
        module = importlib.import_module(f"fixtures.{name}")
        print(f"make-fixtures: {name}", file=sys.stderr)
        module.generate(ROOT)


if __name__ == "__main__":
    main(sys.argv)
