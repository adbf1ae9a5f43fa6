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

// c[i*m + j] = fma chain over p = 0 ..< k of a[i*k + p] * b[p*m + j], from 0, for every i, j:
// the same chain per element as retrace_fma_chain, computed a row of c at a time so that the
// independent chains of a row run side by side (vectorised) instead of one after another.
__attribute__((target_clones("fma", "default")))
void retrace_gemm_fma(const double *a, const double *b, double *c, long n, long m, long k) {
  for (long i = 0; i < n; i++) {
    double *row = c + i * m;
    for (long j = 0; j < m; j++) row[j] = 0.0;
    const double *ai = a + i * k;
    for (long p = 0; p < k; p++) {
      const double x = ai[p];
      const double *bp = b + p * m;
      for (long j = 0; j < m; j++) row[j] = fma(x, bp[j], row[j]);
    }
  }
}
