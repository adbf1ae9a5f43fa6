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

/// `np.random.randint(..., dtype=...)` for every integer dtype and bool, and
/// `np.random.random_integers`.
extension RandomState {
  /// `np.random.randint(low, high, size, dtype=dtype)`: C-order integers in `[low, high)`
  /// (`[0, low)` when `high` is nil), drawn as NumPy draws that dtype with masked rejection
  /// (see `BoundedIntegers`), returned as `StridedArray` keeps them (wrapped to the width,
  /// uint64 as its bit pattern, bool as 0/1).
  ///
  /// Throws NumPy's `low/high is out of bounds for <dtype>`, `low >= high` / `high <= 0`, and
  /// `TypeError: Unsupported dtype` for float64. An empty `shape` product returns `[]` before
  /// any check, as NumPy does.
  public mutating func randint(
    _ low: Int128, _ high: Int128? = nil, dtype: DType, shape: [Int] = []
  ) throws(RandomError) -> [Int64] {
    guard !dtype.isFloat else { throw BoundedIntegers.unsupported(dtype, "randint") }
    let (lower, upper) = high.map { (low, $0) } ?? (0, low)
    if shape.allSatisfy({ $0 >= 0 }) && shape.reduce(1, *) == 0 { return [] }
    let (offset, range) = try BoundedIntegers.interval(
      low: lower, high: upper, dtype: dtype, endpoint: false)
    let count = try elementCount(shape)
    if dtype.itemSize == 8 {
      return bitGenerator.withCursor { cursor in
        [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
          Self.fillMasked(&cursor, offset: offset, range: range, into: buffer)
          initialized = count
        }
      }
    }
    let values = bitGenerator.withCursor { cursor in
      BoundedIntegers.fillNarrow(
        &cursor, offset: UInt32(offset), range: UInt32(range),
        bits: BoundedIntegers.drawBits(dtype), masked: true, count: count)
    }
    return BoundedIntegers.stored(values, dtype)
  }

  /// `np.random.random_integers(low, high, size)` (deprecated in NumPy): integers in
  /// `[low, high]`, or `[1, low]` when `high` is nil, as `randint(low, high + 1, dtype='l')`.
  public mutating func randomIntegers(_ low: Int128, _ high: Int128? = nil, shape: [Int] = [])
    throws(RandomError) -> [Int64]
  {
    let (lower, upper) = high.map { (low, $0) } ?? (1, low)
    return try randint(lower, upper + 1, dtype: .int64, shape: shape)
  }
}
