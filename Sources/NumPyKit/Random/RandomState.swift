import Foundation

/// NumPy's legacy random state (numpy.random.RandomState, what `np.random.seed` and
/// `np.random.randn` drive), bit for bit.
///
/// Every method draws exactly the values NumPy 2.x draws from the same state, in C order
/// for any shape, and throws `RandomError` with NumPy's wording where NumPy raises.
/// The Gaussian cache of the polar method (`has_gauss`, `gauss`) is part of the state: it
/// is reset by `seed`, consumed by the next normal draw and untouched by other methods.
/// Shapes are NumPy's `size` tuples: `[]` draws one value (NumPy's `size=None`). The legacy
/// distributions (exponential, gamma, beta, Poisson, binomial) are in
/// `RandomState+Distributions.swift`, `randint` for every dtype in `RandomState+Integers.swift`.
public struct RandomState: Sendable, Hashable {
  /// The Mersenne Twister underneath (numpy `RandomState._bit_generator`).
  public internal(set) var bitGenerator: MT19937
  /// Whether a second polar-method value is cached (`has_gauss`).
  public internal(set) var hasGauss = false
  /// The cached value (`gauss`; 0 when none is cached).
  public internal(set) var gauss = 0.0

  /// `np.random.RandomState(seed)` for `0 <= seed <= 2**32 - 1`; NumPy's range error
  /// otherwise.
  public init(seed: Int) throws(RandomError) {
    bitGenerator = try MT19937(seed: seed)
  }

  /// `np.random.RandomState([s0, s1, ...])` (init_by_array); NumPy's errors for `[]` and
  /// out-of-range elements.
  public init(seedArray: [Int]) throws(RandomError) {
    bitGenerator = try MT19937(seedArray: seedArray)
  }

  /// A random state over an existing bit generator, with an empty Gaussian cache.
  public init(bitGenerator: MT19937) {
    self.bitGenerator = bitGenerator
  }

  /// Draws `words` next (`MT19937.restartBlock(withTwisted:)`), with an empty Gaussian
  /// cache: the state of `np.random.seed(s)` for its first draws when `words` are
  /// `MT19937.prefixes` of `s`.
  public mutating func restartBlock(withTwisted words: UnsafeBufferPointer<UInt32>) {
    bitGenerator.restartBlock(withTwisted: words)
    hasGauss = false
    gauss = 0
  }

  /// `np.random.seed(seed)`: reseeds (init_genrand) and clears the Gaussian cache.
  public mutating func seed(_ seed: Int) throws(RandomError) {
    bitGenerator = try MT19937(seed: seed)
    resetGauss()
  }

  /// `np.random.seed([s0, s1, ...])`: reseeds (init_by_array) and clears the Gaussian cache.
  public mutating func seed(array: [Int]) throws(RandomError) {
    bitGenerator = try MT19937(seedArray: array)
    resetGauss()
  }

  /// Polar pairs drawn per batch in `fillStandardNormal`.
  static let batchPairs = 128
  /// The bit pattern of the largest double below 1.
  static let oneBelowOne = (1.0).nextDown.bitPattern
  /// From this many values on, `fillStandardNormal` draws through a tempered cursor.
  static let temperedDraws = 256

  private mutating func resetGauss() {
    hasGauss = false
    gauss = 0.0
  }

  // MARK: - Uniform doubles

  /// `np.random.random_sample()`: one double in [0, 1) (53-bit `next_double`).
  public mutating func nextDouble() -> Double {
    bitGenerator.nextDouble()
  }

  /// Fills `out` with `random_sample` values in order: the allocation-free bulk path.
  public mutating func fillRandomSample(_ out: UnsafeMutableBufferPointer<Double>) {
    bitGenerator.withCursor { cursor in
      for i in out.indices { out[i] = cursor.nextDouble() }
    }
  }

  /// `np.random.random_sample(size)` / `np.random.random(size)`: C-order doubles in [0, 1).
  public mutating func randomSample(_ shape: [Int] = []) throws(RandomError) -> [Double] {
    let count = try elementCount(shape)
    return [Double](hugePageAdvisedCount: count) { fillRandomSample($0) }
  }

  /// `np.random.rand(d0, d1, ...)`: `random_sample` of shape `(d0, d1, ...)`.
  public mutating func rand(_ dimensions: Int...) throws(RandomError) -> [Double] {
    try randomSample(dimensions)
  }

  /// `np.random.uniform(low, high, size)` = `low + (high - low) * next_double`; throws
  /// NumPy's `OverflowError: Range exceeds valid bounds` when `high - low` is not finite.
  public mutating func uniform(low: Double = 0.0, high: Double = 1.0, shape: [Int] = [])
    throws(RandomError) -> [Double]
  {
    let range = high - low
    guard range.isFinite else { throw RandomError(.overflowError, "Range exceeds valid bounds") }
    let count = try elementCount(shape)
    return bitGenerator.withCursor { cursor in
      [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count { buffer[i] = low + range * cursor.nextDouble() }
        initialized = count
      }
    }
  }

  // MARK: - Normal (legacy polar method)

  /// One `legacy_gauss` draw (`np.random.standard_normal()`): the cached value if any,
  /// else a fresh polar pair whose x2 product is returned and x1 product cached.
  public mutating func nextStandardNormal() -> Double {
    var value = 0.0
    withUnsafeMutablePointer(to: &value) { pointer in
      fillStandardNormal(UnsafeMutableBufferPointer(start: pointer, count: 1))
    }
    return value
  }

  /// Fills `out` with `legacy_gauss` values in order, honouring and updating the Gaussian
  /// cache exactly as that many `standard_normal()` calls would: the bulk path of `randn`.
  public mutating func fillStandardNormal(_ out: UnsafeMutableBufferPointer<Double>) {
    let count = out.count
    guard count > 0 else { return }
    var start = 0
    if hasGauss {
      out[0] = gauss
      resetGauss()
      start = 1
    }
    guard start < count else { return }
    let spare: Double?
    if count - start >= Self.temperedDraws {
      spare = bitGenerator.withTemperedCursor { Self.polar(&$0, out, from: start) }
    } else {
      spare = bitGenerator.withCursor { Self.polar(&$0, out, from: start) }
    }
    if let spare {
      hasGauss = true
      gauss = spare
    }
  }

  /// Fills `out[start...]` by `legacy_gauss`'s polar method from `source`; returns the second
  /// value of the last pair when `out` has room for only its first (the new Gaussian cache).
  ///
  /// Two phases per batch of pairs. The first draws candidates until the batch has its
  /// accepted pairs: each candidate is stored and kept by advancing the slot only when
  /// 0 < r2 < 1, so the one candidate in five that is rejected costs no mispredicted
  /// branch. The second runs the independent log/div/sqrt chains of the batch back to back
  /// so they overlap. Exactly the candidates NumPy draws are drawn: the state after the call
  /// is NumPy's.
  @inline(__always)
  static func polar<Source: PolarCandidates>(
    _ source: inout Source, _ out: UnsafeMutableBufferPointer<Double>, from start: Int
  ) -> Double? {
    let count = out.count
    var i = start
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * (batchPairs + 1)) {
      pairs in
      var spare: Double?
      while i < count {
        let batch = min(Self.batchPairs, (count - i + 1) / 2)
        var k = 0
        while k < batch {
          let (d1, d2) = source.nextDoublePair()
          let x1 = 2.0 * d1 - 1.0
          let x2 = 2.0 * d2 - 1.0
          let r2 = x1 * x1 + x2 * x2
          pairs[3 &* k] = x1
          pairs[3 &* k &+ 1] = x2
          pairs[3 &* k &+ 2] = r2
          // 0 < r2 < 1 as one unsigned compare of the bit pattern (r2 is never negative),
          // which compiles to a flag, not to the two branches of the float compares.
          k &+= r2.bitPattern &- 1 < Self.oneBelowOne ? 1 : 0
        }
        for k in 0..<batch {
          let r2 = pairs[3 * k + 2]
          let f = (-2.0 * Foundation.log(r2) / r2).squareRoot()
          out[i] = f * pairs[3 * k + 1]
          i += 1
          if i < count {
            out[i] = f * pairs[3 * k]
            i += 1
          } else {
            spare = f * pairs[3 * k]
          }
        }
      }
      return spare
    }
  }

  /// `np.random.standard_normal(size)`: C-order `legacy_gauss` values.
  public mutating func standardNormal(_ shape: [Int] = []) throws(RandomError) -> [Double] {
    let count = try elementCount(shape)
    return [Double](hugePageAdvisedCount: count) { fillStandardNormal($0) }
  }

  /// `np.random.randn(d0, d1, ...)`: `standard_normal` of shape `(d0, d1, ...)`.
  public mutating func randn(_ dimensions: Int...) throws(RandomError) -> [Double] {
    try standardNormal(dimensions)
  }

  /// `np.random.randn(*shape)` with the shape as an array.
  public mutating func randn(shape: [Int]) throws(RandomError) -> [Double] {
    try standardNormal(shape)
  }

  /// `np.random.normal(loc, scale, size)` = `loc + scale * legacy_gauss`; throws NumPy's
  /// `ValueError: scale < 0` when `scale` has its sign bit set (also for -0.0, as NumPy).
  public mutating func normal(loc: Double = 0.0, scale: Double = 1.0, shape: [Int] = [])
    throws(RandomError) -> [Double]
  {
    guard scale.isNaN || scale.sign == .plus else {
      throw RandomError(.valueError, "scale < 0")
    }
    var values = try standardNormal(shape)
    for i in values.indices { values[i] = loc + scale * values[i] }
    return values
  }
}

/// A source of polar-method candidates: two `next_double` draws in order.
protocol PolarCandidates {
  mutating func nextDoublePair() -> (Double, Double)
}

extension RandomState {
  /// The first value `randn` draws from a freshly seeded state whose first twisted words are
  /// `words` (`MT19937.prefixes`), by the same polar method as every normal draw; nil when
  /// its candidates need more words than given. (A seed search's quick test: one pair instead
  /// of a whole draw.)
  public static func firstStandardNormal(fromTwisted words: UnsafeBufferPointer<UInt32>)
    -> Double?
  {
    var source = PrefixWords(words: words)
    let value = withUnsafeTemporaryAllocation(of: Double.self, capacity: 1) { out in
      _ = polar(&source, out, from: 0)
      return out[0]
    }
    return source.exhausted ? nil : value
  }
}

/// Polar candidates from a few tempered-on-the-fly state words; once they run out, one
/// accepted candidate ends the loop and `exhausted` says its value is not a draw.
struct PrefixWords: PolarCandidates {
  let words: UnsafeBufferPointer<UInt32>
  var position = 0
  var exhausted = false
  mutating func nextDoublePair() -> (Double, Double) {
    guard position + 4 <= words.count else {
      exhausted = true
      return (0.75, 0.5)
    }
    let first = MTCursor.double(
      MTCursor.temper(words[position]), MTCursor.temper(words[position + 1]))
    let second = MTCursor.double(
      MTCursor.temper(words[position + 2]), MTCursor.temper(words[position + 3]))
    position += 4
    return (first, second)
  }
}

extension MTCursor: PolarCandidates {}
extension MTTemperedCursor: PolarCandidates {}
