#ifndef RETRACE_OPENBLAS_SKYLAKEX_H
#define RETRACE_OPENBLAS_SKYLAKEX_H

// NumPy 2.4.6's float64 `np.dot` of two contiguous vectors (cblas_ddot with unit strides) when
// its OpenBLAS runs the SkylakeX kernels, with `threads` OpenBLAS threads: the bits NumPy gets
// (see openblas_skylakex.c).
double retrace_skylakex_ddot(long n, const double *x, const double *y, int threads);

/// Whether the SkylakeX build's cblas_dgemm, as NumPy calls it for a rows×k `a` times a k×cols
/// `b` (each C-order, or F-order when said), takes its small-matrix kernels: M·N·K at most
/// 10^6, and a C-order `a` times an F-order `b` only for at most 1,200 outputs and k >= 32.
int retrace_skylakex_dgemm_small_permit(long rows, long cols, long k, int a_fortran,
                                        int b_fortran);

/// cblas_dgemm (alpha 1, beta 0), or cblas_dsyrk when `syrk` is 1, as NumPy calls them for
/// C-order `c` (rows×cols) = `a` (rows×k, element (i, p) at `a[i*ars + p*acs]`) times `b`
/// (k×cols, element (p, j) at `b[p*brs + j*bcs]`), each operand C-order (column stride 1) or
/// F-order. Returns 1 where the bits are NumPy's (the small-matrix kernels, see
/// `retrace_skylakex_dgemm_small_permit`), 0 where they are the large kernel's chains without
/// its split tails and thread partition, and dsyrk's (not modelled).
int retrace_skylakex_dgemm(long rows, long cols, long k, const double *a, long ars, long acs,
                           const double *b, long brs, long bcs, double *c, int syrk);

#endif
