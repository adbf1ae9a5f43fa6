// Float64 exp, bit-identical to Intel SVML's `__svml_exp8_ha`: the AVX-512 high-accuracy
// vector exponential that NumPy 2.4.6 calls for float64 `np.exp` on Linux x86-64 when the
// CPU has AVX-512 (NumPy's X86_V4 / AVX512_SKX dispatch target, for contiguous or evenly
// strided, non-overlapping arrays). On CPUs without AVX-512 NumPy's float64 exp is libm's
// `exp` instead, which differs from this in the last bit on a few percent of inputs.
//
// NumPy vendors SVML as generated assembly in the git submodule numpy/SVML (mounted at
// numpy/_core/src/umath/svml); the routine is in linux/avx512/svml_z0_exp_d_ha.s, together
// with its scalar fallback `__svml_dexp_ha_cout_rare_internal`. This file is an independent
// scalar C description of what those two routines compute for one lane; the constants are
// the routines' numbers written as hex float literals, and the table is defined (and checked
// by Scripts/check-svml-exp.py) by the formula given at its declaration.
//
// The vector routine (every lane on its own):
//  * n = x * log2(e), rounded toward zero (toward minus infinity, see below) to a multiple
//    of 1/16. The kernel gets this with one fused multiply-add in round-toward-zero mode,
//    x * log2(e) + (1.5 * 2^48 + 1023): the sum lies in [2^48, 2^49), where a double's last
//    bit is worth 1/16, so the sum's low four significand bits are j = 16 n mod 16 and its
//    next bits hold floor(n) + 1023. Because the sum is positive, "toward zero" is "down":
//    n <= x * log2(e) < n + 1/16.
//  * r = x - n * ln2, in two fused steps (n * ln2_hi and n * ln2_lo, ln2_hi being ln 2
//    rounded to a double), so r lies in about [0, ln2 / 16).
//  * exp(r) - 1 ~ c1 r + c2 r^2 + ... + c6 r^6 (a minimax polynomial, c1 and c2 not exactly
//    1 and 1/2), evaluated as ((c6 r + c5) r^2 + (c4 r + c3)) r^2 + (c2 r + c1), then times r.
//  * 2^(j/16) is kept as Th (nearest double) and Tl (the relative remainder, so that
//    Th (1 + Tl) = 2^(j/16) to about 2^-107); exp(x) = 2^floor(n) Th (1 + Tl + q r), with the
//    last two steps fused: p = q r + Tl, then y = Th p + Th.
//  * The result is y scaled by 2^floor(n) (vscalefpd), exact here because the result is a
//    normal double whenever |x| < 707.70327 (= 1021 ln 2).
//  * Lanes with |x| >= 707.70327 (and +-inf) are recomputed by the scalar routine below;
//    NaN fails that comparison and stays in the vector path, which returns it (quieted).
//
// The scalar routine (|x| >= 707.70327): a classic table-driven exp with 64 table entries,
// rounding every operation on its own (SSE2, no fused operations):
//  * +inf -> +inf, -inf -> +0, x > 709.78271289338400 (ln DBL_MAX) -> +inf,
//    x < -745.13321910194110 -> +0.
//  * k = x * 64/ln2 rounded to an integer (by adding 1.5 * 2^52), j = k mod 64,
//    m = (k - j) / 64, r = x - k ln2/64 (hi and lo parts, each product rounded).
//  * p = (((((d6 r + d5) r + d4) r + d3) r + 1/2) r r + r + tl_j) th_j, so that
//    th_j + p ~ 2^(j/64) exp(r).
//  * Normal results: (th_j + p) 2^m (with 2^1023 * 2 for m = 1024, where 2^m itself would
//    overflow).
//  * Subnormal results (x < -708.39641853226408 = ln DBL_MIN): the sum is formed at 2^(m+60)
//    and scaled down by 2^-60 at the end. For the deepest ones (m <= -1033) that is one
//    multiplication; otherwise the scaled sum is split into a high part (about 20 bits, by
//    adding and subtracting 1.5 * 2^32 times itself) and the rest, each half scaled down on
//    its own and the halves added, the last addition doing the one rounding into the
//    subnormal range.

#include "svml_exp.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "float_bits.h"

// Every fused multiply-add here is written as fma(); all other products and sums are rounded
// one at a time, so the compiler must not contract a * b + c into a fused instruction.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

// 2^(e - 1023) for a biased exponent e in 1 ... 2046 (a normal power of two).
static inline double power_of_two(int biased_exponent) {
  return double_of((uint64_t)biased_exponent << 52);
}

// Row j: { 2^(j/64) rounded to the nearest double (th), (2^(j/64) - th) / th rounded to the
// nearest double (tl) }. The scalar routine uses all 64 rows; the vector routine's 16-entry
// table of 2^(j/16) is rows 0, 4, 8, ..., 60 (the same values).
static const double exp2_table[64][2] = {
    {0x1.0000000000000p+0,                     0.0}, /*  0 */
    {0x1.02c9a3e778061p+0,  -0x1.160139cd8dc5dp-56}, /*  1 */
    {0x1.059b0d3158574p+0,   0x1.cd2523567f613p-55}, /*  2 */
    {0x1.0874518759bc8p+0,   0x1.0f74e61e6c861p-57}, /*  3 */
    {0x1.0b5586cf9890fp+0,   0x1.79aa65d837b6dp-54}, /*  4 */
    {0x1.0e3ec32d3d1a2p+0,   0x1.ebe3d702f9cd1p-60}, /*  5 */
    {0x1.11301d0125b51p+0,  -0x1.556522a2fbd0ep-54}, /*  6 */
    {0x1.1429aaea92de0p+0,  -0x1.1c923b9d5f416p-54}, /*  7 */
    {0x1.172b83c7d517bp+0,  -0x1.01b15eaa59348p-55}, /*  8 */
    {0x1.1a35beb6fcb75p+0,   0x1.b898c3f1353bfp-55}, /*  9 */
    {0x1.1d4873168b9aap+0,   0x1.aecf73e3a2f60p-54}, /* 10 */
    {0x1.2063b88628cd6p+0,   0x1.a6f4144a6c38dp-55}, /* 11 */
    {0x1.2387a6e756238p+0,   0x1.68efde3a8a894p-54}, /* 12 */
    {0x1.26b4565e27cddp+0,   0x1.0472b981fe7f2p-55}, /* 13 */
    {0x1.29e9df51fdee1p+0,   0x1.2f7e16d09ab31p-55}, /* 14 */
    {0x1.2d285a6e4030bp+0,   0x1.b3782720c0ab4p-55}, /* 15 */
    {0x1.306fe0a31b715p+0,   0x1.34d754db0abb6p-55}, /* 16 */
    {0x1.33c08b26416ffp+0,   0x1.fdd395dd3f84ap-55}, /* 17 */
    {0x1.371a7373aa9cbp+0,  -0x1.24aedcc4b5068p-54}, /* 18 */
    {0x1.3a7db34e59ff7p+0,  -0x1.1d1e83e9436d2p-56}, /* 19 */
    {0x1.3dea64c123422p+0,   0x1.59f48a72a4c6dp-55}, /* 20 */
    {0x1.4160a21f72e2ap+0,  -0x1.8a78f4817895bp-58}, /* 21 */
    {0x1.44e086061892dp+0,   0x1.363ed60c2ac11p-59}, /* 22 */
    {0x1.486a2b5c13cd0p+0,   0x1.ecce1daa10379p-57}, /* 23 */
    {0x1.4bfdad5362a27p+0,   0x1.690cebb7aafb0p-56}, /* 24 */
    {0x1.4f9b2769d2ca7p+0,  -0x1.f94340071a38ep-55}, /* 25 */
    {0x1.5342b569d4f82p+0,  -0x1.8dec6bd0f385fp-56}, /* 26 */
    {0x1.56f4736b527dap+0,   0x1.3350518fdd78ep-54}, /* 27 */
    {0x1.5ab07dd485429p+0,   0x1.063e1e21c5409p-54}, /* 28 */
    {0x1.5e76f15ad2148p+0,   0x1.432e62b64c035p-54}, /* 29 */
    {0x1.6247eb03a5585p+0,  -0x1.c33c53bef4da8p-55}, /* 30 */
    {0x1.6623882552225p+0,  -0x1.3cedd78565858p-54}, /* 31 */
    {0x1.6a09e667f3bcdp+0,  -0x1.3b3efbf5e2228p-54}, /* 32 */
    {0x1.6dfb23c651a2fp+0,  -0x1.367efb86da9eep-57}, /* 33 */
    {0x1.71f75e8ec5f74p+0,  -0x1.81f647e5a3ecfp-56}, /* 34 */
    {0x1.75feb564267c9p+0,  -0x1.619321e55e68ap-55}, /* 35 */
    {0x1.7a11473eb0187p+0,  -0x1.b32dcb94da51dp-56}, /* 36 */
    {0x1.7e2f336cf4e62p+0,   0x1.5ebe1abd66c55p-57}, /* 37 */
    {0x1.82589994cce13p+0,  -0x1.369b6f13b3734p-54}, /* 38 */
    {0x1.868d99b4492edp+0,  -0x1.4d450d872576ep-54}, /* 39 */
    {0x1.8ace5422aa0dbp+0,   0x1.db72fc1f0eab4p-55}, /* 40 */
    {0x1.8f1ae99157736p+0,   0x1.bf68359f35f44p-56}, /* 41 */
    {0x1.93737b0cdc5e5p+0,  -0x1.da9b88b6c1e29p-58}, /* 42 */
    {0x1.97d829fde4e50p+0,  -0x1.2434322f4f9aap-54}, /* 43 */
    {0x1.9c49182a3f090p+0,   0x1.1affc2b91ce27p-56}, /* 44 */
    {0x1.a0c667b5de565p+0,  -0x1.7c50422622263p-55}, /* 45 */
    {0x1.a5503b23e255dp+0,  -0x1.1bbd1d3bcbb15p-54}, /* 46 */
    {0x1.a9e6b5579fdbfp+0,   0x1.469846e735ab3p-55}, /* 47 */
    {0x1.ae89f995ad3adp+0,   0x1.c1a7792cb3387p-55}, /* 48 */
    {0x1.b33a2b84f15fbp+0,  -0x1.5c3d956dcaebap-58}, /* 49 */
    {0x1.b7f76f2fb5e47p+0,  -0x1.8d6f438ad9334p-57}, /* 50 */
    {0x1.bcc1e904bc1d2p+0,   0x1.4ffd70a5fddcdp-56}, /* 51 */
    {0x1.c199bdd85529cp+0,   0x1.36eae30af0cb3p-56}, /* 52 */
    {0x1.c67f12e57d14bp+0,   0x1.4e08fd10959acp-55}, /* 53 */
    {0x1.cb720dcef9069p+0,   0x1.76b2c6c921968p-57}, /* 54 */
    {0x1.d072d4a07897cp+0,  -0x1.fad5d3ffffa6fp-55}, /* 55 */
    {0x1.d5818dcfba487p+0,   0x1.4a385a63d07a7p-56}, /* 56 */
    {0x1.da9e603db3285p+0,   0x1.e5a50d5c192acp-55}, /* 57 */
    {0x1.dfc97337b9b5fp+0,  -0x1.2d52107b43e1fp-55}, /* 58 */
    {0x1.e502ee78b3ff6p+0,   0x1.4b604603a88d3p-56}, /* 59 */
    {0x1.ea4afa2a490dap+0,  -0x1.ff7128fd391f0p-55}, /* 60 */
    {0x1.efa1bee615a27p+0,   0x1.ec3bc41aa2008p-55}, /* 61 */
    {0x1.f50765b6e4540p+0,   0x1.a64a931d185eep-55}, /* 62 */
    {0x1.fa7c1819e90d8p+0,   0x1.7893b4d91cd9dp-56}, /* 63 */
};

// The vector routine's constants.
static const double kLog2e = 0x1.71547652b82fep+0;             // log2(e), rounded
static const double kShifter = 0x1.8000000003ff0p+48;          // 1.5 * 2^48 + 1023
static const double kLn2Hi = 0x1.62e42fefa39efp-1;             // ln 2, rounded
static const double kLn2Lo = 0x1.abc9e3b39803fp-56;            // ln 2 - kLn2Hi, rounded
static const double kC1 = 0x1.fffffffffff70p-1;                // the polynomial for exp(r) - 1
static const double kC2 = 0x1.000000000d008p-1;
static const double kC3 = 0x1.5555553939732p-3;
static const double kC4 = 0x1.55557242d68fep-5;
static const double kC5 = 0x1.1101cbbc265c0p-7;
static const double kC6 = 0x1.7411836940c04p-10;
static const double kFastLimit = 0x1.61da04cbafe44p+9;         // 707.70327135170420 = 1021 ln 2

// The scalar routine's constants.
static const double kInvLn2Over64 = 0x1.71547652b82fep+6;      // 64 / ln 2, rounded
static const double kRoundShifter = 0x1.8p+52;                 // 1.5 * 2^52
static const double kLn2Over64Hi = 0x1.62e42fefa0000p-7;       // ln2/64 cut to 36 bits: k * it is exact
static const double kLn2Over64Lo = 0x1.cf79abc9e3b3ap-46;      // ln2/64 - kLn2Over64Hi
static const double kD2 = 0.5;                                 // the polynomial, from r^2 up
static const double kD3 = 0x1.55555555548f8p-3;
static const double kD4 = 0x1.5555555558fccp-5;
static const double kD5 = 0x1.111123aaf20d3p-7;
static const double kD6 = 0x1.6c16a1c2a3ffdp-10;
static const double kOverflowX = 0x1.62e42fefa39efp+9;         // above: +inf
static const double kSubnormalX = -0x1.6232bdd7abcd2p+9;       // below: a subnormal result
static const double kUnderflowX = -0x1.74910d52d3051p+9;       // below: +0
static const double kSplitter = 0x1.8p+32;                     // 1.5 * 2^32

// The scalar routine, for |x| >= kFastLimit and +-inf (never NaN). (The routine also has a
// branch for |x| < 2^-52, returning 1 + x, which lanes sent here never reach.)
static double exp_rare(double x) {
  const uint64_t ix = bits_of(x);
  if (((ix >> 52) & 0x7ff) == 0x7ff) {
    // +-inf: exp(-inf) = +0; x * x gives +inf for +inf (and a quiet NaN for a NaN).
    if (ix == 0xfff0000000000000u) return 0.0;
    return x * x;
  }
  // Out of range: the routine squares DBL_MAX or the smallest normal above DBL_MIN, which
  // rounds to these values (and raises overflow or underflow, not modelled here).
  if (x > kOverflowX) return INFINITY;
  if (x < kUnderflowX) return 0.0;

  // k = x * 64/ln2 rounded to an integer. Adding 1.5 * 2^52 puts k, in two's complement,
  // in the low bits of the sum's significand (|k| < 2^17 here).
  const double t = x * kInvLn2Over64;
  const double shifted = t + kRoundShifter;
  const int32_t k = (int32_t)(uint32_t)bits_of(shifted);
  const double kd = shifted - kRoundShifter;
  const int j = k & 63;
  const int m = (k - j) / 64;

  // r = x - k * ln2/64, every product and difference rounded on its own.
  double r = x - kd * kLn2Over64Hi;
  r = r - kd * kLn2Over64Lo;

  // p = th_j * (tl_j + r + r^2 (1/2 + d3 r + ... + d6 r^4)), in the routine's order.
  const double th = exp2_table[j][0];
  const double tl = exp2_table[j][1];
  double p = kD6 * r;
  p = p + kD5;
  p = p * r;
  p = p + kD4;
  p = p * r;
  p = p + kD3;
  p = p * r;
  p = p + kD2;
  p = p * r;
  p = p * r;
  p = p + r;
  p = p + tl;
  p = p * th;

  if (x >= kSubnormalX) {
    // A normal (or, near kOverflowX, infinite) result: (th + p) * 2^m, with 2^1023 * 2 when
    // 2^m is out of the double range.
    const double y = p + th;
    const int biased = m + 1023;
    if (biased == 2047) return (y * power_of_two(2046)) * 2.0;
    return y * power_of_two(biased);
  }

  // A subnormal (or zero) result: form th * 2^(m+60) + p * 2^(m+60), then scale by 2^-60.
  const int biased = m + 1083;
  const double scale = power_of_two(biased);
  const double ps = p * scale;
  const double ts = scale * th;
  const double sum = ts + ps;
  if (biased <= 50) return sum * 0x1p-60;

  // Split: sum = high + low, high with about 20 significant bits (its scaling is exact),
  // low carrying the rest of sum together with the rounding error of ts + ps.
  const double error = (ts - sum) + ps;
  const double big = sum * kSplitter;
  const double high = (sum + big) - big;
  const double low = error + (sum - high);
  const double high_scaled = high * 0x1p-60;
  const double low_scaled = low * 0x1p-60;
  return high_scaled + low_scaled;
}

double retrace_svml_exp(double x) {
  // NaN: the vector routine carries x's NaN (quieted, sign and payload kept) through to the
  // final scaling, whose result is that NaN.
  if (isnan(x)) return x + x;
  if (fabs(x) >= kFastLimit) return exp_rare(x);

  // n = x * log2(e) rounded down to a multiple of 1/16, held in t = n + kShifter. The fused
  // product-sum is rounded to nearest here and stepped down by one unit (1/16) when that
  // rounding went up, which is the kernel's round-toward-zero result: x * log2(e) - (t -
  // kShifter) is computed with one rounding, so its sign is exact.
  double t = fma(x, kLog2e, kShifter);
  if (fma(x, kLog2e, -(t - kShifter)) < 0.0) t = double_of(bits_of(t) - 1);
  const double n = t - kShifter;  // exact: both in [2^48, 2^49)
  const int64_t n16 = (int64_t)(bits_of(t) - bits_of(kShifter));  // 16 n
  const int j = (int)(n16 & 15);
  const int floor_n = (int)((n16 - j) / 16);

  // r = x - n ln2 in two fused steps. (The kernel then clears bit 62 of r to keep |r| < 2
  // in lanes the scalar routine recomputes; here |r| < 0.05, where that changes nothing.)
  double r = fma(-n, kLn2Hi, x);
  r = fma(-n, kLn2Lo, r);

  // q = ((c6 r + c5) r^2 + (c4 r + c3)) r^2 + (c2 r + c1), so that exp(r) - 1 ~ q r.
  const double r2 = r * r;
  const double c56 = fma(kC6, r, kC5);
  const double c34 = fma(kC4, r, kC3);
  const double c12 = fma(kC2, r, kC1);
  double q = fma(r2, c56, c34);
  q = fma(r2, q, c12);

  // 2^(j/16) exp(r) ~ th (1 + tl + q r) = th p + th with p = q r + tl.
  const double th = exp2_table[4 * j][0];
  const double tl = exp2_table[4 * j][1];
  const double p = fma(q, r, tl);
  const double y = fma(th, p, th);

  // Times 2^floor(n), exact: floor(n) is in -1022 ... 1021 and y in about [1, 2.2).
  return y * power_of_two(floor_n + 1023);
}
