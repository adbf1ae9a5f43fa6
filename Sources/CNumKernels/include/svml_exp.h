#ifndef RETRACE_SVML_EXP_H
#define RETRACE_SVML_EXP_H

/// Float64 exponential with the same bits as Intel SVML's `__svml_exp8_ha` (the AVX-512,
/// high-accuracy vector exp that NumPy 2.4.6 calls for float64 `np.exp` on Linux x86-64 when
/// the CPU has AVX-512, NumPy's X86_V4 / AVX512_SKX target), for every input: finite values,
/// overflow to +inf, subnormal and zero results, +-inf, +-0 and NaN. Each lane of that kernel
/// is computed on its own, so the result depends only on `x`.
///
/// This is not libm's exp: the two differ in the last bit on a few percent of inputs. On a CPU
/// without AVX-512 NumPy's float64 exp is libm's (glibc's) exp, not this.
double retrace_svml_exp(double x);

#endif
