// Float64 exp, bit-identical to glibc's `exp` (2.28 and later; checked on this machine's
// Debian glibc 2.36) in its FMA build `__exp_fma`, the variant the ifunc picks on a CPU with
// FMA. NumPy 2.4.6 calls it per element for float64 `np.exp` on x86-64 without AVX-512 (its
// X86_V3 loop `DOUBLE_exp` calls libm; perf shows `__ieee754_exp_fma`), so this is NumPy's
// exp on such a machine, computed four lanes at a time instead of one call per element.
//
// Independent C written from the algorithm (Szabolcs Nagy's table-driven exp) and from the
// machine code of that libm function, which fixes the one thing the algorithm leaves open:
// which multiply-adds the compiler fused. The 128-entry table is generated from its
// definition by Scripts/make-exp-table.py (and equals libm's word for word); the constants are
// the values that libm's `__exp_data` holds.
//
// With N = 128 and |x| in [2^-54, 512):
//  * kd = fma(x, N/ln2, 1.5 * 2^52) rounds x N/ln2 to an integer ki (the low bits of kd), then
//    kd -= 1.5 * 2^52; r = fma(kd, -ln2hi/N, x), r = fma(kd, -ln2lo/N, r).
//  * 2^(ki/N) = 2^(ki >> 7) T[ki % N]: scale = bits(T_hi[ki % N] + (ki << 45)), T_tail the
//    relative error of T_hi.
//  * tmp = fma(r^2 * r^2, fma(r, C5, C4), fma(fma(r, C3, C2), r^2, r + tail)), the result
//    fma(scale, tmp, scale).
// Below 2^-54 the result is 1 + x; from 1024 up, inf and NaN: +inf, +0 (also for -inf) or
// x + 1 (NaN); between 512 and 1024 the same steps with the scale taken apart so that it
// neither overflows nor loses bits in a subnormal result (`special`).
#include "glibc_exp.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "float_bits.h"

#include "glibc_exp_table.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Every fused multiply-add here is written as fma(); all other products and sums are rounded
// one at a time, so the compiler must not contract a * b + c into a fused instruction.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

// libm's __exp_data: N/ln2, -ln2/N in two parts, the polynomial's C2 ... C5, the shift.
#define INV_LN2_N 0x40671547652b82feULL
#define NEG_LN2_HI_N 0xbf762e42fefa0000ULL
#define NEG_LN2_LO_N 0xbd0cf79abc9e3b3aULL
#define C2 0x3fdffffffffffdbdULL
#define C3 0x3fc555555555543cULL
#define C4 0x3fa55555cf172b91ULL
#define C5 0x3f81111167a4d017ULL
#define SHIFT 0x4338000000000000ULL

// |x| in [512, 1024): the scale 2^(ki/N) may overflow or be subnormal. Positive ki: scale
// by 2^-1009 first, then multiply back by 2^1009. Negative ki: scale by 2^1022, and when the
// result is below 1 (a subnormal result) add and take away 1 in two parts so that it is
// rounded once; a zero is +0.
static inline __attribute__((always_inline)) double special(double tmp, uint64_t sbits,
                                                            uint64_t ki) {
  if ((ki & 0x80000000ULL) == 0) {
    double scale = double_of(sbits - (1009ULL << 52));
    return 0x1p1009 * fma(scale, tmp, scale);
  }
  double scale = double_of(sbits + (1022ULL << 52));
  double product = scale * tmp;
  double y = scale + product;
  if (y < 1.0) {
    double hi = y + 1.0;
    double lo = (scale - y) + product;
    y = ((((1.0 - hi) + y) + lo) + hi) - 1.0;
    if (y == 0) return 0.0;
  }
  return y * 0x1p-1022;
}

static inline __attribute__((always_inline)) double exp_one(double x) {
  uint64_t ix = bits_of(x);
  uint32_t abstop = (uint32_t)(ix >> 52) & 0x7ff;
  if (abstop - 0x3c9 > 0x3e) {
    if ((int32_t)(abstop - 0x3c9) < 0) return x + 1.0;  // |x| < 2^-54
    if (abstop > 0x408) {  // |x| >= 1024, inf, NaN
      if (ix == 0xfff0000000000000ULL) return 0.0;
      if (abstop == 0x7ff) return x + 1.0;
      return (ix >> 63) ? 0.0 : INFINITY;
    }
    abstop = 0;  // |x| in [512, 1024): the steps, then `special`
  }
  double kd = fma(x, double_of(INV_LN2_N), double_of(SHIFT));
  uint64_t ki = bits_of(kd);
  kd = kd - double_of(SHIFT);
  double r = fma(kd, double_of(NEG_LN2_HI_N), x);
  r = fma(kd, double_of(NEG_LN2_LO_N), r);
  uint64_t idx = 2 * (ki & 127);
  double tail = double_of(retrace_exp_table[idx]);
  uint64_t sbits = retrace_exp_table[idx + 1] + (ki << 45);
  double r2 = r * r;
  double low = fma(fma(r, double_of(C3), double_of(C2)), r2, r + tail);
  double tmp = fma(r2 * r2, fma(r, double_of(C5), double_of(C4)), low);
  if (abstop == 0) return special(tmp, sbits, ki);
  double scale = double_of(sbits);
  return fma(scale, tmp, scale);
}

// Two versions, chosen at load time: with the FMA instruction inline, or calling libm's
// exactly rounded fma() (the same bits, slower).
__attribute__((target_clones("fma", "default"))) double retrace_glibc_exp(double x) {
  return exp_one(x);
}

__attribute__((target_clones("fma", "default"))) static void exp_scalar_loop(long n,
                                                                          const double *x,
                                                                          double *out) {
  for (long i = 0; i < n; i++) out[i] = exp_one(x[i]);
}

#if defined(__x86_64__)
// Four lanes of the steps above; a group with any lane outside [2^-54, 512) (or NaN) is done
// element by element.
__attribute__((target("avx2,fma"))) static void exp_avx2_loop(long n, const double *x,
                                                              double *out) {
  const __m256d inv = _mm256_set1_pd(double_of(INV_LN2_N));
  const __m256d shift = _mm256_set1_pd(double_of(SHIFT));
  const __m256d hi = _mm256_set1_pd(double_of(NEG_LN2_HI_N));
  const __m256d lo = _mm256_set1_pd(double_of(NEG_LN2_LO_N));
  const __m256d c2 = _mm256_set1_pd(double_of(C2));
  const __m256d c3 = _mm256_set1_pd(double_of(C3));
  const __m256d c4 = _mm256_set1_pd(double_of(C4));
  const __m256d c5 = _mm256_set1_pd(double_of(C5));
  const __m256i top_mask = _mm256_set1_epi64x(0x7ff);
  const __m256i below = _mm256_set1_epi64x(0x3c9);
  const __m256i above = _mm256_set1_epi64x(0x407);
  const __m256i index_mask = _mm256_set1_epi64x(127);
  const long long *table = (const long long *)retrace_exp_table;
  long i = 0;
  for (; i + 4 <= n; i += 4) {
    __m256d vx = _mm256_loadu_pd(x + i);
    __m256i abstop = _mm256_and_si256(_mm256_srli_epi64(_mm256_castpd_si256(vx), 52), top_mask);
    __m256i outside = _mm256_or_si256(_mm256_cmpgt_epi64(abstop, above),
                                      _mm256_cmpgt_epi64(below, abstop));
    if (!_mm256_testz_si256(outside, outside)) {
      for (int l = 0; l < 4; l++) out[i + l] = exp_one(x[i + l]);
      continue;
    }
    __m256d kd = _mm256_fmadd_pd(vx, inv, shift);
    __m256i ki = _mm256_castpd_si256(kd);
    kd = _mm256_sub_pd(kd, shift);
    __m256d r = _mm256_fmadd_pd(kd, hi, vx);
    r = _mm256_fmadd_pd(kd, lo, r);
    __m256i idx = _mm256_slli_epi64(_mm256_and_si256(ki, index_mask), 1);
    __m256d tail = _mm256_castsi256_pd(_mm256_i64gather_epi64(table, idx, 8));
    __m256i sbits = _mm256_add_epi64(_mm256_i64gather_epi64(table + 1, idx, 8),
                                     _mm256_slli_epi64(ki, 45));
    __m256d r2 = _mm256_mul_pd(r, r);
    __m256d low = _mm256_fmadd_pd(_mm256_fmadd_pd(r, c3, c2), r2, _mm256_add_pd(r, tail));
    __m256d tmp = _mm256_fmadd_pd(_mm256_mul_pd(r2, r2), _mm256_fmadd_pd(r, c5, c4), low);
    __m256d scale = _mm256_castsi256_pd(sbits);
    _mm256_storeu_pd(out + i, _mm256_fmadd_pd(scale, tmp, scale));
  }
  for (; i < n; i++) out[i] = exp_one(x[i]);
}
#endif

void retrace_glibc_exp_loop(long n, const double *x, double *out) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    exp_avx2_loop(n, x, out);
    return;
  }
#endif
  exp_scalar_loop(n, x, out);
}
