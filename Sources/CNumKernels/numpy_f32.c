// Float32 elementwise math, bit-identical to NumPy 2.4.6's float32 ufunc loops on x86-64 with
// AVX2+FMA and no AVX-512 (NumPy's X86_V3 dispatch target), on Linux with glibc.
//
// Five of NumPy's float32 loops are NumPy's own vector code, and are re-implemented here as
// scalar C (one lane of the vector code; every lane of those kernels is computed on its own,
// so the result depends only on the input, whatever the array's length, stride or alignment):
//
//  * exp and log: numpy/_core/src/umath/loops_exponent_log.dispatch.c.src, the AVX2+FMA3
//    branch (`simd_exp_FLOAT`, `simd_log_FLOAT`, SIMD_AVX2_FMA3 helpers). NumPy uses the same
//    kernel with one element at a time for arrays it cannot block (strided output), so the
//    result never depends on the layout.
//  * sin and cos: numpy/_core/src/umath/loops_trigonometric.dispatch.cpp (`simd_sincos_f32`,
//    Highway, compiled where the target has native FMA). Inputs beyond the Cody-Waite range
//    (and +-inf) are handed to libm's sinf / cosf there, and so here.
//  * tanh: numpy/_core/src/umath/loops_hyperbolic.dispatch.cpp.src (`simd_tanh_f32`, a
//    Highway port of SVML's tanh_s_la algorithm).
//
// All from numpy/numpy tag v2.4.6 (commit 65daff092ee0f3d92f166630d32d6b9c81d99343). The
// coefficients are transcribed from those files (as hex float literals or bit patterns); the
// code is an independent scalar description of what the vector code computes. Every step the
// vector code fuses (Highway's MulAdd, _mm256_fmadd_ps) is an explicit fmaf() here, and so is
// the one product-and-sum that NumPy's compiled binary fuses although its source does not
// (sin/cos, see there); every other product and sum is rounded on its own. exp, log, sin, cos
// and tanh were compared with this machine's NumPy on all 2^32 float32 inputs: no difference.
//
// The other float32 loops this file covers are libm's float functions: on a CPU without
// AVX-512, NumPy's loops_umath_fp dispatch source (whose SIMD code is AVX-512 SVML only)
// compiles to plain loops over npy_expm1f, npy_log1pf, ..., which npy_math maps to glibc's
// expm1f, log1pf, ... (see numpy_f32.h for the list). Those wrappers are one call each.

#include "numpy_f32.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

// Every fused multiply-add here is written as fmaf(); all other products and sums are rounded
// one at a time, so the compiler must not contract a * b + c into a fused instruction.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

// On x86-64, two versions of each ported kernel, chosen once at load time by the CPU (as in
// kernels.c): one with the FMA instruction inline, one calling libm's fmaf(). Both round each
// fused step exactly once, so both give the same bits.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define RETRACE_F32_CLONES __attribute__((target_clones("fma", "default")))
#else
#define RETRACE_F32_CLONES
#endif

static inline uint32_t bits_of(float v) {
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static inline float float_of(uint32_t u) {
    float v;
    memcpy(&v, &u, sizeof v);
    return v;
}

// NumPy's NPY_NANF (a positive quiet NaN) and its negation, and x86's default NaN (the
// "indefinite" value an invalid SSE/AVX operation produces: negative, quiet, no payload).
#define F32_QNAN 0x7fc00000u
#define F32_NEG_QNAN 0xffc00000u
#define F32_X86_DEFAULT_NAN 0xffc00000u

// MARK: - exp (loops_exponent_log, AVX2+FMA3)
//
//  * NaN -> +qNaN; x >= 88.72283935546875 -> +inf; x <= -103.97208404541015625 -> +0.
//  * k = rint(x * log2(e)), the product rounded, then rounded to an integer by adding and
//    subtracting 1.5 * 2^23 (each step rounded).
//  * r = x + k * c1 + k * c2 (Cody-Waite, two fused steps, c1 + c2 = -ln 2; the kernel's third
//    step adds k * 0, kept here because it can turn -0 into +0).
//  * exp(r) ~ P(r) / Q(r), P of degree 5 and Q of degree 2, each by fused Horner steps, one
//    rounded division.
//  * Times 2^k by adding k to the exponent bits; for k <= -125 (subnormal results) the
//    exponent gets -125 and the value is divided by 2^(-125 - k), that division doing the one
//    rounding into the subnormal range.

RETRACE_F32_CLONES
float retrace_f32_exp(float x) {
    const float xmax = 88.72283935546875f;
    const float xmin = -103.97208404541015625f;
    const float log2e = 0x1.715476p+0f;           // NPY_LOG2Ef
    const float magic = 0x1.800000p+23f;          // NPY_RINT_CVT_MAGICf
    const float c1 = -0x1.62e400p-1f;             // NPY_CODY_WAITE_LOGE_2_HIGHf
    const float c2 = -0x1.7f7d1cp-20f;            // NPY_CODY_WAITE_LOGE_2_LOWf
    // NPY_COEFF_P0_EXPf ... NPY_COEFF_Q2_EXPf, rounded to float.
    const float p0 = 0x1.000000p+0f, p1 = 0x1.7397aap-1f, p2 = 0x1.fa98b0p-3f;
    const float p3 = 0x1.a2fb18p-5f, p4 = 0x1.bae2b2p-8f, p5 = 0x1.0a7bb0p-11f;
    const float q0 = 0x1.000000p+0f, q1 = -0x1.18d0aep-2f, q2 = 0x1.61d064p-6f;

    const int is_nan = x != x;
    if (is_nan) {
        x = 0.0f;
    }
    const int over = x >= xmax;
    const int under = x <= xmin;
    if (over || under) {
        x = 0.0f;
    }

    float k = x * log2e;
    k = k + magic;
    k = k - magic;

    float r = fmaf(k, c1, x);
    r = fmaf(k, c2, r);
    r = fmaf(k, 0.0f, r);

    float num = fmaf(p5, r, p4);
    num = fmaf(num, r, p3);
    num = fmaf(num, r, p2);
    num = fmaf(num, r, p1);
    num = fmaf(num, r, p0);
    float den = fmaf(q2, r, q1);
    den = fmaf(den, r, q0);
    float poly = num / den;

    // poly * 2^k, k an integer in [-150, 128].
    const int32_t ik = (int32_t)k;
    if (k <= -125.0f) {
        const float diff = 0.0f - (k - -125.0f);
        const int32_t shift = (int32_t)diff;
        const float scale = (float)(shift < 32 ? (int32_t)(1u << shift) : 0);
        poly = float_of(bits_of(poly) - (125u << 23));
        poly = poly / scale;
    } else {
        poly = float_of(bits_of(poly) + ((uint32_t)ik << 23));
    }

    if (is_nan) {
        return float_of(F32_QNAN);
    }
    if (over) {
        return INFINITY;
    }
    if (under) {
        return 0.0f;
    }
    return poly;
}

// MARK: - log (loops_exponent_log, AVX2+FMA3)
//
//  * x = m * 2^e with m in [0.5, 1) (subnormals scaled by 2^100 first, and e lowered by 100).
//  * If m <= 1/sqrt(2): m = 2m, e = e - 1. Then t = m - 1.
//  * log(1 + t) ~ P(t) / Q(t), both of degree 5, fused Horner steps, one rounded division;
//    log(x) = e * ln 2 + that, one fused step.
//  * NaN -> +qNaN; x < 0 (and -inf) -> -qNaN; +-0 -> -inf; +inf -> +inf.

static inline float log_exponent(float x) {
    const float two_100 = float_of(0x71800000u);
    const int denormal = x < 0x1p-126f;
    const int normal = x >= 0x1p-126f;
    const float temp1 = normal ? 0.0f : x;
    const float temp = temp1 * two_100;
    if (denormal) {
        x = temp;
    }
    const float e = (float)((int32_t)(bits_of(x) >> 23) - 0x7e);
    return denormal ? e - 100.0f : e;
}

static inline float log_mantissa(float x) {
    const float two_100 = float_of(0x71800000u);
    const int denormal = x < 0x1p-126f;
    const int normal = x >= 0x1p-126f;
    const float temp1 = normal ? 0.0f : x;
    const float temp = temp1 * two_100;
    if (denormal) {
        x = temp;
    }
    return float_of((bits_of(x) & 0x7fffffu) | (126u << 23));
}

RETRACE_F32_CLONES
float retrace_f32_log(float x_in) {
    const float sqrt1_2 = 0x1.6a09e6p-1f;        // NPY_SQRT1_2f
    const float loge2 = 0x1.62e430p-1f;          // NPY_LOGE2f
    // NPY_COEFF_P0_LOGf ... NPY_COEFF_Q5_LOGf, rounded to float.
    const float p0 = 0.0f, p1 = 0x1.000000p+0f, p2 = 0x1.0e6c38p+1f;
    const float p3 = 0x1.7ae152p+0f, p4 = 0x1.860666p-2f, p5 = 0x1.a8579ap-6f;
    const float q0 = 0x1.000000p+0f, q1 = 0x1.4e6c38p+1f, q2 = 0x1.39fc1ap+1f;
    const float q3 = 0x1.f915c8p-1f, q4 = 0x1.3cb7e6p-3f, q5 = 0x1.8107bep-8f;

    const int negative = x_in < 0.0f;
    const int zero = x_in == 0.0f;
    const int infinite = x_in == INFINITY;
    const int is_nan = x_in != x_in;

    float x = negative ? 0.0f : x_in;
    float exponent = log_exponent(x);
    x = log_mantissa(x);

    if (x <= sqrt1_2) {
        x = x + x;
        exponent = exponent - 1.0f;
    }
    x = x - 1.0f;

    float num = fmaf(p5, x, p4);
    num = fmaf(num, x, p3);
    num = fmaf(num, x, p2);
    num = fmaf(num, x, p1);
    num = fmaf(num, x, p0);
    float den = fmaf(q5, x, q4);
    den = fmaf(den, x, q3);
    den = fmaf(den, x, q2);
    den = fmaf(den, x, q1);
    den = fmaf(den, x, q0);
    float poly = num / den;
    poly = fmaf(exponent, loge2, poly);

    if (is_nan) {
        return float_of(F32_QNAN);
    }
    if (negative) {
        return float_of(F32_NEG_QNAN);
    }
    if (zero) {
        return -INFINITY;
    }
    if (infinite) {
        return INFINITY;
    }
    return poly;
}

// MARK: - sin and cos (loops_trigonometric, Highway with native FMA)
//
//  * NaN -> +qNaN.
//  * |x| <= 117435.992 (sin) or 71476.0625 (cos): k = x * 2/pi rounded to an integer by
//    adding 1.5 * 2^23 and subtracting it again. The source writes the product and the sum as
//    two operations (Highway's Mul, then Add), but NumPy's binary fuses them into one
//    multiply-add (the compiler contracted them), and so does this: fmaf(x, 2/pi, 1.5 * 2^23),
//    then the subtraction. (Rounding the product first differs from NumPy on a few inputs per
//    million, e.g. sin(38512).) r = x + k * c1 + k * c2 + k * c3 (Cody-Waite, three fused
//    steps, c1 + c2 + c3 = -pi/2); r2 = r * r;
//    sin(r) ~ ((((s9 r2 + s7) r2 + s5) r2 + s3) r2 + 0) r + r and
//    cos(r) ~ (((c8 r2 + c6) r2 + c4) r2 + c2) r2 + 1, all fused steps. With q = k (plus 1
//    for cos): the sine polynomial if q is even, else the cosine one; negated (0 - v, so
//    +0 stays +0) if q & 2.
//  * Larger |x| and +-inf: libm's sinf / cosf (NumPy's scalar fallback, npy_sinf / npy_cosf).

static inline float sincos_kernel(float x, int cosine) {
    const float two_over_pi = 0x1.45f306p-1f;
    const float pio2_high = -0x1.921fb0p+00f;
    const float pio2_med = -0x1.5110b4p-22f;
    const float pio2_low = -0x1.846988p-48f;
    const float magic = 0x1.800000p+23f;

    float k = fmaf(x, two_over_pi, magic);
    k = k - magic;

    float r = fmaf(k, pio2_high, x);
    r = fmaf(k, pio2_med, r);
    r = fmaf(k, pio2_low, r);
    const float r2 = r * r;

    float c = fmaf(0x1.98e616p-16f, r2, -0x1.6c06dcp-10f);
    c = fmaf(c, r2, 0x1.55553cp-05f);
    c = fmaf(c, r2, -0x1.000000p-01f);
    c = fmaf(c, r2, 0x1.000000p+00f);

    float s = fmaf(0x1.7d3bbcp-19f, r2, -0x1.a06bbap-13f);
    s = fmaf(s, r2, 0x1.11119ap-07f);
    s = fmaf(s, r2, -0x1.555556p-03f);
    s = fmaf(s, r2, 0.0f);
    s = fmaf(s, r, r);

    int32_t q = (int32_t)k;
    if (cosine) {
        q = q + 1;
    }
    float v = (q & 1) == 0 ? s : c;
    if ((q & 2) == 2) {
        v = 0.0f - v;
    }
    return v;
}

// sin or cos: NaN in, the quiet NaN out; beyond `limit` (where the kernel's reduction stops
// being exact) glibc's float function; the kernel otherwise.
static inline __attribute__((always_inline)) float sincos_entry(float x, float limit,
                                                                int cosine) {
    if (x != x) {
        return float_of(F32_QNAN);
    }
    if (!(fabsf(x) <= limit)) {
        const float y = cosine ? cosf(x) : sinf(x);
        // glibc gives x86's default NaN for +-inf on x86-64; say so on other CPUs too.
        return y != y ? float_of(F32_X86_DEFAULT_NAN) : y;
    }
    return sincos_kernel(x, cosine);
}

RETRACE_F32_CLONES
float retrace_f32_sin(float x) { return sincos_entry(x, 0x1.cabbfep+16f /* 117435.992f */, 0); }

RETRACE_F32_CLONES
float retrace_f32_cos(float x) { return sincos_entry(x, 0x1.173410p+16f /* 71476.0625f */, 1); }

// MARK: - tanh (loops_hyperbolic, Highway with native FMA; SVML's tanh_s_la algorithm)
//
//  * t = the bits of |x| masked to the exponent and the two leading fraction bits
//    (bits & 0x7fe00000). Interval j = clamp(t - 0x3d400000, 0, 0x3e00000) >> 21, 0 ... 31:
//    interval 0 is |x| < 2^-5 (and zero, subnormals), intervals 1 ... 30 are quarter-binades
//    from 2^-5 up to 9.0, interval 31 is |x| >= 9, where the polynomial is the constant 1.
//  * y = |x| - b_j; tanh(|x|) ~ c0 + c1 y + ... + c6 y^6, fused Horner steps from c6 down.
//  * t > 0x7f000000 (|x| >= 1.25 * 2^127, inf, NaN): the polynomial is replaced by 1.
//  * The sign bit of x is OR-ed back in; NaN -> +qNaN.

// Per interval: { b, c0, c1, c2, c3, c4, c5, c6 } as float bit patterns.
static const uint32_t tanh_f32_table[32][8] = {
    {0x00000000, 0x00000000, 0x3f800000, 0xb0343c7b, 0xbeaaaaa5, 0xb76dd6b9, 0x3e0910e9, 0xbc0e2f66},
    {0x3d700000, 0x3d6fb9c9, 0x3f7f1f84, 0xbd6ee69d, 0xbeab0612, 0xbe1c276d, 0x43761143, 0x460bda12},
    {0x3d900000, 0x3d8fc35f, 0x3f7ebd11, 0xbd8f0da7, 0xbea7f01f, 0x3c1dcf2f, 0x4165ecdc, 0x43d638ef},
    {0x3db00000, 0x3daf9169, 0x3f7e1e5f, 0xbdae477d, 0xbea4e120, 0x3dc1a78d, 0xc190f756, 0xc3e11c3e},
    {0x3dd00000, 0x3dcf49ab, 0x3f7d609f, 0xbdcd2a1f, 0xbea387b7, 0x3d96f985, 0xc08c097d, 0xc2baa4e9},
    {0x3df00000, 0x3deee849, 0x3f7c842d, 0xbdeba80d, 0xbea15962, 0x3da2b61b, 0xc02ba813, 0xc249da2d},
    {0x3e100000, 0x3e0f0ee8, 0x3f7b00e5, 0xbe0c443b, 0xbe9d57f7, 0x3dc13397, 0xbf7f6bda, 0xc1859b82},
    {0x3e300000, 0x3e2e4984, 0x3f789580, 0xbe293cf3, 0xbe976b5a, 0x3dd2f670, 0x3f2b1dc0, 0x40dd5b57},
    {0x3e500000, 0x3e4d2f8e, 0x3f75b8ad, 0xbe44f282, 0xbe90230d, 0x3df48a0a, 0x3ece105d, 0x40494640},
    {0x3e700000, 0x3e6bb32e, 0x3f726fd9, 0xbe5f3651, 0xbe880dff, 0x3e06c5a8, 0x3f426a94, 0x40c730a8},
    {0x3e900000, 0x3e8c51cd, 0x3f6cc59b, 0xbe81c7c0, 0xbe7479b3, 0x3e1a3aba, 0xbadb0dc4, 0xbf0f160e},
    {0x3eb00000, 0x3ea96163, 0x3f63fb92, 0xbe96d7ca, 0xbe4c3d88, 0x3e27c405, 0x3da43b17, 0x3e30e76f},
    {0x3ed00000, 0x3ec543f1, 0x3f59ff97, 0xbea7fb8e, 0xbe212482, 0x3e2e78d0, 0xbd51ab88, 0xbea81387},
    {0x3ef00000, 0x3edfd735, 0x3f4f11d7, 0xbeb50e9e, 0xbdeb8cba, 0x3e2c3e44, 0xbcaea23d, 0xbdb26a1c},
    {0x3f100000, 0x3f028438, 0x3f3d7573, 0xbec12efe, 0xbd5e78ad, 0x3e1d3097, 0xbd3b6d8d, 0xbd351e57},
    {0x3f300000, 0x3f18abf0, 0x3f24f360, 0xbec4be92, 0x3c6b5e6e, 0x3df4a8f4, 0xbd6caaad, 0xbb4c01a0},
    {0x3f500000, 0x3f2bc480, 0x3f0cbfe7, 0xbebce070, 0x3d839143, 0x3da38508, 0xbd795bed, 0x3c1d7bfb},
    {0x3f700000, 0x3f3bec1c, 0x3eec1a69, 0xbead510e, 0x3dc21ee1, 0x3d31416a, 0xbd5fddda, 0x3c722cd1},
    {0x3f900000, 0x3f4f2e5b, 0x3eb0a801, 0xbe8ef7d6, 0x3de347af, 0x3b562657, 0xbd038f3b, 0x3c973f1c},
    {0x3fb00000, 0x3f613c53, 0x3e6753a2, 0xbe4b8704, 0x3dcbec96, 0xbcaeeac9, 0xbc1cad63, 0x3c33a31b},
    {0x3fd00000, 0x3f6ce37d, 0x3e132f1a, 0xbe083237, 0x3d99ef2d, 0xbcce9419, 0x3abb4766, 0x3b862ef4},
    {0x3ff00000, 0x3f743c4f, 0x3db7e7d3, 0xbdaf7449, 0x3d542ea1, 0xbcaaeac4, 0x3b95f10b, 0x3a27b3d0},
    {0x40100000, 0x3f7a5feb, 0x3d320845, 0xbd2e1ec4, 0x3cdde701, 0xbc49e7d0, 0x3b825873, 0xba3b5907},
    {0x40300000, 0x3f7dea85, 0x3c84d3d4, 0xbc83bf06, 0x3c2cca67, 0xbba71ddd, 0x3afaea66, 0xba0efc22},
    {0x40500000, 0x3f7f3b3d, 0x3bc477b7, 0xbbc3e0b5, 0x3b81cb27, 0xbb003b0e, 0x3a49f878, 0xb97f9f0f},
    {0x40700000, 0x3f7fb78c, 0x3b10d3da, 0xbb10aadc, 0x3ac073a1, 0xba3f9a05, 0x39996bf3, 0xb8c8af50},
    {0x40900000, 0x3f7fefd4, 0x3a01601e, 0xba0157db, 0x39ac3032, 0xb92c08a7, 0x388f3e6c, 0xb7bdddfb},
    {0x40b00000, 0x3f7ffdd0, 0x388c1a3b, 0xb88c18f2, 0x383a94d9, 0xb7ba9232, 0x371bb0e3, 0xb64f2950},
    {0x40d00000, 0x3f7fffb4, 0x3717b0da, 0xb717b096, 0x36ca081d, 0xb64a0b0f, 0x35a8a5e6, 0xb4e085b1},
    {0x40f00000, 0x3f7ffff6, 0x35a43bce, 0xb5a43bae, 0x355abd4c, 0xb4dac169, 0x34369b17, 0xb3731dfa},
    {0x41100000, 0x3f7fffff, 0x338306c6, 0xb383012c, 0x332b3cb6, 0xb2ab78ac, 0x322487b0, 0xb15a1f04},
    {0x00000000, 0x3f800000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000},
};

RETRACE_F32_CLONES
float retrace_f32_tanh(float x) {
    if (x != x) {
        return float_of(F32_QNAN);
    }
    const uint32_t ux = bits_of(x);
    const uint32_t sign = ux & 0x80000000u;
    const int32_t top = (int32_t)(ux & 0x7fe00000u);
    if (top > 0x7f000000) {
        return float_of(bits_of(1.0f) | sign);
    }
    int32_t j = top - 0x3d400000;
    if (j < 0) {
        j = 0;
    }
    if (j > 0x3e00000) {
        j = 0x3e00000;
    }
    const uint32_t *row = tanh_f32_table[(uint32_t)j >> 21];

    const float y = fabsf(x) - float_of(row[0]);
    float r = fmaf(float_of(row[7]), y, float_of(row[6]));
    r = fmaf(r, y, float_of(row[5]));
    r = fmaf(r, y, float_of(row[4]));
    r = fmaf(r, y, float_of(row[3]));
    r = fmaf(r, y, float_of(row[2]));
    r = fmaf(r, y, float_of(row[1]));
    return float_of(bits_of(r) | sign);
}

// MARK: - libm's float functions (NumPy's baseline loops, npy_math -> glibc)

float retrace_f32_expm1(float x) { return expm1f(x); }
float retrace_f32_exp2(float x) { return exp2f(x); }
float retrace_f32_log1p(float x) { return log1pf(x); }
float retrace_f32_log2(float x) { return log2f(x); }
float retrace_f32_log10(float x) { return log10f(x); }
float retrace_f32_tan(float x) { return tanf(x); }
float retrace_f32_sinh(float x) { return sinhf(x); }
float retrace_f32_cosh(float x) { return coshf(x); }
float retrace_f32_arctan(float x) { return atanf(x); }
float retrace_f32_arcsin(float x) { return asinf(x); }
float retrace_f32_arccos(float x) { return acosf(x); }
float retrace_f32_arctanh(float x) { return atanhf(x); }
float retrace_f32_arcsinh(float x) { return asinhf(x); }
float retrace_f32_arccosh(float x) { return acoshf(x); }
float retrace_f32_cbrt(float x) { return cbrtf(x); }
float retrace_f32_sqrt(float x) { return sqrtf(x); }
float retrace_f32_power(float x, float y) { return powf(x, y); }

float retrace_f32_power_scalar_exponent(float x, float y) {
    if (y == -1.0f) {
        return (float)(1.0 / (double)x);
    }
    if (y == 0.0f) {
        return 1.0f;
    }
    if (y == 0.5f) {
        return sqrtf(x);
    }
    if (y == 1.0f) {
        return x;
    }
    if (y == 2.0f) {
        return x * x;
    }
    return powf(x, y);
}
