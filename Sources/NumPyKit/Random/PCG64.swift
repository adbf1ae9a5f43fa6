/// NumPy's default bit generator (numpy.random.PCG64: 128-bit LCG, XSL-RR output), bit for
/// bit, including the buffered 32-bit draws (`has_uint32`, `uinteger`).
public struct PCG64: RandomNumberGenerator, Sendable, Hashable {
  /// The LCG state (`pcg_state->state`).
  public internal(set) var state: UInt128
  /// The odd increment (`pcg_state->inc`).
  public private(set) var increment: UInt128
  /// Whether the high half of the last 64-bit draw is held for `next32()` (`has_uint32`).
  public private(set) var hasUInt32 = false
  /// The held high half (`uinteger`).
  public private(set) var heldUInt32: UInt32 = 0

  /// `PCG64(SeedSequence)`: four 64-bit words of `generate_state` give the initial state
  /// and the stream (numpy `pcg64_set_seed`).
  public init(seedSequence: SeedSequence) {
    let v = seedSequence.generateState64(4)
    let initialState = UInt128(v[0]) << 64 | UInt128(v[1])
    let sequence = UInt128(v[2]) << 64 | UInt128(v[3])
    increment = sequence << 1 | 1
    state = 0
    step()
    state = state &+ initialState
    step()
  }

  /// `PCG64(seed)` = `PCG64(SeedSequence(seed))`; NumPy's error for a negative seed.
  public init(seed: Int) throws(RandomError) {
    self.init(seedSequence: try SeedSequence(seed))
  }

  /// Restores a raw state (`bit_generator.state['state']`), e.g. from NumPy.
  public init(state: UInt128, increment: UInt128, hasUInt32: Bool = false, heldUInt32: UInt32 = 0) {
    self.state = state
    self.increment = increment
    self.hasUInt32 = hasUInt32
    self.heldUInt32 = heldUInt32
  }

  static let multiplierHigh: UInt64 = 0x2360_ed05_1fc6_5da4
  static let multiplierLow: UInt64 = 0x4385_df64_9fcc_f645

  /// `state = state * MULT + inc (mod 2^128)`, spelled with 64-bit halves (three multiplies).
  @inline(__always)
  mutating func step() {
    let low = UInt64(truncatingIfNeeded: state)
    let high = UInt64(truncatingIfNeeded: state >> 64)
    let product = low.multipliedFullWidth(by: Self.multiplierLow)
    let productHigh =
      product.high &+ low &* Self.multiplierHigh &+ high &* Self.multiplierLow
    state = (UInt128(productHigh) << 64 | UInt128(product.low)) &+ increment
  }

  /// The next 64 bits (`pcg64_next64`): step, then XSL-RR of the new state.
  @inline(__always)
  public mutating func next() -> UInt64 {
    step()
    let high = UInt64(truncatingIfNeeded: state >> 64)
    let low = UInt64(truncatingIfNeeded: state)
    return (high ^ low).rotateRight(by: high >> 58)
  }

  /// The next 32 bits (`pcg64_next32`): the held high half if any, else the low half of a
  /// fresh 64-bit draw, keeping its high half.
  @inline(__always)
  public mutating func next32() -> UInt32 {
    if hasUInt32 {
      hasUInt32 = false
      return heldUInt32
    }
    let value = next()
    hasUInt32 = true
    heldUInt32 = UInt32(truncatingIfNeeded: value >> 32)
    return UInt32(truncatingIfNeeded: value)
  }

  /// The next double in [0, 1): `(next64 >> 11) * 2^-53` (`pcg64_next_double`).
  @inline(__always)
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }
}

extension UInt64 {
  @inline(__always)
  fileprivate func rotateRight(by amount: UInt64) -> UInt64 {
    let shift = amount & 63
    return (self >> shift) | (self << ((64 &- shift) & 63))
  }
}
