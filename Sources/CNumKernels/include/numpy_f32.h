#ifndef RETRACE_NUMPY_F32_H
#define RETRACE_NUMPY_F32_H

// Float32 elementwise math with the same bits as NumPy 2.4.6's float32 ufunc loops on Linux
// x86-64 with AVX2+FMA and no AVX-512 (NumPy's X86_V3 target). Each result depends only on
// the input: NumPy gives the same bits for NumPy scalars, 0-d arrays, short and strided arrays
// as for long contiguous ones (checked by Tests/NumPyKitTests/Array/Transcendental32Tests.swift
// and Scripts/fixtures/transcendentals32.py).

/// NumPy's own AVX2+FMA3 float32 exp (loops_exponent_log: a rational approximation after
/// Cody-Waite reduction; up to 2.52 ulp from the true value, not libm's expf).
float retrace_f32_exp(float x);
/// NumPy's own AVX2+FMA3 float32 log (loops_exponent_log: a rational approximation of
/// log(1 + t); up to 3.83 ulp, not libm's logf).
float retrace_f32_log(float x);
/// NumPy's own float32 sin (loops_trigonometric, Highway with FMA): polynomials after
/// Cody-Waite reduction for |x| <= 117435.992, libm's sinf beyond (and for +-inf).
float retrace_f32_sin(float x);
/// NumPy's own float32 cos (loops_trigonometric): as sin, with libm's cosf beyond
/// |x| <= 71476.0625.
float retrace_f32_cos(float x);
/// NumPy's own float32 tanh (loops_hyperbolic, Highway with FMA; SVML's tanh_s_la algorithm:
/// 32 intervals, a degree-6 polynomial on each).
float retrace_f32_tanh(float x);

// NumPy's baseline loops over npy_math, which is glibc's float function on Linux (no SIMD
// code for these below AVX-512). Each is exactly one call of the named function.

/// glibc's expm1f.
float retrace_f32_expm1(float x);
/// glibc's exp2f.
float retrace_f32_exp2(float x);
/// glibc's log1pf.
float retrace_f32_log1p(float x);
/// glibc's log2f.
float retrace_f32_log2(float x);
/// glibc's log10f.
float retrace_f32_log10(float x);
/// glibc's tanf.
float retrace_f32_tan(float x);
/// glibc's sinhf.
float retrace_f32_sinh(float x);
/// glibc's coshf.
float retrace_f32_cosh(float x);
/// glibc's atanf.
float retrace_f32_arctan(float x);
/// glibc's asinf.
float retrace_f32_arcsin(float x);
/// glibc's acosf.
float retrace_f32_arccos(float x);
/// glibc's atanhf.
float retrace_f32_arctanh(float x);
/// glibc's asinhf.
float retrace_f32_arcsinh(float x);
/// glibc's acoshf.
float retrace_f32_arccosh(float x);
/// glibc's cbrtf.
float retrace_f32_cbrt(float x);
/// sqrtf: IEEE square root, correctly rounded (NumPy's SIMD sqrt gives the same bits).
float retrace_f32_sqrt(float x);
/// glibc's powf: NumPy's float32 power where the exponent operand is not a broadcast scalar
/// (its inner-loop stride is not 0), and the NumPy scalar operator `np.float32 ** np.float32`.
float retrace_f32_power(float x, float y);
/// NumPy's float32 power loop where the exponent's inner-loop stride is 0 (a scalar or an
/// array broadcast along the loop): y == -1 gives (float)(1.0 / (double)x), y == +-0 gives 1,
/// y == 0.5 gives sqrtf(x), y == 1 gives x, y == 2 gives x * x, any other y powf(x, y).
float retrace_f32_power_scalar_exponent(float x, float y);

#endif
