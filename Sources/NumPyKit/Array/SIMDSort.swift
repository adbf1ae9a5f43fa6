import CNumKernels

/// NumPy 2.4.6's default `np.sort` and `np.argsort` (kind `'quicksort'`, which `kind=None` and
/// `'heapsort'` also give) of one contiguous 1-d lane of float64, int64, float32 or int32, in
/// exactly NumPy's order, as on Linux x86-64 with AVX2 and no AVX-512 (NumPy's X86_V3 target).
///
/// NumPy does not run its own quicksort there: `quicksort_<type>` / `aquicksort_<type>`
/// (numpy/_core/src/npysort/quicksort.cpp) hand every lane of n >= 2 elements to Intel's
/// x86-simd-sort (`x86simdsortStatic::qsort` / `argsort` with `hasnan = true`, AVX2 build). That
/// code is not stable: `argsort` puts equal keys in an order set by its bitonic networks and
/// partitions, and `sort` can change which of `-0.0` and `0.0` comes where (its min/max keep
/// the second of two equal values, so the zeros' signs in the output need not be those of the
/// input). Sources/CNumKernels/simd_sort.c reproduces it lane for lane in scalar C:
///
/// - argsort, every dtype (4 lanes): NaN in a float lane → libstdc++ `std::sort` of the
///   indices with NaN last; keys already ascending → `0..<n`; otherwise the vectorised
///   quicksort (pivot the third of four samples, compress-store partition of index vectors,
///   recursion depth limit 2·⌊log2 n⌋ then `std::sort` by `a[i] < a[j]`) down to ranges of at
///   most 256, which its key-index bitonic network sorts.
/// - sort: NaNs become +inf, the vectorised quicksort runs (4 lanes and networks up to 64 for
///   the 64-bit types, 8 lanes and up to 256 for the 32-bit ones; the "smart" pivot with its
///   constant and two-valued shortcuts), then the last NaN-count elements are the default quiet
///   NaN (`0x7ff8000000000000`, `0x7fc00000`): NaN signs and payloads are not kept.
///
/// NumPy sorts each 1-d lane along `axis` in a contiguous copy, so calling these per lane gives
/// NumPy's result for any shape, stride or axis. A lane of 0 or 1 elements is left as it is.
///
/// Checked by Tests/NumPyKitTests/Array/SIMDSortTests.swift against this machine's NumPy
/// (Fixtures/numpy/sorting/, made by `python3 Scripts/make-fixtures.py sorting`): every size
/// from 1 to 300 and 30 larger ones up to 20,000, for few-valued keys (heavy ties), all equal,
/// sorted and reverse-sorted runs, sawtooth and sparse near-constant lanes (which reach the
/// `std::sort` fallback), random values, NaNs, signed zeros, infinities and integer extremes:
/// no differing index or bit.
public enum NumPySort {
  /// `np.argsort(values)` for float64.
  public static func argsort(_ values: [Double]) -> [Int] {
    withIndices(values.count) { out in
      values.withUnsafeBufferPointer { retrace_argsort_f64($0.baseAddress, $0.count, out) }
    }
  }

  /// `np.argsort(values)` for int64.
  public static func argsort(_ values: [Int64]) -> [Int] {
    withIndices(values.count) { out in
      values.withUnsafeBufferPointer { retrace_argsort_i64($0.baseAddress, $0.count, out) }
    }
  }

  /// `np.argsort(values)` for float32.
  public static func argsort(_ values: [Float]) -> [Int] {
    withIndices(values.count) { out in
      values.withUnsafeBufferPointer { retrace_argsort_f32($0.baseAddress, $0.count, out) }
    }
  }

  /// `np.argsort(values)` for int32.
  public static func argsort(_ values: [Int32]) -> [Int] {
    withIndices(values.count) { out in
      values.withUnsafeBufferPointer { retrace_argsort_i32($0.baseAddress, $0.count, out) }
    }
  }

  /// `np.sort(values)` for float64 (NaNs last, as the default quiet NaN).
  public static func sort(_ values: [Double]) -> [Double] {
    var result = values
    sortInPlace(&result)
    return result
  }

  /// `np.sort(values)` for int64.
  public static func sort(_ values: [Int64]) -> [Int64] {
    var result = values
    sortInPlace(&result)
    return result
  }

  /// `np.sort(values)` for float32 (NaNs last, as the default quiet NaN).
  public static func sort(_ values: [Float]) -> [Float] {
    var result = values
    sortInPlace(&result)
    return result
  }

  /// `np.sort(values)` for int32.
  public static func sort(_ values: [Int32]) -> [Int32] {
    var result = values
    sortInPlace(&result)
    return result
  }

  /// `values.sort()` (NumPy's in-place sort of one lane) for float64.
  public static func sortInPlace(_ values: inout [Double]) {
    values.withUnsafeMutableBufferPointer { retrace_sort_f64($0.baseAddress, $0.count) }
  }

  /// `values.sort()` for int64.
  public static func sortInPlace(_ values: inout [Int64]) {
    values.withUnsafeMutableBufferPointer { retrace_sort_i64($0.baseAddress, $0.count) }
  }

  /// `values.sort()` for float32.
  public static func sortInPlace(_ values: inout [Float]) {
    values.withUnsafeMutableBufferPointer { retrace_sort_f32($0.baseAddress, $0.count) }
  }

  /// `values.sort()` for int32.
  public static func sortInPlace(_ values: inout [Int32]) {
    values.withUnsafeMutableBufferPointer { retrace_sort_i32($0.baseAddress, $0.count) }
  }

  private static func withIndices(
    _ count: Int, _ body: (UnsafeMutablePointer<Int>?) -> Void
  ) -> [Int] {
    guard count > 0 else { return [] }
    return [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
      body(buffer.baseAddress)
      initialized = count
    }
  }
}
