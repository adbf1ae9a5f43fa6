#!/usr/bin/env bash
# Verify of each corpus notebook beside python3 running the same code, in the same run.
#
#   Scripts/bench-verify-corpus.sh [ROUNDS]
#   RETRACE=/path/to/retrace Scripts/bench-verify-corpus.sh [ROUNDS]   (another build, as is)
#
# For each notebook with a script (Fixtures/corpus/logs/NAME.py: its cells in execution order),
# times `retrace verify Fixtures/corpus/NAME.ipynb` (release build) and `python3 NAME.py`
# (CPython + NumPy, which pays for importing NumPy), alternating the two for ROUNDS rounds
# (default 3) and keeping each side's best, and prints the ratio python3 / retrace (the
# issue's goal: at least 10x). Wall-clock times of whole processes, as a user meets them.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
if [ -z "${RETRACE:-}" ]; then
  swift build -c release --product retrace >/dev/null
fi
retrace=${RETRACE:-.build/release/retrace}

now() { date +%s.%N; }
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }

printf "%-28s %12s %12s %8s  %s\n" notebook "retrace s" "python3 s" ratio verdict
ratios=()
for script in Fixtures/corpus/logs/*.py; do
  name=$(basename "$script" .py)
  notebook=Fixtures/corpus/$name.ipynb
  r=() p=()
  verdict=$($retrace verify "$notebook" 2>&1 | head -1 | sed 's/.*: \([a-z]*\) (.*/\1/') || true
  for _ in $(seq "$rounds"); do
    t0=$(now); $retrace verify "$notebook" >/dev/null 2>&1 || true; t1=$(now)
    (cd Fixtures/corpus/logs && python3 "$name.py" >/dev/null 2>&1) || true; t2=$(now)
    r+=("$(python3 -c "print($t1 - $t0)")")
    p+=("$(python3 -c "print($t2 - $t1)")")
  done
  rb=$(best "${r[@]}")
  pb=$(best "${p[@]}")
  ratio=$(python3 -c "print(f'{$pb / $rb:.1f}')")
  ratios+=("$ratio")
  printf "%-28s %12.4f %12.4f %7sx  %s\n" "$name" "$rb" "$pb" "$ratio" "$verdict"
done
python3 -c "import sys; r=[float(x) for x in sys.argv[1:]]; print(f'ratios: {min(r):.1f}x to {max(r):.1f}x over {len(r)} notebooks; below 10x: {sum(x < 10 for x in r)}')" "${ratios[@]}"
