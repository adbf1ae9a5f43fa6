#!/usr/bin/env python3
"""Writes a long stdout log of the seed notebook's code, run for N epochs, with real NumPy.

Usage: python3 Scripts/make-large-log.py EPOCHS OUT.log [--lr LR]
The log is what Python prints when the seed's code (with `epochs = EPOCHS`) runs; it is for
benchmarks and is not committed.
"""
import argparse
import contextlib
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fixtures import notebooks  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("epochs", type=int)
    parser.add_argument("out")
    parser.add_argument("--lr", default="0.01")
    args = parser.parse_args()
    root = pathlib.Path(__file__).resolve().parent.parent
    cells = notebooks.edit(notebooks.seed_cells(root), [
        ("epochs = 10", f"epochs = {args.epochs}"), ("lr = 0.01", f"lr = {args.lr}")])
    namespace = {}
    with open(args.out, "w", buffering=1 << 20) as out, contextlib.redirect_stdout(out):
        for _, code in cells:
            exec(compile(code, "<cell>", "exec"), namespace)


if __name__ == "__main__":
    main()
