/// The per-element formatter NumPy's `_get_format_function` picks for a dtype:
/// `FloatingFormat` for float64, `IntegerFormat` for the integers, `BoolFormat` for bool.
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
  init(
    dtype: DType, data: [Double], integers: [Int64]? = nil, isScalar: Bool, options: PrintOptions
  ) {
    self.dtype = dtype
    padTrue = !isScalar
    float =
      dtype.isFloat
      ? FloatingFormat(
        data: data, isScalar: isScalar, options: options, single: dtype == .float32) : nil
    var sign = options.effectiveSign
    var width = 0
    if dtype.isInteger {
      // The widest of the largest and the smallest, as NumPy's IntegerFormat measures them.
      let texts: (max: String, min: String, maxIsNegative: Bool, minIsNegative: Bool)?
      if let integers, dtype == .uint64 {
        let values = integers.map { UInt64(bitPattern: $0) }
        texts = values.max().map { top in (String(top), String(values.min()!), false, false) }
      } else if let integers {
        texts = integers.max().map { top in
          let bottom = integers.min()!
          return (String(top), String(bottom), top < 0, bottom < 0)
        }
      } else if let maxValue = data.max(), let minValue = data.min() {
        texts = (String(Int64(maxValue)), String(Int64(minValue)), maxValue < 0, minValue < 0)
      } else {
        texts = nil
      }
      if let texts {
        var maxLength = texts.max.utf8.count
        if sign == .space && texts.minIsNegative { sign = .minus }
        if !texts.maxIsNegative && sign != .minus { maxLength += 1 }
        width = max(maxLength, texts.min.utf8.count)
      }
    }
    self.sign = sign
    self.width = width
  }

  /// The float64 formatter, for a loop that calls it directly.
  var floating: FloatingFormat? { float }

  /// About how many bytes one element takes (a capacity hint).
  var widthHint: Int { float?.widthHint ?? max(width, 5) }

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
    appendInteger(Int64(x), to: &out)
  }

  /// Appends one element of an integer dtype, exactly (uint64 read as unsigned).
  func appendInteger(_ value: Int64, to out: inout [UInt8]) {
    var text = Array((dtype == .uint64 ? String(UInt64(bitPattern: value)) : String(value)).utf8)
    if (dtype == .uint64 || value >= 0) && sign == .plus {
      text.insert(UInt8(ascii: "+"), at: 0)
    } else if (dtype == .uint64 || value >= 0) && sign == .space {
      text.insert(UInt8(ascii: " "), at: 0)
    }
    if text.count < width {
      out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - text.count))
    }
    out.append(contentsOf: text)
  }
}
