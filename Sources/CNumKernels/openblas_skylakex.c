// The summation order of ddot in NumPy 2.4.6's bundled OpenBLAS 0.3.31 on a CPU where it runs
// its SkylakeX kernels (AVX-512: Intel Skylake-SP and later, AMD Zen 4 and later), written from
// OpenBLAS's sources (kernel/x86_64/ddot.c with ddot_microk_skylakex-2.c) and checked against
// that NumPy on an AMD EPYC with AVX-512 (Fixtures/numpy/machines/skylakex-ddot.bin). That
// build fuses the products of ddot.c's own tail loop (its C is compiled with FMA), unlike the
// Haswell build. Independent C, no OpenBLAS code.
//
// Only unit-stride ddot is modelled here; the other SkylakeX routines are not.

#pragma STDC FP_CONTRACT OFF

#include "openblas_skylakex.h"

#include <math.h>

static long ceil_div(long a, long b) { return (a + b - 1) / b; }

// ddot.c's dot_compute with unit strides and the SkylakeX kernel: the first n & -16 products
// go to the kernel, which sums the first (n & -16) & -32 of them in four 8-lane accumulators
// (element i in register (i / 8) % 4, lane i % 8, one FMA each), folds each register to four
// lanes (lane l + lane l + 4), sums the rest of the kernel's products 16 at a time in four
// 4-lane accumulators (element i in register (i / 4) % 4, lane i % 4), adds the four registers
// lane by lane ((r0 + r1) + r2) + r3, then the lanes as (l0 + l2) + (l1 + l3); the products
// after n & -16 are added one by one with FMA.
static double ddot_unit(long n, const double *x, const double *y) {
  double dot = 0.0;
  if (n <= 0) return dot;
  long n1 = n & -16;
  if (n1 > 0) {
    long n32 = n1 & ~31L;
    double z[4][8] = {{0}};
    long i = 0;
    for (; i < n32; i += 32) {
      for (int r = 0; r < 4; r++) {
        for (int l = 0; l < 8; l++) z[r][l] = fma(x[i + 8 * r + l], y[i + 8 * r + l], z[r][l]);
      }
    }
    double acc[4][4];
    for (int r = 0; r < 4; r++) {
      for (int l = 0; l < 4; l++) acc[r][l] = z[r][l] + z[r][l + 4];
    }
    for (; i < n1; i += 16) {
      for (int r = 0; r < 4; r++) {
        for (int l = 0; l < 4; l++) acc[r][l] = fma(x[i + 4 * r + l], y[i + 4 * r + l], acc[r][l]);
      }
    }
    double v[4];
    for (int l = 0; l < 4; l++) {
      double s01 = acc[0][l] + acc[1][l];
      double s012 = s01 + acc[2][l];
      v[l] = s012 + acc[3][l];
    }
    double h0 = v[0] + v[2];
    double h1 = v[1] + v[3];
    dot = h0 + h1;
  }
  for (long i = n1; i < n; i++) dot = fma(y[i], x[i], dot);
  return dot;
}

// ddot.c with SMP (as in the Haswell build): more than 10000 elements are cut into `threads`
// consecutive pieces, the first ceil(n / threads) long, whose sums are added in order to 0;
// NumPy's DOUBLE_dot adds the result to 0.
double retrace_skylakex_ddot(long n, const double *x, const double *y, int threads) {
  double dot = 0.0;
  if (n <= 10000 || threads <= 1) {
    dot = ddot_unit(n, x, y);
  } else {
    long left = n, start = 0;
    for (int t = 0; left > 0; t++) {
      long width = ceil_div(left, threads - t);
      left -= width;
      if (left < 0) width += left;
      double part = ddot_unit(width, x + start, y + start);
      dot = dot + part;
      start += width;
    }
  }
  double sum = 0.0;
  return sum + dot;
}
