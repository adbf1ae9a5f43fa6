import Foundation
import NumPyKit
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SplitMix64: a small deterministic generator, so that a failure names a token that comes back.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Makes number tokens of every shape the reader meets: NumPy's positional and scientific
/// output, long significands (past 19 digits and 2^53), tiny and huge exponents, ties.
private func randomToken(_ random: inout SplitMix64) -> String {
  var token = ""
  switch random.next() % 4 {
  case 0: token = "-"
  case 1: token = "+"
  default: break
  }
  let digitCount = Int(random.next() % 26) + 1
  var digits = ""
  for position in 0..<digitCount {
    let digit = random.next() % 10
    digits += String(position == 0 && digitCount > 1 && random.next() % 3 == 0 ? 0 : digit)
  }
  switch random.next() % 3 {
  case 0: token += digits
  case 1: token += digits + "."
  default:
    let point = Int(random.next() % UInt64(digitCount + 1))
    let characters = Array(digits)
    token += String(characters[..<point]) + "." + String(characters[point...])
  }
  if random.next() % 2 == 0 {
    let exponent = Int(random.next() % 700) - 350
    let sign = exponent < 0 ? "-" : (random.next() % 2 == 0 ? "+" : "")
    let magnitude = String(abs(exponent))
    let padded = magnitude.count == 1 && random.next() % 2 == 0 ? "0" + magnitude : magnitude
    token += (random.next() % 8 == 0 ? "E" : "e") + sign + padded
  }
  return token
}

private func strtodValue(_ token: String) -> Double {
  token.withCString { strtod($0, nil) }
}

@Suite struct DecimalNumberTests {
  /// 200,000 random tokens in 8 seeded batches: every one reads to the same bits as glibc's
  /// correctly rounded strtod (Python's float(token) gives the same).
  @Test(arguments: 0..<8)
  func readsLikeStrtod(_ batch: Int) {
    var random = SplitMix64(state: UInt64(batch) &* 0x1234_5678_9ABC_DEF1)
    var wrong: [String] = []
    for _ in 0..<25_000 {
      let token = randomToken(&random)
      guard let value = DecimalNumber.parse(token) else {
        wrong.append("\(token): not read")
        continue
      }
      let expected = strtodValue(token)
      if value.bitPattern != expected.bitPattern { wrong.append("\(token): \(value) \(expected)") }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(10))")
  }

  /// The same tokens inside printed arrays (the reader's one-pass path, eight digits at a time):
  /// the values are strtod's, and every token text comes back as written.
  @Test(arguments: 0..<4)
  func readsArraysLikeStrtod(_ batch: Int) throws {
    var random = SplitMix64(state: UInt64(batch) &* 0x0F0F_1234_5678_9ABC)
    let tokens = (0..<20_000).map { _ in randomToken(&random) }
    var text = "["
    for (offset, token) in tokens.enumerated() {
      text += token + (offset % 6 == 5 ? "\n " : " ")
    }
    text += "]"
    let literal = try ArrayLiteralParser().parse(text)
    #expect(literal.count == tokens.count)
    var wrong: [String] = []
    for (ordinal, token) in tokens.enumerated() where ordinal < literal.count {
      if literal.values[ordinal].bitPattern != strtodValue(token).bitPattern
        || literal.text(ofToken: ordinal) != token
      {
        wrong.append(token)
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(10))")
    #expect(literal.position(ofToken: 7).line == 2)
    #expect(literal.position(ofToken: 7).column == 2 + tokens[6].utf8.count + 1)
  }

  /// Halfway cases between neighbouring doubles (exactly representable ties and one digit
  /// beyond), where a fast path that rounds twice goes wrong.
  @Test func readsTiesLikeStrtod() {
    var random = SplitMix64(state: 42)
    var wrong: [String] = []
    for _ in 0..<20_000 {
      let bits = random.next() % 0x7FE0_0000_0000_0000
      let low = Double(bitPattern: bits)
      let high = low.nextUp
      // The exact midpoint, and the midpoint cut to 17, 25 and 40 significant digits.
      let mid = (Float80(low) + Float80(high)) / 2
      for format in ["%.16Le", "%.24Le", "%.39Le", "%.60Lg"] {
        let token = String(format: format, mid)
        guard let value = DecimalNumber.parse(token) else {
          wrong.append("\(token): not read")
          continue
        }
        if value.bitPattern != strtodValue(token).bitPattern { wrong.append(token) }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(10))")
  }

  /// NumPy's own tokens: the default 8-digit output of randn values round trips.
  @Test func readsNumPyStyleTokens() {
    let cases: [(String, Double)] = [
      ("-0.", -0.0), ("0.", 0), ("1.e+08", 1e8), ("1.23911839e-11", 1.23911839e-11),
      ("0.49671415", 0.49671415), ("-1.91328024", -1.91328024), ("inf", .infinity),
      ("-inf", -.infinity), ("4.9e-324", 4.9e-324),
      ("1.7976931348623157e+308", .greatestFiniteMagnitude),
    ]
    for (token, expected) in cases {
      #expect(DecimalNumber.parse(token)?.bitPattern == expected.bitPattern, "\(token)")
    }
    #expect(DecimalNumber.parse("nan")?.isNaN == true)
    for bad in ["", "-", ".", "e5", "1e", "1.5x", "1..5", "--1", "1e+", "nanx"] {
      #expect(DecimalNumber.parse(bad) == nil, "\(bad)")
    }
  }
}
