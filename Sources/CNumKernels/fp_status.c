#include "CNumKernels.h"
#include <fenv.h>
#include <string.h>

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
