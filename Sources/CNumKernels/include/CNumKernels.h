#ifndef CNUMKERNELS_H
#define CNUMKERNELS_H

/// `acc = 0; acc = fma(a[i*sa], b[i*sb], acc)` for i = 0 ..< n: the product-sum order of
/// OpenBLAS's small kernels, with the fused multiply-add done by the CPU's instruction where it
/// has one (the result is the same either way: fma is exactly rounded).
double retrace_fma_chain(const double *a, long sa, const double *b, long sb, long n);

/// `c = a · b` for `a` (n×k, element (i, p) at `a[i*ars + p*acs]`), `b` (k×m, element (p, j)
/// at `b[p*brs + j]`) and C-order `c` (n×m), each element the chain of `retrace_fma_chain`
/// over its row of `a` and column of `b` (the same bits).
void retrace_gemm_fma(const double *a, long ars, long acs, const double *b, long brs, double *c,
                      long n, long m, long k);
/// np.max (`maximum` non-zero) or np.min of p[0 ..< n] (n >= 1), bit for bit NumPy 2.4.6's
/// contiguous float64 reduce loop on x86-64 AVX2 (its lanes, the order they combine in, which of
/// equal zeros survives, the canonical NaN): see kernels.c.
double retrace_extreme(const double *p, long n, int maximum);

#include "numpy_tanh.h"
#include "openblas_haswell.h"
#include "numpy_f32.h"
#include "simd_sort.h"
#include "numpy_einsum.h"
#include "glibc_exp.h"
#include "svml_exp.h"
#include "svml_log.h"
#include "openblas_skylakex.h"

/// The floating-point status flags (`fenv.h`), for the warnings of NumPy's reductions: saves
/// and clears them; reads them as a mask (1 divide by zero, 2 overflow, 4 underflow, 8
/// invalid) and puts the saved ones back.
void rt_fp_status_begin(unsigned long *saved);
int rt_fp_status_end(const unsigned long *saved);
/// Whether any of `x[0..<n]` is an infinity or a NaN.
int rt_has_nonfinite(const double *x, long n);

#endif
