/// The per-element formatter NumPy's `_get_format_function` picks for a dtype:
/// `FloatingFormat` for float64, `IntegerFormat` for int64, `BoolFormat` for bool.
enum ElementFormat: Sendable {
  case float(FloatingFormat)
  /// IntegerFormat: the width and sign flag of `'{:<sign><width>d}'`.
  case integer(width: Int, sign: PrintOptions.Sign)
  /// BoolFormat: the text for true (' True' in arrays, 'True' for 0-d).
  case bool(trueText: [UInt8])

  /// Builds the formatter from the (summarised) data, as `_get_format_function` does.
  init(dtype: DType, data: [Double], isScalar: Bool, options: PrintOptions) {
    switch dtype {
    case .float64:
      self = .float(FloatingFormat(data: data, isScalar: isScalar, options: options))
    case .bool:
      self = .bool(trueText: Array((isScalar ? "True" : " True").utf8))
    case .int64:
      var sign = options.effectiveSign
      var width = 0
      if let maxValue = data.max(), let minValue = data.min() {
        var maxLength = String(Int64(maxValue)).utf8.count
        if sign == .space && minValue < 0 { sign = .minus }
        if maxValue >= 0 && sign != .minus { maxLength += 1 }
        width = max(maxLength, String(Int64(minValue)).utf8.count)
      }
      self = .integer(width: width, sign: sign)
    }
  }

  /// Appends one formatted element.
  mutating func append(_ x: Double, to out: inout [UInt8]) {
    switch self {
    case .float(var format):
      self = .bool(trueText: [])  // release the payload so `format` is uniquely referenced
      format.append(x, to: &out)
      self = .float(format)
    case .integer(let width, let sign):
      let value = Int64(x)
      var text = Array(String(value).utf8)
      if value >= 0 && sign == .plus { text.insert(UInt8(ascii: "+"), at: 0) }
      if value >= 0 && sign == .space { text.insert(UInt8(ascii: " "), at: 0) }
      if text.count < width {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - text.count))
      }
      out.append(contentsOf: text)
    case .bool(let trueText):
      out.append(contentsOf: x != 0 ? trueText : Array("False".utf8))
    }
  }
}
