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
    let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    let tokens = input.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
    )
    let dtype: DType = bool ? .bool : (int ? .int64 : .float64)
    var values: [Double] = []
    values.reserveCapacity(tokens.count)
    for token in tokens {
      guard let value = FormatCommand.parse(token, dtype: dtype) else {
        throw UsageError("'\(token)' is not a \(dtype.rawValue) value.")
      }
      values.append(value)
    }
    let dimensions = try parseShape(count: values.count)
    guard let array = NDArray(shape: dimensions, scalars: values, dtype: dtype) else {
      throw UsageError(
        "\(values.count) values do not fit the shape '\(shape ?? "")'.")
    }
    let formatter = ArrayFormatter(options: options)
    print(repr ? formatter.repr(array) : formatter.string(array))
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
