/// NumPy's entropy mixer (numpy.random.SeedSequence with no spawn key and pool size 4),
/// bit for bit: `generateState` returns exactly NumPy's `generate_state` words.
public struct SeedSequence: Sendable, Hashable {
  /// The entropy as little-endian 32-bit words (numpy `_coerce_to_uint32_array`).
  public let entropyWords: [UInt32]
  /// The mixed pool of four words (numpy `SeedSequence.pool`).
  public let pool: [UInt32]

  static let poolSize = 4
  static let initA: UInt32 = 0x43b0_d7e5
  static let multA: UInt32 = 0x931e_8875
  static let initB: UInt32 = 0x8b51_f9dd
  static let multB: UInt32 = 0x58f3_8ded
  static let mixMultL: UInt32 = 0xca01_f9dd
  static let mixMultR: UInt32 = 0x4973_f715

  /// `SeedSequence(entropy)` for an integer; throws NumPy's
  /// `ValueError: expected non-negative integer` for a negative one.
  public init(_ entropy: Int) throws(RandomError) {
    guard entropy >= 0 else { throw RandomError.negativeEntropy }
    self.init(words: Self.words(of: UInt64(entropy)))
  }

  /// `SeedSequence([e0, e1, ...])`: each element split into 32-bit words (lowest first,
  /// one word for values below 2^32) and concatenated, as NumPy does.
  public init(sequence: [UInt64]) {
    self.init(words: sequence.flatMap { Self.words(of: $0) })
  }

  /// `SeedSequence(np.array(words, dtype=np.uint32))`: the words used as given.
  public init(words: [UInt32]) {
    entropyWords = words
    var hashConstant = Self.initA
    func hashmix(_ input: UInt32) -> UInt32 {
      var value = input ^ hashConstant
      hashConstant = hashConstant &* Self.multA
      value = value &* hashConstant
      value ^= value >> 16
      return value
    }
    func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
      var result = (Self.mixMultL &* x) &- (Self.mixMultR &* y)
      result ^= result >> 16
      return result
    }
    var mixed = [UInt32](repeating: 0, count: Self.poolSize)
    for i in 0..<Self.poolSize {
      mixed[i] = hashmix(i < words.count ? words[i] : 0)
    }
    for source in 0..<Self.poolSize {
      for destination in 0..<Self.poolSize where destination != source {
        mixed[destination] = mix(mixed[destination], hashmix(mixed[source]))
      }
    }
    for source in Self.poolSize..<max(Self.poolSize, words.count) {
      for destination in 0..<Self.poolSize {
        mixed[destination] = mix(mixed[destination], hashmix(words[source]))
      }
    }
    pool = mixed
  }

  /// `generate_state(n, np.uint32)`.
  public func generateState(_ count: Int) -> [UInt32] {
    var hashConstant = Self.initB
    return (0..<max(count, 0)).map { i in
      var value = pool[i % Self.poolSize] ^ hashConstant
      hashConstant = hashConstant &* Self.multB
      value = value &* hashConstant
      value ^= value >> 16
      return value
    }
  }

  /// `generate_state(n, np.uint64)`: pairs of 32-bit words, the first one low.
  public func generateState64(_ count: Int) -> [UInt64] {
    let words = generateState(2 * max(count, 0))
    return (0..<max(count, 0)).map { k in
      UInt64(words[2 * k]) | UInt64(words[2 * k + 1]) << 32
    }
  }

  /// NumPy's `_int_to_uint32_array`: 0 is `[0]`, otherwise words lowest first.
  static func words(of value: UInt64) -> [UInt32] {
    if value == 0 { return [0] }
    var words: [UInt32] = []
    var rest = value
    while rest > 0 {
      words.append(UInt32(truncatingIfNeeded: rest))
      rest >>= 32
    }
    return words
  }
}
