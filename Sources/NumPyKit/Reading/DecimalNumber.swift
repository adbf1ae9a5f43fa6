#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads one number token as NumPy prints it (`-0.`, `1.5`, `1.e+08`, `1.23911839e-11`,
/// `nan`, `inf`, `-inf`, `+1.5`) to the nearest double, correctly rounded.
///
/// Fast path (Clinger): when the decimal significand has at most 19 digits, is at most 2^53,
/// and the power of ten is at most 22 in magnitude, `m × 10^e` or `m ÷ 10^-e` is one correctly
/// rounded IEEE operation on exact operands, hence the correctly rounded result. NumPy's
/// default 8-digit output always takes it. Anything else goes to `strtod` (correctly rounded
/// in glibc), so every result equals `float(token)` in Python.
public enum DecimalNumber {
  private static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  ]

  /// The value of `bytes[range]`, or `nil` when it is not a whole number token.
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
    var index = range.lowerBound
    let end = range.upperBound
    guard index < end else { return nil }
    var negative = false
    if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    guard index < end else { return nil }
    // nan / inf
    if bytes[index] == UInt8(ascii: "n") || bytes[index] == UInt8(ascii: "i") {
      if matches(bytes, index, end, "nan") { return negative ? -Double.nan : Double.nan }
      if matches(bytes, index, end, "inf") { return negative ? -Double.infinity : .infinity }
      return nil
    }
    var significand: UInt64 = 0
    var digits = 0
    var significantDigits = 0
    var exponent = 0
    var sawDigit = false
    while index < end, bytes[index] &- 48 < 10 {
      let digit = UInt64(bytes[index] &- 48)
      sawDigit = true
      if significantDigits < 19 {
        significand = significand &* 10 &+ digit
        if significand != 0 { significantDigits += 1 }
      } else {
        exponent += 1
        digits += 1
      }
      index += 1
    }
    if index < end, bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < end, bytes[index] &- 48 < 10 {
        let digit = UInt64(bytes[index] &- 48)
        sawDigit = true
        if significantDigits < 19 {
          significand = significand &* 10 &+ digit
          if significand != 0 { significantDigits += 1 }
          exponent -= 1
        } else {
          digits += 1
        }
        index += 1
      }
    }
    guard sawDigit else { return nil }
    if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      var exponentNegative = false
      if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
        exponentNegative = bytes[index] == UInt8(ascii: "-")
        index += 1
      }
      var written = 0
      var sawExponentDigit = false
      while index < end, bytes[index] &- 48 < 10 {
        if written < 100_000 { written = written * 10 + Int(bytes[index] &- 48) }
        sawExponentDigit = true
        index += 1
      }
      guard sawExponentDigit else { return nil }
      exponent += exponentNegative ? -written : written
    }
    guard index == end else { return nil }
    if digits == 0, significand <= 1 << 53, exponent >= -22, exponent <= 22 {
      let magnitude =
        exponent >= 0
        ? Double(significand) * powersOfTen[exponent]
        : Double(significand) / powersOfTen[-exponent]
      return negative ? -magnitude : magnitude
    }
    return slowParse(bytes, range)
  }

  /// The value of a Swift string holding one number token, or `nil`.
  public static func parse(_ text: some StringProtocol) -> Double? {
    var copy = String(text)
    return copy.withUTF8 { parse($0, 0..<$0.count) }
  }

  private static func matches(
    _ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int, _ word: StaticString
  ) -> Bool {
    guard end - index == word.utf8CodeUnitCount else { return false }
    let pointer = word.utf8Start
    for offset in 0..<word.utf8CodeUnitCount where bytes[index + offset] != pointer[offset] {
      return false
    }
    return true
  }

  /// glibc's correctly rounded strtod on a NUL-terminated copy of an already validated token.
  private static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double?
  {
    var buffer = [CChar](repeating: 0, count: range.count + 1)
    for (offset, index) in range.enumerated() { buffer[offset] = CChar(bitPattern: bytes[index]) }
    return buffer.withUnsafeBufferPointer { pointer -> Double? in
      guard let base = pointer.baseAddress else { return nil }
      var endPointer: UnsafeMutablePointer<CChar>? = nil
      let value = strtod(base, &endPointer)
      guard let endPointer, endPointer - UnsafeMutablePointer(mutating: base) == range.count
      else { return nil }
      return value
    }
  }
}
