import Foundation

extension Generator: VariateSource {}

/// `Generator`'s variates, beta and binomial draws, and `permuted` (numpy `_generator.pyx`
/// over `distributions.c`; its exponential, gamma and Poisson draws are `VariateSource`'s), bit for bit. Parameters are `RandomParameter`s (a number or an
/// array, broadcast as NumPy broadcasts them) and `size` is NumPy's (nil: `size=None`).
extension Generator {
  // MARK: - Exponential (ziggurat)

  /// One `random_standard_exponential` draw: NumPy's 256-layer exponential ziggurat. A
  /// 64-bit draw gives (after dropping 3 bits) the layer in its low 8 bits and a 53-bit
  /// magnitude above; most draws end at the first comparison.
  public mutating func nextStandardExponential() -> Double {
    ExponentialZiggurat.ke.withUnsafeBufferPointer { ke in
      ExponentialZiggurat.we.withUnsafeBufferPointer { we in
        ExponentialZiggurat.fe.withUnsafeBufferPointer { fe in
          Self.exponentialZiggurat(&bitGenerator, ke: ke, we: we, fe: fe)
        }
      }
    }
  }

  /// The ziggurat loop: NumPy retries a rejected wedge point with a fresh draw (a tail
  /// call there, a loop here).
  @inline(__always)
  static func exponentialZiggurat(
    _ bits: inout PCG64, ke: UnsafeBufferPointer<UInt64>, we: UnsafeBufferPointer<Double>,
    fe: UnsafeBufferPointer<Double>
  ) -> Double {
    while true {
      var r = bits.next() >> 3
      let index = Int(r & 0xff)
      r >>= 8
      let x = Double(r) * we[index]
      if r < ke[index] { return x }
      if index == 0 {
        // The tail beyond r: r plus a fresh exponential, from 1 - U so as never to take log(0).
        return ExponentialZiggurat.r - Foundation.log1p(-bits.nextDouble())
      }
      if (fe[index - 1] - fe[index]) * bits.nextDouble() + fe[index] < Foundation.exp(-x) {
        return x
      }
    }
  }

  /// `Generator.standard_exponential(size, method=)`: the ziggurat (`method='zig'`, NumPy's
  /// default) or inversion, `-log1p(-U)` (`method='inv'`).
  public mutating func standardExponential(size: [Int]? = nil, inversion: Bool = false)
    throws(RandomError) -> RandomDraws<Double>
  {
    let shape = size ?? []
    let count = try elementCount(shape)
    var values = [Double](repeating: 0, count: count)
    for k in 0..<count {
      values[k] =
        inversion ? -Foundation.log1p(-nextDouble()) : nextStandardExponential()
    }
    return RandomDraws(shape: shape, values: values)
  }

  // MARK: - Beta

  /// `Generator.beta(a, b, size)`: `random_beta`; NumPy's `a <= 0` / `b <= 0`.
  public mutating func beta(
    a: RandomParameter<Double>, b: RandomParameter<Double>, size: [Int]? = nil
  ) throws(RandomError) -> RandomDraws<Double> {
    try RandomCall.run(
      size: size, doubles: [a, b],
      checks: [ParameterCheck(a, .positive, "a"), ParameterCheck(b, .positive, "b")]
    ) { arguments, k in
      Distributions.beta(&self, arguments.double(0, k), arguments.double(1, k))
    }
  }

  // MARK: - Discrete

  /// `Generator.binomial(n, p, size)`: `random_binomial` (0 without a draw for n = 0 or
  /// p = 0; inversion or BTPE). NumPy checks `p` before `n` and iterates (p, n).
  public mutating func binomial(
    n: RandomParameter<Int64>, p: RandomParameter<Double>, size: [Int]? = nil
  ) throws(RandomError) -> RandomDraws<Int64> {
    var sampler = Distributions.BinomialSampler(.modern)
    return try RandomCall.run(
      size: size, doubles: [p], integers: [n],
      checks: [ParameterCheck(p, .unitInterval, "p"), ParameterCheck(n, .nonNegative, "n")]
    ) { arguments, k in
      sampler.draw(&self, n: arguments.integer(0, k), p: arguments.double(0, k))
    }
  }

  // MARK: - permuted

  /// `Generator.permuted(x, axis=axis)` of an array of `shape` whose elements are `elements`
  /// in C order: each lane along `axis` shuffled independently (lanes in C order of the
  /// other axes), or, for `axis` nil, all elements shuffled as one sequence taken in
  /// `order` (C order, or Fortran order where NumPy's copy of `x` is F-contiguous).
  ///
  /// Every shuffle is NumPy's `_shuffle_raw`: swaps for i = n-1 down to 1 with
  /// `random_interval(i)` (the i = 0 step of `permuted`'s lanes draws nothing).
  public mutating func permuted<T>(
    _ elements: [T], shape: [Int], axis: Int?, fortranOrder: Bool = false
  ) throws(RandomError) -> [T] {
    var out = elements
    guard let axis else {
      // The flat positions in the order the sequence is read.
      let order = fortranOrder ? Self.fortranPositions(shape) : Array(out.indices)
      var sequence = order.map { out[$0] }
      shuffle(&sequence)
      for (position, value) in zip(order, sequence) { out[position] = value }
      return out
    }
    guard axis >= -shape.count, axis < shape.count else {
      throw RandomError(
        .axisError, "axis \(axis) is out of bounds for array of dimension \(shape.count)")
    }
    let along = axis < 0 ? axis + shape.count : axis
    let extent = shape[along]
    let stride = shape[(along + 1)...].reduce(1, *)
    let outer = shape[..<along].reduce(1, *)
    guard extent > 1 else { return out }
    for block in 0..<outer {
      for inner in 0..<stride {
        let base = block * extent * stride + inner
        for i in Swift.stride(from: extent - 1, through: 1, by: -1) {
          let j = Int(interval(UInt64(i)))
          out.swapAt(base + i * stride, base + j * stride)
        }
      }
    }
    return out
  }

  /// The C-order flat positions of a `shape` array listed in Fortran order.
  static func fortranPositions(_ shape: [Int]) -> [Int] {
    let count = shape.reduce(1, *)
    guard count > 0 else { return [] }
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) {
      strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    var index = [Int](repeating: 0, count: shape.count)
    var positions: [Int] = []
    positions.reserveCapacity(count)
    for _ in 0..<count {
      positions.append(zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 })
      for axis in 0..<shape.count {
        index[axis] += 1
        if index[axis] < shape[axis] { break }
        index[axis] = 0
      }
    }
    return positions
  }
}
