#!/usr/bin/env bash
# Times the corpus' training loops with retrace's interpreter and with CPython 3.11 + NumPy,
# in one run, and prints the time per loop iteration of each and the ratio (goal: retrace at
# least 5x faster than CPython + NumPy on these small arrays).
#
# Each notebook's code cells (in execution order, IPython escapes left out) become one script.
# Both sides time the run in process, best of 3, in ROUNDS alternating rounds (default 3):
# CPython with numpy imported before the clock starts; retrace with `retrace-bench
# time-python`, unobserved (a separate observed run counts the loop iterations).
# Both sides' stdout must be identical for a ratio to count.
#
# Usage: Scripts/bench-training-loops.sh [NOTEBOOK-NAME...]
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/build-bench.sh
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  names=(xor-sigmoid two-layer-relu-warmup perceptron-gates linreg-gradient-descent
    logistic-regression-class softmax-classifier optimizers init-and-dropout)
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" "${names[@]}" <<'PY'
import json, sys
out = sys.argv[1]
for name in sys.argv[2:]:
    notebook = json.load(open(f"Fixtures/corpus/{name}.ipynb"))
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    cells.sort(key=lambda c: c.get("execution_count") or 10**9)
    lines = []
    for cell in cells:
        for line in "".join(cell["source"]).splitlines():
            if line.lstrip().startswith(("%", "!")):
                continue
            lines.append(line)
    open(f"{out}/{name}.py", "w").write("\n".join(lines) + "\n")
PY
printf '%-26s %12s %12s %8s  %s\n' notebook "retrace/iter" "CPython/iter" ratio output
for name in "${names[@]}"; do
  script="$dir/$name.py"
  # ROUNDS alternations of the two sides (each best of 3), the best of each side kept: on a
  # shared machine the two sides then meet the same noise.
  mine=inf
  theirs=inf
  for _ in $(seq "${ROUNDS:-3}"); do
    read -r _ run iterations < <("$BENCH" time-python "$script")
    mine=$(python3 -c "import sys; print(min(float(sys.argv[1]), float(sys.argv[2])))" "$mine" "$run")
    run=$(python3 - "$script" <<'PY'
import contextlib, io, sys, time
import numpy  # imported before the clock, as a warm kernel has it
source = open(sys.argv[1]).read()
code = compile(source, sys.argv[1], "exec")
best = float("inf")
for _ in range(3):
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        exec(code, {"__name__": "__main__"})
        best = min(best, time.perf_counter() - start)
print(best)
PY
)
    theirs=$(python3 -c "import sys; print(min(float(sys.argv[1]), float(sys.argv[2])))" "$theirs" "$run")
  done
  same=$(diff <("$BENCH" run-python "$script" 2>/dev/null) <(python3 "$script" 2>/dev/null) >/dev/null \
    && echo "same" || echo "DIFFERS")
  python3 -c "
import sys
name, mine, theirs, n, same = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), max(int(sys.argv[4]), 1), sys.argv[5]
print(f'{name:<26} {mine / n * 1e6:10.2f}us {theirs / n * 1e6:10.2f}us {theirs / mine:7.2f}x  {same} ({n} iterations)')
" "$name" "$mine" "$theirs" "$iterations" "$same"
done
