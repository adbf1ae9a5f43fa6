#ifndef RETRACE_SVML_LOG_H
#define RETRACE_SVML_LOG_H

/// Float64 natural logarithm with the same bits as Intel SVML's `__svml_log8_ha` (the AVX-512,
/// high-accuracy vector log that NumPy 2.4.6 calls for float64 `np.log` on Linux x86-64 when
/// the CPU has AVX-512), for every input: positive normal and subnormal values, +-0 (-inf),
/// negative values and -inf (NaN), +inf and NaN. Its argument reduction uses the CPU's
/// `vrcp14pd`, whose outputs were measured on an AMD EPYC with AVX-512 (see svml_log.c).
///
/// This is not libm's log: the two differ in the last bit on a few inputs in 10,000.
double retrace_svml_log(double x);

#endif
