#!/usr/bin/env python3
"""Bit-for-bit check of Sources/CNumKernels/numpy_tanh.c against this machine's np.tanh.

    python3 Scripts/check-numpy-tanh.py [--count N] [--seed S]

Compiles numpy_tanh.c (with a small array loop) into shared libraries under /tmp with
`cc -O2 -shared -fPIC` (and, as a second build, the same plus `-mfma`, so the fused steps are
vfmadd instructions instead of calls to libm's fma), calls them through ctypes over NumPy
arrays and compares the bit patterns with `np.tanh` on the same inputs: uniform in [-20, 20],
uniform in [-1, 1], log-uniform magnitudes in [1e-300, 1e3] with both signs, random bit
patterns, and edge values (signed zeros, infinities, NaNs, subnormals, powers of two, the
interval boundaries and midpoints of the kernel, the saturation threshold, and their
neighbours). Prints how many differ and the first few differences.

It also checks that np.tanh gives the same bits on arrays of length 1, 3 and 7 (partial
vectors), on strided views and on NumPy scalars as on one long contiguous array.

NumPy's float64 tanh is its own vector kernel only on CPUs where the build's AVX2+FMA (or
AVX-512) target is chosen; elsewhere it is libm's tanh and this check is expected to fail.
Exit status 0 when nothing differs.
"""
import argparse
import ctypes
import os
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "Sources" / "CNumKernels" / "numpy_tanh.c"
INCLUDE = ROOT / "Sources" / "CNumKernels" / "include"

LOOP_C = r"""
#include "numpy_tanh.h"
void check_tanh_loop(const double *x, double *y, long n) {
    for (long i = 0; i < n; i++) {
        y[i] = retrace_numpy_tanh(x[i]);
    }
}
"""

BUILDS = {
    "cc -O2": ["-O2"],
    "cc -O2 -mfma": ["-O2", "-mfma"],
}


def build(workdir, name, flags):
    loop = pathlib.Path(workdir) / "loop.c"
    loop.write_text(LOOP_C)
    lib = pathlib.Path(workdir) / ("libnumpy_tanh_%s.so" % name)
    cmd = ["cc", *flags, "-shared", "-fPIC", "-I", str(INCLUDE), str(SOURCE), str(loop),
           "-o", str(lib), "-lm"]
    subprocess.run(cmd, check=True)
    so = ctypes.CDLL(str(lib))
    fn = so.check_tanh_loop
    fn.restype = None
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
    return fn


def run(fn, x):
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.empty_like(x)
    fn(x.ctypes.data, y.ctypes.data, x.size)
    return y


def from_bits(u):
    return np.asarray(u, dtype=np.uint64).view(np.float64)


def neighbours(values, k):
    """Each value and its k nearest doubles on either side."""
    values = np.asarray(values, dtype=np.float64)
    out = [values]
    up, down = values.copy(), values.copy()
    with np.errstate(all="ignore"):
        for _ in range(k):
            up = np.nextafter(up, np.inf)
            down = np.nextafter(down, -np.inf)
            out += [up, down]
    return np.concatenate(out)


def edge_inputs():
    specials = [0.0, np.inf, np.nan, 5e-324, 2.2250738585072014e-308, 2.2250738585072009e-308,
                np.finfo(np.float64).max, 1.0, 0.5]
    nan_bits = [0x7ff8000000000000, 0xfff8000000000000, 0x7ff0000000000001,
                0xfff0000000000001, 0x7ff4000000000000, 0x7fffffffffffffff, 0xffffffffffffffff,
                0x7ff8000000000123, 0xfff0000000000123]
    # The kernel's interval boundaries are the half-binades 2^e and 1.5 * 2^e; its interval
    # midpoints are 0.21875, 0.3125, ..., 20; it saturates at 1.5 * 2^1023.
    halves = [m * 2.0 ** e for e in range(-1074, 1024) for m in (1.0, 1.5)]
    mids = [1.75 * 2.0 ** -3] + [1.25 * 2.0 ** e for e in range(-2, 5)] + \
           [1.75 * 2.0 ** e for e in range(-2, 4)]
    rng = np.random.default_rng(12345)
    subnormals = from_bits(rng.integers(1, 1 << 52, size=20000, dtype=np.uint64))
    # Dense sweeps around every boundary of the tables' range (0.1875 ... 24).
    sweep = []
    for e in range(-3, 5):
        for m in (1.0, 1.5):
            sweep.append(neighbours([m * 2.0 ** e], 2000))
    base = np.concatenate([
        np.array(specials, dtype=np.float64),
        neighbours(halves, 3),
        neighbours(mids, 50),
        subnormals,
        *sweep,
    ])
    with np.errstate(all="ignore"):
        both = np.concatenate([base, -base])
    return np.concatenate([both, from_bits(nan_bits)])


def inputs(count, seed):
    rng = np.random.default_rng(seed)
    groups = {
        "uniform [-20, 20]": rng.uniform(-20.0, 20.0, count),
        "uniform [-1, 1]": rng.uniform(-1.0, 1.0, count),
        "log-uniform 1e-300..1e3, both signs":
            np.exp(rng.uniform(np.log(1e-300), np.log(1e3), count))
            * rng.choice([-1.0, 1.0], count),
        "random bit patterns": from_bits(rng.integers(0, 2 ** 64, size=count, dtype=np.uint64,
                                                      endpoint=False)),
        "edges and neighbours": edge_inputs(),
    }
    return groups


def hexbits(v):
    return "0x%016x" % int(np.asarray(v, dtype=np.float64).view(np.uint64))


def compare(name, x, got, want, shown=8):
    gb, wb = got.view(np.uint64), want.view(np.uint64)
    bad = np.nonzero(gb != wb)[0]
    print("  %-40s %9d inputs, %d differ" % (name, x.size, bad.size))
    for i in bad[:shown]:
        print("    x=%r (%s): ours=%r (%s) numpy=%r (%s)" % (
            float(x[i]), hexbits(x[i]), float(got[i]), hexbits(got[i]),
            float(want[i]), hexbits(want[i])))
    return bad.size


def check_partial_vectors(x):
    """np.tanh on short arrays, strided views and scalars must match one long array."""
    with np.errstate(all="ignore"):
        long_result = np.tanh(x)
    lb = long_result.view(np.uint64)
    failures = 0
    n = x.size
    for length in (1, 3, 7):
        usable = n - n % length
        pieces = np.empty(usable, dtype=np.float64)
        with np.errstate(all="ignore"):
            for start in range(0, usable, length):
                pieces[start:start + length] = np.tanh(x[start:start + length].copy())
        bad = int(np.count_nonzero(pieces.view(np.uint64) != lb[:usable]))
        print("  arrays of length %d: %d inputs, %d differ from the long array" %
              (length, usable, bad))
        failures += bad
    # A non-contiguous input (stride 2) and an output written through a strided view.
    doubled = np.empty(2 * n, dtype=np.float64)
    doubled[::2] = x
    doubled[1::2] = 0.0
    with np.errstate(all="ignore"):
        strided = np.tanh(doubled[::2])
    bad = int(np.count_nonzero(strided.view(np.uint64) != lb))
    print("  strided input view: %d inputs, %d differ" % (n, bad))
    failures += bad
    out = np.zeros(2 * n, dtype=np.float64)
    with np.errstate(all="ignore"):
        np.tanh(x, out=out[::2])
    bad = int(np.count_nonzero(out[::2].view(np.uint64) != lb))
    print("  strided output view: %d inputs, %d differ" % (n, bad))
    failures += bad
    m = min(n, 20000)
    with np.errstate(all="ignore"):
        scal = np.array([np.tanh(np.float64(v)) for v in x[:m]], dtype=np.float64)
    bad = int(np.count_nonzero(scal.view(np.uint64) != lb[:m]))
    print("  np.float64 scalars: %d inputs, %d differ" % (m, bad))
    failures += bad
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=300000,
                        help="inputs in each random group (default 300000)")
    parser.add_argument("--seed", type=int, default=20260521)
    args = parser.parse_args()

    print("numpy", np.__version__)
    groups = inputs(args.count, args.seed)
    total = sum(v.size for v in groups.values())
    failures = 0
    with tempfile.TemporaryDirectory(prefix="retrace-numpy-tanh-", dir="/tmp") as work:
        for bname, flags in BUILDS.items():
            fn = build(work, "%d" % len(flags), flags)
            print("build: %s -shared -fPIC" % bname)
            differ = 0
            for gname, x in groups.items():
                with np.errstate(all="ignore"):
                    want = np.tanh(x)
                got = run(fn, x)
                differ += compare(gname, x, got, want)
            print("  total: %d inputs, %d differ" % (total, differ))
            failures += differ

    print("partial vectors, strides and scalars:")
    sample = np.concatenate([v[:40000] for v in groups.values()])
    failures += check_partial_vectors(sample)

    print("OK" if failures == 0 else "FAILED: %d differences" % failures)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
