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
