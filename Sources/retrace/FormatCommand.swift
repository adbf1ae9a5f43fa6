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
    let data = FileHandle.standardInput.readDataToEndOfFile()
    let dtype: DType = bool ? .bool : (int ? .int64 : .float64)
    var values: [Double] = []
    values.reserveCapacity(data.count / 8)
    var bad: Substring?
    data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var i = 0
      let n = bytes.count
      while i < n {
        while i < n && FormatCommand.isSpace(bytes[i]) { i += 1 }
        guard i < n else { break }
        let start = i
        while i < n && !FormatCommand.isSpace(bytes[i]) { i += 1 }
        // Decimal and hex floats straight from the bytes; the rest by the token's text.
        let value =
          dtype == .float64
          ? FormatCommand.fastFloat(bytes, start..<i) : nil
        if let value {
          values.append(value)
          continue
        }
        let token = Substring(
          decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let parsed = FormatCommand.parse(token, dtype: dtype) else {
          bad = token
          break
        }
        values.append(parsed)
      }
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
      // The bytes straight to stdout (a large array's text is not copied into a String).
      var bytes = formatter.stringBytes(array)
      bytes.append(UInt8(ascii: "\n"))
      try bytes.withUnsafeMutableBytes { raw in
        guard let base = raw.baseAddress else { return }
        let data = Data(bytesNoCopy: base, count: raw.count, deallocator: .none)
        try FileHandle.standardOutput.write(contentsOf: data)
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
      mantissa = UInt64(p[i] & 1)
      var valid = true
      for k in 2..<15 {
        let byte = p[i + k]
        valid = valid && isHexDigit(byte)
        mantissa = mantissa &<< 4 | hexValue(byte)
      }
      if valid {
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

  /// The rest of a hex float from its `p` at `i`: the exponent, and the value.
  private static func hexTail(
    _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, mantissa: UInt64, fractionDigits: Int,
    _ negative: Bool
  ) -> Double? {
    var i = start
    guard mantissa < 1 << 53, i < end, p[i] | 0x20 == UInt8(ascii: "p") else { return nil }
    i += 1
    var exponentNegative = false
    if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
      exponentNegative = p[i] == UInt8(ascii: "-")
      i += 1
    }
    guard i < end, end - i <= 5 else { return nil }
    var exponent = 0
    while i < end {
      let digit = p[i] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      exponent = exponent * 10 + Int(digit)
      i += 1
    }
    let scale = (exponentNegative ? -exponent : exponent) - 4 * fractionDigits
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
