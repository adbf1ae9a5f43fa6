#!/usr/bin/env python3
"""Bit-for-bit check of Sources/CNumKernels/svml_log.c (`retrace_svml_log`) on a CPU with AVX-512.

    python3 Scripts/check-svml-log.py [--count N]

`retrace_svml_log` describes Intel SVML's `__svml_log8_ha`, which NumPy 2.4.6 runs for float64
`np.log` on Linux x86-64 when the CPU has AVX-512. Its argument reduction rounds the CPU's
`vrcp14pd` reciprocal of the mantissa to a multiple of 1/32; svml_log.c holds the 16 mantissa
fractions (top 16 bits) where that rounded value steps down, as measured on an AMD EPYC. The
script:

 1. compiles a probe with AVX-512 intrinsics and measures, over all 65,536 top-16-bit fractions
    (low bits zero, all ones, and random), where rndscale(rcp14(m), 1/32) steps; checks it is
    monotonic, independent of the low 36 bits, and equal to `rcp_steps` in svml_log.c;
 2. compiles svml_log.c into a shared library (`cc -O2` and `cc -O2 -mfma`) and compares its
    bits with `np.log` on random inputs (uniform, log-uniform over the whole positive range,
    random bit patterns including negatives and NaNs) and the edge values.

Needs a C compiler, NumPy and an AVX-512 CPU; prints what differs and exits 1 if anything does.
"""
import argparse
import ctypes
import pathlib
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "Sources" / "CNumKernels" / "svml_log.c"
INCLUDE = ROOT / "Sources" / "CNumKernels" / "include"

PROBE = r"""
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
static double d(uint64_t b) { double x; memcpy(&x, &b, 8); return x; }
__attribute__((target("avx512f"))) static double rounded(double m) {
  __m512d v = _mm512_rcp14_pd(_mm512_set1_pd(m));
  return _mm512_cvtsd_f64(_mm512_roundscale_pd(v, 0x58));
}
int main(void) {
  double previous = -1; int bad = 0;
  srand(1);
  for (uint64_t p = 0; p < 65536; p++) {
    uint64_t b = 0x3FF0000000000000ULL | (p << 36);
    double r = rounded(d(b));
    if (rounded(d(b | ((1ULL << 36) - 1))) != r) bad++;
    for (int t = 0; t < 16; t++) {
      uint64_t low = (((uint64_t)rand() << 31) ^ (uint64_t)rand()) & ((1ULL << 36) - 1);
      if (rounded(d(b | low)) != r) bad++;
    }
    if (previous >= 0 && r > previous) bad++;
    if (previous >= 0 && r != previous) printf("%llu\n", (unsigned long long)p);
    previous = r;
  }
  printf("bad %d\n", bad);
  return 0;
}
"""


def compile_probe(directory):
    source = directory / "probe.c"
    source.write_text(PROBE)
    binary = directory / "probe"
    subprocess.run(["cc", "-O2", "-o", str(binary), str(source)], check=True)
    return subprocess.run([str(binary)], capture_output=True, text=True, check=True).stdout


def library(directory, flags):
    path = directory / f"log{len(flags)}.so"
    subprocess.run(["cc", "-O2", *flags, "-shared", "-fPIC", f"-I{INCLUDE}", "-o", str(path),
                    str(SOURCE), "-lm"], check=True)
    lib = ctypes.CDLL(str(path))
    lib.retrace_svml_log.restype = ctypes.c_double
    lib.retrace_svml_log.argtypes = [ctypes.c_double]
    return lib


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200_000)
    args = parser.parse_args()
    from numpy._core._multiarray_umath import __cpu_features__
    if not __cpu_features__.get("AVX512_SKX"):
        sys.exit("check-svml-log: this CPU has no AVX-512, so np.log is not SVML's here")
    failures = 0
    with tempfile.TemporaryDirectory() as name:
        directory = pathlib.Path(name)
        lines = compile_probe(directory).split()
        steps = [int(x) for x in lines[:-2]]
        assert lines[-2] == "bad"
        if int(lines[-1]) != 0:
            print("vrcp14pd's rounded value is not monotonic or depends on low bits")
            failures += 1
        table = re.search(r"rcp_steps\[16\] = \{([^}]*)\}", SOURCE.read_text())
        committed = [int(x) for x in table.group(1).replace(",", " ").split()]
        print(f"vrcp14pd steps measured here: {steps}")
        if steps != committed:
            print(f"svml_log.c has {committed}")
            failures += 1
        rng = np.random.default_rng(2026)
        n = args.count
        x = np.concatenate([
            rng.uniform(0, 3, n), 10.0 ** rng.uniform(-323, 308, n), rng.uniform(0.5, 2, n),
            np.frombuffer(rng.integers(0, 2**64 - 1, n, dtype=np.uint64).tobytes(), np.float64),
            np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, 5e-324, -5e-324, 1.0, 2.0,
                      0.5, 0.75, 1.5, 4 / 3, 2.2250738585072014e-308, 1.7976931348623157e308])])
        with np.errstate(all="ignore"):
            want = np.log(x).view(np.uint64)
        for flags in ([], ["-mfma"]):
            lib = library(directory, flags)
            got = np.array([lib.retrace_svml_log(float(v)) for v in x]).view(np.uint64)
            differ = np.nonzero(got != want)[0]
            print(f"cc -O2 {' '.join(flags)}: {len(x)} inputs, {len(differ)} differ from np.log")
            for i in differ[:10]:
                print(f"  x={x[i]!r}: np.log {want[i]:#018x}, svml_log.c {got[i]:#018x}")
            failures += len(differ) > 0
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
