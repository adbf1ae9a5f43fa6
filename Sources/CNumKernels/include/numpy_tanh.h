#ifndef RETRACE_NUMPY_TANH_H
#define RETRACE_NUMPY_TANH_H

/// Float64 hyperbolic tangent with the same bits as NumPy 2.4.6's `np.tanh` on an x86-64 CPU
/// with AVX2 and FMA (NumPy's own SVML-derived vector kernel, not libm's tanh). Every lane of
/// that kernel is computed independently, so the result depends only on `x`.
double retrace_numpy_tanh(double x);

#endif
