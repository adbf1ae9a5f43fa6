#!/usr/bin/env bash
# Runs the same work in NumPy and in retrace, in one run on one machine, and prints a table of
# the ratios against the goals of issue #7. Builds what it needs (release) and makes its inputs
# in $BENCH_DIR (default /tmp/bench) when they are missing; nothing goes into the repository.
#
# Usage: Scripts/bench-vs-numpy.sh [--skip-large]
# Environment:
#   SCRATCH      swift build scratch path (default .build)
#   BENCH_DIR    where inputs go (default /tmp/bench)
#   PRINT_N      values for the printing comparison (default 100000; the issue's 10^6 is
#                NumPy-quadratic: about 20 minutes for np.array2string alone)
#   LARGE_EPOCHS epochs of the large log (default 800000, about 1 GB)
set -euo pipefail

cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
PRINT_N=${PRINT_N:-100000}
LARGE_EPOCHS=${LARGE_EPOCHS:-800000}
SKIP_LARGE=0
[[ "${1:-}" == "--skip-large" ]] && SKIP_LARGE=1
mkdir -p "$BENCH_DIR"

# NumPy runs without the OpenBLAS overrides some shells set; retrace does not read them.
numpy() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$@"; }
# The lock other builds on this machine take, when there is one.
locked() { if command -v flock >/dev/null; then flock /tmp/retrace-build.lock "$@"; else "$@"; fi; }

# The release build as README.md gives it: on Linux the Swift runtime is linked statically,
# which halves process start (most of a short verify).
BUILD_FLAGS=(-c release --scratch-path "$SCRATCH")
[[ $(uname -s) == Linux ]] && BUILD_FLAGS+=(--static-swift-stdlib)
echo "building (${BUILD_FLAGS[*]})..." >&2
locked swift build "${BUILD_FLAGS[@]}" >&2
BIN=$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)
RETRACE=$BIN/retrace
BENCH=$BIN/retrace-bench

field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
first_line() { head -n 1; }

# Inputs: a 42,000-epoch log of the seed (what NumPy prints; byte-identical to
# Scripts/make-large-log.py 42000) and its printed numbers, space-separated.
LOG=$BENCH_DIR/seed-50mb.log
NUMBERS=$BENCH_DIR/seed-50mb.numbers
# The seed's code as one script, run for N epochs (what `retrace replay` and a log's --code take).
seed_script() {
  python3 - "$1" "$2" <<'EOF'
import pathlib, sys
root = pathlib.Path("Scripts").resolve()
sys.path.insert(0, str(root))
from fixtures import notebooks
cells = notebooks.edit(notebooks.seed_cells(root.parent), [("epochs = 10", f"epochs = {sys.argv[1]}")])
pathlib.Path(sys.argv[2]).write_text("\n\n".join(code for _, code in cells) + "\n")
EOF
}
SEED_42000=$BENCH_DIR/seed-42000.py
[[ -s $SEED_42000 ]] || seed_script 42000 "$SEED_42000"
if [[ ! -s $LOG ]]; then
  echo "making $LOG..." >&2
  "$RETRACE" replay "$SEED_42000" > "$LOG.tmp" && mv "$LOG.tmp" "$LOG"
fi
if [[ ! -s $NUMBERS ]]; then
  echo "making $NUMBERS..." >&2
  python3 - "$LOG" "$NUMBERS" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
groups = re.findall(r"\[([^\[\]]*)\]", text)
open(sys.argv[2], "w").write(" ".join(" ".join(g.split()) for g in groups))
EOF
fi
SEED_PY=$BENCH_DIR/seed-notebook.py
if [[ ! -s $SEED_PY ]]; then
  python3 - "$SEED_PY" <<'EOF'
import pathlib, sys
root = pathlib.Path("Scripts").resolve()
sys.path.insert(0, str(root))
from fixtures import notebooks
cells = notebooks.seed_cells(root.parent)
pathlib.Path(sys.argv[1]).write_text("\n\n".join(code for _, code in cells) + "\n")
EOF
fi

rows=()
row() { rows+=("$(printf '| %-44s | %14s | %14s | %8s | %-12s | %-4s |' "$@")"); }
meets() { python3 -c "import sys; print('yes' if float(sys.argv[1]) $2 float(sys.argv[2]) else 'NO')" "$1" "$3"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

# 1. Random: values per second, seeding included, best of 3.
for kind in randn standard-normal; do
  ours=$(field "$("$BENCH" $kind 10000000)" per_second)
  if [[ $kind == randn ]]; then
    stmt="np.random.seed(0); np.random.randn(10**7)"
    goal=1.25
  else
    stmt="np.random.default_rng(0).standard_normal(10**7)"
    goal=1.0
  fi
  theirs=$(numpy -c "import timeit, numpy as np
print(10**7 / min(timeit.repeat('$stmt', globals=globals(), number=1, repeat=3)))")
  r=$(ratio "$ours" "$theirs")
  row "$kind 10^7 (values/s)" "$(printf '%.3g' "$ours")" "$(printf '%.3g' "$theirs")" "${r}x" \
    ">= ${goal}x" "$(meets "$r" '>=' $goal)"
done

# 2. Reading printed numbers: MB/s over the same text, best of 3.
ours=$(field "$("$BENCH" parse-numbers "$NUMBERS" | first_line)" per_second)
theirs=$(numpy -c "import time, numpy as np
text = open('$NUMBERS').read()
best = 1e9
for _ in range(3):
    start = time.perf_counter(); np.fromstring(text, sep=' '); best = min(best, time.perf_counter() - start)
print(len(text.encode()) / best)" 2>/dev/null)
r=$(ratio "$ours" "$theirs")
row "read numbers vs np.fromstring (MB/s)" "$(printf '%.1f' "$(ratio "$ours" 1e6)")" \
  "$(printf '%.1f' "$(ratio "$theirs" 1e6)")" "${r}x" ">= 3x" "$(meets "$r" '>=' 3)"

# 3. Printing: values per second for str(a) of PRINT_N values, every element printed.
ours=$(field "$("$BENCH" format "$PRINT_N" | first_line)" per_second)
theirs=$(numpy -c "import sys, time, numpy as np
a = np.random.default_rng(0).standard_normal($PRINT_N)
best = 1e9
for _ in range(1 if $PRINT_N > 100000 else 3):
    start = time.perf_counter(); np.array2string(a, threshold=sys.maxsize)
    best = min(best, time.perf_counter() - start)
print($PRINT_N / best)")
r=$(ratio "$ours" "$theirs")
if ((PRINT_N >= 1000000)); then
  row "print $PRINT_N values vs np.array2string" "$(printf '%.3g' "$ours")" \
    "$(printf '%.3g' "$theirs")" "${r}x" ">= 100x" "$(meets "$r" '>=' 100)"
else
  # The goal is set at 10^6 values, where np.array2string takes about 20 minutes; a smaller
  # PRINT_N reports its ratio against the same bar, marked as not the goal's size.
  row "print $PRINT_N values vs np.array2string" "$(printf '%.3g' "$ours")" \
    "$(printf '%.3g' "$theirs")" "${r}x" ">= 100x@10^6" "$(meets "$r" '>=' 100) (n<10^6)"
fi

# 4. The seed notebook: python3 re-running it against retrace verify of it, best of 10 each
# (a verify takes about 10 ms, so a single scheduling hiccup would otherwise decide it).
best_of_10() {
  python3 - "$@" <<'EOF'
import subprocess, sys, time
best = 1e9
for _ in range(10):
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    best = min(best, time.perf_counter() - start)
print(best)
EOF
}
ours=$(best_of_10 "$RETRACE" verify Fixtures/seed/notebook.txt)
theirs=$(best_of_10 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$SEED_PY")
r=$(ratio "$ours" "$theirs")
row "verify seed vs python3 seed.py (seconds)" "$(printf '%.3f' "$ours")" \
  "$(printf '%.3f' "$theirs")" "${r}x" "<= 0.1x" "$(meets "$r" '<=' 0.1)"

# 5. A large log (LARGE_EPOCHS epochs of the seed): peak RSS of retrace verify (streamed), and
# its throughput against the replay alone (printing what the log holds, not matching it).
if [[ $SKIP_LARGE == 0 ]]; then
  LARGE=$BENCH_DIR/seed-large-$LARGE_EPOCHS.log
  [[ $LARGE_EPOCHS == 800000 ]] && LARGE=$BENCH_DIR/seed-1gb.log
  if [[ ! -s $LARGE ]]; then
    echo "making $LARGE (retrace replay; byte-identical to NumPy's output)..." >&2
    seed_script "$LARGE_EPOCHS" "$BENCH_DIR/seed-$LARGE_EPOCHS.py"
    "$RETRACE" replay "$BENCH_DIR/seed-$LARGE_EPOCHS.py" > "$LARGE.tmp" && mv "$LARGE.tmp" "$LARGE"
  fi
  [[ -s $BENCH_DIR/seed-$LARGE_EPOCHS.py ]] || seed_script "$LARGE_EPOCHS" "$BENCH_DIR/seed-$LARGE_EPOCHS.py"
  size=$(stat -c %s "$LARGE")
  /usr/bin/time -v "$RETRACE" verify "$LARGE" --code "$BENCH_DIR/seed-$LARGE_EPOCHS.py" \
    > "$BENCH_DIR/large-verify.out" \
    2> "$BENCH_DIR/large-verify.time" || true
  rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' \
    "$BENCH_DIR/large-verify.time")
  wall=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$BENCH_DIR/large-verify.time" | python3 -c "
import sys
parts = [float(p) for p in sys.stdin.read().strip().split(':')]
print(sum(p * 60 ** i for i, p in enumerate(reversed(parts))))")
  verify_rate=$(ratio "$size" "$wall")
  # Replay alone: the same code printed to /dev/null (what the log holds), without matching.
  t0=$(date +%s.%N); "$RETRACE" replay "$BENCH_DIR/seed-$LARGE_EPOCHS.py" > /dev/null; t1=$(date +%s.%N)
  parse_rate=$(python3 -c "print($size / ($t1 - $t0))")
  row "$(printf 'verify %.2f GB log: peak RSS (MB)' "$(ratio "$size" 1e9)")" \
    "$(ratio "$rss_kb" 1024)" "-" "-" "< 100 MB" "$(meets "$(ratio "$rss_kb" 1024)" '<' 100)"
  r=$(ratio "$parse_rate" "$verify_rate")
  row "verify vs replay alone, large log (MB/s)" "$(printf '%.1f' "$(ratio "$verify_rate" 1e6)")" \
    "$(printf '%.1f replay' "$(ratio "$parse_rate" 1e6)")" "${r}x" "<= 2x slower" \
    "$(meets "$r" '<=' 2)"
  head -n 2 "$BENCH_DIR/large-verify.out" >&2
fi

python3 -c "import numpy, platform; print(f'NumPy {numpy.__version__}, Python {platform.python_version()}, $(nproc) cores')"
printf '| %-44s | %14s | %14s | %8s | %-12s | %-4s |\n' workload retrace NumPy ratio goal met
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "$(printf -- '-%.0s' {1..16})" \
  "$(printf -- '-%.0s' {1..16})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..14})" \
  "$(printf -- '-%.0s' {1..6})"
printf '%s\n' "${rows[@]}"
