// The summation orders of ddot and of dgemm's small-matrix kernels in NumPy 2.4.6's bundled
// OpenBLAS 0.3.31 on a CPU where it runs its SkylakeX kernels (AVX-512: Intel Skylake-SP and
// later, AMD Zen 4 and later), written from OpenBLAS's sources (kernel/x86_64/ddot.c with
// ddot_microk_skylakex-2.c; dgemm_small_kernel_{nn,nt,tn,tt}_skylakex.c and their permit, and
// interface/gemm.c) and checked against that NumPy on an AMD EPYC with AVX-512
// (Fixtures/numpy/machines/skylakex-ddot.bin, skylakex-dgemm.bin). That build fuses the
// products of ddot.c's own tail loop (its C is compiled with FMA), unlike the Haswell build.
// Independent C, no OpenBLAS code.
//
// Modelled here: unit-stride ddot, and dgemm in the range of its small-matrix kernels; the
// other SkylakeX routines are not (dgemv is in openblas_haswell.c).

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

// MARK: - dgemm's small-matrix kernels

// One lane-split dot of the small kernels' "dot-like" blocks: lane l sums, by FMA from 0, the
// products k = l, l + 8, ... below K & ~7, then (a masked load) the product K & ~7 + l when
// there is one and 0 * 0 when not; `paired` folds the lanes as REDUCE_4 does,
// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)), otherwise as GCC's _mm512_reduce_add_pd,
// ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)). `x` and `y` are read at x[p * sx] and
// y[p * sy] for p < K.
static double lane_dot(long K, const double *x, long sx, const double *y, long sy, int paired) {
  double lane[8] = {0};
  long k8 = K & ~7L;
  long p = 0;
  for (; p < k8; p += 8) {
    for (int l = 0; l < 8; l++) lane[l] = fma(x[(p + l) * sx], y[(p + l) * sy], lane[l]);
  }
  if (p < K) {
    long remains = K - p;
    for (int l = 0; l < 8; l++) {
      double u = l < remains ? x[(p + l) * sx] : 0.0;
      double v = l < remains ? y[(p + l) * sy] : 0.0;
      lane[l] = fma(u, v, lane[l]);
    }
  }
  if (paired) {
    double s01 = lane[0] + lane[1], s23 = lane[2] + lane[3];
    double s45 = lane[4] + lane[5], s67 = lane[6] + lane[7];
    double lo = s01 + s23, hi = s45 + s67;
    return lo + hi;
  }
  double t0 = lane[0] + lane[4], t1 = lane[1] + lane[5];
  double t2 = lane[2] + lane[6], t3 = lane[3] + lane[7];
  double u0 = t0 + t2, u1 = t1 + t3;
  return u0 + u1;
}

// The FMA chain of the small kernels' vector blocks: `acc = fma(x[p], y[p], acc)` from 0.
static double chain_dot(long K, const double *x, long sx, const double *y, long sy) {
  double acc = 0.0;
  for (long p = 0; p < K; p++) acc = fma(x[p * sx], y[p * sy], acc);
  return acc;
}

int retrace_skylakex_dgemm_small_permit(long rows, long cols, long k, int a_fortran,
                                        int b_fortran) {
  // dgemm_small_kernel_permit_skylakex.c on OpenBLAS's view: M = cols, N = rows, K = k,
  // transa = b F-order, transb = a F-order.
  double mnk = (double)cols * (double)rows * (double)k;
  if (mnk > 100.0 * 100.0 * 100.0) return 0;
  if (b_fortran && !a_fortran && (cols * rows > 1200 || k < 32)) return 0;
  return 1;
}

// The small kernels (dgemm_small_kernel_b0_{nn,nt,tn,tt}_skylakex.c: alpha 1, beta 0).
static void dgemm_small(long rows, long cols, long k, const double *a, long ars, long acs,
                        const double *b, long brs, long bcs, double *c) {
  // OpenBLAS's column-major view of NumPy's row-major call: C' (M × N) = A' (M × K) B'
  // (K × N) with M = cols, N = rows, A' = b (transposed when b is F-order), B' = a
  // (transposed when a is F-order); C'(i, j) = c[j][i].
  long M = cols, N = rows, K = k;
  int transa = bcs != 1, transb = acs != 1;
  // Rows of C' from `dot_from` on are summed lane-split (NN's last M % 8 rows when there are
  // at most 4 of them and K >= 16, and every row of TN); the others (every row of NT and TT)
  // by one FMA chain, the vector blocks' order.
  long dot_from = M;
  if (!transa && !transb) {
    long m8 = M & ~7L;
    if (M - m8 > 0 && M - m8 <= 4 && K >= 16) dot_from = m8;
  } else if (transa && !transb) {
    dot_from = 0;
  }
  long m4 = M & ~3L, n4 = N & ~3L;
  for (long j = 0; j < N; j++) {
    const double *arow = a + j * ars;
    for (long i = 0; i < M; i++) {
      const double *bcol = b + i * bcs;
      double v;
      if (i < dot_from) {
        v = chain_dot(K, bcol, brs, arow, acs);
      } else {
        // Blocks of 4 rows fold every column pairwise (REDUCE_M4); the 2- and 1-row blocks
        // fold by 4 columns pairwise (REDUCE_N4) and the columns after N & ~3 by
        // _mm512_reduce_add_pd.
        int paired = i < m4 || j < n4;
        v = lane_dot(K, bcol, brs, arow, acs, paired);
      }
      c[j * cols + i] = v;
    }
  }
}

// Past the small kernels: the 16x2 kernel's FMA chains over each contraction block of
// level3.c (384 while 768 or more are left; between 385 and 767 left, floor(r / 2) rounded up
// to a multiple of 16; the rest in one), the blocks added in order. Exact for one thread when
// OpenBLAS's M (NumPy's columns) fits one 192-wide block; the tails of wider or threaded calls
// split their chains (not modelled).
static void dgemm_blocked(long rows, long cols, long k, const double *a, long ars, long acs,
                          const double *b, long brs, long bcs, double *c) {
  for (long i = 0; i < rows; i++) {
    for (long j = 0; j < cols; j++) {
      double total = 0.0;
      long p = 0, left = k;
      int first = 1;
      while (left > 0) {
        long width = left >= 768 ? 384 : left > 384 ? ((left / 2 + 15) / 16) * 16 : left;
        double acc = chain_dot(width, a + i * ars + p * acs, acs, b + p * brs + j * bcs, brs);
        total = first ? acc : total + acc;
        first = 0;
        p += width;
        left -= width;
      }
      c[i * cols + j] = total;
    }
  }
}

int retrace_skylakex_dgemm(long rows, long cols, long k, const double *a, long ars, long acs,
                           const double *b, long brs, long bcs, double *c, int syrk) {
  if (!syrk && retrace_skylakex_dgemm_small_permit(rows, cols, k, acs != 1, bcs != 1)) {
    dgemm_small(rows, cols, k, a, ars, acs, b, brs, bcs, c);
    return 1;
  }
  dgemm_blocked(rows, cols, k, a, ars, acs, b, brs, bcs, c);
  return 0;
}
