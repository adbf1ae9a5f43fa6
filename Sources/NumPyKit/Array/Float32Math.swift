import CNumKernels

/// A float32 elementwise function of NumPy's, by its NumPy name.
public enum Float32Function: String, CaseIterable, Sendable {
  case exp, log, sin, cos, tanh
  case expm1, exp2, log1p, log2, log10, tan, sinh, cosh
  case arctan, arcsin, arccos, arctanh, arcsinh, arccosh, cbrt, sqrt

  /// Whether NumPy computes it with its own SIMD code on this machine kind (x86-64 with
  /// AVX2+FMA, no AVX-512), re-implemented in Sources/CNumKernels/numpy_f32.c; the others are
  /// glibc's float function, called as NumPy calls it.
  public var isNumPyKernel: Bool {
    switch self {
    case .exp, .log, .sin, .cos, .tanh: return true
    default: return false
    }
  }

  /// The function, one element at a time.
  public var function: @Sendable (Float) -> Float {
    switch self {
    case .exp: return Float32Math.exp
    case .log: return Float32Math.log
    case .sin: return Float32Math.sin
    case .cos: return Float32Math.cos
    case .tanh: return Float32Math.tanh
    case .expm1: return Float32Math.expm1
    case .exp2: return Float32Math.exp2
    case .log1p: return Float32Math.log1p
    case .log2: return Float32Math.log2
    case .log10: return Float32Math.log10
    case .tan: return Float32Math.tan
    case .sinh: return Float32Math.sinh
    case .cosh: return Float32Math.cosh
    case .arctan: return Float32Math.arctan
    case .arcsin: return Float32Math.arcsin
    case .arccos: return Float32Math.arccos
    case .arctanh: return Float32Math.arctanh
    case .arcsinh: return Float32Math.arcsinh
    case .arccosh: return Float32Math.arccosh
    case .cbrt: return Float32Math.cbrt
    case .sqrt: return Float32Math.sqrt
    }
  }
}

/// NumPy 2.4.6's float32 ufunc loops, bit for bit, as they run on Linux x86-64 with AVX2+FMA
/// and no AVX-512 (NumPy's X86_V3 target; `numpy.show_runtime()` lists it as found).
///
/// Every function's result depends on its input alone: NumPy gives the same bits for a NumPy
/// scalar, a 0-d array, arrays of any length (1 to 20 included, shorter than a vector),
/// strided, reversed, transposed and unaligned views and strided outputs as for a long
/// contiguous array. Each is checked on 100,000 inputs per function (its range, log-uniform
/// magnitudes, random bit patterns and special values: signed zeros, infinities, NaNs with
/// payloads, subnormals, thresholds) by Transcendental32Tests against
/// `Fixtures/numpy/transcendentals32/`; `exp`, `log`, `sin`, `cos` and `tanh` were also
/// compared on all 2^32 inputs when written, with no difference.
///
/// The libm-backed ones are glibc's float functions (glibc 2.36 on this machine kind), called
/// as NumPy calls them: the same glibc gives the same bits. Their NaN results are glibc's: a
/// NaN input comes back quieted with its sign and payload; an invalid input gives a NaN whose
/// sign depends on the function on x86-64 (log1p(-2) and sqrt(-1) negative, log10(-1) and
/// arcsin(2) positive). NumPy's own kernels give +NaN for any NaN input.
public enum Float32Math {
  /// `np.exp`: NumPy's own AVX2+FMA3 kernel (loops_exponent_log.dispatch.c.src,
  /// `simd_exp_FLOAT`): a 5/2 rational approximation after Cody-Waite reduction, up to 2.52 ulp
  /// off, not libm's `expf`. +inf from 88.72283935546875 up, +0 from -103.97208 down, +NaN for
  /// any NaN.
  @inlinable public static func exp(_ x: Float) -> Float { retrace_f32_exp(x) }

  /// `np.log`: NumPy's own AVX2+FMA3 kernel (loops_exponent_log.dispatch.c.src,
  /// `simd_log_FLOAT`), a 5/5 rational approximation, up to 3.83 ulp off, not libm's `logf`.
  /// -inf for +-0, -NaN for x < 0, +NaN for any NaN.
  @inlinable public static func log(_ x: Float) -> Float { retrace_f32_log(x) }

  /// `np.sin`: NumPy's own kernel (loops_trigonometric.dispatch.cpp, `simd_sincos_f32`) for
  /// |x| <= 117435.992; glibc's `sinf` beyond (NumPy's scalar fallback there), +NaN for NaN.
  @inlinable public static func sin(_ x: Float) -> Float { retrace_f32_sin(x) }

  /// `np.cos`: as `sin`, with glibc's `cosf` beyond |x| <= 71476.0625.
  @inlinable public static func cos(_ x: Float) -> Float { retrace_f32_cos(x) }

  /// `np.tanh`: NumPy's own kernel (loops_hyperbolic.dispatch.cpp.src, `simd_tanh_f32`, SVML's
  /// tanh_s_la algorithm: a degree-6 polynomial on each of 32 intervals), not libm's `tanhf`.
  @inlinable public static func tanh(_ x: Float) -> Float { retrace_f32_tanh(x) }

  /// `np.expm1`: glibc's `expm1f` (NumPy's loops_umath_fp loop has SIMD code for AVX-512 only).
  @inlinable public static func expm1(_ x: Float) -> Float { retrace_f32_expm1(x) }
  /// `np.exp2`: glibc's `exp2f`.
  @inlinable public static func exp2(_ x: Float) -> Float { retrace_f32_exp2(x) }
  /// `np.log1p`: glibc's `log1pf`.
  @inlinable public static func log1p(_ x: Float) -> Float { retrace_f32_log1p(x) }
  /// `np.log2`: glibc's `log2f`.
  @inlinable public static func log2(_ x: Float) -> Float { retrace_f32_log2(x) }
  /// `np.log10`: glibc's `log10f`.
  @inlinable public static func log10(_ x: Float) -> Float { retrace_f32_log10(x) }
  /// `np.tan`: glibc's `tanf`.
  @inlinable public static func tan(_ x: Float) -> Float { retrace_f32_tan(x) }
  /// `np.sinh`: glibc's `sinhf`.
  @inlinable public static func sinh(_ x: Float) -> Float { retrace_f32_sinh(x) }
  /// `np.cosh`: glibc's `coshf`.
  @inlinable public static func cosh(_ x: Float) -> Float { retrace_f32_cosh(x) }
  /// `np.arctan`: glibc's `atanf`.
  @inlinable public static func arctan(_ x: Float) -> Float { retrace_f32_arctan(x) }
  /// `np.arcsin`: glibc's `asinf`.
  @inlinable public static func arcsin(_ x: Float) -> Float { retrace_f32_arcsin(x) }
  /// `np.arccos`: glibc's `acosf`.
  @inlinable public static func arccos(_ x: Float) -> Float { retrace_f32_arccos(x) }
  /// `np.arctanh`: glibc's `atanhf`.
  @inlinable public static func arctanh(_ x: Float) -> Float { retrace_f32_arctanh(x) }
  /// `np.arcsinh`: glibc's `asinhf`.
  @inlinable public static func arcsinh(_ x: Float) -> Float { retrace_f32_arcsinh(x) }
  /// `np.arccosh`: glibc's `acoshf`.
  @inlinable public static func arccosh(_ x: Float) -> Float { retrace_f32_arccosh(x) }
  /// `np.cbrt`: glibc's `cbrtf`.
  @inlinable public static func cbrt(_ x: Float) -> Float { retrace_f32_cbrt(x) }
  /// `np.sqrt`: the IEEE square root, correctly rounded (NumPy's SIMD sqrt and `sqrtf` agree;
  /// on x86-64 a negative input gives the CPU's default NaN, negative).
  @inlinable public static func sqrt(_ x: Float) -> Float { retrace_f32_sqrt(x) }

  /// `np.power` on float32 where the exponent is an array stepping along the loop
  /// (`np.power(a, b)`, `a ** b` with both arrays of the full shape): glibc's `powf` for every
  /// element. Also the NumPy scalar operator `np.float32(x) ** np.float32(y)` (scalarmath,
  /// `npy_powf`), which takes no shortcut.
  @inlinable public static func power(_ x: Float, _ y: Float) -> Float { retrace_f32_power(x, y) }

  /// `np.power` on float32 where the exponent is one value broadcast along the loop (its
  /// inner-loop stride is 0: a scalar or 0-d exponent such as `a ** 2.0`, `a ** np.float32(3)`,
  /// `np.power(np.float32(x), np.float32(y))`, or an exponent broadcast along the last axis).
  /// NumPy's loop (loops_umath_fp.dispatch.c.src, FLOAT_power) then takes shortcuts: y == -1
  /// gives `1.0 / x` (in double, rounded), y == +-0 gives 1, y == 0.5 gives `sqrtf(x)`, y == 1
  /// gives x, y == 2 gives x * x; any other y is `powf`. They differ from `powf` (at exact
  /// float midpoints of x * x, in the sign of `sqrt(-0)`, at `sqrt(-inf)`, ...). Python-int
  /// exponents -1 and 2 and the float 0.5 (`a ** 2`, `a ** -1`, `a ** 0.5`) become NumPy's
  /// square, reciprocal and sqrt, which give these same bits.
  @inlinable public static func power(_ x: Float, broadcastExponent y: Float) -> Float {
    retrace_f32_power_scalar_exponent(x, y)
  }
}
