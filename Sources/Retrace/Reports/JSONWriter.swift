/// Writes JSON text by hand, so that numbers keep their exact shortest round-trip form and
/// keys keep a stable order (Foundation's JSONSerialization does neither).
public struct JSONWriter {
  /// The text so far.
  public private(set) var text = ""

  /// Makes an empty writer.
  public init() {}

  /// A JSON string literal for `value`.
  public static func string(_ value: String) -> String {
    var result = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }

  /// A JSON number that reads back to the same double; nan and ±inf as the strings "nan",
  /// "inf", "-inf" (JSON has no such numbers).
  public static func number(_ value: Double) -> String {
    if value.isNaN { return "\"nan\"" }
    if value.isInfinite { return value < 0 ? "\"-inf\"" : "\"inf\"" }
    // Swift's description is the shortest text that reads back to the same double.
    return value.description
  }

  /// A JSON array of numbers.
  public static func numbers(_ values: [Double]) -> String {
    "[" + values.map(number).joined(separator: ", ") + "]"
  }

  /// A JSON array of integers.
  public static func integers(_ values: [Int]) -> String {
    "[" + values.map(String.init).joined(separator: ", ") + "]"
  }

  /// A JSON array of strings.
  public static func strings(_ values: [String]) -> String {
    "[" + values.map(string).joined(separator: ", ") + "]"
  }

  /// An object from (key, already-encoded value) pairs, in order.
  public static func object(_ pairs: [(String, String)]) -> String {
    "{" + pairs.map { string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
  }
}
