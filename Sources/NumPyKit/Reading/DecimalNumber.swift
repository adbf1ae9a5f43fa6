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
/// rounded IEEE operation on exact operands, hence the correctly rounded result. Most of NumPy's
/// default 8-digit output takes it. A significand of at most 19 digits with any other exponent
/// (`1.23911839e-29`) goes through Eisel and Lemire's algorithm: one 64×128-bit product with a
/// table of powers of five gives the correctly rounded double (proved for exact significands of
/// up to 19 digits, Mushtak & Lemire 2022). Longer significands go to `strtod` (correctly
/// rounded in glibc). Every result equals `float(token)` in Python.
public enum DecimalNumber {
  static let powersOfTen: [Double] = [
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
    if digits == 0 {
      let magnitude = self.magnitude(significand, exponent)
      return negative ? -magnitude : magnitude
    }
    return slowParse(bytes, range)
  }

  /// Reads a plain decimal token (`-0.46341769`, `1.e+08`, `12`) that starts at `start` and ends
  /// at a delimiter or at `end`, in one pass: the digits are accumulated as they are found,
  /// eight at a time where eight are in a row. Returns the value, where the token ends, and
  /// whether it has a '.' or an exponent; `nil` for anything else (nan, inf, True, more than 19
  /// digits, a malformed token), which the caller reads the general way.
  @inline(__always)
  static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int)
    -> (value: Double, end: Int, isFloat: Bool)?
  {
    guard let base = bytes.baseAddress else { return nil }
    let end = bytes.count
    var index = start
    var negative = false
    if index < end, base[index] == 0x2D || base[index] == 0x2B {
      negative = base[index] == 0x2D
      index += 1
    }
    var significand: UInt64 = 0
    let digitsStart = index
    while index < end, base[index] &- 48 < 10 {
      significand = significand &* 10 &+ UInt64(base[index] &- 48)
      index += 1
    }
    var digits = index - digitsStart
    var exponent = 0
    var isFloat = false
    if index < end, base[index] == 0x2E {
      isFloat = true
      index += 1
      let fractionStart = index
      while index + 8 <= end {
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        guard isEightDigits(word) else { break }
        significand = significand &* 100_000_000 &+ eightDigits(word)
        index += 8
      }
      while index < end, base[index] &- 48 < 10 {
        significand = significand &* 10 &+ UInt64(base[index] &- 48)
        index += 1
      }
      exponent = fractionStart - index
      digits += index - fractionStart
    }
    guard digits > 0, digits <= 19 else { return nil }
    if index < end, base[index] | 0x20 == 0x65 {
      isFloat = true
      index += 1
      var exponentNegative = false
      if index < end, base[index] == 0x2D || base[index] == 0x2B {
        exponentNegative = base[index] == 0x2D
        index += 1
      }
      let exponentStart = index
      var written = 0
      while index < end, base[index] &- 48 < 10 {
        if written < 100_000 { written = written * 10 + Int(base[index] &- 48) }
        index += 1
      }
      guard index > exponentStart else { return nil }
      exponent += exponentNegative ? -written : written
    }
    if index < end, !ArrayLiteral.isDelimiter(base[index]) { return nil }
    let magnitude = self.magnitude(significand, exponent)
    return (negative ? -magnitude : magnitude, index, isFloat)
  }

  /// Whether the eight bytes of `word` (little-endian) are all ASCII digits.
  @inline(__always) static func isEightDigits(_ word: UInt64) -> Bool {
    (word & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030
      && ((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030
  }

  /// The number the eight ASCII digits of `word` (first digit in the lowest byte) spell.
  @inline(__always) static func eightDigits(_ word: UInt64) -> UInt64 {
    var value = word &- 0x3030_3030_3030_3030
    value = (value &* 10) &+ (value >> 8)  // pairs of digits in every other byte
    let pairs = value & 0x0000_00FF_0000_00FF
    let others = (value >> 16) & 0x0000_00FF_0000_00FF
    return ((pairs &* (100 + (1_000_000 << 32))) &+ (others &* (1 + (10_000 << 32)))) >> 32
  }

  /// `w × 10^q` correctly rounded, for an exact significand `w` (at most 19 digits).
  static func eiselLemire(_ w: UInt64, _ q: Int) -> Double {
    if w == 0 || q < smallestPowerOfTen { return 0 }
    if q > 308 { return .infinity }
    let zeros = w.leadingZeroBitCount
    let normalized = w << UInt64(zeros)
    let index = 2 * (q - smallestPowerOfTen)
    var (high, low) = normalized.multipliedFullWidth(by: powersOfFive[index])
    if high & 0x1FF == 0x1FF {
      // The 64-bit product leaves the rounding undecided: add the next 64 bits of 5^q.
      let (carry, _) = normalized.multipliedFullWidth(by: powersOfFive[index + 1])
      let (sum, overflow) = low.addingReportingOverflow(carry)
      low = sum
      if overflow { high &+= 1 }
    }
    let upperBit = Int(high >> 63)
    let shift = UInt64(upperBit + 64 - 52 - 3)
    var mantissa = high >> shift
    // floor(log2(10^q)) + 63, plus the normalisation, minus the exponent bias (-1023).
    var power2 = ((152_170 + 65_536) * q) >> 16 + 63 + upperBit - zeros + 1023
    if power2 <= 0 {
      // Subnormal (or zero).
      if -power2 + 1 >= 64 { return 0 }
      mantissa >>= UInt64(-power2 + 1)
      mantissa += mantissa & 1
      mantissa >>= 1
      power2 = mantissa < 1 << 52 ? 0 : 1
      return Double(bitPattern: UInt64(power2) << 52 | mantissa & (1 << 52 - 1))
    }
    // An exact tie between two doubles rounds to even (only possible for small |q|).
    if low <= 1, q >= -4, q <= 23, mantissa & 3 == 1, mantissa << shift == high {
      mantissa &= ~1
    }
    mantissa += mantissa & 1
    mantissa >>= 1
    if mantissa >= 2 << 52 {
      mantissa = 1 << 52
      power2 += 1
    }
    mantissa &= ~(1 << 52)
    if power2 >= 0x7FF { return .infinity }
    return Double(bitPattern: UInt64(power2) << 52 | mantissa)
  }

  /// significand × 10^exponent, correctly rounded: Clinger's exact fast path when both fit,
  /// else Eisel–Lemire with 128 bits of 5^q (DecimalNumberTests check both against strtod).
  @inline(__always) static func magnitude(_ significand: UInt64, _ exponent: Int) -> Double {
    if significand <= 1 << 53, exponent >= -22, exponent <= 22 {
      return exponent >= 0
        ? Double(significand) * powersOfTen[exponent]
        : Double(significand) / powersOfTen[-exponent]
    }
    return eiselLemire(significand, exponent)
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
