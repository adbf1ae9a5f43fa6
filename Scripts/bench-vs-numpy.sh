#!/usr/bin/env bash
# Runs the same work in NumPy and in retrace, in one run on one machine, and prints a table of
# the ratios against the goals of issues #7 and #18, each marked met or not. Builds what it needs (release) and makes its inputs
# in $BENCH_DIR (default /tmp/bench) when they are missing; nothing goes into the repository.
#
# Usage: Scripts/bench-vs-numpy.sh [--skip-large]
# Environment:
#   SCRATCH      swift build scratch path (default .build)
#   BENCH_DIR    where inputs go (default /tmp/bench)
#   LARGE_EPOCHS epochs of the large log (default 800000, about 1 GB)
set -euo pipefail

cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
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
notes=()
row() { rows+=("$(printf '| %-44s | %14s | %14s | %8s | %-12s | %-4s |' "$@")"); }
meets() { python3 -c "import sys; print('yes' if float(sys.argv[1]) $2 float(sys.argv[2]) else 'NO')" "$1" "$3"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

# The best wall time of N runs of COMMAND, its output discarded (its stdin redirected from
# $STDIN_FILE when that is set, as `COMMAND < FILE` does; otherwise /dev/null).
best_of() {
  python3 -c "
import os, subprocess, sys, time
path = os.environ.get('STDIN_FILE')
best = 1e9
for _ in range(int(sys.argv[1])):
    stdin = open(path, 'rb') if path else subprocess.DEVNULL
    start = time.perf_counter()
    subprocess.run(sys.argv[2:], stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    best = min(best, time.perf_counter() - start)
    if path: stdin.close()
print(best)" "$@"
}

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

# 2. Reading printed numbers: MB/s over the same text, best of 7, against np.fromstring and
# against memcpy of the same bytes (the memory-bound limit).
ours=$(field "$(BENCH_REPEATS=7 "$BENCH" parse-numbers "$NUMBERS" | first_line)" per_second)
read -r theirs memcpy < <(numpy -c "import time, numpy as np
text = open('$NUMBERS').read()
raw = np.frombuffer(text.encode(), dtype=np.uint8)
best = copy = 1e9
for _ in range(7):
    start = time.perf_counter(); np.fromstring(text, sep=' '); best = min(best, time.perf_counter() - start)
    start = time.perf_counter(); raw.copy(); copy = min(copy, time.perf_counter() - start)
print(len(raw) / best, len(raw) / copy)" 2>/dev/null)
r=$(ratio "$ours" "$theirs")
row "read numbers vs np.fromstring (MB/s)" "$(printf '%.1f' "$(ratio "$ours" 1e6)")" \
  "$(printf '%.1f' "$(ratio "$theirs" 1e6)")" "${r}x" ">= 5x" "$(meets "$r" '>=' 5)"
notes+=("reading: $(printf '%.1f' "$(ratio "$ours" 1e6)") MB/s, $(python3 -c "print(f'{$ours / $memcpy * 100:.1f}')")% of memcpy here ($(printf '%.0f' "$(ratio "$memcpy" 1e6)") MB/s)")

# 3. Printing: str(a) of standard normals, every element printed (np.array2string with
# threshold=sys.maxsize), in process and through `retrace format` (float.hex() input, best of
# 5 runs of the binary); 1000x1000 and 10^5 values, under the default print options and under
# precision=4, suppress=True. The output is byte-identical (one case checked below; the
# printing fixtures hold the rest).
HEX_2D=$BENCH_DIR/normals-1e6.hex
[[ -s $HEX_2D ]] || numpy -c "import numpy as np
a = np.random.default_rng(0).standard_normal(10**6)
open('$HEX_2D', 'w').write(' '.join(float(x).hex() for x in a))"
numpy_print() { # N ROWS OPTIONS REPEATS -> seconds
  numpy -c "import sys, time, numpy as np
a = np.random.default_rng(0).standard_normal($1)
a = a.reshape($2, -1) if $2 else a
best = 1e9
with np.printoptions($3):
    for _ in range($4):
        start = time.perf_counter(); np.array2string(a, threshold=sys.maxsize)
        best = min(best, time.perf_counter() - start)
print(best)"
}
for case in "1000000 1000 - 1" "1000000 1000 p4 1" "100000 0 - 3" "100000 0 p4 3"; do
  read -r n height mode repeats <<< "$case"
  options=""; flags=(); label="default"
  if [[ $mode == p4 ]]; then options="precision=4, suppress=True"; flags=(p4); label="p=4 suppress"; fi
  shape=$([[ $height == 0 ]] && echo "$n" || echo "${height}x$((n / height))")
  ours=$(field "$("$BENCH" format "$n" "$height" "${flags[@]}" | first_line)" seconds)
  theirs=$(numpy_print "$n" "$height" "$options" "$repeats")
  r=$(ratio "$theirs" "$ours")
  row "print $shape ($label), in process (s)" "$(printf '%.4f' "$ours")" \
    "$(printf '%.3f' "$theirs")" "${r}x" ">= 100x" "$(meets "$r" '>=' 100)"
  notes+=("print $shape ($label): $(python3 -c "print(f'{$ours / $n * 1e9:.0f}')") ns per value in process")
  if [[ $height == 1000 ]]; then
    fmt=(--shape 1000,1000 --threshold 2000000)
    [[ $mode == p4 ]] && fmt+=(--precision 4 --suppress)
    end_to_end=$(STDIN_FILE=$HEX_2D best_of 5 "$RETRACE" format "${fmt[@]}")
    r=$(ratio "$theirs" "$end_to_end")
    row "retrace format $shape ($label), end to end (s)" "$(printf '%.4f' "$end_to_end")" \
      "$(printf '%.3f' "$theirs")" "${r}x" ">= 100x" "$(meets "$r" '>=' 100)"
  fi
done
if cmp -s <("$RETRACE" format --shape 1000,1000 --threshold 2000000 < "$HEX_2D") \
  <(numpy -c "import sys, numpy as np
print(np.array2string(np.random.default_rng(0).standard_normal((1000, 1000)), threshold=sys.maxsize))"); then
  notes+=("retrace format 1000x1000: byte-identical to np.array2string")
else
  notes+=("retrace format 1000x1000: DIFFERS from np.array2string")
fi

# 4. The seed notebook: retrace verify of it (the static binary) against python3 re-running it,
# best of 10 each (a verify takes about 10 ms, so a single scheduling hiccup would otherwise
# decide it).
ours=$(best_of 10 "$RETRACE" verify Fixtures/seed/notebook.txt)
theirs=$(best_of 10 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$SEED_PY")
r=$(ratio "$ours" "$theirs")
row "verify seed vs python3 seed.py (s)" "$(printf '%.4f' "$ours")" \
  "$(printf '%.3f' "$theirs")" "${r}x" "< 0.010 s" "$(meets "$ours" '<' 0.010)"

# 5. Verifying a long run, MB/s: the 56.7 MB bare log and a text export of the same run (the
# seed's cells, run by NumPy once and kept in $BENCH_DIR), each against reading the same file
# alone (`retrace-bench read-output`: the notebook read and every number in it parsed).
EXPORT=$BENCH_DIR/seed-42000-export.txt
if [[ ! -s $EXPORT ]]; then
  echo "making $EXPORT (NumPy runs the seed's cells for 42,000 epochs, about 40 s)..." >&2
  numpy -c "
import pathlib, sys
root = pathlib.Path('Scripts').resolve()
sys.path.insert(0, str(root))
from fixtures import notebooks
cells = notebooks.edit(notebooks.seed_cells(root.parent), [('epochs = 10', 'epochs = 42000')])
pathlib.Path(sys.argv[1]).write_text(notebooks.text_export(cells, notebooks.run(cells)))" "$EXPORT"
fi
for input in "$LOG" "$EXPORT"; do
  size=$(stat -c %s "$input")
  if [[ $input == "$LOG" ]]; then
    name="bare log"; verify_s=$(best_of 1 "$RETRACE" verify "$input" --code "$SEED_42000")
  else
    name="text export"; verify_s=$(best_of 1 "$RETRACE" verify "$input")
  fi
  read_rate=$(field "$("$BENCH" read-output "$input" | first_line)" per_second)
  verify_rate=$(ratio "$size" "$verify_s")
  row "verify 42,000 epochs, $name (MB/s)" "$(printf '%.1f' "$(ratio "$verify_rate" 1e6)")" \
    "-" "-" ">= 50 MB/s" "$(meets "$(ratio "$verify_rate" 1e6)" '>=' 50)"
  r=$(ratio "$read_rate" "$verify_rate")
  row "  vs reading alone ($(printf '%.0f' "$(ratio "$read_rate" 1e6)") MB/s)" "${r}x slower" \
    "-" "-" "<= 1.5x" "$(meets "$r" '<=' 1.5)"
done
rerun=$(best_of 1 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$SEED_42000")
notes+=("python3 re-running the 42,000 epochs: $(printf '%.1f' "$rerun") s")

# 6. The classic two-layer warm-up net (Benchmarks/notebooks/warmup-net.py): retrace replay
# against python3 running it, best of 3 each; NumPy on the Haswell kernels (retrace's default
# machine), so that every printed digit must agree, and the two outputs are compared.
WARMUP=Benchmarks/notebooks/warmup-net.py
ours=$(best_of 3 "$RETRACE" replay "$WARMUP")
theirs=$(best_of 3 env OPENBLAS_CORETYPE=Haswell python3 "$WARMUP")
r=$(ratio "$ours" "$theirs")
same=$(cmp -s <("$RETRACE" replay "$WARMUP") <(OPENBLAS_CORETYPE=Haswell python3 "$WARMUP") \
  && echo "output identical" || echo "output DIFFERS")
row "warm-up net replay vs python3 (s)" "$(printf '%.3f' "$ours")" "$(printf '%.3f' "$theirs")" \
  "${r}x" "<= 1x" "$(meets "$r" '<=' 1)"
notes+=("warm-up net: $same")

# 7. A large log (LARGE_EPOCHS epochs of the seed): peak RSS of retrace verify (streamed), and
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
printf '%s\n' "${notes[@]}"
