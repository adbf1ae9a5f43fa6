#include "CNumKernels.h"
#include <math.h>

// Two versions, chosen once at load time by the CPU (GCC/Clang function multiversioning):
// one with the FMA instruction inline, one calling libm's exactly rounded fma().
__attribute__((target_clones("fma", "default")))
double retrace_fma_chain(const double *a, long sa, const double *b, long sb, long n) {
  double acc = 0.0;
  for (long i = 0; i < n; i++) {
    acc = fma(a[i * sa], b[i * sb], acc);
  }
  return acc;
}

// Columns j ..< j + width of row i (width a constant where it is inlined, so the sums stay in
// registers).
static inline __attribute__((always_inline)) void gemm_columns(
    const double *ai, long acs, const double *b, long brs, double *row, long j, long k,
    const int width) {
  double acc[16] = {0};
  for (long p = 0; p < k; p++) {
    const double x = ai[p * acs];
    const double *bp = b + p * brs + j;
    for (int t = 0; t < width; t++) acc[t] = fma(x, bp[t], acc[t]);
  }
  for (int t = 0; t < width; t++) row[j + t] = acc[t];
}

// c[i*m + j] = fma chain over p = 0 ..< k of a[i*ars + p*acs] * b[p*brs + j], from 0, for
// every i, j: the same chain per element as retrace_fma_chain. `a` may be any 2-d view (a
// transpose included); `b`'s rows are contiguous. A row of c is computed 16, then 4 columns
// at a time with the running sums in registers (independent chains side by side, vectorised),
// the last few columns one at a time.
__attribute__((target_clones("fma", "default")))
void retrace_gemm_fma(const double *a, long ars, long acs, const double *b, long brs, double *c,
                      long n, long m, long k) {
  for (long i = 0; i < n; i++) {
    const double *ai = a + i * ars;
    double *row = c + i * m;
    long j = 0;
    for (; j + 16 <= m; j += 16) gemm_columns(ai, acs, b, brs, row, j, k, 16);
    for (; j + 4 <= m; j += 4) gemm_columns(ai, acs, b, brs, row, j, k, 4);
    for (; j < m; j++) gemm_columns(ai, acs, b, brs, row, j, k, 1);
  }
}

typedef double retrace_v4d __attribute__((vector_size(32)));
typedef long long retrace_v4l __attribute__((vector_size(32)));

// `mask ? x : y` lane by lane (C has no vector conditional).
#define retrace_select(mask, x, y) \
  ((retrace_v4d)(((retrace_v4l)(x) & (mask)) | ((retrace_v4l)(y) & ~(mask))))

// V(a, b) of NumPy's AVX2 maximum / minimum: the canonical NaN where either lane is NaN, else
// `a > b ? a : b` (`<` for the minimum), which keeps b where the two are equal.
#define retrace_extreme_v(a, b, maximum)                                                   \
  retrace_select(((a) != (a)) | ((b) != (b)), canonical,                                   \
                 retrace_select((maximum) ? ((a) > (b)) : ((a) < (b)), (a), (b)))

// np.max / np.min of p[0 ..< n] (n >= 1) as NumPy 2.4.6's contiguous reduce loop computes it
// on AVX2: r = p[0]; when at least 4 more elements follow, four lanes start at r and take
// blocks of 8 vectors (combined as a tree: ((v0 v1)(v2 v3))((v4 v5)(v6 v7))) and then single
// vectors, the lanes combine as (l0 l2)(l1 l3), any NaN there giving the canonical NaN; the
// remaining elements one by one, `!(r > x) ? x : r`, a NaN result kept; a NaN first element
// gives the canonical NaN.
// The same tree of selects without the NaN masks (`a > b ? a : b` only), and `x - x` summed
// over every element: NaN when any element is NaN or infinite. Where that sum is a number,
// no V met a NaN, so the result is `retrace_extreme`'s; otherwise that function decides.
#define retrace_plain_v(a, b, maximum) \
  retrace_select((maximum) ? ((a) > (b)) : ((a) < (b)), (a), (b))

#if defined(__x86_64__)
#include <immintrin.h>

// `retrace_extreme_fast` with AVX's own max/min (`vmaxpd a, b` is `a > b ? a : b` lane by
// lane, `vminpd` `a < b ? a : b`: the selects of the portable version, one instruction each).
__attribute__((target("avx2")))
static int retrace_extreme_avx2(const double *p, long n, int maximum, double *out) {
  const double *ip = p + 1;
  long length = n - 1, i = 0;
  __m256d acc = _mm256_set1_pd(p[0]);
  __m256d check = _mm256_set_pd(0, 0, 0, p[0] - p[0]);
#define RETRACE_V(a, b) (maximum ? _mm256_max_pd((a), (b)) : _mm256_min_pd((a), (b)))
  for (; length - i >= 32; i += 32) {
    __m256d v0 = _mm256_loadu_pd(ip + i), v1 = _mm256_loadu_pd(ip + i + 4);
    __m256d v2 = _mm256_loadu_pd(ip + i + 8), v3 = _mm256_loadu_pd(ip + i + 12);
    __m256d v4 = _mm256_loadu_pd(ip + i + 16), v5 = _mm256_loadu_pd(ip + i + 20);
    __m256d v6 = _mm256_loadu_pd(ip + i + 24), v7 = _mm256_loadu_pd(ip + i + 28);
    __m256d s01 = _mm256_add_pd(_mm256_sub_pd(v0, v0), _mm256_sub_pd(v1, v1));
    __m256d s23 = _mm256_add_pd(_mm256_sub_pd(v2, v2), _mm256_sub_pd(v3, v3));
    __m256d s45 = _mm256_add_pd(_mm256_sub_pd(v4, v4), _mm256_sub_pd(v5, v5));
    __m256d s67 = _mm256_add_pd(_mm256_sub_pd(v6, v6), _mm256_sub_pd(v7, v7));
    check = _mm256_add_pd(check, _mm256_add_pd(_mm256_add_pd(s01, s23), _mm256_add_pd(s45, s67)));
    __m256d low = RETRACE_V(RETRACE_V(v0, v1), RETRACE_V(v2, v3));
    __m256d high = RETRACE_V(RETRACE_V(v4, v5), RETRACE_V(v6, v7));
    acc = RETRACE_V(acc, RETRACE_V(low, high));
  }
  for (; length - i >= 4; i += 4) {
    __m256d v = _mm256_loadu_pd(ip + i);
    check = _mm256_add_pd(check, _mm256_sub_pd(v, v));
    acc = RETRACE_V(acc, v);
  }
#undef RETRACE_V
  double lanes[4], checks[4];
  _mm256_storeu_pd(lanes, acc);
  _mm256_storeu_pd(checks, check);
  double sum = (checks[0] + checks[1]) + (checks[2] + checks[3]);
  for (long k = i; k < length; k++) sum += ip[k] - ip[k];
  if (sum != sum) return 0;
  double a0 = maximum ? (lanes[0] > lanes[2] ? lanes[0] : lanes[2])
                      : (lanes[0] < lanes[2] ? lanes[0] : lanes[2]);
  double a1 = maximum ? (lanes[1] > lanes[3] ? lanes[1] : lanes[3])
                      : (lanes[1] < lanes[3] ? lanes[1] : lanes[3]);
  double r = maximum ? (a0 > a1 ? a0 : a1) : (a0 < a1 ? a0 : a1);
  for (; i < length; i++) {
    double x = ip[i];
    if (maximum ? !(r > x) : !(r < x)) r = x;
  }
  *out = r;
  return 1;
}
#endif

static int retrace_extreme_fast(const double *p, long n, int maximum, double *out) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return retrace_extreme_avx2(p, n, maximum, out);
#endif
  double r = p[0];
  const double *ip = p + 1;
  long length = n - 1, i = 0;
  retrace_v4d acc = {r, r, r, r};
  retrace_v4d check = {r - r, 0, 0, 0};
  for (; length - i >= 32; i += 32) {
    retrace_v4d v[8];
    __builtin_memcpy(v, ip + i, sizeof v);
    check += ((v[0] - v[0]) + (v[1] - v[1])) + ((v[2] - v[2]) + (v[3] - v[3]))
             + ((v[4] - v[4]) + (v[5] - v[5])) + ((v[6] - v[6]) + (v[7] - v[7]));
    retrace_v4d low = retrace_plain_v(retrace_plain_v(v[0], v[1], maximum),
                                      retrace_plain_v(v[2], v[3], maximum), maximum);
    retrace_v4d high = retrace_plain_v(retrace_plain_v(v[4], v[5], maximum),
                                       retrace_plain_v(v[6], v[7], maximum), maximum);
    acc = retrace_plain_v(acc, retrace_plain_v(low, high, maximum), maximum);
  }
  for (; length - i >= 4; i += 4) {
    retrace_v4d v;
    __builtin_memcpy(&v, ip + i, sizeof v);
    check += v - v;
    acc = retrace_plain_v(acc, v, maximum);
  }
  double sum = (check[0] + check[1]) + (check[2] + check[3]);
  for (long k = i; k < length; k++) sum += ip[k] - ip[k];
  if (sum != sum) return 0;
  double a0 = maximum ? (acc[0] > acc[2] ? acc[0] : acc[2]) : (acc[0] < acc[2] ? acc[0] : acc[2]);
  double a1 = maximum ? (acc[1] > acc[3] ? acc[1] : acc[3]) : (acc[1] < acc[3] ? acc[1] : acc[3]);
  r = maximum ? (a0 > a1 ? a0 : a1) : (a0 < a1 ? a0 : a1);
  for (; i < length; i++) {
    double x = ip[i];
    if (maximum ? !(r > x) : !(r < x)) r = x;
  }
  *out = r;
  return 1;
}

__attribute__((target_clones("avx2", "default")))
double retrace_extreme(const double *p, long n, int maximum) {
  const double nan = __builtin_nan("");
  const retrace_v4d canonical = {nan, nan, nan, nan};
  double r = p[0];
  const double *ip = p + 1;
  long length = n - 1, i = 0;
  if (length >= 4 && retrace_extreme_fast(p, n, maximum, &r)) return r;
  if (length >= 4) {
    retrace_v4d acc = {r, r, r, r};
    for (; length - i >= 32; i += 32) {
      retrace_v4d v[8];
      __builtin_memcpy(v, ip + i, sizeof v);
      retrace_v4d r01 = retrace_extreme_v(v[0], v[1], maximum);
      retrace_v4d r23 = retrace_extreme_v(v[2], v[3], maximum);
      retrace_v4d r45 = retrace_extreme_v(v[4], v[5], maximum);
      retrace_v4d r67 = retrace_extreme_v(v[6], v[7], maximum);
      retrace_v4d low = retrace_extreme_v(r01, r23, maximum);
      retrace_v4d high = retrace_extreme_v(r45, r67, maximum);
      retrace_v4d block = retrace_extreme_v(low, high, maximum);
      acc = retrace_extreme_v(acc, block, maximum);
    }
    for (; length - i >= 4; i += 4) {
      retrace_v4d v;
      __builtin_memcpy(&v, ip + i, sizeof v);
      acc = retrace_extreme_v(acc, v, maximum);
    }
    double lanes[4];
    __builtin_memcpy(lanes, &acc, sizeof lanes);
    double pair[2];
    for (int k = 0; k < 2; k++) {
      double a = lanes[k], b = lanes[k + 2];
      pair[k] = (a != a || b != b) ? nan : (maximum ? (a > b ? a : b) : (a < b ? a : b));
    }
    double a = pair[0], b = pair[1];
    r = (a != a || b != b) ? nan : (maximum ? (a > b ? a : b) : (a < b ? a : b));
  }
  for (; i < length; i++) {
    double x = ip[i];
    if (r != r) break;
    if (maximum ? !(r > x) : !(r < x)) r = x;
  }
  if (p[0] != p[0]) return nan;
  return r;
}
