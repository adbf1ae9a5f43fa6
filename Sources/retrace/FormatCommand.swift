import ArgumentParser
import Foundation
import NumPyKit

/// `retrace format`: prints numbers from stdin exactly as NumPy's `print(a)` / `repr(a)`.
struct FormatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "format",
    abstract: "Print whitespace-separated numbers from stdin as NumPy prints the array.",
    discussion: """
      Tokens: decimal, float.hex() form (0x1.8p+0), nan, inf, -inf; True/False with --bool.
      Without --shape the array is 1-D.
      """)

  @Option(help: "The array shape, e.g. 2,3 (use an empty string for a 0-d array).")
  var shape: String?

  @Flag(help: "Print repr(a) instead of str(a).")
  var repr = false

  @Flag(help: "Read True/False tokens into a bool array.")
  var bool = false

  @Flag(help: "Read integer tokens into an int64 array.")
  var int = false

  @Option(help: "numpy precision.")
  var precision: Int?

  @Option(help: "numpy floatmode: maxprec, maxprec_equal, fixed or unique.")
  var floatmode: String?

  @Flag(help: "numpy suppress=True.")
  var suppress = false

  @Option(help: "numpy sign: '-', '+' or ' '.")
  var sign: String?

  @Option(help: "numpy linewidth.")
  var linewidth: Int?

  @Option(help: "numpy threshold.")
  var threshold: Int?

  @Option(help: "numpy edgeitems.")
  var edgeitems: Int?

  @Option(help: "numpy nanstr.")
  var nanstr: String?

  @Option(help: "numpy infstr.")
  var infstr: String?

  @Option(help: "numpy legacy mode; only '1.13' is supported.")
  var legacy: String?

  func run() throws {
    let options = try printOptions()
    let dtype: DType = bool ? .bool : (int ? .int64 : .float64)
    let (values, bad) = try StandardInput.withBytes { bytes in
      FormatCommand.read(bytes, dtype: dtype)
    }
    if let bad { throw UsageError("'\(bad)' is not a \(dtype.rawValue) value.") }
    let dimensions = try parseShape(count: values.count)
    guard let array = NDArray(shape: dimensions, scalars: values, dtype: dtype) else {
      throw UsageError(
        "\(values.count) values do not fit the shape '\(shape ?? "")'.")
    }
    let formatter = ArrayFormatter(options: options)
    if repr {
      print(formatter.repr(array))
    } else {
      // The bytes straight to stdout, part by part (a large array's text is neither copied
      // into a String nor joined).
      var parts = formatter.stringParts(array)
      parts[parts.count - 1].append(UInt8(ascii: "\n"))
      for part in parts {
        try part.withUnsafeBytes { raw in
          guard let base = raw.baseAddress else { return }
          let data = Data(
            bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: raw.count,
            deallocator: .none)
          try FileHandle.standardOutput.write(contentsOf: data)
        }
      }
    }
  }

  private func parseShape(count: Int) throws -> [Int] {
    guard let shape else { return [count] }
    let trimmed = shape.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty || trimmed == "()" { return [] }
    var dimensions: [Int] = []
    for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
      let text = part.trimmingCharacters(in: .whitespaces)
      guard let n = Int(text), n >= 0 else {
        throw UsageError("'\(text)' in --shape '\(shape)' is not a length.")
      }
      dimensions.append(n)
    }
    return dimensions
  }

  /// The values of the whitespace-separated tokens of `bytes` in order, or the first token
  /// that is not a `dtype` value. A large input is read in two halves (split at whitespace)
  /// on two threads.
  static func read(_ bytes: UnsafeBufferPointer<UInt8>, dtype: DType) -> ([Double], Substring?) {
    var cut = bytes.count / 2
    while cut < bytes.count && !isSpace(bytes[cut]) { cut += 1 }
    guard bytes.count >= 1 << 20, cut < bytes.count else {
      return readTokens(bytes, 0..<bytes.count, dtype: dtype)
    }
    var parts = Halves.map { half in
      readTokens(bytes, half == 0 ? 0..<cut : cut..<bytes.count, dtype: dtype)
    }
    if let bad = parts[0].1 { return ([], bad) }
    if let bad = parts[1].1 { return ([], bad) }
    // The first half's array has room for both (its capacity is estimated from its bytes).
    var values = parts[0].0
    let second = parts[1].0
    parts = []
    values.append(contentsOf: second)
    return (values, nil)
  }

  /// `read` of the tokens in `range`.
  private static func readTokens(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, dtype: DType
  ) -> ([Double], Substring?) {
    var values: [Double] = []
    values.reserveCapacity(range.count / 8)
    var i = range.lowerBound
    let n = range.upperBound
    while i < n {
      while i < n && isSpace(bytes[i]) { i += 1 }
      guard i < n else { break }
      // A normal value in float.hex()'s own form, read and delimited in one pass.
      if dtype == .float64, let (value, end) = canonicalHex(bytes, from: i, to: n) {
        values.append(value)
        i = end
        continue
      }
      let start = i
      while i < n && !isSpace(bytes[i]) { i += 1 }
      // Decimal and hex floats straight from the bytes; the rest by the token's text.
      if dtype == .float64, let value = fastFloat(bytes, start..<i) {
        values.append(value)
        continue
      }
      let token = Substring(
        decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
      guard let parsed = parse(token, dtype: dtype) else { return (values, token) }
      values.append(parsed)
    }
    return (values, nil)
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
  }

  /// A decimal number (the reader's own parser) or a float.hex() token of up to 13 fraction
  /// digits (`0x1.8000000000000p+0`, exact), read from the bytes; nil for anything else.
  static func fastFloat(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
    guard let p = bytes.baseAddress, !range.isEmpty else { return nil }
    var i = range.lowerBound
    let end = range.upperBound
    var negative = false
    if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
      negative = p[i] == UInt8(ascii: "-")
      i += 1
    }
    guard end - i >= 3, p[i] == UInt8(ascii: "0"), p[i + 1] | 0x20 == UInt8(ascii: "x") else {
      return DecimalNumber.parse(bytes, range)
    }
    i += 2
    var mantissa: UInt64 = 0
    var digits = 0
    var fractionDigits = 0
    // float.hex()'s own form, `1.` or `0.` and 13 digits then `p`: read without a loop test per
    // digit.
    if end - i >= 17, p[i] & 0xFE == UInt8(ascii: "0"), p[i + 1] == UInt8(ascii: "."),
      p[i + 15] | 0x20 == UInt8(ascii: "p")
    {
      if let fraction = hexDigits13(p + i + 2) {
        mantissa = UInt64(p[i] & 1) << 52 | fraction
        i += 15
        digits = 14
        fractionDigits = 13
        return hexTail(p, i, end, mantissa: mantissa, fractionDigits: fractionDigits, negative)
      }
      mantissa = 0
    }
    // The digits before the point, then (after a '.') those after it.
    func hexRun(_ mantissa: inout UInt64) -> Int {
      let start = i
      while i < end {
        let byte = p[i]
        if !isHexDigit(byte) { break }
        mantissa = mantissa &<< 4 | hexValue(byte)
        i &+= 1
      }
      return i &- start
    }
    digits = hexRun(&mantissa)
    if i < end && p[i] == UInt8(ascii: ".") {
      i += 1
      fractionDigits = hexRun(&mantissa)
      digits += fractionDigits
    }
    guard digits > 0, digits <= 14 else { return nil }
    return hexTail(p, i, end, mantissa: mantissa, fractionDigits: fractionDigits, negative)
  }

  /// The value of the 13 hex digits at `q` (float.hex()'s fraction), or nil when one of them
  /// is not a hex digit: eight digits at a time in a 64-bit word (two overlapping loads),
  /// checked and converted without a branch per digit.
  @inline(__always)
  private static func hexDigits13(_ q: UnsafePointer<UInt8>) -> UInt64? {
    let raw = UnsafeRawPointer(q)
    let first = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
    let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 5, as: UInt64.self))
    guard let high = hexWord(first), let low = hexWord(last) else { return nil }
    // The first eight digits, then the last five (the low 20 bits of digits 5...12).
    return high << 20 | low & 0xFFFFF
  }

  /// Eight hex digits (ASCII, the first in the lowest byte) as their 32-bit value, or nil.
  @inline(__always)
  private static func hexWord(_ w: UInt64) -> UInt64? {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highBits = ones &* 0x80
    // Per byte (all below 0x80, so no carry crosses a byte): x + (0x80 - lo) has its high
    // bit iff x >= lo, x + (0x7F - hi) iff x > hi.
    func inRange(_ x: UInt64, _ lo: UInt64, _ hi: UInt64) -> UInt64 {
      (x &+ ones &* (0x80 - lo)) & ~(x &+ ones &* (0x7F - hi)) & highBits
    }
    let lower = w | ones &* 0x20
    guard w & highBits == 0, inRange(w, 0x30, 0x39) | inRange(lower, 0x61, 0x66) == highBits
    else { return nil }
    // Each digit's value: its low nibble, plus 9 for a letter (bit 6 set).
    let values = (w & (ones &* 0x0F)) &+ 9 &* ((w >> 6) & ones)
    // Most significant digit first, then nibbles packed pairwise.
    var x = values.byteSwapped
    x = (x | x >> 4) & 0x00FF_00FF_00FF_00FF
    x = (x | x >> 8) & 0x0000_FFFF_0000_FFFF
    x = (x | x >> 16) & 0x0000_0000_FFFF_FFFF
    return x
  }

  /// Whether a byte is a hex digit (0-9, a-f, A-F).
  @inline(__always)
  private static func isHexDigit(_ byte: UInt8) -> Bool {
    byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6
  }

  /// A hex digit's value without a branch: its low nibble, plus 9 for a letter.
  @inline(__always)
  private static func hexValue(_ byte: UInt8) -> UInt64 {
    UInt64((byte & 0x0F) &+ 9 &* (byte &>> 6))
  }

  /// A token `[-+]0x1.<13 hex digits>p[-+]<digits>` at `start` that a space or the end of
  /// the range follows, with a normal exponent: its value and where it ends; nil for
  /// anything else (read the general way).
  @inline(__always)
  private static func canonicalHex(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
  )
    -> (Double, Int)?
  {
    guard let p = bytes.baseAddress else { return nil }
    var i = start
    let negative = p[i] == UInt8(ascii: "-")
    if negative || p[i] == UInt8(ascii: "+") { i += 1 }
    guard end - i >= 20, p[i] == UInt8(ascii: "0"), p[i + 1] | 0x20 == UInt8(ascii: "x"),
      p[i + 2] == UInt8(ascii: "1"), p[i + 3] == UInt8(ascii: "."),
      p[i + 17] | 0x20 == UInt8(ascii: "p"), let fraction = hexDigits13(p + i + 4)
    else { return nil }
    guard let (exponent, stop) = decimalExponent(p, i + 18, end),
      stop == end || isSpace(p[stop]), exponent >= -1022 && exponent <= 1023
    else { return nil }
    let bits = (negative ? 1 << 63 : 0) | UInt64(exponent + 1023) << 52 | fraction
    return (Double(bitPattern: bits), stop)
  }

  /// A decimal exponent at `start`: an optional sign and one to five digits, up to a
  /// non-digit or `end`. Its value and where it stops; nil without a digit.
  @inline(__always)
  private static func decimalExponent(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int)
    -> (Int, Int)?
  {
    var i = start
    var negative = false
    if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
      negative = p[i] == UInt8(ascii: "-")
      i += 1
    }
    let digitsStart = i
    var value = 0
    while i < end, i - digitsStart < 5 {
      let digit = p[i] &- UInt8(ascii: "0")
      guard digit < 10 else { break }
      value = value * 10 + Int(digit)
      i += 1
    }
    guard i > digitsStart else { return nil }
    return (negative ? -value : value, i)
  }

  /// The rest of a hex float from its `p` at `i`: the exponent, and the value.
  private static func hexTail(
    _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, mantissa: UInt64, fractionDigits: Int,
    _ negative: Bool
  ) -> Double? {
    guard mantissa < 1 << 53, start < end, p[start] | 0x20 == UInt8(ascii: "p"),
      let (exponent, stop) = decimalExponent(p, start + 1, end), stop == end
    else { return nil }
    let scale = exponent - 4 * fractionDigits
    // mantissa < 2^53 is exact; a float.hex() value times 2^scale is representable, and
    // scaling by powers of two in two steps keeps the intermediate result normal.
    guard scale >= -1100 && scale <= 1100 else { return nil }
    var value = Double(mantissa)
    let half = scale / 2
    value *= Double(sign: .plus, exponent: half, significand: 1)
    value *= Double(sign: .plus, exponent: scale - half, significand: 1)
    return negative ? -value : value
  }

  private static func parse(_ token: Substring, dtype: DType) -> Double? {
    switch dtype {
    case .bool:
      if token == "True" { return 1 }
      if token == "False" { return 0 }
      return nil
    case .int64, .int8, .int16, .int32, .uint8, .uint16, .uint32, .uint64:
      guard let value = Int64(token), value.magnitude <= 1 << 53 else { return nil }
      return Double(value)
    default:
      let lower = token.lowercased()
      if lower == "nan" || lower == "+nan" || lower == "-nan" { return .nan }
      if lower == "inf" || lower == "+inf" || lower == "infinity" { return .infinity }
      if lower == "-inf" || lower == "-infinity" { return -.infinity }
      guard let first = lower.last, first.isNumber || first == "." else { return nil }
      return Double(lower)
    }
  }

  private func printOptions() throws -> PrintOptions {
    var options = PrintOptions()
    if let precision {
      guard precision >= 0 else { throw UsageError("precision must be >= 0.") }
      options.precision = precision
    }
    if let floatmode {
      guard let mode = PrintOptions.FloatMode(rawValue: floatmode) else {
        throw UsageError(
          "floatmode '\(floatmode)' is not one of fixed, unique, maxprec, "
            + "maxprec_equal.")
      }
      options.floatMode = mode
    }
    options.suppress = suppress
    if let sign {
      guard let value = PrintOptions.Sign(rawValue: sign) else {
        throw UsageError("sign '\(sign)' is not one of '-', '+', ' '.")
      }
      options.sign = value
    }
    if let linewidth { options.lineWidth = linewidth }
    if let threshold { options.threshold = threshold }
    if let edgeitems { options.edgeItems = edgeitems }
    if let nanstr { options.nanString = nanstr }
    if let infstr { options.infString = infstr }
    if let legacy {
      guard legacy == "1.13" else {
        throw UsageError("legacy '\(legacy)' is not supported (only '1.13').")
      }
      options.legacy113 = true
    }
    return options
  }
}
