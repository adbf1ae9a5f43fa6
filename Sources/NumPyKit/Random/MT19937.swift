/// The Mersenne Twister bit generator of NumPy's legacy `RandomState`
/// (numpy.random.MT19937 with `_legacy_seeding`), bit for bit.
///
/// Every draw equals NumPy's: `next32()` is `mt19937_next32`, `next()` is `mt19937_next64`
/// (the first 32-bit draw is the high word) and `nextDouble()` is the 53-bit
/// `mt19937_next_double`. Seeding follows `np.random.seed`: an integer uses
/// `init_genrand`, an array uses `init_by_array`.
public struct MT19937: RandomNumberGenerator, Sendable, Hashable {
  /// The number of 32-bit words in the state (N = 624).
  public static let stateCount = 624

  /// The state words (`key[624]`).
  var key: [UInt32]
  /// The index of the next word to temper; 624 means "twist first".
  var position: Int

  /// Seeds like `np.random.seed(seed)` for `0 <= seed <= 2**32 - 1` (reference
  /// `init_genrand`, NumPy's `mt19937_seed`).
  public init(seed: UInt32) {
    key = [UInt32](repeating: 0, count: Self.stateCount)
    position = Self.stateCount
    Self.initGenrand(&key, seed)
  }

  /// Seeds like `np.random.seed(seed)`; throws NumPy's
  /// `ValueError: Seed must be between 0 and 2**32 - 1` outside that range.
  public init(seed: Int) throws(RandomError) {
    guard seed >= 0, seed <= Int(UInt32.max) else { throw RandomError.seedRange }
    self.init(seed: UInt32(seed))
  }

  /// Seeds like `np.random.seed([s0, s1, ...])` (reference `init_by_array`); throws NumPy's
  /// `Seed must be non-empty` for `[]` and the range error for an element outside
  /// `0...2**32 - 1`.
  public init(seedArray: [Int]) throws(RandomError) {
    guard !seedArray.isEmpty else { throw RandomError.emptySeed }
    var words: [UInt32] = []
    words.reserveCapacity(seedArray.count)
    for element in seedArray {
      guard element >= 0, element <= Int(UInt32.max) else { throw RandomError.seedRange }
      words.append(UInt32(element))
    }
    key = [UInt32](repeating: 0, count: Self.stateCount)
    position = Self.stateCount
    Self.initByArray(&key, words)
  }

  /// Restores a state as `RandomState.get_state()` reports it: 624 key words and `pos`.
  /// Returns `nil` unless there are exactly 624 words and `0 <= position <= 624`.
  public init?(key: [UInt32], position: Int) {
    guard key.count == Self.stateCount, (0...Self.stateCount).contains(position) else {
      return nil
    }
    self.key = key
    self.position = position
  }

  /// The state words, as `RandomState.get_state()[1]` lists them.
  public var stateWords: [UInt32] { key }
  /// The position in the state, as `RandomState.get_state()[2]` reports it.
  public var statePosition: Int { position }

  /// The next tempered 32-bit word (numpy `mt19937_next32`).
  public mutating func next32() -> UInt32 {
    withCursor { $0.next32() }
  }

  /// The next 64 bits: two 32-bit draws, the first one the high word (`mt19937_next64`).
  public mutating func next() -> UInt64 {
    withCursor { $0.next64() }
  }

  /// The next double in [0, 1) with 53 random bits (`mt19937_next_double`), exact.
  public mutating func nextDouble() -> Double {
    withCursor { $0.nextDouble() }
  }

  /// Runs `body` with direct access to the state: the fast path for bulk draws.
  @inline(__always)
  mutating func withCursor<R, E: Error>(_ body: (inout MTCursor) throws(E) -> R) throws(E) -> R {
    var savedPosition = position
    defer { position = savedPosition }
    return try key.withUnsafeMutableBufferPointer { (words) throws(E) -> R in
      var cursor = MTCursor(words: words, position: savedPosition)
      defer { savedPosition = cursor.position }
      return try body(&cursor)
    }
  }

  /// Runs `body` with a cursor for bulk draws, which tempers the words of the current block
  /// ahead of use. Worth it from a few hundred draws: setting it up tempers up to 624 words.
  @inline(__always)
  mutating func withTemperedCursor<R>(_ body: (inout MTTemperedCursor) -> R) -> R {
    withCursor { cursor in
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: Self.stateCount) { scratch in
        var tempered = MTTemperedCursor(cursor: cursor, scratch: scratch.baseAddress!)
        defer { cursor.position = tempered.position }
        return body(&tempered)
      }
    }
  }

  /// The first `prefix` words (1 to 226) of the first twisted block of `MT19937(seed:)` for
  /// each seed, handed to `body` with the seed's index, without making the generators: the
  /// words of `init_genrand` up to 397 + `prefix` are all those words need. Eight seeds' chains
  /// of dependent multiplications run at once in the lanes of one vector (what a seed search
  /// spends most of its time on); `restartBlock(withTwisted:)` puts the words in a generator.
  public static func prefixes(
    _ seeds: [UInt32], prefix: Int, _ body: (Int, UnsafeBufferPointer<UInt32>) -> Void
  ) {
    let prefix = min(max(prefix, 1), stateCount - 398)
    let length = 397 + prefix + 1
    withUnsafeTemporaryAllocation(of: SIMD8<UInt32>.self, capacity: length) { chains in
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: prefix) { words in
        var start = 0
        while start < seeds.count {
          // The last batch padded with its last seed.
          var x = SIMD8<UInt32>(repeating: seeds[seeds.count - 1])
          for lane in 0..<min(8, seeds.count - start) { x[lane] = seeds[start + lane] }
          var n = SIMD8<UInt32>(repeating: 0)
          let multiplier = SIMD8<UInt32>(repeating: 1_812_433_253)
          chains[0] = x
          for i in 1..<length {
            n &+= 1
            x = multiplier &* (x ^ (x &>> 30)) &+ n
            chains[i] = x
          }
          for lane in 0..<min(8, seeds.count - start) {
            for i in 0..<prefix {
              let y = (chains[i][lane] & 0x8000_0000) | (chains[i + 1][lane] & 0x7fff_ffff)
              words[i] = chains[i + 397][lane] ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_b0df)
            }
            body(start + lane, UnsafeBufferPointer(words))
          }
          start += 8
        }
      }
    }
  }

  /// Makes `words`, the first words of a twisted block (`prefixes`), the next draws: they are
  /// put at the end of the block and the position set to the first of them. The draws after
  /// them come from the twist of whatever the rest of the state holds, so a caller checks
  /// `statePosition >= 624 - words.count` after drawing (the block not left).
  public mutating func restartBlock(withTwisted words: UnsafeBufferPointer<UInt32>) {
    let first = Self.stateCount - words.count
    key.withUnsafeMutableBufferPointer { key in
      for i in 0..<words.count { key[first + i] = words[i] }
    }
    position = first
  }

  /// Reference `init_genrand` (NumPy `mt19937_seed`); `key[0]` is not forced to 2^31.
  static func initGenrand(_ key: inout [UInt32], _ seed: UInt32) {
    key[0] = seed
    for i in 1..<stateCount {
      let previous = key[i - 1]
      key[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
    }
  }

  /// Reference `init_by_array` (NumPy `mt19937_init_by_array`).
  static func initByArray(_ key: inout [UInt32], _ seeds: [UInt32]) {
    initGenrand(&key, 19_650_218)
    let n = stateCount
    var i = 1
    var j = 0
    for _ in 0..<max(n, seeds.count) {
      let previous = key[i - 1]
      key[i] =
        (key[i] ^ ((previous ^ (previous >> 30)) &* 1_664_525)) &+ seeds[j] &+ UInt32(j)
      i += 1
      j += 1
      if i >= n {
        key[0] = key[n - 1]
        i = 1
      }
      if j >= seeds.count { j = 0 }
    }
    for _ in 0..<(n - 1) {
      let previous = key[i - 1]
      key[i] = (key[i] ^ ((previous ^ (previous >> 30)) &* 1_566_083_941)) &- UInt32(i)
      i += 1
      if i >= n {
        key[0] = key[n - 1]
        i = 1
      }
    }
    key[0] = 0x8000_0000
  }
}

/// Direct access to an `MT19937` state inside `withCursor`: inlined draws without
/// bounds or uniqueness checks (the buffer always holds 624 words).
struct MTCursor {
  let words: UnsafeMutableBufferPointer<UInt32>
  var position: Int

  /// `mt19937_next`: twist when the block is used up, then temper the next word.
  @inline(__always)
  mutating func next32() -> UInt32 {
    if position >= MT19937.stateCount {
      Self.twist(words)
      position = 0
    }
    let y = words[position]
    position &+= 1
    return Self.temper(y)
  }

  /// The tempering of a state word into an output word (`mt19937_next`).
  @inline(__always)
  static func temper(_ word: UInt32) -> UInt32 {
    var y = word
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c_5680
    y ^= (y << 15) & 0xefc6_0000
    y ^= y >> 18
    return y
  }

  /// The `mt19937_next_double` of two tempered words: `(a * 2^26 + b) / 2^53` with
  /// a = 27 bits, b = 26 bits.
  @inline(__always)
  static func double(_ first: UInt32, _ second: UInt32) -> Double {
    (Double(first >> 5) * 67_108_864.0 + Double(second >> 6)) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// `mt19937_next64`: the first draw is the high word.
  @inline(__always)
  mutating func next64() -> UInt64 {
    let high = UInt64(next32())
    return high << 32 | UInt64(next32())
  }

  /// `mt19937_next_double`: `(a * 2^26 + b) / 2^53` with a = 27 bits, b = 26 bits.
  @inline(__always)
  mutating func nextDouble() -> Double {
    let a = next32()
    return Self.double(a, next32())
  }

  /// Two `mt19937_next_double` draws in order: one polar-method candidate.
  @inline(__always)
  mutating func nextDoublePair() -> (Double, Double) {
    let first = nextDouble()
    return (first, nextDouble())
  }

  /// `random_interval(max)`: masked rejection on [0, max] (NumPy's shuffle and permutation).
  @inline(__always)
  mutating func interval(_ max: UInt64) -> UInt64 {
    if max == 0 { return 0 }
    let mask = bitMask(covering: max)
    if max <= 0xFFFF_FFFF {
      while true {
        let value = UInt64(next32()) & mask
        if value <= max { return value }
      }
    }
    while true {
      let value = next64() & mask
      if value <= max { return value }
    }
  }

  /// `mt19937_gen`: regenerates all 624 words, in place, in increasing order. Split into
  /// the three index ranges so no `% 624` is needed; branch-free matrix step.
  @inline(never)
  static func twist(_ k: UnsafeMutableBufferPointer<UInt32>) {
    let n = MT19937.stateCount
    let m = 397
    let upper: UInt32 = 0x8000_0000
    let lower: UInt32 = 0x7fff_ffff
    let matrix: UInt32 = 0x9908_b0df
    for i in 0..<(n - m) {
      let y = (k[i] & upper) | (k[i + 1] & lower)
      k[i] = k[i + m] ^ (y >> 1) ^ ((0 &- (y & 1)) & matrix)
    }
    for i in (n - m)..<(n - 1) {
      let y = (k[i] & upper) | (k[i + 1] & lower)
      k[i] = k[i - (n - m)] ^ (y >> 1) ^ ((0 &- (y & 1)) & matrix)
    }
    let y = (k[n - 1] & upper) | (k[0] & lower)
    k[n - 1] = k[m - 1] ^ (y >> 1) ^ ((0 &- (y & 1)) & matrix)
  }
}

/// Bulk draws from an `MT19937` state (inside `withTemperedCursor`): the words of the
/// current block are tempered into a scratch block as soon as they exist, in one loop the
/// compiler vectorises, so a draw is a load, and a four-word polar candidate checks for the
/// end of the block once instead of four times. The state words themselves stay untempered,
/// as NumPy keeps them: `position` is the only thing the cursor hands back.
struct MTTemperedCursor {
  let words: UnsafeMutableBufferPointer<UInt32>
  let tempered: UnsafeMutablePointer<UInt32>
  var position: Int

  init(cursor: MTCursor, scratch: UnsafeMutablePointer<UInt32>) {
    words = cursor.words
    tempered = scratch
    position = cursor.position
    if position < MT19937.stateCount { temper(from: position) }
  }

  /// `mt19937_next32`.
  @inline(__always)
  mutating func next32() -> UInt32 {
    if position >= MT19937.stateCount { nextBlock() }
    let y = tempered[position]
    position &+= 1
    return y
  }

  /// Two `mt19937_next_double` draws in order (four words), checking the block's end once.
  @inline(__always)
  mutating func nextDoublePair() -> (Double, Double) {
    if position <= MT19937.stateCount - 4 {
      let p = tempered + position
      position &+= 4
      return (MTCursor.double(p[0], p[1]), MTCursor.double(p[2], p[3]))
    }
    let a = next32()
    let b = next32()
    let c = next32()
    return (MTCursor.double(a, b), MTCursor.double(c, next32()))
  }

  /// Twists the state and tempers the new block.
  @inline(never)
  mutating func nextBlock() {
    MTCursor.twist(words)
    position = 0
    temper(from: 0)
  }

  /// Tempers state words `start..<624` into the scratch block.
  private func temper(from start: Int) {
    for i in start..<MT19937.stateCount { tempered[i] = MTCursor.temper(words[i]) }
  }
}
