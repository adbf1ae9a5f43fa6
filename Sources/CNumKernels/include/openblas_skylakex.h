#ifndef RETRACE_OPENBLAS_SKYLAKEX_H
#define RETRACE_OPENBLAS_SKYLAKEX_H

// NumPy 2.4.6's float64 `np.dot` of two contiguous vectors (cblas_ddot with unit strides) when
// its OpenBLAS runs the SkylakeX kernels, with `threads` OpenBLAS threads: the bits NumPy gets
// (see openblas_skylakex.c).
double retrace_skylakex_ddot(long n, const double *x, const double *y, int threads);

#endif
