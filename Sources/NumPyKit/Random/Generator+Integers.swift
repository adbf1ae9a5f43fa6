/// `Generator.integers` for NumPy's default dtype (int64): Lemire's method, bit for bit.
extension Generator {
  /// `Generator.integers(low, high, size, endpoint=endpoint)` with `dtype=int64`: C-order
  /// integers in `[low, high)` (`[low, high]` with `endpoint`), or from 0 when `high` is nil.
  ///
  /// Ranges below 2^32 use 32-bit draws (which share PCG64's held high half), larger ones
  /// 64-bit draws. Throws NumPy's `low >= high` / `high <= 0` (`low > high` / `high < 0` with
  /// `endpoint`). An empty `shape` product returns `[]` before any check, as NumPy does.
  public mutating func integers(
    _ low: Int64, _ high: Int64? = nil, shape: [Int] = [], endpoint: Bool = false
  ) throws(RandomError) -> [Int64] {
    let (lower, upper) = high.map { (low, $0) } ?? (0, low)
    let count = try elementCount(shape)
    if count == 0 { return [] }
    let closedUpper: Int64
    if endpoint {
      closedUpper = upper
    } else {
      guard upper != Int64.min else { throw Self.boundsError(endpoint: false, low: lower) }
      closedUpper = upper - 1
    }
    guard lower <= closedUpper else { throw Self.boundsError(endpoint: endpoint, low: lower) }
    let range = UInt64(bitPattern: closedUpper &- lower)
    let offset = UInt64(bitPattern: lower)
    var bits = bitGenerator
    defer { bitGenerator = bits }
    return [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
      Self.fillLemire(&bits, offset: offset, range: range, into: buffer)
      initialized = count
    }
  }

  /// NumPy's `format_bounds_error`.
  static func boundsError(endpoint: Bool, low: Int64) -> RandomError {
    if low == 0 { return RandomError(.valueError, endpoint ? "high < 0" : "high <= 0") }
    return RandomError(.valueError, endpoint ? "low > high" : "low >= high")
  }

  /// NumPy's `random_bounded_uint64_fill` with `use_masked=False` on a PCG64.
  static func fillLemire(
    _ bits: inout PCG64, offset: UInt64, range: UInt64,
    into out: UnsafeMutableBufferPointer<Int64>
  ) {
    if range == 0 {
      for i in out.indices { out[i] = Int64(bitPattern: offset) }
    } else if range == 0xFFFF_FFFF {
      for i in out.indices { out[i] = Int64(bitPattern: offset &+ UInt64(bits.next32())) }
    } else {
      for i in out.indices { out[i] = Int64(bitPattern: offset &+ lemire(&bits, range)) }
    }
  }

  /// One value in `[0, range]` by Lemire's method: 32-bit draws below 2^32 - 1, 64-bit above
  /// (NumPy's `buffered_bounded_lemire_uint32` / `bounded_lemire_uint64`, unbuffered).
  @inline(__always)
  static func lemire(_ bits: inout PCG64, _ range: UInt64) -> UInt64 {
    if range == 0 { return 0 }
    if range == 0xFFFF_FFFF { return UInt64(bits.next32()) }
    if range < 0xFFFF_FFFF {
      let exclusive = UInt32(truncatingIfNeeded: range) &+ 1
      var product = UInt64(bits.next32()) &* UInt64(exclusive)
      var leftover = UInt32(truncatingIfNeeded: product)
      if leftover < exclusive {
        let threshold = (UInt32.max &- UInt32(truncatingIfNeeded: range)) % exclusive
        while leftover < threshold {
          product = UInt64(bits.next32()) &* UInt64(exclusive)
          leftover = UInt32(truncatingIfNeeded: product)
        }
      }
      return product >> 32
    }
    if range == UInt64.max { return bits.next() }
    let exclusive = range &+ 1
    var product = bits.next().multipliedFullWidth(by: exclusive)
    if product.low < exclusive {
      let threshold = (UInt64.max &- range) % exclusive
      while product.low < threshold {
        product = bits.next().multipliedFullWidth(by: exclusive)
      }
    }
    return product.high
  }
}

/// `Generator.integers(..., dtype=...)` for every integer dtype and bool.
extension Generator {
  /// `Generator.integers(low, high, size, dtype=dtype, endpoint=endpoint)`: C-order integers
  /// in `[low, high)` (`[low, high]` with `endpoint`; from 0 when `high` is nil), drawn as
  /// NumPy draws that dtype with Lemire's method (see `BoundedIntegers`), returned as
  /// `StridedArray` keeps them (wrapped to the width, uint64 as its bit pattern, bool 0/1).
  ///
  /// Throws NumPy's `low/high is out of bounds for <dtype>`, `format_bounds_error` and
  /// `TypeError: Unsupported dtype` for float64. An empty `shape` product returns `[]`
  /// before any check.
  public mutating func integers(
    _ low: Int128, _ high: Int128? = nil, dtype: DType, shape: [Int] = [], endpoint: Bool = false
  ) throws(RandomError) -> [Int64] {
    guard !dtype.isFloat else { throw BoundedIntegers.unsupported(dtype, "integers") }
    let (lower, upper) = high.map { (low, $0) } ?? (0, low)
    if shape.allSatisfy({ $0 >= 0 }) && shape.reduce(1, *) == 0 { return [] }
    let (offset, range) = try BoundedIntegers.interval(
      low: lower, high: upper, dtype: dtype, endpoint: endpoint)
    let count = try elementCount(shape)
    var bits = bitGenerator
    defer { bitGenerator = bits }
    if dtype.itemSize == 8 {
      return [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
        Self.fillLemire(&bits, offset: offset, range: range, into: buffer)
        initialized = count
      }
    }
    let values = BoundedIntegers.fillNarrow(
      &bits, offset: UInt32(offset), range: UInt32(range),
      bits: BoundedIntegers.drawBits(dtype), masked: false, count: count)
    return BoundedIntegers.stored(values, dtype)
  }
}
