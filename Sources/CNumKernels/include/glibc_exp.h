#ifndef RETRACE_GLIBC_EXP_H
#define RETRACE_GLIBC_EXP_H

/// Float64 exp with the bits of glibc 2.28+'s `exp` as this machine's libm.so.6 runs it on a
/// CPU with FMA (`__exp_fma`, what NumPy 2.4.6 calls per element for float64 `np.exp` on
/// x86-64 without AVX-512), on every CPU: the fused steps are `fma` calls.
double retrace_glibc_exp(double x);

/// `out[i] = retrace_glibc_exp(x[i])` for i < n: four lanes at a time with AVX2 where the CPU
/// has it (the same operations per lane), element by element otherwise. `out` may be `x`.
void retrace_glibc_exp_loop(long n, const double *x, double *out);

#endif
