#include "CNumKernels.h"
#include <fenv.h>
#include <string.h>

#if defined(__x86_64__) || defined(__SSE2__)
#include <xmmintrin.h>
// Double and float arithmetic runs on SSE: its status flags are MXCSR's low six bits (invalid
// 1, denormal 2, divide by zero 4, overflow 8, underflow 16, inexact 32), read and cleared in a
// few cycles (glibc's fenv functions also save the x87 environment).
void rt_fp_status_begin(unsigned long *saved) {
  unsigned int csr = _mm_getcsr();
  *saved = csr;
  _mm_setcsr(csr & ~0x3Fu);
}

int rt_fp_status_end(const unsigned long *saved) {
  unsigned int raised = _mm_getcsr() & 0x3Fu;
  _mm_setcsr((unsigned int)*saved);
  return ((raised & 4) ? 1 : 0) | ((raised & 8) ? 2 : 0) | ((raised & 16) ? 4 : 0)
      | ((raised & 1) ? 8 : 0);
}
#else
void rt_fp_status_begin(unsigned long *saved) {
  fexcept_t flags;
  fegetexceptflag(&flags, FE_ALL_EXCEPT);
  unsigned long word = 0;
  memcpy(&word, &flags, sizeof(flags) < sizeof(word) ? sizeof(flags) : sizeof(word));
  *saved = word;
  feclearexcept(FE_ALL_EXCEPT);
}

int rt_fp_status_end(const unsigned long *saved) {
  int raised = fetestexcept(FE_ALL_EXCEPT);
  fexcept_t flags;
  memset(&flags, 0, sizeof(flags));
  memcpy(&flags, saved, sizeof(flags) < sizeof(*saved) ? sizeof(flags) : sizeof(*saved));
  fesetexceptflag(&flags, FE_ALL_EXCEPT);
  return ((raised & FE_DIVBYZERO) ? 1 : 0) | ((raised & FE_OVERFLOW) ? 2 : 0)
      | ((raised & FE_UNDERFLOW) ? 4 : 0) | ((raised & FE_INVALID) ? 8 : 0);
}
#endif

int rt_has_nonfinite(const double *x, long n) {
  // An infinity or a NaN has every exponent bit set; the test has no branch per element, so
  // the loop vectorises.
  const unsigned long long mask = 0x7FF0000000000000ULL;
  const unsigned long long *bits = (const unsigned long long *)(const void *)x;
  unsigned long long found = 0;
  for (long i = 0; i < n; i++) found |= (bits[i] & mask) == mask;
  return found != 0;
}
