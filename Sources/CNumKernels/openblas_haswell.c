// The summation orders of NumPy 2.4.6's bundled OpenBLAS 0.3.31 (libscipy_openblas64_) on a
// CPU where it runs its Haswell kernels (AVX2 + FMA without AVX-512: Intel Haswell to Comet
// Lake, AMD Zen), written from OpenBLAS's sources (kernel/x86_64/ddot.c,
// ddot_microk_haswell-2.c, dgemv_t_4.c, dgemv_t_microk_haswell-4.c, dgemv_n_4.c,
// dgemv_n_microk_haswell-4.c, dgemm_kernel_4x8_haswell.S, driver/level3/level3.c,
// level3_thread.c, level3_syrk.c, syrk_kernel.c, driver/level2/gemv_thread.c,
// driver/others/blas_l1_thread.c, interface/gemm.c, gemv.c, syrk.c) and from the machine code
// of that library where the two differ (which C loops are compiled with fused multiply-adds;
// the 0.3.31 thread partition of dgemm and its run-time parameters). Independent C, no
// OpenBLAS code.
//
// Checked against NumPy 2.4.6 on an AMD EPYC (Zen 3) with 1 and 2 OpenBLAS threads: every
// output bit of ddot for n = 1 ... 300 and up to 10^6 (unit and non-unit strides), dgemv_t and
// dgemv_n for every shape from 2x2 to 40x40 and up to 200000x3 / 3x200000 (with and without
// the threaded splits), dgemm for every shape from 2x1x2 to 20x20x20, contraction lengths
// 255 ... 1025 and 1800 random shapes up to 160x1400x160, 256x1000x256, dsyrk (a @ a.T,
// a.T @ a) up to 301x1000: 0 differing bits.
//
// Products and sums are exactly the operations written: every `fma` is a fused multiply-add
// (the kernels' vfmadd), every `a * b` and `a + b` one rounding. The file is compiled with
// contraction off so that the compiler does not fuse the others.

#pragma STDC FP_CONTRACT OFF

#include "openblas_haswell.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// The run-time parameters of the Haswell table of that build (gotoblas_HASWELL): dgemm's P,
// Q and R blocking, its M unroll, the thread partition's switch ratio and preferred size.
enum { GEMM_P = 512, GEMM_Q = 256, GEMM_R = 15856, SWITCH_RATIO = 8, PREFERRED = 8 };

static long ceil_div(long a, long b) { return (a + b - 1) / b; }

// MARK: - ddot

// ddot.c's dot_compute. Unit strides: the assembly kernel over the first n & -16 products in
// 16 FMA lanes (element i in lane i % 16, four ymm registers of four), reduced as
// per register (l0 + l2, l1 + l3), then registers (r0 + r1) + (r2 + r3), then the two halves
// added; the remaining products added one by one, each rounded. Other strides: two sums,
// `t1 += p0 + p2; t2 += p1 + p3` per group of four (rounded products), the rest into t1,
// then t1 + t2.
static inline __attribute__((always_inline)) double ddot_compute(long n, const double *x, long incx, const double *y, long incy) {
  double dot = 0.0;
  if (n <= 0) return dot;
  if (incx == 1 && incy == 1) {
    long n1 = n & -16;
    if (n1 > 0) {
      double acc[16] = {0};
      for (long i = 0; i < n1; i += 16) {
        for (int l = 0; l < 16; l++) acc[l] = fma(x[i + l], y[i + l], acc[l]);
      }
      double half[2];
      for (int h = 0; h < 2; h++) {
        double r0 = acc[h] + acc[2 + h];
        double r1 = acc[4 + h] + acc[6 + h];
        double r2 = acc[8 + h] + acc[10 + h];
        double r3 = acc[12 + h] + acc[14 + h];
        double s01 = r0 + r1;
        double s23 = r2 + r3;
        half[h] = s01 + s23;
      }
      dot = half[0] + half[1];
    }
    for (long i = n1; i < n; i++) {
      double p = y[i] * x[i];
      dot = dot + p;
    }
    return dot;
  }
  double t1 = 0.0, t2 = 0.0;
  long i = 0, n1 = n & -4;
  const double *xp = x, *yp = y;
  for (; i < n1; i += 4) {
    double p0 = yp[0] * xp[0];
    double p1 = yp[incy] * xp[incx];
    double p2 = yp[2 * incy] * xp[2 * incx];
    double p3 = yp[3 * incy] * xp[3 * incx];
    double even = p0 + p2;
    double odd = p1 + p3;
    t1 = t1 + even;
    t2 = t2 + odd;
    xp += 4 * incx;
    yp += 4 * incy;
  }
  for (; i < n; i++) {
    double p = yp[0] * xp[0];
    t1 = t1 + p;
    xp += incx;
    yp += incy;
  }
  return t1 + t2;
}

// ddot.c with SMP: more than 10000 elements (and no zero stride) are cut into `threads`
// consecutive pieces, the first ceil(n / threads) long (then ceil of the rest over the threads
// left), whose sums are added in order to 0. NumPy's DOUBLE_dot adds the result to 0.
__attribute__((target_clones("fma", "default")))
double retrace_haswell_ddot(long n, const double *x, long incx, const double *y, long incy,
                            int threads) {
  double dot = 0.0;
  if (incx == 0 || incy == 0 || n <= 10000 || threads <= 1) {
    dot = ddot_compute(n, x, incx, y, incy);
  } else {
    long left = n, start = 0;
    for (int t = 0; left > 0; t++) {
      long width = ceil_div(left, threads - t);
      left -= width;
      if (left < 0) width += left;
      double part = ddot_compute(width, x + start * incx, incx, y + start * incy, incy);
      dot = dot + part;
      start += width;
    }
  }
  double sum = 0.0;
  return sum + dot;
}

// MARK: - dgemv_t

// One output of dgemv_t's row block `rows` long (column `col`, x from its first row):
// the AVX2 kernel (four FMA lanes by row % 4, then (l0 + l2) + (l1 + l3)) for the columns of
// the first n & -4, the SSE two-lane kernel (no FMA; even + odd) for the next two when n & 2,
// the SSE four-lane kernel (no FMA; (l0 + l2) + (l1 + l3)) for the last when n & 1.
static inline __attribute__((always_inline)) double gemv_t_block(int kernel, const double *col, const double *x, long incx,
                           long rows) {
  if (kernel == 4) {
    double l[4] = {0, 0, 0, 0};
    for (long i = 0; i < rows; i += 4) {
      for (int q = 0; q < 4; q++) l[q] = fma(col[i + q], x[(i + q) * incx], l[q]);
    }
    double lo = l[0] + l[2];
    double hi = l[1] + l[3];
    return lo + hi;
  }
  if (kernel == 2) {
    double l[2] = {0, 0};
    for (long i = 0; i < rows; i += 2) {
      for (int q = 0; q < 2; q++) {
        double p = col[i + q] * x[(i + q) * incx];
        l[q] = l[q] + p;
      }
    }
    return l[0] + l[1];
  }
  double l[4] = {0, 0, 0, 0};
  for (long i = 0; i < rows; i += 4) {
    for (int q = 0; q < 4; q++) {
      double p = col[i + q] * x[(i + q) * incx];
      l[q] = l[q] + p;
    }
  }
  double lo = l[0] + l[2];
  double hi = l[1] + l[3];
  return lo + hi;
}

// dgemv_t_4.c (y += A^T x; y is zero on entry): the first m & -4 rows in blocks of at most
// 2048, each block's value added to y[j]; then the last m % 4 rows, compiled with FMA:
// 3 rows `y + fma(a2, x2, fma(a0, x0, a1 * x1))`, 2 rows `y + fma(a0, x0, a1 * x1)`,
// 1 row `fma(a0, x0, y)`.
static inline __attribute__((always_inline)) void dgemv_t_part(long m, long n, const double *a, long lda, const double *x, long incx,
                         double *y) {
  long m3 = m & 3, m1 = m & -4, m2 = (m & 2047) - m3, nb = 2048, r0 = 0, n4 = n & -4;
  while (nb == 2048) {
    m1 -= nb;
    if (m1 < 0) {
      if (m2 == 0) break;
      nb = m2;
    }
    for (long j = 0; j < n; j++) {
      int kernel = j < n4 ? 4 : ((n & 2) && j < n4 + 2) ? 2 : 1;
      double value = gemv_t_block(kernel, a + j * lda + r0, x + r0 * incx, incx, nb);
      y[j] = y[j] + value;
    }
    r0 += nb;
  }
  if (m3 == 0) return;
  const double *xt = x + r0 * incx;
  for (long j = 0; j < n; j++) {
    const double *col = a + j * lda + r0;
    if (m3 == 1) {
      y[j] = fma(col[0], xt[0], y[j]);
      continue;
    }
    double t = col[1] * xt[incx];
    t = fma(col[0], xt[0], t);
    if (m3 == 3) t = fma(col[2], xt[2 * incx], t);
    y[j] = y[j] + t;
  }
}

// MARK: - dgemv_n

// dgemv_n_4.c (y += A x; y is zero on entry). The first m & -4 rows: for each group of four
// columns `y + (fma(a2, x2, a0 * x0) + fma(a3, x3, a1 * x1))` (the AVX2 kernel); with unit
// incx then `y + (a0 * x0 + a1 * x1)` for two more columns when n & 2 and `y + a * x` for the
// last when n & 1; with another incx `y + a * x` for each of the last n % 4 columns. The last
// m % 4 rows (compiled without FMA) start from 0: when lda equals m % 4 (the matrix has only
// those rows) and incx is 1, two or three rows add `(p0 + p1)` then `(p2 + p3)` per four
// columns and one row `(((p0 + p1) + p2) + p3)`, the rest one by one; otherwise every
// product one by one; the sum is then added to y.
// With `skx`, the SkylakeX build's dgemv_n (dgemv_n_microk_skylakex-4.c, and dgemv_n_4.c's C
// compiled with FMA there): a group of four columns is `fma(a3, x3, fma(a2, x2, fma(a0, x0,
// a1 * x1)))`, a pair `fma(a0, x0, a1 * x1)`, and the rows of the m % 4 tail sum with FMA
// (checked against NumPy under OPENBLAS_CORETYPE=SkylakeX: Fixtures/numpy/machines).
static inline __attribute__((always_inline)) void dgemv_n_part(long m, long n, const double *a, long lda, const double *x, long incx,
                         double *y, int skx) {
  long n1 = n >> 2, n2 = n & 3, m3 = m & 3, m1 = m & -4, m2 = (m & 2047) - m3, nb = 2048;
  long r0 = 0;
  while (nb == 2048) {
    m1 -= nb;
    if (m1 < 0) {
      if (m2 == 0) break;
      nb = m2;
    }
    double *yb = y + r0;
    const double *ab = a + r0;
    long c = 0;
    for (long g = 0; g < n1; g++, c += 4) {
      const double *a0 = ab + c * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
      double x0 = x[c * incx], x1 = x[(c + 1) * incx], x2 = x[(c + 2) * incx],
             x3 = x[(c + 3) * incx];
      if (skx) {
        for (long i = 0; i < nb; i++) {
          double t = fma(a3[i], x3, fma(a2[i], x2, fma(a0[i], x0, a1[i] * x1)));
          yb[i] = yb[i] + t;
        }
        continue;
      }
      for (long i = 0; i < nb; i++) {
        double u = fma(a2[i], x2, a0[i] * x0);
        double v = fma(a3[i], x3, a1[i] * x1);
        double t = u + v;
        yb[i] = yb[i] + t;
      }
    }
    if (incx == 1) {
      if (n2 & 2) {
        const double *a0 = ab + c * lda, *a1 = a0 + lda;
        double x0 = x[c], x1 = x[c + 1];
        for (long i = 0; i < nb; i++) {
          double p1 = a1[i] * x1;
          double t = skx ? fma(a0[i], x0, p1) : a0[i] * x0 + p1;
          yb[i] = yb[i] + t;
        }
        c += 2;
      }
      if (n2 & 1) {
        const double *a0 = ab + c * lda;
        double x0 = x[c];
        for (long i = 0; i < nb; i++) {
          double p = a0[i] * x0;
          yb[i] = yb[i] + p;
        }
      }
    } else {
      for (; c < n; c++) {
        const double *a0 = ab + c * lda;
        double x0 = x[c * incx];
        for (long i = 0; i < nb; i++) {
          double p = a0[i] * x0;
          yb[i] = yb[i] + p;
        }
      }
    }
    r0 += nb;
  }
  if (m3 == 0) return;
  int paired = lda == m3 && incx == 1;
  for (long i = r0; i < m; i++) {
    double t = 0.0;
    long c = 0;
    if (paired && m3 >= 2) {
      for (; c < (n & -4); c += 4) {
        double a0 = a[i + c * lda], a1 = a[i + (c + 1) * lda];
        double a2 = a[i + (c + 2) * lda], a3 = a[i + (c + 3) * lda];
        double p1 = a1 * x[c + 1];
        double s = skx ? fma(a0, x[c], p1) : a0 * x[c] + p1;
        t = t + s;
        double p3 = a3 * x[c + 3];
        s = skx ? fma(a2, x[c + 2], p3) : a2 * x[c + 2] + p3;
        t = t + s;
      }
    } else if (paired) {
      for (; c < (n & -4); c += 4) {
        double a0 = a[i + c * lda], a1 = a[i + (c + 1) * lda];
        double a2 = a[i + (c + 2) * lda], a3 = a[i + (c + 3) * lda];
        double s;
        if (skx) {
          s = fma(a3, x[c + 3], fma(a2, x[c + 2], fma(a0, x[c], a1 * x[c + 1])));
        } else {
          double p0 = a0 * x[c];
          double p1 = a1 * x[c + 1];
          double p2 = a2 * x[c + 2];
          double p3 = a3 * x[c + 3];
          s = p0 + p1;
          s = s + p2;
          s = s + p3;
        }
        t = t + s;
      }
    }
    for (; c < n; c++) {
      double ai = a[i + c * lda], xi = x[c * incx];
      t = skx ? fma(ai, xi, t) : t + ai * xi;
    }
    y[i] = y[i] + t;
  }
}

// interface/gemv.c and driver/level2/gemv_thread.c: y is zeroed (beta 0); below m * n =
// 460800 (or with one thread) one call. Otherwise the outputs are cut into `threads` pieces
// (ceil of what is left over the threads left, at least 4), one call each (dgemv_t: columns
// with their own tails; dgemv_n: rows, each piece with its own m % 4 tail, lda unchanged).
// dgemv_n with a single piece (m <= 4) instead cuts the columns (and x) the same way into
// zeroed partial sums that are then added to y in piece order.
static inline __attribute__((always_inline)) void dgemv_impl(int trans, long m, long n, const double *a, long lda,
                           const double *x, long incx, double *y, int threads, int skx) {
  long outputs = trans ? n : m;
  for (long j = 0; j < outputs; j++) y[j] = 0.0;
  if (m == 0 || n == 0) return;
  if (m * n < 460800L || threads <= 1) {
    if (trans) {
      dgemv_t_part(m, n, a, lda, x, incx, y);
    } else {
      dgemv_n_part(m, n, a, lda, x, incx, y, skx);
    }
    return;
  }
  long *range = malloc(sizeof(long) * (size_t)(threads + 1));
  if (range == NULL) abort();
  int pieces = 0;
  range[0] = 0;
  for (long left = outputs; left > 0; pieces++) {
    long width = ceil_div(left, threads - pieces);
    if (width < 4) width = 4;
    if (left < width) width = left;
    range[pieces + 1] = range[pieces] + width;
    left -= width;
  }
  if (trans) {
    for (int t = 0; t < pieces; t++) {
      dgemv_t_part(m, range[t + 1] - range[t], a + range[t] * lda, lda, x, incx, y + range[t]);
    }
  } else if (pieces < threads && (double)m * (double)n > 9216.0 && m * threads <= 1024) {
    double *partial = calloc((size_t)(m * threads), sizeof(double));
    if (partial == NULL) abort();
    pieces = 0;
    for (long left = n; left > 0; pieces++) {
      long width = ceil_div(left, threads - pieces);
      if (width < 4) width = 4;
      if (left < width) width = left;
      range[pieces + 1] = range[pieces] + width;
      left -= width;
    }
    for (int t = 0; t < pieces; t++) {
      dgemv_n_part(m, range[t + 1] - range[t], a + range[t] * lda, lda, x + range[t] * incx,
                   incx, partial + t * m, skx);
    }
    for (int t = 0; t < pieces; t++) {
      for (long j = 0; j < m; j++) y[j] = y[j] + partial[t * m + j];
    }
    free(partial);
  } else {
    for (int t = 0; t < pieces; t++) {
      dgemv_n_part(range[t + 1] - range[t], n, a + range[t], lda, x, incx, y + range[t], skx);
    }
  }
  free(range);
}

__attribute__((target_clones("fma", "default")))
void retrace_haswell_dgemv(int trans, long m, long n, const double *a, long lda,
                           const double *x, long incx, double *y, int threads) {
  dgemv_impl(trans, m, n, a, lda, x, incx, y, threads, 0);
}

// The SkylakeX build's dgemv: dgemv_t as Haswell's (dgemv_t_4.c includes the Haswell
// microkernel there), dgemv_n with `skx` (see dgemv_n_part).
__attribute__((target_clones("fma", "default")))
void retrace_skylakex_dgemv(int trans, long m, long n, const double *a, long lda,
                            const double *x, long incx, double *y, int threads) {
  dgemv_impl(trans, m, n, a, lda, x, incx, y, threads, 1);
}

// MARK: - dgemm and dsyrk

// The thread grid of a threaded dgemm (level3_thread.c, OpenBLAS's m = NumPy's columns, n =
// NumPy's rows), or 0 when interface/gemm.c runs it on one thread (m·n·k <= 262144, or too
// little work per thread), or the grid has one cell.
static int gemm_grid(long rows, long cols, long k, int threads, long *tm_out, long *tn_out) {
  if (threads <= 1) return 0;
  double mnk = (double)rows * (double)cols * (double)k;
  const double unit = 65536.0 * 4.0;
  if (mnk <= unit) return 0;
  long nthreads = threads;
  if (mnk / (double)nthreads < unit) nthreads = (long)(mnk / unit);
  if (nthreads <= 1) return 0;
  long m = cols, n = rows, tm, tn;
  if (m < 2 * SWITCH_RATIO) {
    tm = 1;
  } else {
    tm = nthreads;
    while (m < tm * SWITCH_RATIO) tm /= 2;
  }
  if (n < SWITCH_RATIO * tm) {
    tn = 1;
  } else {
    tn = ceil_div(n, SWITCH_RATIO * tm);
    if (tm * tn > nthreads) tn = nthreads / tm;
  }
  // Move a factor d of tm to tn (or keep tm / d) where that lowers n·tm + m·tn.
  long best = 0, choice = 1;
  for (long d = 1; (double)d <= sqrt((double)tm); d++) {
    if (tm % d != 0) continue;
    long keep = n * (tm / d) + m * (tn * d);
    if (best == 0 || keep < best) {
      best = keep;
      choice = d;
    }
    long other = m * tn * (tm / d) + n * d;
    if (other < best) {
      best = other;
      choice = tm / d;
    }
  }
  if (choice >= 2) {
    tm /= choice;
    tn *= choice;
  }
  if (tm * tn <= 1) return 0;
  *tm_out = tm;
  *tn_out = tn;
  return 1;
}

// Marks the rows that the kernel's last column of an odd-width call computes: there the
// 4x1 kernel runs, four accumulators by k % 4 (see `four_lanes`). Serially the calls are the
// R-wide column blocks (only the last row when rows is odd, R being even); threaded, the
// rows are cut into tn pieces (ceil of what is left over the pieces left), each into tm
// (ceil, at least SWITCH_RATIO, rounded up to PREFERRED unless that overshoots), and every
// piece into two halves (the first ceil(width / 2) long), one kernel call each.
static void mark_odd_rows(unsigned char *odd, long rows, int threaded, long tm, long tn) {
  if (!threaded) {
    for (long js = 0; js < rows; js += GEMM_R) {
      long width = rows - js < GEMM_R ? rows - js : GEMM_R;
      if (width & 1) odd[js + width - 1] = 1;
    }
    return;
  }
  long nthreads = tm * tn;
  for (long js = 0; js < rows; js += GEMM_R * nthreads) {
    long step = rows - js < GEMM_R * nthreads ? rows - js : GEMM_R * nthreads;
    long left = step, start = js;
    for (long i = 0; i < tn; i++) {
      long outer = ceil_div(left, tn - i);
      left -= outer;
      long rest = outer;
      for (long j = 0; j < tm; j++) {
        long width = ceil_div(rest, tm - j);
        if (width < SWITCH_RATIO) width = SWITCH_RATIO;
        if (!(PREFERRED > rest || PREFERRED >= width)) width = ceil_div(width, PREFERRED) * PREFERRED;
        long take = rest - width < 0 ? rest : width;
        rest = rest - width <= 0 ? 0 : rest - width;
        long half = ceil_div(take, 2);
        for (long p = start; p < start + take; p += half) {
          long part = start + take - p < half ? start + take - p : half;
          if (part & 1) odd[p + part - 1] = 1;
        }
        start += take;
      }
    }
  }
}

// The contraction blocks (min_l): 256 while 512 or more are left; between 257 and 511 left,
// half of them: level3.c (serial dgemm) rounds floor(r / 2) up to a multiple of 4, while
// level3_thread.c and dsyrk take ceil(r / 2); the rest in one block.
static long next_block(long left, int halving_up) {
  if (left >= 2 * GEMM_Q) return GEMM_Q;
  if (left > GEMM_Q) return halving_up ? (left + 1) / 2 : ((left / 2 + 3) / 4) * 4;
  return left;
}

// Columns j ..< j + width of row i over products p0 ..< p1, each one FMA chain from 0 (the
// 4x8 kernel's accumulators), added to `row` (width a constant where it is inlined, so the
// sums stay in registers).
static inline __attribute__((always_inline)) void chain_columns(
    const double *ai, long acs, const double *b, long brs, double *row, long j, long p0,
    long p1, const int width) {
  double acc[16] = {0};
  for (long p = p0; p < p1; p++) {
    const double x = ai[p * acs];
    const double *bp = b + p * brs + j;
    for (int t = 0; t < width; t++) acc[t] = fma(x, bp[t], acc[t]);
  }
  for (int t = 0; t < width; t++) row[j + t] = row[j + t] + acc[t];
}

// The 4x1 kernel's value for column j over p0 ..< p1: the first (p1 - p0) & -8 products into
// four FMA accumulators by (p - p0) % 4, the rest into the first, then (q0 + q1) + (q2 + q3).
static inline __attribute__((always_inline)) double four_lanes(const double *ai, long acs, const double *b, long brs, long j,
                                long p0, long p1) {
  double q[4] = {0, 0, 0, 0};
  long p = p0, main = p0 + ((p1 - p0) & -8L);
  for (; p < main; p += 4) {
    for (int l = 0; l < 4; l++) q[l] = fma(ai[(p + l) * acs], b[(p + l) * brs + j], q[l]);
  }
  for (; p < p1; p++) q[0] = fma(ai[p * acs], b[p * brs + j], q[0]);
  double lo = q[0] + q[1];
  double hi = q[2] + q[3];
  return lo + hi;
}

#if defined(__x86_64__)
// Up to six rows (`nr`; their A rows from product p0 and their C rows from column j given)
// by 4 * nv columns (nv = 1 or 2) over `len` products, B's rows `bp` (from product p0 and
// column j) `brs` apart: per element the same FMA chain from 0 as `chain_columns`, added to
// C, with the sums in registers (6 x 8 takes 12 of the 16 ymm registers; each element's
// chain is unchanged, only which elements run side by side is).
__attribute__((target("avx2,fma"))) static inline __attribute__((always_inline)) void
tile_avx2(const double *const *ar, long acs, const double *bp, long brs, double *const *cr,
          long len, const int nr, const int nv) {
  __m256d acc[6][2];
  for (int r = 0; r < nr; r++)
    for (int v = 0; v < nv; v++) acc[r][v] = _mm256_setzero_pd();
  for (long p = 0; p < len; p++) {
    __m256d bv[2];
    for (int v = 0; v < nv; v++) bv[v] = _mm256_loadu_pd(bp + p * brs + 4 * v);
    for (int r = 0; r < nr; r++) {
      __m256d x = _mm256_broadcast_sd(ar[r] + p * acs);
      for (int v = 0; v < nv; v++) acc[r][v] = _mm256_fmadd_pd(x, bv[v], acc[r][v]);
    }
  }
  for (int r = 0; r < nr; r++)
    for (int v = 0; v < nv; v++) {
      double *out = cr[r] + 4 * v;
      _mm256_storeu_pd(out, _mm256_add_pd(_mm256_loadu_pd(out), acc[r][v]));
    }
}

// One contraction block of a group of up to six unmarked rows (A rows from p0, C rows from
// column 0) over every column below cols & -4: tiles of 8 columns, then one of 4.
__attribute__((target("avx2,fma"))) static void group_avx2(const double *const *ar, long acs,
                                                           const double *b, long brs,
                                                           double *const *c_rows,
                                                           long vector_cols, long len, int nr) {
  for (long j = 0; j < vector_cols;) {
    double *cr[6];
    for (int r = 0; r < nr; r++) cr[r] = c_rows[r] + j;
    int nv = vector_cols - j >= 8 ? 2 : 1;
#define RETRACE_TILE(NR)                                        \
  if (nv == 2) tile_avx2(ar, acs, b + j, brs, cr, len, NR, 2);  \
  else tile_avx2(ar, acs, b + j, brs, cr, len, NR, 1);
    switch (nr) {
      case 6: RETRACE_TILE(6) break;
      case 5: RETRACE_TILE(5) break;
      case 4: RETRACE_TILE(4) break;
      case 3: RETRACE_TILE(3) break;
      case 2: RETRACE_TILE(2) break;
      default: RETRACE_TILE(1) break;
    }
#undef RETRACE_TILE
    j += 4 * nv;
  }
}
#endif

// One thread's share of a dgemm: rows r0 ..< r1 of C.
typedef struct {
  long rows, cols, k, ars, acs, brs, r0, r1;
  const double *a, *b;
  double *c;
  const unsigned char *odd;
  int only_last, halving_up, avx2;
} gemm_job;

// The elements of one row the way the marked rows compute them: the 4x1 kernel's four
// accumulators in the columns below cols & -4, one chain each in the rest.
__attribute__((target_clones("fma", "default"))) static void marked_row(
    const gemm_job *g, const double *ai, double *row, long p0, long p1) {
  long lanes = g->cols & -4L, j = 0;
  for (; j < lanes; j++) row[j] = row[j] + four_lanes(ai, g->acs, g->b, g->brs, j, p0, p1);
  for (; j < g->cols; j++) chain_columns(ai, g->acs, g->b, g->brs, row, j, p0, p1, 1);
}

// The unmarked rows one by one, one chain per element (CPUs without AVX2).
__attribute__((target_clones("fma", "default"))) static void plain_row(
    const gemm_job *g, const double *ai, double *row, long p0, long p1) {
  long cols = g->cols, j = 0;
  for (; j + 16 <= cols; j += 16) chain_columns(ai, g->acs, g->b, g->brs, row, j, p0, p1, 16);
  for (; j + 4 <= cols; j += 4) chain_columns(ai, g->acs, g->b, g->brs, row, j, p0, p1, 4);
  for (; j < cols; j++) chain_columns(ai, g->acs, g->b, g->brs, row, j, p0, p1, 1);
}

static int row_is_marked(const gemm_job *g, long i) {
  return g->only_last ? (g->rows & 1) && i == g->rows - 1 : g->odd != NULL && g->odd[i];
}

// The columns from `first` on of every unmarked row, one chain each (with the FMA
// instruction inline where the CPU has it, not a call to libm's fma per product).
__attribute__((target_clones("fma", "default"))) static void tail_columns(
    const gemm_job *g, long first, long p0, long p1) {
  for (long i = g->r0; i < g->r1; i++) {
    if (row_is_marked(g, i)) continue;
    for (long j = first; j < g->cols; j++)
      chain_columns(g->a + i * g->ars, g->acs, g->b, g->brs, g->c + i * g->cols, j, p0, p1, 1);
  }
}

// How many of `left` rows the next register group takes: six, unless that would leave one
// to three (a group that small runs at the latency of its few chains), then four.
static int group_size(long left) {
  if (left >= 6 && (left - 6 == 0 || left - 6 >= 4)) return 6;
  if (left >= 4) return 4;
  return (int)left;
}

static void *gemm_rows(void *argument) {
  const gemm_job *g = argument;
  for (long i = g->r0; i < g->r1; i++)
    for (long j = 0; j < g->cols; j++) g->c[i * g->cols + j] = 0.0;
  long unmarked = 0;
  for (long i = g->r0; i < g->r1; i++) unmarked += !row_is_marked(g, i);
  for (long p0 = 0; p0 < g->k;) {
    long p1 = p0 + next_block(g->k - p0, g->halving_up);
    for (long i = g->r0; i < g->r1; i++) {
      if (row_is_marked(g, i)) marked_row(g, g->a + i * g->ars, g->c + i * g->cols, p0, p1);
    }
#if defined(__x86_64__)
    if (g->avx2) {
      long len = p1 - p0, vector_cols = g->cols & -4L, left = unmarked;
      const double *ar[6];
      double *cr[6];
      int nr = 0, size = group_size(left);
      for (long i = g->r0; i < g->r1; i++) {
        if (row_is_marked(g, i)) continue;
        ar[nr] = g->a + i * g->ars + p0 * g->acs;
        cr[nr] = g->c + i * g->cols;
        if (++nr == size) {
          group_avx2(ar, g->acs, g->b + p0 * g->brs, g->brs, cr, vector_cols, len, nr);
          left -= nr;
          nr = 0;
          size = group_size(left);
        }
      }
      // The last cols % 4 columns: one chain each.
      if (vector_cols < g->cols) tail_columns(g, vector_cols, p0, p1);
      p0 = p1;
      continue;
    }
#endif
    for (long i = g->r0; i < g->r1; i++) {
      if (!row_is_marked(g, i)) plain_row(g, g->a + i * g->ars, g->c + i * g->cols, p0, p1);
    }
    p0 = p1;
  }
  return NULL;
}

// MARK: - The second thread

// One helper thread, started on first use, takes the second half of the rows of a large
// product (starting a thread per call costs 30-40 us here, an eighth of the warm-up net's
// 64x1000 by 1000x100). Like OpenBLAS's own threads it spins for a while after its work
// (a training loop's next product is microseconds away) before it sleeps on a condition
// variable; the caller spins for the helper's half the same way. `helper_owner` makes one
// caller at a time its user; a caller that finds it taken computes every row itself.
enum { HELPER_SPINS = 1 << 17, CALLER_SPINS = 1 << 12 };
static pthread_mutex_t helper_owner = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t helper_wake = PTHREAD_COND_INITIALIZER;
static _Atomic(gemm_job *) helper_job;
static atomic_int helper_finished;
static pthread_once_t helper_once = PTHREAD_ONCE_INIT;
static int helper_running;

static inline void spin_pause(void) {
#if defined(__x86_64__)
  _mm_pause();
#endif
}

static void *helper_main(void *unused) {
  (void)unused;
  for (;;) {
    gemm_job *job = NULL;
    for (long spin = 0; spin < HELPER_SPINS; spin++) {
      if ((job = atomic_load_explicit(&helper_job, memory_order_acquire)) != NULL) break;
      spin_pause();
    }
    if (job == NULL) {
      pthread_mutex_lock(&helper_lock);
      while ((job = atomic_load_explicit(&helper_job, memory_order_acquire)) == NULL)
        pthread_cond_wait(&helper_wake, &helper_lock);
      pthread_mutex_unlock(&helper_lock);
    }
    atomic_store_explicit(&helper_job, NULL, memory_order_relaxed);
    gemm_rows(job);
    atomic_store_explicit(&helper_finished, 1, memory_order_release);
  }
  return NULL;
}

static void helper_start(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  pthread_t thread;
  pthread_attr_t attributes;
  if (cores < 2 || pthread_attr_init(&attributes) != 0) return;
  pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
  helper_running = pthread_create(&thread, &attributes, helper_main, NULL) == 0;
  pthread_attr_destroy(&attributes);
}

// Hands `job` to the helper (which must be owned).
static void helper_give(gemm_job *job) {
  atomic_store_explicit(&helper_finished, 0, memory_order_relaxed);
  pthread_mutex_lock(&helper_lock);
  atomic_store_explicit(&helper_job, job, memory_order_release);
  pthread_cond_signal(&helper_wake);
  pthread_mutex_unlock(&helper_lock);
}

// Waits for the helper's job: spinning, then yielding the core.
static void helper_wait(void) {
  for (long spin = 0; !atomic_load_explicit(&helper_finished, memory_order_acquire); spin++) {
    if (spin < CALLER_SPINS) spin_pause();
    else sched_yield();
  }
}

// Every element is 0 plus, block by block of the contraction, that block's value: one FMA
// chain (dgemm_kernel_4x8_haswell), except the elements of the marked rows in the columns
// below cols & -4 (the kernel's 4-row M blocks; the last cols % 4 are its 2x1 and 1x1
// chains), which take the 4x1 kernel's four accumulators. dsyrk (level3_syrk.c,
// syrk_kernel.c) gives one chain per block everywhere, with the ceil(r / 2) halving.
//
// How it runs here does not change any of that: each element's chain is the same whichever
// elements are computed beside it (six rows by eight columns in AVX2 registers) and on
// whichever thread. From 2^20 multiply-adds on, the rows are split between the calling
// thread and the helper when the machine has two cores.
void retrace_haswell_dgemm(long rows, long cols, long k, const double *a, long ars, long acs,
                           const double *b, long brs, double *c, int threads, int syrk) {
  long tm = 1, tn = 1;
  int threaded = syrk ? 0 : gemm_grid(rows, cols, k, threads, &tm, &tn);
  // One thread and at most R rows: only the last row can be odd (no table needed).
  int only_last = !syrk && !threaded && rows <= GEMM_R;
  unsigned char *odd = NULL;
  if (!syrk && !only_last) {
    odd = calloc((size_t)(rows > 0 ? rows : 1), 1);
    if (odd == NULL) abort();
    mark_odd_rows(odd, rows, threaded, tm, tn);
  }
  gemm_job job = {rows, cols, k, ars, acs, brs, 0, rows, a, b, c, odd, only_last,
                  syrk || threaded, 0};
#if defined(__x86_64__)
  job.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  int split = rows >= 8 && (double)rows * (double)cols * (double)k >= 1048576.0;
  if (split) {
    pthread_once(&helper_once, helper_start);
    split = helper_running && pthread_mutex_trylock(&helper_owner) == 0;
  }
  gemm_job second = job;
  if (split) {
    long half = rows / 2;
    job.r1 = half;
    second.r0 = half;
    helper_give(&second);
  }
  gemm_rows(&job);
  if (split) {
    helper_wait();
    pthread_mutex_unlock(&helper_owner);
  }
  free(odd);
}

// MARK: - NumPy's own loops

double retrace_sequential_dot(long n, const double *x, long incx, const double *y, long incy) {
  double sum = 0.0;
  for (long i = 0; i < n; i++) {
    double p = x[i * incx] * y[i * incy];
    sum = sum + p;
  }
  return sum;
}
