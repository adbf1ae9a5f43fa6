#ifndef RETRACE_OPENBLAS_HASWELL_H
#define RETRACE_OPENBLAS_HASWELL_H

// The summation orders of the float64 routines NumPy 2.4.6 calls in its bundled OpenBLAS
// 0.3.31 (libscipy_openblas64_) when that library runs its Haswell kernels (AVX2 + FMA, no
// AVX-512; AMD Zen CPUs get them too), with `threads` OpenBLAS threads (NumPy's default is the
// number of cores). Every function returns or writes the bits NumPy gets; the orders are
// described in openblas_haswell.c and were checked against NumPy on the shapes listed there.
// Strides are in elements and positive unless said otherwise.

/// NumPy's DOUBLE_dot over cblas_ddot: `0.0 + ddot(n, x, incx, y, incy)`.
double retrace_haswell_ddot(long n, const double *x, long incx, const double *y, long incy,
                            int threads);

/// cblas_dgemv with alpha 1 and beta 0 on a column-major `a` (element (i, j) at
/// `a[i + j*lda]`, m rows and n columns): `trans` 1 is dgemv_t (`y[j]` = column j times x,
/// n outputs over m products), 0 is dgemv_n (`y[i]` = row i times x, m outputs over n).
void retrace_haswell_dgemv(int trans, long m, long n, const double *a, long lda,
                           const double *x, long incx, double *y, int threads);

// The same call as NumPy's SkylakeX OpenBLAS makes it (dgemv_t as Haswell's, dgemv_n its own).
void retrace_skylakex_dgemv(int trans, long m, long n, const double *a, long lda,
                            const double *x, long incx, double *y, int threads);

/// cblas_dgemm (alpha 1, beta 0), or cblas_dsyrk when `syrk` is 1, as NumPy calls them for
/// C-order `c` (rows×cols) = `a` (rows×k, element (i, p) at `a[i*ars + p*acs]`) times `b`
/// (k×cols, element (p, j) at `b[p*brs + j]`, rows contiguous).
void retrace_haswell_dgemm(long rows, long cols, long k, const double *a, long ars, long acs,
                           const double *b, long brs, double *c, int threads, int syrk);

/// `sum = 0; sum += x[i] * y[i]` for i = 0 ..< n, each product rounded (no FMA): NumPy's own
/// loops where it does not call BLAS (matmul's non-BLAS loop, dot with a zero or negative
/// stride). Strides may be zero or negative.
double retrace_sequential_dot(long n, const double *x, long incx, const double *y, long incy);

#endif
