#!/usr/bin/env bash
# Times one statement in a loop (Benchmarks/statements/*.py: an array operation, a reduction,
# a call, a pure-Python update) with retrace's interpreter and with CPython 3.11 + NumPy, in
# the same run, and prints both times and the ratio (CPython time / retrace time). Both sides
# in process, best of 3, in ROUNDS alternating rounds (default 3), each side's best kept.
#
# Usage: Scripts/bench-statements.sh [NAME...]   (names without .py; default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/build-bench.sh
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  for file in Benchmarks/statements/*.py; do names+=("$(basename "$file" .py)"); done
fi
printf '%-10s %12s %12s %8s\n' statement retrace CPython ratio
for name in "${names[@]}"; do
  script="Benchmarks/statements/$name.py"
  python3 - "$BENCH" "$script" "${ROUNDS:-3}" <<'PY'
import subprocess, sys
bench, script, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
cpython = """
import sys, time
import numpy  # imported before the clock
code = compile(open(sys.argv[1]).read(), sys.argv[1], "exec")
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    exec(code, {"__name__": "__main__"})
    best = min(best, time.perf_counter() - start)
print(best)
"""
mine = theirs = float("inf")
for _ in range(rounds):
    out = subprocess.run([bench, "time-python", script], capture_output=True, text=True, check=True)
    mine = min(mine, float(out.stdout.split()[1]))
    out = subprocess.run([sys.executable, "-c", cpython, script], capture_output=True, text=True, check=True)
    theirs = min(theirs, float(out.stdout))
name = script.rsplit("/", 1)[-1][:-3]
print(f"{name:<10} {mine * 1e3:10.2f}ms {theirs * 1e3:10.2f}ms {theirs / mine:7.2f}x")
PY
done
