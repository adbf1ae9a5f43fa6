/// `np.random.randint` for NumPy's default dtype (int64): masked rejection sampling, bit for
/// bit, on the 32-bit path for ranges below 2^32 and the 64-bit path above.
extension RandomState {
  /// `np.random.randint(low, high, size)` with `dtype=int64`: C-order integers in
  /// `[low, high)`, or `[0, low)` when `high` is `nil`.
  ///
  /// Throws NumPy's `ValueError: low >= high` (or `high <= 0` when `low` is 0). An empty
  /// `shape` product returns `[]` before any check, as NumPy does. `high` is limited to
  /// `Int64.max` here (NumPy also accepts 2**63 as an exclusive bound).
  public mutating func randint(_ low: Int64, _ high: Int64? = nil, shape: [Int] = [])
    throws(RandomError) -> [Int64]
  {
    let (lower, upper) = high.map { (low, $0) } ?? (0, low)
    let count = try elementCount(shape)
    if count == 0 { return [] }
    guard lower < upper else {
      throw RandomError(.valueError, lower == 0 ? "high <= 0" : "low >= high")
    }
    let range = UInt64(bitPattern: (upper &- 1) &- lower)
    let offset = UInt64(bitPattern: lower)
    return bitGenerator.withCursor { cursor in
      [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
        Self.fillMasked(&cursor, offset: offset, range: range, into: buffer)
        initialized = count
      }
    }
  }

  /// NumPy's `random_bounded_uint64_fill` with `use_masked=True` on an MT19937.
  @inline(__always)
  static func fillMasked(
    _ cursor: inout MTCursor, offset: UInt64, range: UInt64,
    into out: UnsafeMutableBufferPointer<Int64>
  ) {
    if range == 0 {
      for i in out.indices { out[i] = Int64(bitPattern: offset) }
    } else if range == 0xFFFF_FFFF {
      for i in out.indices { out[i] = Int64(bitPattern: offset &+ UInt64(cursor.next32())) }
    } else if range < 0xFFFF_FFFF {
      let mask = UInt32(truncatingIfNeeded: bitMask(covering: range))
      let bound = UInt32(truncatingIfNeeded: range)
      for i in out.indices {
        var value = cursor.next32() & mask
        while value > bound { value = cursor.next32() & mask }
        out[i] = Int64(bitPattern: offset &+ UInt64(value))
      }
    } else if range == UInt64.max {
      for i in out.indices { out[i] = Int64(bitPattern: offset &+ cursor.next64()) }
    } else {
      let mask = bitMask(covering: range)
      for i in out.indices {
        var value = cursor.next64() & mask
        while value > range { value = cursor.next64() & mask }
        out[i] = Int64(bitPattern: offset &+ value)
      }
    }
  }
}
