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

// NumPy 2.4.6's np.partition / np.argpartition (kind 'introselect', the only kind) of the same
// lanes. With one kth (an int, or a sequence of one) NumPy calls x86-simd-sort's AVX2
// `qselect` / `argselect` (hasnan = true); with two or more it runs its own introselect
// (selection.cpp) once per kth, in ascending order of kth, sharing one pivot stack. See the
// select sections of simd_sort_template.h. kth may be negative (counted from the end, as NumPy
// adds n); it must lie in -n..<n (NumPy's ValueError "kth(=K) out of bounds (N)" is the
// caller's). n <= 1 is left as it is (argpartition gives [0]).

/// `np.argpartition(a, kth)` for float64: out[0..<n] receives the indices.
void retrace_argpartition_f64(const double *a, long n, long kth, long *out);
/// `np.argpartition(a, kth)` for int64.
void retrace_argpartition_i64(const int64_t *a, long n, long kth, long *out);
/// `np.argpartition(a, kth)` for float32.
void retrace_argpartition_f32(const float *a, long n, long kth, long *out);
/// `np.argpartition(a, kth)` for int32.
void retrace_argpartition_i32(const int32_t *a, long n, long kth, long *out);

/// `a.partition(kth)` (np.partition on a copy) for float64, in place. NaNs keep their bits.
void retrace_partition_f64(double *a, long n, long kth);
/// `a.partition(kth)` for int64, in place.
void retrace_partition_i64(int64_t *a, long n, long kth);
/// `a.partition(kth)` for float32, in place.
void retrace_partition_f32(float *a, long n, long kth);
/// `a.partition(kth)` for int32, in place.
void retrace_partition_i32(int32_t *a, long n, long kth);

/// `np.argpartition(a, kth)` with a sequence of nkth kth (any order, repeats allowed; nkth == 1
/// is retrace_argpartition_*, nkth == 0 leaves 0..<n). Returns 0, or -1 when out of memory.
int retrace_argpartition_kths_f64(const double *a, long n, const long *kth, long nkth, long *out);
/// The same for int64.
int retrace_argpartition_kths_i64(const int64_t *a, long n, const long *kth, long nkth,
                                  long *out);
/// The same for float32.
int retrace_argpartition_kths_f32(const float *a, long n, const long *kth, long nkth, long *out);
/// The same for int32.
int retrace_argpartition_kths_i32(const int32_t *a, long n, const long *kth, long nkth,
                                  long *out);

/// `a.partition(kth)` with a sequence of kth, in place, for float64. Returns 0, or -1 when out
/// of memory.
int retrace_partition_kths_f64(double *a, long n, const long *kth, long nkth);
/// The same for int64.
int retrace_partition_kths_i64(int64_t *a, long n, const long *kth, long nkth);
/// The same for float32.
int retrace_partition_kths_f32(float *a, long n, const long *kth, long nkth);
/// The same for int32.
int retrace_partition_kths_i32(int32_t *a, long n, const long *kth, long nkth);

#endif
