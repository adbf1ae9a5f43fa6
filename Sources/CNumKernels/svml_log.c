// Float64 log, bit-identical to Intel SVML's `__svml_log8_ha` as NumPy 2.4.6 runs it for
// float64 `np.log` on Linux x86-64 with AVX-512 (the X86_V4 / AVX512_SKX dispatch target).
//
// NumPy vendors SVML as generated assembly (the numpy/SVML submodule, linux/avx512/
// svml_z0_log_d_ha.s). This file is an independent scalar C description of what that routine
// computes for one lane; the constants are the routine's numbers written as hex float
// literals. Checked bit for bit against np.log on this machine (Fixtures/numpy/machines/
// svml-log.bin, 100,000 inputs, made by Scripts/make-fixtures.py machines; and
// Scripts/check-svml-log.py, which also measures the reciprocal steps below).
//
// The vector routine (every lane on its own), for x positive and finite:
//  * x = m 2^e with m in [1, 2) (vgetmantpd / vgetexppd, subnormals normalized).
//  * r ~ 1/m: the CPU's 14-bit reciprocal (vrcp14pd) rounded to a multiple of 1/32
//    (vrndscalepd, to nearest, ties to even), so r = k/32 with k in 16 ... 32. That rounding
//    depends only on the top 16 bits of m's fraction (measured over all 65,536 of them, with
//    the low bits zero, all ones and random), and k steps down by one at each of the 16
//    fractions in `rcp_steps` (measured on an AMD EPYC with AVX-512; Intel documents only that
//    vrcp14pd's relative error is below 2^-14, and between the steps the rounding is that of
//    1/m itself).
//  * R = r m - 1, one fused step (exact: r has 5 fraction bits).
//  * If r < 3/4, e + 1 (so that log x = e' ln 2 - log r' + log(1 + R) with r' = 2r in
//    [1, 3/2), or r' = r in [3/4, 1]); -log r' is the table row of r's top 4 fraction bits,
//    Th (about 40 bits) + Tl.
//  * log(1 + R) - R ~ R^2 P(R), P of degree 7 by pairs, in a fixed order of fused steps:
//    p1 = c6 R + c7, p2 = c8 R + c9, q1 = p2 R^2 + p1, p3 = c4 R + c5, p4 = c2 R + c3,
//    q2 = p3 R^2 + p4, P = q1 R^4 + q2.
//  * H = e' ln2_hi + Th (exact), S = H + R, Rh = S - H, Rl = R - Rh (the rounding error of S,
//    Fast2Sum), A = P R^2 + Rl, B = e' ln2_lo + Tl; log x = S + (A + B).
// The lanes with x <= 0, infinities and NaN go to the scalar routine: log(+-0) = -inf,
// log(x < 0) and log(-inf) = the default NaN (sign bit set), log(+inf) = +inf, log(NaN) =
// that NaN quieted.

#include "svml_log.h"

#include <math.h>
#include <stdint.h>

#include "float_bits.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

// Row i (r's top 4 fraction bits): -log(r') split as Th (low 12 bits of its significand zero,
// so e' ln2_hi + Th is exact) and Tl, r' = (16 + i)/16 for i < 8 (r = (16 + i)/32 < 3/4,
// doubled) and r' = (16 + i)/32 for i >= 8; row 0 also serves r = 1.
static const double log_th[16] = {
    0x0.0p+0,
    -0x1.f0a30c0120000p-5,
    -0x1.e27076e2b0000p-4,
    -0x1.5ff3070a78000p-3,
    -0x1.c8ff7c79a8000p-3,
    -0x1.1675cababc000p-2,
    -0x1.4618bc21c4000p-2,
    -0x1.739d7f6bbc000p-2,
    0x1.269621134c000p-2,
    0x1.f991c6cb38000p-3,
    0x1.a93ed3c8b0000p-3,
    0x1.5bf406b540000p-3,
    0x1.1178e82280000p-3,
    0x1.9335e5d590000p-4,
    0x1.08598b59e0000p-4,
    0x1.0415d89e80000p-5,
};
static const double log_tl[16] = {
    0x0.0p+0,
    0x1.3ab33d066d1d2p-42,
    0x1.a342c2af0003cp-45,
    -0x1.3d3c873e20a07p-43,
    -0x1.a21ac25d81ef3p-43,
    0x1.9f1fc63382a8fp-42,
    -0x1.ec27d0b7b37b3p-42,
    -0x1.0069ce24c53fbp-42,
    0x1.b92783beb7677p-42,
    0x1.9bcbecca0cdf3p-42,
    -0x1.30e486a0ac42dp-42,
    0x1.ed8fdc149767ep-42,
    -0x1.b8421cc74be04p-43,
    0x1.2622b8757a8fbp-42,
    0x1.d034451fecdfbp-43,
    -0x1.77771fd187145p-42,
};

// The top-16-bit fractions of m at which the rounded reciprocal steps from k/32 to (k-1)/32,
// k = 32, 31, ..., 17 (vrcp14pd on an AMD EPYC with AVX-512, rounded as above).
static const uint32_t rcp_steps[16] = {
    1039,  3223,  5556,  8048,  10726, 13603, 16707, 20063,
    23705, 27669, 32007, 36764, 42010, 47824, 54300, 61568,
};

static const double c2 = -0x1.fffffffffffc6p-2;
static const double c3 = 0x1.5555555555466p-2;
static const double c4 = -0x1.00000000c05bdp-2;
static const double c5 = 0x1.9999999cc9f5cp-3;
static const double c6 = -0x1.55553fb28db06p-3;
static const double c7 = 0x1.249229cee81efp-3;
static const double c8 = -0x1.007357e93af62p-3;
static const double c9 = 0x1.c81cd309d7c70p-4;
static const double ln2_hi = 0x1.62e42fefa0000p-1;
static const double ln2_lo = 0x1.cf79abc9e0000p-40;

double retrace_svml_log(double x) {
  uint64_t u = bits_of(x);
  if (x != x) return double_of(u | 0x0008000000000000ULL);
  if (x == 0) return -INFINITY;
  if (u >> 63) return double_of(0xFFF8000000000000ULL);
  if (x == INFINITY) return x;
  // m in [1, 2) and e, subnormals normalized.
  int e;
  uint64_t fraction;
  int biased = (int)(u >> 52);
  if (biased == 0) {
    int shift = __builtin_clzll(u) - 11;  // bring the leading one to bit 52
    uint64_t normal = u << shift;
    fraction = normal & 0x000FFFFFFFFFFFFFULL;
    e = -1022 - shift;
  } else {
    fraction = u & 0x000FFFFFFFFFFFFFULL;
    e = biased - 1023;
  }
  double m = double_of(0x3FF0000000000000ULL | fraction);
  uint32_t top = (uint32_t)(fraction >> 36);
  int k = 32;
  for (int s = 0; s < 16; s++) k -= top >= rcp_steps[s];
  double r = (double)k / 32.0;
  double R = fma(r, m, -1.0);
  double exponent = (double)e;
  if (r < 0.75) exponent = exponent + 1.0;
  int row = k == 32 ? 0 : k - 16;
  double p1 = fma(R, c7, c6);
  double p2 = fma(R, c9, c8);
  double R2 = R * R;
  double p3 = fma(R, c5, c4);
  double q1 = fma(R2, p2, p1);
  double R4 = R2 * R2;
  double p4 = fma(R, c3, c2);
  double q2 = fma(R2, p3, p4);
  double H = fma(exponent, ln2_hi, log_th[row]);
  double P = fma(R4, q1, q2);
  double S = H + R;
  double Rh = S - H;
  double Rl = R - Rh;
  double A = fma(R2, P, Rl);
  double B = fma(exponent, ln2_lo, log_tl[row]);
  double AB = A + B;
  return S + AB;
}
