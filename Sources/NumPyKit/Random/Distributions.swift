import Foundation

/// What NumPy's distribution algorithms draw from: uniform doubles, and the standard normal
/// and standard exponential variates of the caller (the legacy polar method and
/// `-log(1 - U)` for `RandomState`, the ziggurats for `Generator`).
public protocol VariateSource {
  /// One double in [0, 1) (`next_double`).
  mutating func nextDouble() -> Double
  /// One standard normal variate.
  mutating func nextStandardNormal() -> Double
  /// One standard exponential variate.
  mutating func nextStandardExponential() -> Double
}

/// The draws `RandomState` and `Generator` make by the same algorithm over their own
/// variates (the legacy `-log(1 - U)` and polar normal, or the ziggurats): exponential,
/// standard gamma, gamma and Poisson. Parameters are `RandomParameter`s (a number or an
/// array, broadcast as NumPy broadcasts them) and `size` is NumPy's (nil: `size=None`).
extension VariateSource {
  /// `exponential(scale, size)`: `scale * standard_exponential`; NumPy's `scale < 0` (also
  /// for -0.0).
  public mutating func exponential(scale: RandomParameter<Double> = 1.0, size: [Int]? = nil)
    throws(RandomError) -> RandomDraws<Double>
  {
    try RandomCall.run(
      size: size, doubles: [scale], checks: [ParameterCheck(scale, .nonNegative, "scale")]
    ) { arguments, k in
      arguments.double(0, k) * nextStandardExponential()
    }
  }

  /// `standard_gamma(shape, size)` (float64): `random_standard_gamma` (legacy:
  /// `legacy_standard_gamma`, the same steps over the legacy variates); NumPy's `shape < 0`.
  public mutating func standardGamma(shape: RandomParameter<Double>, size: [Int]? = nil)
    throws(RandomError) -> RandomDraws<Double>
  {
    try RandomCall.run(
      size: size, doubles: [shape], checks: [ParameterCheck(shape, .nonNegative, "shape")]
    ) { arguments, k in
      Distributions.standardGamma(&self, arguments.double(0, k))
    }
  }

  /// `gamma(shape, scale, size)`: `scale * standard_gamma(shape)`; NumPy's `shape < 0` /
  /// `scale < 0`.
  public mutating func gamma(
    shape: RandomParameter<Double>, scale: RandomParameter<Double> = 1.0, size: [Int]? = nil
  ) throws(RandomError) -> RandomDraws<Double> {
    try RandomCall.run(
      size: size, doubles: [shape, scale],
      checks: [
        ParameterCheck(shape, .nonNegative, "shape"), ParameterCheck(scale, .nonNegative, "scale"),
      ]
    ) { arguments, k in
      arguments.double(1, k) * Distributions.standardGamma(&self, arguments.double(0, k))
    }
  }

  /// `poisson(lam, size)`: `random_poisson`; NumPy's `lam < 0 or lam is NaN` and `lam value
  /// too large` (worded and ordered differently for arrays, as NumPy's are).
  public mutating func poisson(lam: RandomParameter<Double> = 1.0, size: [Int]? = nil)
    throws(RandomError) -> RandomDraws<Int64>
  {
    try RandomCall.run(
      size: size, doubles: [lam], checks: [ParameterCheck(lam, .poissonMean, "lam")]
    ) { arguments, k in
      Distributions.poisson(&self, arguments.double(0, k))
    }
  }
}

/// The sampling algorithms of NumPy's `distributions.c` and `legacy-distributions.c`, written
/// against any `VariateSource`, each doing its floating-point operations in NumPy's order
/// and calling the same libm functions (glibc's `log`, `exp`, `pow`, `log1p`), so that the
/// results are NumPy's bit for bit.
enum Distributions {
  // MARK: - Conversions as NumPy's C code does them

  /// A double converted to int64 as x86-64's truncating conversion does it (`cvttsd2si`):
  /// toward zero, and `Int64.min` for NaN or anything outside the int64 range. NumPy's C
  /// casts (`(RAND_INT_TYPE)floor(...)`) meet such values on rejected candidates, so the
  /// result must not trap.
  @inline(__always)
  static func truncatedInt64(_ x: Double) -> Int64 {
    guard x > -9_223_372_036_854_775_809.0, x < 9_223_372_036_854_775_808.0 else {
      return Int64.min
    }
    return Int64(x)
  }

  // MARK: - Log-gamma

  /// The series coefficients of `random_loggam` (Zhang and Jin's SPECFUN).
  static let logGammaCoefficients: [Double] = [
    8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
    -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
    6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
    -1.39243221690590e+00,
  ]

  /// NumPy's `random_loggam(x)`: log Γ(x) by Stirling's series at `x` shifted up to at
  /// least 7, then the shift undone one logarithm at a time. Exactly 0 at 1 and 2.
  static func logGamma(_ x: Double) -> Double {
    if x == 1.0 || x == 2.0 { return 0.0 }
    // How far x is shifted up (the C code truncates 7 - x to an integer).
    let shift = x < 7.0 ? truncatedInt64(7.0 - x) : 0
    var shifted = x + Double(shift)
    let inverseSquare = (1.0 / shifted) * (1.0 / shifted)
    let logTwoPi = 1.8378770664093453e+00
    let a = logGammaCoefficients
    var series = a[9]
    for k in stride(from: 8, through: 0, by: -1) {
      series *= inverseSquare
      series += a[k]
    }
    var result =
      series / shifted + 0.5 * logTwoPi + (shifted - 0.5) * Foundation.log(shifted) - shifted
    if x < 7.0, shift >= 1 {
      for _ in 1...shift {
        result -= Foundation.log(shifted - 1.0)
        shifted -= 1.0
      }
    }
    return result
  }

  // MARK: - Poisson

  /// NumPy's `random_poisson(lam)` (what both `RandomState.poisson` and `Generator.poisson`
  /// call): 0 for `lam == 0`, multiplication of uniforms below 10, Hörmann's transformed
  /// rejection (PTRS) from 10 on.
  static func poisson<Source: VariateSource>(_ source: inout Source, _ lam: Double) -> Int64 {
    if lam >= 10 { return poissonRejection(&source, lam) }
    if lam == 0 { return 0 }
    return poissonMultiplication(&source, lam)
  }

  /// Counts the uniforms whose running product stays above e^-lam.
  static func poissonMultiplication<Source: VariateSource>(_ source: inout Source, _ lam: Double)
    -> Int64
  {
    let limit = Foundation.exp(-lam)
    var count: Int64 = 0
    var product = 1.0
    while true {
      product *= source.nextDouble()
      if product > limit {
        count += 1
      } else {
        return count
      }
    }
  }

  /// W. Hörmann's PTRS (Insurance: Mathematics and Economics 12, 1993): a candidate from a
  /// transformed uniform, a quick acceptance region, then the exact test against the
  /// Poisson log-probability.
  static func poissonRejection<Source: VariateSource>(_ source: inout Source, _ lam: Double)
    -> Int64
  {
    let rootLam = lam.squareRoot()
    let logLam = Foundation.log(lam)
    let b = 0.931 + 2.53 * rootLam
    let a = -0.059 + 0.02483 * b
    let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
    let acceptBelow = 0.9277 - 3.6224 / (b - 2)
    while true {
      let u = source.nextDouble() - 0.5
      let v = source.nextDouble()
      let distance = 0.5 - abs(u)
      let k = truncatedInt64(Foundation.floor((2 * a / distance + b) * u + lam + 0.43))
      if distance >= 0.07 && v <= acceptBelow { return k }
      if k < 0 || (distance < 0.013 && v > distance) { continue }
      let left =
        Foundation.log(v) + Foundation.log(inverseAlpha)
        - Foundation.log(a / (distance * distance) + b)
      let right = -lam + Double(k) * logLam - logGamma(Double(k) + 1)
      if left <= right { return k }
    }
  }

  // MARK: - Gamma and beta

  /// `random_standard_gamma` / `legacy_standard_gamma` (the same steps over the caller's
  /// normal and exponential variates): the exponential for shape 1, 0 for shape 0,
  /// Johnk-style rejection below 1 and Marsaglia and Tsang's method above.
  static func standardGamma<Source: VariateSource>(_ source: inout Source, _ shape: Double)
    -> Double
  {
    if shape == 1.0 { return source.nextStandardExponential() }
    if shape == 0.0 { return 0.0 }
    if shape < 1.0 {
      while true {
        let u = source.nextDouble()
        let v = source.nextStandardExponential()
        if u <= 1.0 - shape {
          let x = Foundation.pow(u, 1.0 / shape)
          if x <= v { return x }
        } else {
          let y = -Foundation.log((1 - u) / shape)
          let x = Foundation.pow(1.0 - shape + shape * y, 1.0 / shape)
          if x <= v + y { return x }
        }
      }
    }
    let b = shape - 1.0 / 3.0
    let c = 1.0 / (9 * b).squareRoot()
    while true {
      var x: Double
      var v: Double
      repeat {
        x = source.nextStandardNormal()
        v = 1.0 + c * x
      } while v <= 0.0
      v = v * v * v
      let u = source.nextDouble()
      if u < 1.0 - 0.0331 * (x * x) * (x * x) { return b * v }
      if Foundation.log(u) < 0.5 * x * x + b * (1.0 - v + Foundation.log(v)) { return b * v }
    }
  }

  /// `legacy_beta`: Johnk's algorithm when both parameters are at most 1 (with the
  /// logarithmic fallback when both powers underflow), otherwise the ratio of two gammas.
  static func legacyBeta<Source: VariateSource>(_ source: inout Source, _ a: Double, _ b: Double)
    -> Double
  {
    guard a <= 1.0 && b <= 1.0 else { return gammaRatio(&source, a, b) }
    while true {
      let u = source.nextDouble()
      let v = source.nextDouble()
      let x = Foundation.pow(u, 1.0 / a)
      let y = Foundation.pow(v, 1.0 / b)
      guard x + y <= 1.0 else { continue }
      if x + y > 0 { return x / (x + y) }
      var logX = Foundation.log(u) / a
      var logY = Foundation.log(v) / b
      let largest = logX > logY ? logX : logY
      logX -= largest
      logY -= largest
      return Foundation.exp(logX - Foundation.log(Foundation.exp(logX) + Foundation.exp(logY)))
    }
  }

  /// `random_beta` (Generator): as the legacy algorithm, but a single uniform decides when
  /// both parameters are below 3e-103, a candidate with U = V = 0 is rejected, and an
  /// underflowed power is handled through `log1p`.
  static func beta<Source: VariateSource>(_ source: inout Source, _ a: Double, _ b: Double)
    -> Double
  {
    guard a <= 1.0 && b <= 1.0 else { return gammaRatio(&source, a, b) }
    let tiny = 3e-103
    if a < tiny && b < tiny {
      let u = source.nextDouble()
      return (a + b) * u < a ? 1.0 : 0.0
    }
    while true {
      let u = source.nextDouble()
      let v = source.nextDouble()
      let x = Foundation.pow(u, 1.0 / a)
      let y = Foundation.pow(v, 1.0 / b)
      let sum = x + y
      guard sum <= 1.0 && u + v > 0.0 else { continue }
      if x > 0 && y > 0 { return x / sum }
      let logX = Foundation.log(u) / a
      let logY = Foundation.log(v) / b
      let delta = logX - logY
      if delta > 0 { return Foundation.exp(-Foundation.log1p(Foundation.exp(-delta))) }
      return Foundation.exp(delta - Foundation.log1p(Foundation.exp(delta)))
    }
  }

  /// Beta as `Ga / (Ga + Gb)` with two standard gamma variates, `a`'s first.
  private static func gammaRatio<Source: VariateSource>(
    _ source: inout Source, _ a: Double, _ b: Double
  ) -> Double {
    let first = standardGamma(&source, a)
    let second = standardGamma(&source, b)
    return first / (first + second)
  }

  // MARK: - Binomial

  /// Which inversion NumPy runs: the legacy one computes q^n as `exp(n * log(q))`, the
  /// Generator's as `exp(n * log1p(-p))`.
  enum BinomialFlavour {
    /// `legacy_random_binomial_inversion` (RandomState).
    case legacy
    /// `random_binomial_inversion` (Generator).
    case modern
  }

  /// The constants NumPy derives from (n, p) before drawing (`binomial_t`). NumPy keeps them
  /// between calls and recomputes them when (n, p) changes; they depend on nothing else,
  /// so recomputing them per call (as `BinomialSampler` does) draws the same values.
  struct InversionSetup {
    var q: Double
    var qToTheN: Double
    var bound: Int64

    init(n: Int64, p: Double, flavour: BinomialFlavour) {
      q = 1.0 - p
      switch flavour {
      case .legacy: qToTheN = Foundation.exp(Double(n) * Foundation.log(q))
      case .modern: qToTheN = Foundation.exp(Double(n) * Foundation.log1p(-p))
      }
      let mean = Double(n) * p
      let reach = mean + 10.0 * (mean * q + 1).squareRoot()
      // C's MIN(n, reach) compares and yields doubles; the cast truncates.
      bound = truncatedInt64(Double(n) < reach ? Double(n) : reach)
    }
  }

  /// The BTPE constants (Kachitvichyanukul and Schmeiser's triangle, parallelogram and
  /// exponential tails) for (n, p).
  struct BTPESetup {
    var r: Double
    var q: Double
    var fm: Double
    var m: Int64
    var p1: Double
    var xm: Double
    var xl: Double
    var xr: Double
    var c: Double
    var lambdaLeft: Double
    var lambdaRight: Double
    var p2: Double
    var p3: Double
    var p4: Double

    init(n: Int64, p: Double) {
      r = p < 1.0 - p ? p : 1.0 - p
      q = 1.0 - r
      fm = Double(n) * r + r
      m = truncatedInt64(Foundation.floor(fm))
      p1 = Foundation.floor(2.195 * (Double(n) * r * q).squareRoot() - 4.6 * q) + 0.5
      xm = Double(m) + 0.5
      xl = xm - p1
      xr = xm + p1
      c = 0.134 + 20.5 / (15.3 + Double(m))
      var a = (fm - xl) / (fm - xl * r)
      lambdaLeft = a * (1.0 + a / 2.0)
      a = (xr - fm) / (xr * q)
      lambdaRight = a * (1.0 + a / 2.0)
      p2 = p1 * (1.0 + 2.0 * c)
      p3 = p2 + c / lambdaLeft
      p4 = p3 + c / lambdaRight
    }
  }

  /// NumPy's binomial draws with the (n, p)-derived constants of the last pair kept, as
  /// `binomial_t` keeps them: an array of draws with one (n, p) sets them up once.
  struct BinomialSampler {
    let flavour: BinomialFlavour
    private var inversion: (n: Int64, p: Double, setup: InversionSetup)?
    private var btpe: (n: Int64, p: Double, setup: BTPESetup)?

    init(_ flavour: BinomialFlavour) {
      self.flavour = flavour
    }

    /// One draw: `legacy_random_binomial` or `random_binomial` (which alone returns 0 for
    /// n = 0 or p = 0 without drawing). Inversion while min(p, 1 - p) * n <= 30, BTPE
    /// above; for p > 0.5 the draw is n minus one with 1 - p.
    mutating func draw<Source: VariateSource>(_ source: inout Source, n: Int64, p: Double)
      -> Int64
    {
      if flavour == .modern && (n == 0 || p == 0.0) { return 0 }
      if p <= 0.5 {
        if p * Double(n) <= 30.0 { return invert(&source, n, p) }
        return sampleBTPE(&source, n, p)
      }
      let q = 1.0 - p
      if q * Double(n) <= 30.0 { return n - invert(&source, n, q) }
      return n - sampleBTPE(&source, n, q)
    }

    /// Inversion: walks the probabilities from 0 up, restarting with a fresh uniform past
    /// the bound.
    private mutating func invert<Source: VariateSource>(
      _ source: inout Source, _ n: Int64, _ p: Double
    ) -> Int64 {
      let setup: InversionSetup
      if let kept = inversion, kept.n == n, kept.p == p {
        setup = kept.setup
      } else {
        setup = InversionSetup(n: n, p: p, flavour: flavour)
        inversion = (n, p, setup)
      }
      var x: Int64 = 0
      var probability = setup.qToTheN
      var u = source.nextDouble()
      while u > probability {
        x += 1
        if x > setup.bound {
          x = 0
          probability = setup.qToTheN
          u = source.nextDouble()
        } else {
          u -= probability
          probability = (Double(n &- x &+ 1) * p * probability) / (Double(x) * setup.q)
        }
      }
      return x
    }

    /// `random_binomial_btpe`: NumPy's goto-driven steps 10 to 60 as a loop that restarts
    /// at step 10 on rejection.
    private mutating func sampleBTPE<Source: VariateSource>(
      _ source: inout Source, _ n: Int64, _ p: Double
    ) -> Int64 {
      let s: BTPESetup
      if let kept = btpe, kept.n == n, kept.p == p {
        s = kept.setup
      } else {
        s = BTPESetup(n: n, p: p)
        btpe = (n, p, s)
      }
      var y = Distributions.btpeCandidate(&source, n, s)
      if p > 0.5 { y = n - y }
      return y
    }
  }

  /// One accepted BTPE variate for the setup `s` (steps 10 to 52 of NumPy's code).
  static func btpeCandidate<Source: VariateSource>(
    _ source: inout Source, _ n: Int64, _ s: BTPESetup
  ) -> Int64 {
    let m = s.m
    while true {
      // Step 10: a point under the hat.
      let nrq = Double(n) * s.r * s.q
      let u = source.nextDouble() * s.p4
      var v = source.nextDouble()
      var y: Int64
      if u <= s.p1 {
        // The triangle: accepted at once.
        return truncatedInt64(Foundation.floor(s.xm - s.p1 * v + u))
      } else if u <= s.p2 {
        // Step 20: the parallelograms.
        let x = s.xl + (u - s.p1) / s.c
        v = v * s.c + 1.0 - abs(Double(m) - x + 0.5) / s.p1
        if v > 1.0 { continue }
        y = truncatedInt64(Foundation.floor(x))
      } else if u <= s.p3 {
        // Step 30: the left exponential tail.
        y = truncatedInt64(Foundation.floor(s.xl + Foundation.log(v) / s.lambdaLeft))
        if y < 0 || v == 0.0 { continue }
        v = v * (u - s.p2) * s.lambdaLeft
      } else {
        // Step 40: the right exponential tail.
        y = truncatedInt64(Foundation.floor(s.xr - Foundation.log(v) / s.lambdaRight))
        if y > n || v == 0.0 { continue }
        v = v * (u - s.p3) * s.lambdaRight
      }
      // Step 50: near the mode, the exact ratio of probabilities by recursion.
      // The C code's int64 arithmetic (which cannot overflow for the y it reaches) wraps here
      // rather than trapping.
      let difference = y &- m
      let k = difference < 0 ? 0 &- difference : difference
      if !(k > 20 && Double(k) < nrq / 2.0 - 1) {
        let ratio = s.r / s.q
        let a = ratio * Double(n &+ 1)
        var f = 1.0
        if m < y {
          var i = m + 1
          while i <= y {
            f *= (a / Double(i) - ratio)
            i += 1
          }
        } else if m > y {
          var i = y + 1
          while i <= m {
            f /= (a / Double(i) - ratio)
            i += 1
          }
        }
        if v > f { continue }
        return y
      }
      // Step 52: squeezes on log(v), then Stirling's bounds.
      let kd = Double(k)
      let rho = (kd / nrq) * ((kd * (kd / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5)
      let t = Double((0 &- k) &* k) / (2 * nrq)
      let logV = Foundation.log(v)
      if logV < t - rho { return y }
      if logV > t + rho { continue }
      let x1 = Double(y) + 1
      let f1 = Double(m) + 1
      let z = Double(n) + 1 - Double(m)
      let w = Double(n) - Double(y) + 1
      let bound =
        s.xm * Foundation.log(f1 / x1) + (Double(n &- m) + 0.5) * Foundation.log(z / w)
        + Double(y &- m) * Foundation.log(w * s.r / (x1 * s.q))
        + stirlingTerm(f1 * f1) / f1 / 166320.0 + stirlingTerm(z * z) / z / 166320.0
        + stirlingTerm(x1 * x1) / x1 / 166320.0 + stirlingTerm(w * w) / w / 166320.0
      if logV > bound { continue }
      return y
    }
  }

  /// The nested correction polynomial of BTPE's final test, in 1 / square.
  @inline(__always)
  static func stirlingTerm(_ square: Double) -> Double {
    13680.0 - (462.0 - (132.0 - (99.0 - 140.0 / square) / square) / square) / square
  }
}
