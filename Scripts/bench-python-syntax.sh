#!/usr/bin/env bash
# Parses the same Python sources with retrace's PythonSyntax and with CPython's ast.parse, in
# one run on one machine, and prints MB/s and the ratio (goal of issue 12: at least 2x CPython).
# The sources are the code cells of Fixtures/python/corpus.json (the corpus notebooks and the
# regression notebooks) that CPython can parse as they stand (no IPython escapes).
#
# Usage: Scripts/bench-python-syntax.sh [PASSES]
# Environment: SCRATCH (swift build scratch path, default .build); PYTHON312 (CPython 3.12,
# default /root/.pyenv/versions/3.12.1/bin/python3); python3 (the notebooks' CPython) also runs.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
PASSES=${1:-50}
PYTHON312=${PYTHON312:-/root/.pyenv/versions/3.12.1/bin/python3}
FIXTURE=Fixtures/python/corpus.json

BUILD_FLAGS=(-c release --scratch-path "$SCRATCH")
[[ $(uname -s) == Linux ]] && BUILD_FLAGS+=(--static-swift-stdlib)
echo "building (${BUILD_FLAGS[*]})..." >&2
swift build "${BUILD_FLAGS[@]}" --product retrace-bench >&2
BENCH=$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)/retrace-bench

cpython() {
  "$1" - "$FIXTURE" "$PASSES" <<'PY'
import ast, json, sys, time
cases = json.load(open(sys.argv[1]))["cases"]
passes = int(sys.argv[2])
sources = [c["source"] for c in cases if "IPythonMagic" not in c["dump"]]
size = sum(len(s.encode()) for s in sources)
joined = "\n".join(sources)
def best(body):
    times = []
    for _ in range(5):
        start = time.perf_counter(); body(); times.append(time.perf_counter() - start)
    return min(times)
cells = best(lambda: [ast.parse(s) for _ in range(passes) for s in sources])
whole = best(lambda: [ast.parse(joined) for _ in range(passes)])
print(json.dumps({"python": sys.version.split()[0], "cells": size * passes / cells,
                  "joined": len(joined.encode()) * passes / whole, "bytes": size}))
PY
}

mine=$("$BENCH" parse-python "$FIXTURE" "$PASSES")
cells_rate=$(echo "$mine" | python3 -c 'import json,sys; print([json.loads(l) for l in sys.stdin][0]["per_second"])')
joined_rate=$(echo "$mine" | python3 -c 'import json,sys; print([json.loads(l) for l in sys.stdin][1]["per_second"])')
for python in "$PYTHON312" python3; do
  theirs=$(cpython "$python")
  python3 - "$theirs" "$cells_rate" "$joined_rate" <<'PY'
import json, sys
theirs = json.loads(sys.argv[1]); cells = float(sys.argv[2]); joined = float(sys.argv[3])
print(f"CPython {theirs['python']} ast.parse vs retrace PythonSyntax on {theirs['bytes']} bytes "
      "of corpus code:")
print(f"  cell by cell: retrace {cells / 1e6:7.2f} MB/s, CPython {theirs['cells'] / 1e6:7.2f} MB/s,"
      f" ratio {cells / theirs['cells']:.2f}x")
print(f"  one module:   retrace {joined / 1e6:7.2f} MB/s, CPython {theirs['joined'] / 1e6:7.2f} MB/s,"
      f" ratio {joined / theirs['joined']:.2f}x")
PY
done
