import Foundation

extension RandomState: VariateSource {}

/// `RandomState`'s variates, beta and binomial draws with NumPy's legacy algorithms (its
/// exponential, gamma and Poisson draws are `VariateSource`'s, over these variates) (`mtrand.pyx` over `legacy-distributions.c`), bit for bit. Normal variates
/// come from the legacy polar method and so share its Gaussian cache with `randn`.
/// Parameters are `RandomParameter`s (a number or an array, broadcast as NumPy broadcasts
/// them) and `size` is NumPy's (nil: `size=None`).
extension RandomState {
  // MARK: - Exponential

  /// One `legacy_standard_exponential` draw: `-log(1 - U)`.
  public mutating func nextStandardExponential() -> Double {
    -Foundation.log(1.0 - nextDouble())
  }

  /// `np.random.standard_exponential(size)`.
  public mutating func standardExponential(size: [Int]? = nil) throws(RandomError)
    -> RandomDraws<Double>
  {
    try RandomCall.run(size: size, doubles: [], checks: []) { _, _ in
      nextStandardExponential()
    }
  }

  // MARK: - Beta

  /// `np.random.beta(a, b, size)`: `legacy_beta` (Johnk's algorithm when both are <= 1);
  /// NumPy's `a <= 0` / `b <= 0`.
  public mutating func beta(
    a: RandomParameter<Double>, b: RandomParameter<Double>, size: [Int]? = nil
  ) throws(RandomError) -> RandomDraws<Double> {
    try RandomCall.run(
      size: size, doubles: [a, b],
      checks: [ParameterCheck(a, .positive, "a"), ParameterCheck(b, .positive, "b")]
    ) { arguments, k in
      Distributions.legacyBeta(&self, arguments.double(0, k), arguments.double(1, k))
    }
  }

  // MARK: - Discrete

  /// `np.random.binomial(n, p, size)`: `legacy_random_binomial`, which (unlike Generator's)
  /// draws one uniform even for n = 0 or p = 0. NumPy checks `p` before `n` and iterates
  /// (p, n).
  public mutating func binomial(
    n: RandomParameter<Int64>, p: RandomParameter<Double>, size: [Int]? = nil
  ) throws(RandomError) -> RandomDraws<Int64> {
    var sampler = Distributions.BinomialSampler(.legacy)
    return try RandomCall.run(
      size: size, doubles: [p], integers: [n],
      checks: [ParameterCheck(p, .unitInterval, "p"), ParameterCheck(n, .nonNegative, "n")]
    ) { arguments, k in
      sampler.draw(&self, n: arguments.integer(0, k), p: arguments.double(0, k))
    }
  }

  // MARK: - State

  /// The state as `np.random.get_state()` reports it: the 624 key words, the position,
  /// whether a Gaussian is cached and its value.
  public var legacyState: (key: [UInt32], position: Int, hasGauss: Bool, gauss: Double) {
    (bitGenerator.stateWords, bitGenerator.statePosition, hasGauss, gauss)
  }

  /// `np.random.set_state(('MT19937', key, pos, has_gauss, cached_gaussian))`; nil unless
  /// there are 624 key words and `0 <= position <= 624`.
  public init?(key: [UInt32], position: Int, hasGauss: Bool = false, gauss: Double = 0.0) {
    guard let bits = MT19937(key: key, position: position) else { return nil }
    self.init(bitGenerator: bits)
    self.hasGauss = hasGauss
    self.gauss = gauss
  }
}
