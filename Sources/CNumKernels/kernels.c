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
