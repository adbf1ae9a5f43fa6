import NumPyKit

/// How one printed value compares with the replay.
public enum ValueVerdict: String, Sendable, Codable, CaseIterable {
  /// NumPy's printing of the replayed value gives the same token.
  case exact
  /// The tokens differ, but only by the rounding of the printed digits (the replayed value is
  /// within half a unit of the printed token's last digit).
  case withinRounding = "within-rounding"
  /// The printed value lies inside the floating-point noise band: the spread of the value
  /// over other summation orders (sequential, reversed, pairwise, fused multiply-add), widened
  /// by half a unit of the last printed digit.
  case withinNoise = "within-noise"
  /// None of the above.
  case mismatch
  /// A value that cannot be reproduced by nature (the clock, an unseeded random generator,
  /// `id()`): shown, never compared, and never a reason to fail.
  case unverifiable
}

/// One printed value checked against the replay.
public struct ValueCheck: Sendable {
  /// Its position among the record's printed values.
  public var ordinal: Int
  /// Its index along each axis.
  public var index: [Int]
  /// Its C-order index in the array, when known.
  public var flatIndex: Int?
  /// The token the notebook shows.
  public var printed: String
  /// The token NumPy prints for the replayed value (`nil` when nothing was replayed there).
  public var replayed: String?
  /// The printed token's value.
  public var printedValue: Double
  /// The replayed value, exactly (not rounded to print).
  public var replayedValue: Double?
  /// The verdict.
  public var verdict: ValueVerdict
  /// |printed − replayed|.
  public var absoluteDifference: Double?
  /// The difference in units of the printed token's last digit.
  public var lastDigitUnits: Double?
  /// The noise band [low, high] of the replayed value over the summation orders; computed
  /// only for a value not printed exactly as replayed (nil for exact values).
  public var noiseBand: ClosedRange<Double>?
  /// The machine models (other than the one replayed) under which the value prints as this
  /// token: computed with the band, only for a value not printed exactly as replayed.
  public var machines: [String] = []
  /// Where the token stands.
  public var position: TextPosition
}

/// The place value of a printed token's last digit: `0.49671415` → 1e-8, `-2.` → 1,
/// `1.23911839e-11` → 1e-19, `1.e+08` → 1e8. `nil` for nan and inf.
public func lastDigitUnit(of token: String) -> Double? {
  var fractionDigits = 0
  var inFraction = false
  var exponent = 0
  var sawDigit = false
  var scalars = Substring(token)
  if let e = scalars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
    guard let value = Int(scalars[scalars.index(after: e)...]) else { return nil }
    exponent = value
    scalars = scalars[..<e]
  }
  for character in scalars {
    if character == "." {
      inFraction = true
    } else if character.isNumber {
      sawDigit = true
      if inFraction { fractionDigits += 1 }
    }
  }
  guard sawDigit else { return nil }
  return pow10(exponent - fractionDigits)
}

/// The significant digits of a printed number, without sign, point, exponent or leading
/// zeros: `-0.0012340e5` → `12340`.
func significantDigits(of token: String) -> Substring {
  let mantissa = token.prefix { $0 != "e" && $0 != "E" }
  let digits = String(mantissa.filter(\.isNumber))
  return digits.drop { $0 == "0" }
}

/// Whether `token` reads back as `value` and has its shortest round-trip digits (as Python's
/// repr and NumPy's scalar str print a float64): `0.1` for 0.1, not `0.10000000000000001`.
func isShortestDigits(_ token: String, of value: Double) -> Bool {
  guard value.isFinite, Double(token) == value else { return false }
  let shortest = significantDigits(of: value.magnitude.description)
  var digits = significantDigits(of: token)
  while digits.last == "0" && digits.count > shortest.count { digits = digits.dropLast() }
  return digits == shortest
}

func pow10(_ power: Int) -> Double {
  var result = 1.0
  if power >= 0 {
    for _ in 0..<min(power, 400) { result *= 10 }
  } else {
    for _ in 0..<min(-power, 400) { result /= 10 }
  }
  return result
}
