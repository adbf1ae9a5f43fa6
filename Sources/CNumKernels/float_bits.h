// A double's bit pattern and back (memcpy: no aliasing rules broken), shared by the float64
// kernels.
#ifndef RETRACE_FLOAT_BITS_H
#define RETRACE_FLOAT_BITS_H

#include <stdint.h>
#include <string.h>

static inline uint64_t bits_of(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

static inline double double_of(uint64_t u) {
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

#endif
