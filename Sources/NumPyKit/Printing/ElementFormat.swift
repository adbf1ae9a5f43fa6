/// The per-element formatter NumPy's `_get_format_function` picks for a dtype:
/// `FloatingFormat` for float64, `IntegerFormat` for int64, `BoolFormat` for bool.
struct ElementFormat: Sendable {
  private let dtype: DType
  /// FloatingFormat (float64 only).
  private let float: FloatingFormat?
  /// IntegerFormat: the width and sign flag of `'{:<sign><width>d}'`.
  private let width: Int
  private let sign: PrintOptions.Sign
  /// BoolFormat: whether true prints as ' True' (arrays) rather than 'True' (0-d).
  private let padTrue: Bool

  /// Builds the formatter from the (summarised) data, as `_get_format_function` does.
  init(dtype: DType, data: [Double], isScalar: Bool, options: PrintOptions) {
    self.dtype = dtype
    padTrue = !isScalar
    float =
      dtype == .float64 ? FloatingFormat(data: data, isScalar: isScalar, options: options) : nil
    var sign = options.effectiveSign
    var width = 0
    if dtype == .int64, let maxValue = data.max(), let minValue = data.min() {
      var maxLength = String(Int64(maxValue)).utf8.count
      if sign == .space && minValue < 0 { sign = .minus }
      if maxValue >= 0 && sign != .minus { maxLength += 1 }
      width = max(maxLength, String(Int64(minValue)).utf8.count)
    }
    self.sign = sign
    self.width = width
  }

  /// Appends one formatted element.
  func append(_ x: Double, dragon: inout Dragon4, to out: inout [UInt8]) {
    if let float {
      float.append(x, dragon: &dragon, to: &out)
      return
    }
    if dtype == .bool {
      if x == 0 {
        out.append(contentsOf: "False".utf8)
      } else {
        out.append(contentsOf: (padTrue ? " True" : "True").utf8)
      }
      return
    }
    let value = Int64(x)
    var text = Array(String(value).utf8)
    if value >= 0 && sign == .plus { text.insert(UInt8(ascii: "+"), at: 0) }
    if value >= 0 && sign == .space { text.insert(UInt8(ascii: " "), at: 0) }
    if text.count < width {
      out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - text.count))
    }
    out.append(contentsOf: text)
  }
}
