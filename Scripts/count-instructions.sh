#!/usr/bin/env bash
# Counts the machine instructions one loop iteration of each statement benchmark
# (Benchmarks/statements/*.py) takes in retrace's interpreter and in CPython 3.11 + NumPy,
# under valgrind (lackey): numbers that, unlike times on this shared machine, do not move from
# run to run. Each file is run with its loop at two lengths and the difference divided out, so
# start-up, imports and parsing cancel. (`time-python` runs a program 4 times: its count is
# divided by 4.) ratio = CPython's instructions / retrace's.
#
# Usage: Scripts/count-instructions.sh [NAME...]   (names without .py; default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "count-instructions: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
source Scripts/lib/build-bench.sh
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  for file in Benchmarks/statements/*.py; do names+=("$(basename "$file" .py)"); done
fi
export PYTHONHASHSEED=0  # the same dict layouts in every run
PYTHON=$(python3 -c 'import sys; print(sys.executable)')  # the interpreter, not a shim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 gives up on the release binary's debug information ("Possibly corrupted
# debuginfo file"): it counts a copy without it.
cp "$BENCH" "$work/retrace-bench" && strip --strip-debug "$work/retrace-bench"
BENCH="$work/retrace-bench"
count() {  # count COMMAND... -> guest instructions of the command
  valgrind --tool=lackey --basic-counts=yes "$@" 2>&1 \
    | awk '/guest instrs/ { gsub(",", "", $NF); print $NF; exit }'
}
printf '%-10s %14s %14s %8s\n' statement retrace CPython ratio
for name in "${names[@]}"; do
  script="Benchmarks/statements/$name.py"
  # The loop's length is the one range(N) with N >= 1000; 1000 and 11000 iterations are run.
  sed -E 's/range\(([0-9]{4,})\)/range(1000)/' "$script" > "$work/short.py"
  sed -E 's/range\(([0-9]{4,})\)/range(11000)/' "$script" > "$work/long.py"
  mine=$(( ($(count "$BENCH" time-python "$work/long.py") \
    - $(count "$BENCH" time-python "$work/short.py")) / (4 * 10000) ))
  theirs=$(( ($(count "$PYTHON" "$work/long.py") - $(count "$PYTHON" "$work/short.py")) / 10000 ))
  awk -v n="$name" -v m="$mine" -v t="$theirs" 'BEGIN { printf "%-10s %14d %14d %7.2fx\n", n, m, t, t / m }'
done
