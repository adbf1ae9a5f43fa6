import Foundation

/// NumPy's modern random API over PCG64 (numpy.random.Generator, what
/// `np.random.default_rng(seed)` returns), bit for bit.
///
/// `random`, `standardNormal` (256-layer ziggurat), `normal`, `uniform` and `integers`
/// (Lemire's method with 32-bit draws for ranges below 2^32, or in the width of a narrower
/// dtype), and the distributions of `Generator+Distributions.swift` (exponential by its own
/// ziggurat, gamma, beta, Poisson, binomial, `permuted`) draw exactly NumPy's values in C
/// order for any shape. Shapes are NumPy's `size` tuples: `[]` draws one value.
public struct Generator: Sendable, Hashable {
  /// The bit generator underneath (numpy `Generator.bit_generator`).
  public var bitGenerator: PCG64

  /// `np.random.default_rng(seed)` = `Generator(PCG64(SeedSequence(seed)))`; throws NumPy's
  /// `ValueError: expected non-negative integer` for a negative seed.
  public init(seed: Int) throws(RandomError) {
    bitGenerator = try PCG64(seed: seed)
  }

  /// `np.random.default_rng([e0, e1, ...])` (each element split into 32-bit words).
  public init(seedSequence entropy: [UInt64]) {
    bitGenerator = PCG64(seedSequence: SeedSequence(sequence: entropy))
  }

  /// `np.random.Generator(bit_generator)`.
  public init(bitGenerator: PCG64) {
    self.bitGenerator = bitGenerator
  }

  // MARK: - Uniform doubles

  /// `Generator.random()`: one double in [0, 1).
  public mutating func nextDouble() -> Double {
    bitGenerator.nextDouble()
  }

  /// Fills `out` with `Generator.random` values in order (allocation-free bulk path).
  public mutating func fillRandom(_ out: UnsafeMutableBufferPointer<Double>) {
    var bits = bitGenerator
    for i in out.indices { out[i] = bits.nextDouble() }
    bitGenerator = bits
  }

  /// `Generator.random(size)`: C-order doubles in [0, 1).
  public mutating func random(_ shape: [Int] = []) throws(RandomError) -> [Double] {
    let count = try elementCount(shape)
    return [Double](hugePageAdvisedCount: count) { fillRandom($0) }
  }

  /// `Generator.uniform(low, high, size)` = `low + (high - low) * next_double`; throws
  /// NumPy's `OverflowError: high - low range exceeds valid bounds` for a non-finite range
  /// and `ValueError: high - low < 0` for a negative one.
  public mutating func uniform(low: Double = 0.0, high: Double = 1.0, shape: [Int] = [])
    throws(RandomError) -> [Double]
  {
    let range = high - low
    guard range.isFinite else {
      throw RandomError(.overflowError, "high - low range exceeds valid bounds")
    }
    guard range.sign == .plus else { throw RandomError(.valueError, "high - low < 0") }
    var values = try random(shape)
    for i in values.indices { values[i] = low + range * values[i] }
    return values
  }

  // MARK: - Normal (ziggurat)

  /// One `random_standard_normal` draw (`Generator.standard_normal()`).
  public mutating func nextStandardNormal() -> Double {
    var value = 0.0
    withUnsafeMutablePointer(to: &value) { pointer in
      fillStandardNormal(UnsafeMutableBufferPointer(start: pointer, count: 1))
    }
    return value
  }

  /// Fills `out` with `random_standard_normal` values in order: NumPy's 256-layer
  /// ziggurat with its literal `ki`/`wi`/`fi` tables, tail and wedge rejection.
  public mutating func fillStandardNormal(_ out: UnsafeMutableBufferPointer<Double>) {
    var bits = bitGenerator
    Ziggurat.ki.withUnsafeBufferPointer { ki in
      Ziggurat.wi.withUnsafeBufferPointer { wi in
        Ziggurat.fi.withUnsafeBufferPointer { fi in
          Self.fillZiggurat(&bits, out, ki: ki, wi: wi, fi: fi)
        }
      }
    }
    bitGenerator = bits
  }

  /// The hot loop: the 128-bit state lives in two local words (registers); only the rare
  /// branches (about 1 draw in 100) go through a `PCG64` value in memory.
  @inline(__always)
  static func fillZiggurat(
    _ bits: inout PCG64, _ out: UnsafeMutableBufferPointer<Double>,
    ki: UnsafeBufferPointer<UInt64>, wi: UnsafeBufferPointer<Double>,
    fi: UnsafeBufferPointer<Double>
  ) {
    var low = UInt64(truncatingIfNeeded: bits.state)
    var high = UInt64(truncatingIfNeeded: bits.state >> 64)
    let incrementLow = UInt64(truncatingIfNeeded: bits.increment)
    let incrementHigh = UInt64(truncatingIfNeeded: bits.increment >> 64)
    for i in out.indices {
      while true {
        // pcg64_next64: state = state * MULT + inc; XSL-RR of the new state.
        let product = low.multipliedFullWidth(by: PCG64.multiplierLow)
        let crossed = product.high &+ low &* PCG64.multiplierHigh &+ high &* PCG64.multiplierLow
        let (sumLow, carry) = product.low.addingReportingOverflow(incrementLow)
        low = sumLow
        high = crossed &+ incrementHigh &+ (carry ? 1 : 0)
        let shift = high >> 58
        let mixed = high ^ low
        var r = (mixed >> shift) | (mixed << ((64 &- shift) & 63))

        let index = Int(r & 0xff)
        r >>= 8
        let magnitude = (r >> 1) & 0x000f_ffff_ffff_ffff
        var x = Double(magnitude) * wi[index]
        if r & 1 == 1 { x = -x }
        if magnitude < ki[index] {
          out[i] = x
          break
        }
        var slow = bits
        slow.state = UInt128(high) << 64 | UInt128(low)
        let value = unlikely(&slow, index: index, magnitude: magnitude, x: x, fi: fi)
        low = UInt64(truncatingIfNeeded: slow.state)
        high = UInt64(truncatingIfNeeded: slow.state >> 64)
        if let value {
          out[i] = value
          break
        }
      }
    }
    bits.state = UInt128(high) << 64 | UInt128(low)
  }

  /// The rare branches of the ziggurat: the tail beyond r (layer 0) and the wedges.
  @inline(never)
  static func unlikely(
    _ bits: inout PCG64, index: Int, magnitude: UInt64, x: Double,
    fi: UnsafeBufferPointer<Double>
  ) -> Double? {
    if index == 0 {
      while true {
        let xx = -Ziggurat.inverseR * Foundation.log1p(-bits.nextDouble())
        let yy = -Foundation.log1p(-bits.nextDouble())
        if yy + yy > xx * xx {
          return ((magnitude >> 8) & 1) == 1 ? -(Ziggurat.r + xx) : Ziggurat.r + xx
        }
      }
    }
    let threshold = (fi[index - 1] - fi[index]) * bits.nextDouble() + fi[index]
    return threshold < Foundation.exp(-0.5 * x * x) ? x : nil
  }

  /// `Generator.standard_normal(size)`: C-order ziggurat values.
  public mutating func standardNormal(_ shape: [Int] = []) throws(RandomError) -> [Double] {
    let count = try elementCount(shape)
    return [Double](hugePageAdvisedCount: count) { fillStandardNormal($0) }
  }

  /// `Generator.normal(loc, scale, size)` = `loc + scale * standard_normal`; throws NumPy's
  /// `ValueError: scale < 0` when `scale` has its sign bit set.
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
