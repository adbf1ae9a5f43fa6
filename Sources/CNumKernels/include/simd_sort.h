#ifndef RETRACE_SIMD_SORT_H
#define RETRACE_SIMD_SORT_H

#include <stdint.h>

// NumPy 2.4.6's default sort and argsort (kind 'quicksort', also what kind=None picks) of
// contiguous float64, int64, float32 and int32 lanes on Linux x86-64 with AVX2 and no AVX-512:
// NumPy hands these to Intel's x86-simd-sort (the AVX2 target, `avx2_qsort` / `avx2_argsort`,
// with hasnan = true). These functions are scalar C that reproduce that code's results lane for
// lane: the same sorting networks, the same min/max and blend semantics (so the same order of
// equal keys in argsort, and the same signs of zeros in sort), the same pivots, partitions,
// recursion and std::sort / std::sort-with-NaN fallbacks (libstdc++'s introsort). See
// simd_sort.c for the path per dtype and size, and Tests/NumPyKitTests/Array/SIMDSortTests.swift
// with Scripts/fixtures/sorting.py for what was checked against NumPy.
//
// NumPy sorts every 1-d lane of an n-d array (along `axis`) by copying it to a contiguous
// buffer, so calling these on each lane gives NumPy's result for any layout. n <= 1 is left
// as it is (argsort gives [0]).

/// `np.argsort(a)` for float64: out[0..<n] receives the indices (out need not be initialised).
void retrace_argsort_f64(const double *a, long n, long *out);
/// `np.argsort(a)` for int64.
void retrace_argsort_i64(const int64_t *a, long n, long *out);
/// `np.argsort(a)` for float32.
void retrace_argsort_f32(const float *a, long n, long *out);
/// `np.argsort(a)` for int32.
void retrace_argsort_i32(const int32_t *a, long n, long *out);

/// `np.sort(a)` for float64, in place. NaNs (of any sign or payload) end up last as the
/// default quiet NaN 0x7ff8000000000000, and the signs of the zeros are NumPy's (which may
/// differ from the input's multiset: the networks' min/max keep the second operand of equal
/// values).
void retrace_sort_f64(double *a, long n);
/// `np.sort(a)` for int64, in place.
void retrace_sort_i64(int64_t *a, long n);
/// `np.sort(a)` for float32, in place (NaNs last as 0x7fc00000).
void retrace_sort_f32(float *a, long n);
/// `np.sort(a)` for int32, in place.
void retrace_sort_i32(int32_t *a, long n);

#endif
