/// A source of the raw words NumPy's bounded integer draws consume (`next_uint32`,
/// `next_uint64` of the bit generator).
protocol RawWordSource {
  /// The next 32 bits.
  mutating func next32() -> UInt32
  /// The next 64 bits.
  mutating func next64() -> UInt64
}

extension MTCursor: RawWordSource {}

extension PCG64: RawWordSource {
  /// `pcg64_next64`.
  @inline(__always)
  mutating func next64() -> UInt64 { next() }
}

/// NumPy's bounded integers for every integer dtype and bool (`_bounded_integers.pyx.in` over
/// `distributions.c`): the scalar-bounds checks and the per-width draws.
///
/// The 64-bit types draw as `random_bounded_uint64_fill` (32-bit words for ranges below
/// 2^32). The narrower types draw in their own width: 32-bit types from whole 32-bit words,
/// 16- and 8-bit types from a 32-bit word split into 2 or 4 pieces lowest first, bool from
/// its 32 bits one at a time (the split word is kept for the rest of one call, never across
/// calls). `RandomState` rejects with a bit mask, `Generator` uses Lemire's multiply-shift.
enum BoundedIntegers {
  /// The closed interval `[offset, offset + range]` NumPy draws from, both wrapped to the
  /// width of `dtype`, after NumPy's checks for scalar bounds: `low is out of bounds for
  /// <dtype>`, `high is out of bounds for <dtype>` (after subtracting 1 unless `endpoint`),
  /// then `format_bounds_error`.
  static func interval(
    low: Int128, high: Int128, dtype: DType, endpoint: Bool
  ) throws(RandomError) -> (offset: UInt64, range: UInt64) {
    let (lowest, highest) = bounds(dtype)
    let upper = endpoint ? high : high - 1
    if low < lowest { throw RandomError(.valueError, "low is out of bounds for \(dtype.rawValue)") }
    if upper > highest {
      throw RandomError(.valueError, "high is out of bounds for \(dtype.rawValue)")
    }
    if low > upper { throw boundsError(closed: endpoint, low: low) }
    let width = widthMask(dtype)
    return (
      UInt64(truncatingIfNeeded: low) & width, UInt64(truncatingIfNeeded: upper - low) & width
    )
  }

  /// NumPy's `format_bounds_error`: worded for the one-argument call when `low` is 0.
  static func boundsError(closed: Bool, low: Int128) -> RandomError {
    if low == 0 { return RandomError(.valueError, closed ? "high < 0" : "high <= 0") }
    return RandomError(.valueError, closed ? "low > high" : "low >= high")
  }

  /// The smallest and largest value of an integer dtype (bool: 0 and 1).
  static func bounds(_ dtype: DType) -> (Int128, Int128) {
    switch dtype {
    case .uint64: (0, Int128(UInt64.max))
    case .int64: (Int128(Int64.min), Int128(Int64.max))
    default: (Int128(dtype.integerBounds.lowerBound), Int128(dtype.integerBounds.upperBound))
    }
  }

  /// All ones in the width of `dtype` (1 for bool).
  static func widthMask(_ dtype: DType) -> UInt64 {
    dtype == .bool ? 1 : dtype.itemSize == 8 ? UInt64.max : (1 << UInt64(dtype.itemSize * 8)) - 1
  }

  /// The number of bits one draw of `dtype` takes from a 32-bit word (1 for bool).
  static func drawBits(_ dtype: DType) -> Int {
    dtype == .bool ? 1 : dtype.itemSize * 8
  }

  /// `TypeError: Unsupported dtype dtype('float64') for randint` (or `for integers`).
  static func unsupported(_ dtype: DType, _ function: String) -> RandomError {
    RandomError(.typeError, "Unsupported dtype dtype('\(dtype.rawValue)') for \(function)")
  }

  /// Pieces of a 32-bit word handed out lowest first (`buffered_uint8`, `buffered_uint16`,
  /// the bool buffer): a fresh word when the last one is used up.
  struct SplitWord {
    let bits: Int
    let mask: UInt32
    var word: UInt32 = 0
    var left = 0

    init(bits: Int) {
      self.bits = bits
      mask = bits == 32 ? UInt32.max : (1 << UInt32(bits)) - 1
    }

    @inline(__always)
    mutating func next<Source: RawWordSource>(_ source: inout Source) -> UInt32 {
      if left == 0 {
        word = source.next32()
        left = 32 / bits - 1
      } else {
        word >>= UInt32(bits)
        left -= 1
      }
      return word & mask
    }
  }

  /// `count` draws of a dtype of at most 32 bits on `[offset, offset + range]` (both in its
  /// width), as `random_bounded_uint{32,16,8}_fill` / `random_bounded_bool_fill`: the offset
  /// alone for an empty range, the raw piece for the full width, else masked rejection
  /// (`masked`) or Lemire's method on the pieces. Returns the values in the dtype's width.
  static func fillNarrow<Source: RawWordSource>(
    _ source: inout Source, offset: UInt32, range: UInt32, bits: Int, masked: Bool, count: Int
  ) -> [UInt32] {
    var pieces = SplitWord(bits: bits)
    let width = pieces.mask
    var out = [UInt32](repeating: offset, count: count)
    if range == 0 { return out }
    if range == width {
      for i in 0..<count { out[i] = (offset &+ pieces.next(&source)) & width }
      return out
    }
    if masked {
      let mask = UInt32(truncatingIfNeeded: bitMask(covering: UInt64(range)))
      for i in 0..<count {
        var value = pieces.next(&source) & mask
        while value > range { value = pieces.next(&source) & mask }
        out[i] = (offset &+ value) & width
      }
      return out
    }
    let exclusive = UInt64(range) + 1
    let threshold = (UInt64(width) - UInt64(range)) % exclusive
    for i in 0..<count {
      var product = UInt64(pieces.next(&source)) * exclusive
      var leftover = product & UInt64(width)
      if leftover < exclusive {
        while leftover < threshold {
          product = UInt64(pieces.next(&source)) * exclusive
          leftover = product & UInt64(width)
        }
      }
      out[i] = (offset &+ UInt32(truncatingIfNeeded: product >> UInt64(bits))) & width
    }
    return out
  }

  /// Values of `dtype` in its width as `StridedArray` keeps them (`DType.wrap`; bool 0/1).
  static func stored(_ values: [UInt32], _ dtype: DType) -> [Int64] {
    values.map { dtype.wrap(Int64($0)) }
  }
}
