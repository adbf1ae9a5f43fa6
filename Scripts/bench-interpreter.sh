#!/usr/bin/env bash
# Runs the same pure-Python programs with retrace's interpreter and with CPython 3.11, in one
# run, and prints seconds and the ratio. The programs are the loops of
# Fixtures/interpreter/pure-python.ipynb's kind, scaled up (NumPy is not modelled yet, so the
# issue's training-loop benchmark waits for the np module).
#
# Usage: Scripts/bench-interpreter.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/build-bench.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/gradient.py" <<'PY'
w, lr = 0.0, 0.01
xs = [i / 100 for i in range(100)]
ys = [3.0 * x + 0.5 for x in xs]
for step in range(2000):
    grad = 0.0
    for x, y in zip(xs, ys):
        grad += 2 * (w * x - y) * x
    w -= lr * grad / len(xs)
print(round(w, 6))
PY
cat > "$dir/perceptron.py" <<'PY'
class Perceptron:
    def __init__(self, n):
        self.w = [0.0] * n
        self.b = 0.0
    def predict(self, x):
        s = self.b
        for wi, xi in zip(self.w, x):
            s += wi * xi
        return 1 if s > 0 else 0
    def fit(self, data, epochs):
        for _ in range(epochs):
            for x, t in data:
                e = t - self.predict(x)
                if e:
                    self.w = [wi + 0.1 * e * xi for wi, xi in zip(self.w, x)]
                    self.b += 0.1 * e
data = [((a, b), a and b) for a in (0, 1) for b in (0, 1)] * 50
p = Perceptron(2)
p.fit(data, 200)
print(p.w, p.b)
PY
cat > "$dir/strings.py" <<'PY'
lines = []
for i in range(20000):
    lines.append(f"{i:>6} {i * 0.5:.3f} {str(i)[::-1]}")
print(len(" ".join(lines)), lines[-1])
PY
for program in gradient perceptron strings; do
  mine=$(python3 - "$BENCH" "$dir/$program.py" <<'PY'
import subprocess, sys, time
best = min(
    (lambda s: (subprocess.run([sys.argv[1], "run-python", sys.argv[2]], check=True,
                               capture_output=True), time.perf_counter() - s)[1])(time.perf_counter())
    for _ in range(3))
print(best)
PY
)
  theirs=$(python3 - "$dir/$program.py" <<'PY'
import subprocess, sys, time
best = min(
    (lambda s: (subprocess.run([sys.executable, sys.argv[1]], check=True, capture_output=True),
                time.perf_counter() - s)[1])(time.perf_counter())
    for _ in range(3))
print(best)
PY
)
  same=$(diff <("$BENCH" run-python "$dir/$program.py") <(python3 "$dir/$program.py") >/dev/null && echo "same output" || echo "OUTPUT DIFFERS")
  python3 -c "import sys; m, t = float(sys.argv[2]), float(sys.argv[3]); print(f'{sys.argv[1]:>10}: retrace {m:.3f} s, CPython {t:.3f} s, ratio {t / m:.2f}x ({sys.argv[4]})')" "$program" "$mine" "$theirs" "$same"
done
