#include "CNumKernels.h"
#include <math.h>

// Two versions, chosen once at load time by the CPU (GCC/Clang function multiversioning):
// one with the FMA instruction inline, one calling libm's exactly rounded fma().
__attribute__((target_clones("fma", "default")))
double retrace_fma_chain(const double *a, long sa, const double *b, long sb, long n) {
  double acc = 0.0;
  for (long i = 0; i < n; i++) {
    acc = fma(a[i * sa], b[i * sb], acc);
  }
  return acc;
}

// Columns j ..< j + width of row i (width a constant where it is inlined, so the sums stay in
// registers).
static inline __attribute__((always_inline)) void gemm_columns(
    const double *ai, long acs, const double *b, long brs, double *row, long j, long k,
    const int width) {
  double acc[16] = {0};
  for (long p = 0; p < k; p++) {
    const double x = ai[p * acs];
    const double *bp = b + p * brs + j;
    for (int t = 0; t < width; t++) acc[t] = fma(x, bp[t], acc[t]);
  }
  for (int t = 0; t < width; t++) row[j + t] = acc[t];
}

// c[i*m + j] = fma chain over p = 0 ..< k of a[i*ars + p*acs] * b[p*brs + j], from 0, for
// every i, j: the same chain per element as retrace_fma_chain. `a` may be any 2-d view (a
// transpose included); `b`'s rows are contiguous. A row of c is computed 16, then 4 columns
// at a time with the running sums in registers (independent chains side by side, vectorised),
// the last few columns one at a time.
__attribute__((target_clones("fma", "default")))
void retrace_gemm_fma(const double *a, long ars, long acs, const double *b, long brs, double *c,
                      long n, long m, long k) {
  for (long i = 0; i < n; i++) {
    const double *ai = a + i * ars;
    double *row = c + i * m;
    long j = 0;
    for (; j + 16 <= m; j += 16) gemm_columns(ai, acs, b, brs, row, j, k, 16);
    for (; j + 4 <= m; j += 4) gemm_columns(ai, acs, b, brs, row, j, k, 4);
    for (; j < m; j++) gemm_columns(ai, acs, b, brs, row, j, k, 1);
  }
}
