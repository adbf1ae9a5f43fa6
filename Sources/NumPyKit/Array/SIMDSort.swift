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
/// `np.partition` and `np.argpartition` (kind `'introselect'`, the only one) take two paths
/// (numpy/_core/src/npysort/selection.cpp, `introselect_noarg` / `introselect_arg`):
///
/// - one kth (an int, or a sequence of one): `quickselect_dispatch` / `argquickselect_dispatch`
///   hand the lane to x86-simd-sort (`x86simdsortStatic::qselect(arr, kth, n, true)` and
///   `argselect(arr, arg, kth, n, true)`, AVX2 build). `qselect`: NaNs are swapped to the end
///   (their bits kept), then, when kth is among the numbers, sort's quicksort recursing only
///   into the side holding kth, with a plainer pivot (the middle of the sorted 4 or 8 keys at
///   `left + i * ((right - left) / lanes)`) and the same networks, partitions and `std::sort`
///   fallback. `argselect`: a float lane with a NaN → libstdc++ `std::nth_element` of the
///   indices with NaN last; otherwise argsort's quicksort (without its already-sorted
///   shortcut) recursing only into kth's side.
/// - two or more kth: NumPy's own introselect, once per kth in ascending order of kth (after
///   adding `n` to the negative ones), sharing a stack of up to 50 earlier pivots: median-of-3
///   quickselect, median-of-medians-of-5 after 2·⌊log2 n⌋ rounds, selection sort when kth is
///   within 3 of the range's start, a last-maximum scan for a float kth of n - 1, NaN largest.
///
/// NumPy sorts each 1-d lane along `axis` in a contiguous copy, so calling these per lane gives
/// NumPy's result for any shape, stride or axis. A lane of 0 or 1 elements is left as it is.
///
/// Checked by Tests/NumPyKitTests/Array/SIMDSortTests.swift against this machine's NumPy
/// (Fixtures/numpy/sorting/, made by `python3 Scripts/make-fixtures.py sorting`): every size
/// from 1 to 300 and 30 larger ones up to 20,000, for few-valued keys (heavy ties), all equal,
/// sorted and reverse-sorted runs, sawtooth and sparse near-constant lanes (which reach the
/// `std::sort` fallback), random values, NaNs, signed zeros, infinities and integer extremes:
/// no differing index or bit. Partitions: the same lanes plus a rolled range (median-of-3's
/// worst case), all-NaN and few-NaN lanes, each with kth 0, 1, n/2, n-2, n-1, a random and a
/// random negative one, and four kth sequences (a median pair, both ends, the quartiles, three
/// random ones unsorted), 19,140 lanes; and adversarial NaN lanes that drive `std::nth_element`
/// to its heap select: no differing index or bit.
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

  // MARK: - np.partition / np.argpartition

  /// `np.argpartition(values, kth)` for float64 (the default and only kind, `'introselect'`).
  ///
  /// `kth` counts from the end when negative, as NumPy adds `values.count`; outside
  /// `-count..<count` it throws NumPy's `ValueError` "kth(=K) out of bounds (N)" (none for an
  /// empty lane, like NumPy). The top-k idiom `np.argpartition(a, -k)[-k:]` is
  /// `argpartition(a, kth: -k).suffix(k)`.
  public static func argpartition(_ values: [Double], kth: Int) throws(ArrayError) -> [Int] {
    try argpartition(values, kth: [kth])
  }

  /// `np.argpartition(values, kth)` for int64.
  public static func argpartition(_ values: [Int64], kth: Int) throws(ArrayError) -> [Int] {
    try argpartition(values, kth: [kth])
  }

  /// `np.argpartition(values, kth)` for float32.
  public static func argpartition(_ values: [Float], kth: Int) throws(ArrayError) -> [Int] {
    try argpartition(values, kth: [kth])
  }

  /// `np.argpartition(values, kth)` for int32.
  public static func argpartition(_ values: [Int32], kth: Int) throws(ArrayError) -> [Int] {
    try argpartition(values, kth: [kth])
  }

  /// `np.argpartition(values, [k0, k1, ...])` for float64: every listed position holds what
  /// sorting would put there. One kth is the same as `argpartition(_:kth:)` (NumPy treats an
  /// int and a one-element sequence alike); two or more take NumPy's own introselect, with the
  /// kth sorted first; none leaves `0..<count`.
  public static func argpartition(_ values: [Double], kth: [Int]) throws(ArrayError) -> [Int] {
    try argpartitionLane(values, kth, retrace_argpartition_kths_f64)
  }

  /// `np.argpartition(values, [k0, k1, ...])` for int64.
  public static func argpartition(_ values: [Int64], kth: [Int]) throws(ArrayError) -> [Int] {
    try argpartitionLane(values, kth, retrace_argpartition_kths_i64)
  }

  /// `np.argpartition(values, [k0, k1, ...])` for float32.
  public static func argpartition(_ values: [Float], kth: [Int]) throws(ArrayError) -> [Int] {
    try argpartitionLane(values, kth, retrace_argpartition_kths_f32)
  }

  /// `np.argpartition(values, [k0, k1, ...])` for int32.
  public static func argpartition(_ values: [Int32], kth: [Int]) throws(ArrayError) -> [Int] {
    try argpartitionLane(values, kth, retrace_argpartition_kths_i32)
  }

  /// `np.partition(values, kth)` for float64 (NaNs keep their bits and go after the numbers
  /// when the kth is among the numbers). `kth` as in `argpartition(_:kth:)`.
  public static func partition(_ values: [Double], kth: Int) throws(ArrayError) -> [Double] {
    var result = values
    try partitionInPlace(&result, kth: [kth])
    return result
  }

  /// `np.partition(values, kth)` for int64.
  public static func partition(_ values: [Int64], kth: Int) throws(ArrayError) -> [Int64] {
    var result = values
    try partitionInPlace(&result, kth: [kth])
    return result
  }

  /// `np.partition(values, kth)` for float32.
  public static func partition(_ values: [Float], kth: Int) throws(ArrayError) -> [Float] {
    var result = values
    try partitionInPlace(&result, kth: [kth])
    return result
  }

  /// `np.partition(values, kth)` for int32.
  public static func partition(_ values: [Int32], kth: Int) throws(ArrayError) -> [Int32] {
    var result = values
    try partitionInPlace(&result, kth: [kth])
    return result
  }

  /// `np.partition(values, [k0, k1, ...])` for float64 (see `argpartition(_:kth:)` with a
  /// sequence).
  public static func partition(_ values: [Double], kth: [Int]) throws(ArrayError) -> [Double] {
    var result = values
    try partitionInPlace(&result, kth: kth)
    return result
  }

  /// `np.partition(values, [k0, k1, ...])` for int64.
  public static func partition(_ values: [Int64], kth: [Int]) throws(ArrayError) -> [Int64] {
    var result = values
    try partitionInPlace(&result, kth: kth)
    return result
  }

  /// `np.partition(values, [k0, k1, ...])` for float32.
  public static func partition(_ values: [Float], kth: [Int]) throws(ArrayError) -> [Float] {
    var result = values
    try partitionInPlace(&result, kth: kth)
    return result
  }

  /// `np.partition(values, [k0, k1, ...])` for int32.
  public static func partition(_ values: [Int32], kth: [Int]) throws(ArrayError) -> [Int32] {
    var result = values
    try partitionInPlace(&result, kth: kth)
    return result
  }

  /// `values.partition(kth)` (`ndarray.partition`, in place) of one float64 lane, one or more
  /// kth.
  public static func partitionInPlace(_ values: inout [Double], kth: [Int]) throws(ArrayError) {
    try partitionLane(&values, kth, retrace_partition_kths_f64)
  }

  /// `values.partition(kth)` for int64.
  public static func partitionInPlace(_ values: inout [Int64], kth: [Int]) throws(ArrayError) {
    try partitionLane(&values, kth, retrace_partition_kths_i64)
  }

  /// `values.partition(kth)` for float32.
  public static func partitionInPlace(_ values: inout [Float], kth: [Int]) throws(ArrayError) {
    try partitionLane(&values, kth, retrace_partition_kths_f32)
  }

  /// `values.partition(kth)` for int32.
  public static func partitionInPlace(_ values: inout [Int32], kth: [Int]) throws(ArrayError) {
    try partitionLane(&values, kth, retrace_partition_kths_i32)
  }

  /// partition_prep_kth_array's bounds check: each kth plus `count` when negative, in order,
  /// the first outside `0..<count` reported as NumPy reports it (after the addition); no check
  /// when the lane is empty (NumPy checks only arrays with elements).
  public static func checkedKths(_ kth: [Int], count: Int) throws(ArrayError) -> [Int] {
    guard count > 0 else { return [] }
    var result = kth
    for i in result.indices {
      if result[i] < 0 { result[i] += count }
      if result[i] < 0 || result[i] >= count {
        throw ArrayError("kth(=\(result[i])) out of bounds (\(count))")
      }
    }
    return result
  }

  private static func argpartitionLane<T>(
    _ values: [T], _ kth: [Int],
    _ select: (UnsafePointer<T>?, Int, UnsafePointer<Int>?, Int, UnsafeMutablePointer<Int>?) ->
      Int32
  ) throws(ArrayError) -> [Int] {
    let kths = try checkedKths(kth, count: values.count)
    return withIndices(values.count) { out in
      values.withUnsafeBufferPointer { a in
        kths.withUnsafeBufferPointer { k in
          _ = select(a.baseAddress, a.count, k.baseAddress, k.count, out)
        }
      }
    }
  }

  private static func partitionLane<T>(
    _ values: inout [T], _ kth: [Int],
    _ select: (UnsafeMutablePointer<T>?, Int, UnsafePointer<Int>?, Int) -> Int32
  ) throws(ArrayError) {
    let kths = try checkedKths(kth, count: values.count)
    values.withUnsafeMutableBufferPointer { a in
      kths.withUnsafeBufferPointer { k in
        _ = select(a.baseAddress, a.count, k.baseAddress, k.count)
      }
    }
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
