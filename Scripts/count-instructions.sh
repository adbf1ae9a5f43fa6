#!/usr/bin/env bash
# Counts the machine instructions retrace's interpreter spends on one loop iteration of each
# statement benchmark (Benchmarks/statements/*.py), under valgrind (lackey): a profiling aid
# whose numbers, unlike times on this shared machine, do not move from run to run. Each file
# is run with its loop shortened to two lengths and the difference is divided out, so start-up
# and parsing cancel. (`time-python` runs a program 4 times: the count is per run.)
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
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count() {  # count FILE -> guest instructions of `retrace-bench time-python FILE`
  valgrind --tool=lackey --basic-counts=yes "$BENCH" time-python "$1" 2>&1 \
    | awk '/guest instrs/ { gsub(",", "", $NF); print $NF; exit }'
}
printf '%-10s %14s\n' statement 'instr/iter'
for name in "${names[@]}"; do
  script="Benchmarks/statements/$name.py"
  # The loop's length is the one range(N) with N >= 1000; 1000 and 3000 iterations are run.
  sed -E 's/range\(([0-9]{4,})\)/range(1000)/' "$script" > "$work/short.py"
  sed -E 's/range\(([0-9]{4,})\)/range(3000)/' "$script" > "$work/long.py"
  short=$(count "$work/short.py")
  long=$(count "$work/long.py")
  printf '%-10s %14d\n' "$name" $(( (long - short) / (4 * 2000) ))
done
