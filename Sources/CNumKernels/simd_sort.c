// NumPy 2.4.6's np.sort / np.argsort (kind 'quicksort') of float64, int64, float32 and int32 on
// Linux x86-64 with AVX2 and no AVX-512, reproduced in portable scalar C.
//
// The path NumPy takes (numpy v2.4.6, numpy/_core/src/npysort/quicksort.cpp): quicksort_<type>
// and aquicksort_<type> first try `quicksort_dispatch` / `aquicksort_dispatch`, which on a CPU
// with X86_V3 (AVX2) and without X86_V4 call x86_simd_qsort.dispatch.cpp /
// x86_simd_argsort.dispatch.cpp compiled for X86_V3: `x86simdsortStatic::qsort(arr, n, true)`
// and `x86simdsortStatic::argsort(arr, arg, n, true)` of the vendored x86-simd-sort (submodule
// commit 5adb334 in v2.4.6; the code read was intel/x86-simd-sort 6a7a01d, the commit NumPy
// 2.4.0 vendored), i.e. `avx2_qsort` and `avx2_argsort` with hasnan = true. This applies to every
// size n >= 2 (NumPy returns early for n <= 1); there is no size threshold in NumPy itself. The
// index array is NumPy's 0, 1, ..., n-1 on entry. NumPy sorts each 1-d lane along `axis` in a
// contiguous buffer (a copy when the lane is strided), so the result of a lane depends only on
// its values.
//
// argsort (src/xss-common-argsort.h, `xss_argsort`): all four dtypes use 4-lane vectors (the
// 64-bit keys in ymm registers as avx2_vector<T>, the 32-bit ones in xmm registers as
// avx2_half_vector<T>), with the 64-bit indices in a ymm register beside them.
//   * float with any NaN: std::sort of the indices with "NaN is largest" (std_argsort_withnan).
//   * keys already in ascending order (std::is_sorted with <): the identity, untouched.
//   * otherwise `argsort_`, max_iters = 2 * (size_t)log2(n):
//       - max_iters == 0: std::sort of the indices by arr[i] < arr[j] (std_argsort);
//       - n <= 256: the key-index bitonic network `argsort_n<256>` (1..64 vectors of 4 lanes,
//         the last half of them padded with key type_max and index SIZE_MAX);
//       - else pivot = the third of the four keys at left + k*((right-left)/4), k = 1..4,
//         partitioned into < pivot | >= pivot four index vectors at a time
//         (`argpartition_unrolled<4>`, the AVX2 "double compress store": each vector's lanes
//         permuted to [less, in order | greater-or-equal, reversed] and stored whole at both
//         ends), then both sides recursively, unless the pivot equals their smallest/biggest.
// sort (src/xss-common-qsort.h, `xss_qsort`): NaNs are replaced by +inf and counted, the array
// is sorted by `qsort_`, and the last count elements become the default quiet NaN. 64-bit types
// use 4 lanes (network threshold 64, partition unrolled 8 times), 32-bit types 8 lanes (threshold
// 256, unrolled 4 times):
//   - max_iters == 0: std::sort of the values;
//   - n <= threshold: the bitonic network `sort_n` (optimal column networks from
//     bertdobbelaere.github.io/sorting_networks.html, then bitonic merges inside the vectors);
//   - else `get_pivot_smart` (a sorted sample of four vectors: its median, the next value above
//     it when it equals the sample's smallest, or the scan of `get_pivot_near_constant` when the
//     sample is constant, which can stop the recursion for constant or two-valued ranges), then
//     `partition_unrolled` (scalar prefix, `vec_align` vectors, the same compress-store scheme).
//
// Which of the equal keys or zeros ends up where is decided by the min/max semantics: AVX's
// min(x, y) is x < y ? x : y and max(x, y) is x > y ? x : y (the second operand wins a tie), the
// integer emulations agree, and the key-index compare-exchanges keep an index in place exactly
// when its key equals the key that stays. These are written out lane by lane below. std::sort is
// libstdc++'s introsort (NumPy's Linux wheels are built with GCC): median-of-three of
// first+1, mid, last-1 moved to first, unguarded partition, depth limit 2*floor(log2 n) then heap
// sort, threshold 16, final insertion sort.
//
// np.partition / np.argpartition (kind 'introselect'; numpy v2.4.6 selection.cpp and
// item_selection.c): partition_prep_kth_array adds n to each negative kth, checks the bounds and
// sorts the kth; then, for each lane (a contiguous copy when strided, indices 0..n-1 on entry,
// nothing done when n <= 1), each kth in turn calls `introselect_noarg` / `introselect_arg`
// with one pivot stack per lane. Those take x86-simd-sort when nkth == 1 (X86_V3 build of
// x86_simd_qsort.dispatch.cpp / x86_simd_argsort.dispatch.cpp) and NumPy's own introselect_
// otherwise, whatever the data:
//   * qselect (`xss_qselect`, hasnan = true): float NaNs swapped to the end by
//     move_nans_to_end_of_array (bits kept, which `sort` does not do); when kth lies before them,
//     `qselect_`: max_iters = 2 * (size_t)log2(n) (then std::sort), ranges up to the network
//     threshold sorted by `sort_n`, else pivot = `get_pivot` (the middle of the SS_L sorted keys
//     at left + i * ((right - left) / SS_L)), `partition_unrolled`, and only kth's side again,
//     unless the pivot equals that side's smallest / biggest.
//   * argselect (`xss_argselect`): a float lane with any NaN → libstdc++ std::nth_element of the
//     indices, NaN largest (std_argselect_withnan); otherwise `argselect_`, argsort_'s recursion
//     (same pivot, network, partition and std::sort fallback, no is_sorted shortcut) into kth's
//     side only.
//   * introselect_ (two or more kth): median-of-3 quickselect with NumPy's unguarded partition,
//     median of medians of 5 once 2 * floor(log2 n) rounds are spent, dumb_select (selection
//     sort) when kth - low < 3, the last-maximum scan for a float kth == n - 1, NaN largest
//     (a < b || (b != b && a == a)), and store_pivot's stack of up to 50 pivots.
//
// Verified against this machine's NumPy 2.4.6 by Tests/NumPyKitTests/Array/SIMDSortTests.swift
// (fixtures from Scripts/fixtures/sorting.py).

#include "simd_sort.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SS_CAT_(a, b) a##b
#define SS_CAT(a, b) SS_CAT_(a, b)

typedef long ss_idx;

static long ss_floor_log2(ptrdiff_t n) {
  long r = -1;
  while (n > 0) {
    n >>= 1;
    r++;
  }
  return r;
}

// libstdc++'s std::sort(first, last, comp) for element type E, comparator LESS(ctx, x, y).
#define SS_DEFINE_STD_SORT(P, E, C, LESS)                                                      \
  static void SS_CAT(P, _unguarded_insert)(E * last, C ctx) {                                  \
    E val = *last;                                                                             \
    E *next = last - 1;                                                                        \
    while (LESS(ctx, val, *next)) {                                                            \
      *last = *next;                                                                           \
      last = next;                                                                             \
      --next;                                                                                  \
    }                                                                                          \
    *last = val;                                                                               \
  }                                                                                            \
  static void SS_CAT(P, _insertion)(E * first, E * last, C ctx) {                              \
    if (first == last) return;                                                                 \
    for (E *i = first + 1; i != last; ++i) {                                                   \
      if (LESS(ctx, *i, *first)) {                                                             \
        E val = *i;                                                                            \
        memmove(first + 1, first, (size_t)(i - first) * sizeof(E));                            \
        *first = val;                                                                          \
      } else {                                                                                 \
        SS_CAT(P, _unguarded_insert)(i, ctx);                                                  \
      }                                                                                        \
    }                                                                                          \
  }                                                                                            \
  static void SS_CAT(P, _adjust_heap)(E * first, ptrdiff_t hole, ptrdiff_t len, E value,       \
                                      C ctx) {                                                 \
    const ptrdiff_t top = hole;                                                                \
    ptrdiff_t child = hole;                                                                    \
    while (child < (len - 1) / 2) {                                                            \
      child = 2 * (child + 1);                                                                 \
      if (LESS(ctx, first[child], first[child - 1])) child--;                                  \
      first[hole] = first[child];                                                              \
      hole = child;                                                                            \
    }                                                                                          \
    if ((len & 1) == 0 && child == (len - 2) / 2) {                                            \
      child = 2 * (child + 1);                                                                 \
      first[hole] = first[child - 1];                                                          \
      hole = child - 1;                                                                        \
    }                                                                                          \
    ptrdiff_t parent = (hole - 1) / 2;                                                         \
    while (hole > top && LESS(ctx, first[parent], value)) {                                    \
      first[hole] = first[parent];                                                             \
      hole = parent;                                                                           \
      parent = (hole - 1) / 2;                                                                 \
    }                                                                                          \
    first[hole] = value;                                                                       \
  }                                                                                            \
  static void SS_CAT(P, _make_heap)(E * first, ptrdiff_t len, C ctx) {                         \
    if (len < 2) return;                                                                       \
    for (ptrdiff_t parent = (len - 2) / 2;; parent--) {                                        \
      SS_CAT(P, _adjust_heap)(first, parent, len, first[parent], ctx);                         \
      if (parent == 0) break;                                                                  \
    }                                                                                          \
  }                                                                                            \
  static void SS_CAT(P, _heapsort)(E * first, E * last, C ctx) {                               \
    SS_CAT(P, _make_heap)(first, last - first, ctx);                                           \
    while (last - first > 1) {                                                                 \
      --last;                                                                                  \
      E value = *last;                                                                         \
      *last = *first;                                                                          \
      SS_CAT(P, _adjust_heap)(first, 0, last - first, value, ctx);                             \
    }                                                                                          \
  }                                                                                            \
  /* __unguarded_partition_pivot: median of three to first, then the unguarded partition. */   \
  static E *SS_CAT(P, _pivot_partition)(E * first, E * last, C ctx) {                          \
    E *a = first + 1, *b = first + (last - first) / 2, *c = last - 1, *m;                      \
    if (LESS(ctx, *a, *b)) {                                                                   \
      if (LESS(ctx, *b, *c))                                                                   \
        m = b;                                                                                 \
      else if (LESS(ctx, *a, *c))                                                              \
        m = c;                                                                                 \
      else                                                                                     \
        m = a;                                                                                 \
    } else if (LESS(ctx, *a, *c)) {                                                            \
      m = a;                                                                                   \
    } else if (LESS(ctx, *b, *c)) {                                                            \
      m = c;                                                                                   \
    } else {                                                                                   \
      m = b;                                                                                   \
    }                                                                                          \
    E t = *first;                                                                              \
    *first = *m;                                                                               \
    *m = t;                                                                                    \
    E *lo = first + 1, *hi = last;                                                             \
    for (;;) {                                                                                 \
      while (LESS(ctx, *lo, *first)) ++lo;                                                     \
      --hi;                                                                                    \
      while (LESS(ctx, *first, *hi)) --hi;                                                     \
      if (!(lo < hi)) break;                                                                   \
      t = *lo;                                                                                 \
      *lo = *hi;                                                                               \
      *hi = t;                                                                                 \
      ++lo;                                                                                    \
    }                                                                                          \
    return lo;                                                                                 \
  }                                                                                            \
  static void SS_CAT(P, _loop)(E * first, E * last, long depth, C ctx) {                       \
    while (last - first > 16) {                                                                \
      if (depth == 0) {                                                                        \
        SS_CAT(P, _heapsort)(first, last, ctx);                                                \
        return;                                                                                \
      }                                                                                        \
      --depth;                                                                                 \
      E *lo = SS_CAT(P, _pivot_partition)(first, last, ctx);                                   \
      SS_CAT(P, _loop)(lo, last, depth, ctx);                                                  \
      last = lo;                                                                               \
    }                                                                                          \
  }                                                                                            \
  static void SS_CAT(P, _sort)(E * first, E * last, C ctx) {                                   \
    if (first == last) return;                                                                 \
    ptrdiff_t n = last - first;                                                                \
    SS_CAT(P, _loop)(first, last, 2 * ss_floor_log2(n), ctx);                                  \
    if (n > 16) {                                                                              \
      SS_CAT(P, _insertion)(first, first + 16, ctx);                                           \
      for (E *i = first + 16; i != last; ++i) SS_CAT(P, _unguarded_insert)(i, ctx);            \
    } else {                                                                                   \
      SS_CAT(P, _insertion)(first, last, ctx);                                                 \
    }                                                                                          \
  }

// libstdc++'s std::nth_element(first, nth, last, comp) (__introselect: depth limit
// 2 * floor(log2 n), the std::sort pivot and partition while more than 3 elements remain, then
// __heap_select of [first, nth] and a swap of first and nth, or the final insertion sort), for
// the P of an SS_DEFINE_STD_SORT.
#define SS_DEFINE_STD_NTH(P, E, C, LESS)                                                       \
  static void SS_CAT(P, _nth)(E * first, E * nth, E * last, C ctx) {                           \
    if (first == last || nth == last) return;                                                  \
    long depth = 2 * ss_floor_log2(last - first);                                              \
    while (last - first > 3) {                                                                 \
      if (depth == 0) {                                                                        \
        ptrdiff_t len = nth + 1 - first;                                                       \
        SS_CAT(P, _make_heap)(first, len, ctx);                                                \
        for (E *i = nth + 1; i < last; ++i) {                                                  \
          if (LESS(ctx, *i, *first)) {                                                         \
            E value = *i;                                                                      \
            *i = *first;                                                                       \
            SS_CAT(P, _adjust_heap)(first, 0, len, value, ctx);                                \
          }                                                                                    \
        }                                                                                      \
        E t = *first;                                                                          \
        *first = *nth;                                                                         \
        *nth = t;                                                                              \
        return;                                                                                \
      }                                                                                        \
      --depth;                                                                                 \
      E *cut = SS_CAT(P, _pivot_partition)(first, last, ctx);                                  \
      if (cut <= nth)                                                                          \
        first = cut;                                                                           \
      else                                                                                     \
        last = cut;                                                                            \
    }                                                                                          \
    SS_CAT(P, _insertion)(first, last, ctx);                                                   \
  }

// Lane permutations of a 4-lane register: lane i takes lane perm[i].
static const int ss_swap2[4] = {1, 0, 3, 2};  // swap_n<2>, reverse_n<2>
static const int ss_rev4[4] = {3, 2, 1, 0};   // reverse_n<4>, reverse()
static const int ss_swap4[4] = {2, 3, 0, 1};  // swap_n<4>

// The optimal column networks (sorting_networks.html) of `bitonic_sort_n_vec`, as index pairs.
static const unsigned char ss_net2[] = {0, 1};
static const unsigned char ss_net4[] = {0, 2, 1, 3, 0, 1, 2, 3, 1, 2};
static const unsigned char ss_net8[] = {0, 2, 1, 3, 4, 6, 5, 7, 0, 4, 1, 5, 2, 6, 3, 7, 0, 1, 2,
                                        3, 4, 5, 6, 7, 2, 4, 3, 5, 1, 4, 3, 6, 1, 2, 3, 4, 5, 6};
static const unsigned char ss_net16[] = {
    0, 13, 1,  12, 2,  15, 3,  14, 4,  8,  5,  6,  7,  11, 9,  10, 0,  5,  1,  7,  2,  9,  3, 4,
    6, 13, 8,  14, 10, 15, 11, 12, 0,  1,  2,  3,  4,  5,  6,  8,  7,  9,  10, 11, 12, 13, 14, 15,
    0, 2,  1,  3,  4,  10, 5,  11, 6,  7,  8,  9,  12, 14, 13, 15, 1,  2,  3,  12, 4,  6,  5, 7,
    8, 10, 9,  11, 13, 14, 1,  4,  2,  6,  5,  8,  7,  10, 9,  13, 11, 14, 2,  4,  3,  6,  9, 12,
    11, 13, 3, 5,  6,  8,  7,  9,  10, 12, 3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 6,  7,  8, 9};
static const unsigned char ss_net32[] = {
    0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
    23, 24, 25, 26, 27, 28, 29, 30, 31, 0,  2,  1,  3,  4,  6,  5,  7,  8,  10, 9,  11, 12, 14,
    13, 15, 16, 18, 17, 19, 20, 22, 21, 23, 24, 26, 25, 27, 28, 30, 29, 31, 0,  4,  1,  5,  2,
    6,  3,  7,  8,  12, 9,  13, 10, 14, 11, 15, 16, 20, 17, 21, 18, 22, 19, 23, 24, 28, 25, 29,
    26, 30, 27, 31, 0,  8,  1,  9,  2,  10, 3,  11, 4,  12, 5,  13, 6,  14, 7,  15, 16, 24, 17,
    25, 18, 26, 19, 27, 20, 28, 21, 29, 22, 30, 23, 31, 0,  16, 1,  8,  2,  4,  3,  12, 5,  10,
    6,  9,  7,  14, 11, 13, 15, 31, 17, 24, 18, 20, 19, 28, 21, 26, 22, 25, 23, 30, 27, 29, 1,
    2,  3,  5,  4,  8,  6,  22, 7,  11, 9,  25, 10, 12, 13, 14, 17, 18, 19, 21, 20, 24, 23, 27,
    26, 28, 29, 30, 1,  17, 2,  18, 3,  19, 4,  20, 5,  10, 7,  23, 8,  24, 11, 27, 12, 28, 13,
    29, 14, 30, 21, 26, 3,  17, 4,  16, 5,  21, 6,  18, 7,  9,  8,  20, 10, 26, 11, 23, 13, 25,
    14, 28, 15, 27, 22, 24, 1,  4,  3,  8,  5,  16, 7,  17, 9,  21, 10, 22, 11, 19, 12, 20, 14,
    24, 15, 26, 23, 28, 27, 30, 2,  5,  7,  8,  9,  18, 11, 17, 12, 16, 13, 22, 14, 20, 15, 19,
    23, 24, 26, 29, 2,  4,  6,  12, 9,  16, 10, 11, 13, 17, 14, 18, 15, 22, 19, 25, 20, 21, 27,
    29, 5,  6,  8,  12, 9,  10, 11, 13, 14, 16, 15, 17, 18, 20, 19, 23, 21, 22, 25, 26, 3,  5,
    6,  7,  8,  9,  10, 12, 11, 14, 13, 16, 15, 18, 17, 20, 19, 21, 22, 23, 24, 25, 26, 28, 3,
    4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27, 28};

static const unsigned char *ss_network(int vectors, int *pairs) {
  switch (vectors) {
    case 2: *pairs = (int)sizeof(ss_net2) / 2; return ss_net2;
    case 4: *pairs = (int)sizeof(ss_net4) / 2; return ss_net4;
    case 8: *pairs = (int)sizeof(ss_net8) / 2; return ss_net8;
    case 16: *pairs = (int)sizeof(ss_net16) / 2; return ss_net16;
    case 32: *pairs = (int)sizeof(ss_net32) / 2; return ss_net32;
    default: *pairs = 0; return ss_net2;
  }
}

enum { SS_NORMAL, SS_SORTED, SS_ONLY2 };

#define SS_VALUE_LESS(ctx, x, y) ((void)(ctx), (x) < (y))

// NumPy's NPY_MAX_PIVOT_STACK and store_pivot (selection.cpp): the pivots of a lane's earlier
// kth that a later, larger kth can start from.
#define SS_MAX_PIVOT_STACK 50

static void ss_store_pivot(ptrdiff_t pivot, ptrdiff_t kth, ptrdiff_t *pivots, ptrdiff_t *npiv) {
  if (pivots == NULL) return;
  if (pivot == kth && *npiv == SS_MAX_PIVOT_STACK) {
    pivots[*npiv - 1] = pivot;
  } else if (pivot >= kth && *npiv < SS_MAX_PIVOT_STACK) {
    pivots[*npiv] = pivot;
    *npiv += 1;
  }
}

static int ss_compare_long(const void *x, const void *y) {
  long a = *(const long *)x, b = *(const long *)y;
  return (a > b) - (a < b);
}

// partition_prep_kth_array: each negative kth plus n, then the kth in ascending order (a copy,
// to free; NULL when out of memory).
static long *ss_sorted_kths(const long *kth, long nkth, long n) {
  long *sorted = malloc((size_t)nkth * sizeof *sorted);
  if (!sorted) return NULL;
  for (long i = 0; i < nkth; i++) sorted[i] = kth[i] < 0 ? kth[i] + n : kth[i];
  qsort(sorted, (size_t)nkth, sizeof *sorted, ss_compare_long);
  return sorted;
}

// ---------------------------------------------------------------------------------------------
// The dtype template: SS_T the key type, SS_SUF the name suffix, SS_L / SS_U / SS_THRESH the
// qsort vector's lanes, unroll factor and network threshold.

#define SS_T double
#define SS_SUF f64
#define SS_FLOAT 1
#define SS_MAX INFINITY
#define SS_MIN (-INFINITY)
#define SS_NEXT(x) nextafter((x), INFINITY)
#define SS_L 4
#define SS_U 8
#define SS_THRESH 64
#include "simd_sort_template.h"

#define SS_T int64_t
#define SS_SUF i64
#define SS_FLOAT 0
#define SS_MAX INT64_MAX
#define SS_MIN INT64_MIN
#define SS_NEXT(x) ((x) < INT64_MAX ? (x) + 1 : (x))
#define SS_L 4
#define SS_U 8
#define SS_THRESH 64
#include "simd_sort_template.h"

#define SS_T float
#define SS_SUF f32
#define SS_FLOAT 1
#define SS_MAX INFINITY
#define SS_MIN (-INFINITY)
#define SS_NEXT(x) nextafterf((x), INFINITY)
#define SS_L 8
#define SS_U 4
#define SS_THRESH 256
#include "simd_sort_template.h"

#define SS_T int32_t
#define SS_SUF i32
#define SS_FLOAT 0
#define SS_MAX INT32_MAX
#define SS_MIN INT32_MIN
#define SS_NEXT(x) ((x) < INT32_MAX ? (x) + 1 : (x))
#define SS_L 8
#define SS_U 4
#define SS_THRESH 256
#include "simd_sort_template.h"
