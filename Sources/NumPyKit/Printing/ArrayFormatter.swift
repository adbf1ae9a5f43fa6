/// NumPy's array printing (numpy.array2string, numpy.array_str = `str(a)`,
/// numpy.array_repr = `repr(a)`) for float64, bool and int64 arrays of any rank, including
/// 0-d and empty arrays, summaries and legacy='1.13'. Output is byte-identical to NumPy 2.4.
public struct ArrayFormatter: Sendable {
  /// The print options in force (numpy.set_printoptions).
  public var options: PrintOptions

  /// A formatter under the given print options (NumPy's defaults when omitted).
  public init(options: PrintOptions = PrintOptions()) {
    self.options = options
  }

  // MARK: - str / repr

  /// `str(a)` (numpy.array_str): what `print(a)` writes, without the newline.
  public func string(_ array: NDArray) -> String {
    if array.shape.isEmpty {
      return ArrayFormatter.scalarString(array, dtype: array.dtype)
    }
    return array2string(array, separator: " ")
  }

  /// `repr(a)` (numpy.array_repr): `array([...])` with `shape=` / `dtype=` where NumPy adds
  /// them.
  public func repr(_ array: NDArray) -> String {
    let prefix = "array("
    let list: String
    if options.legacy113 && array.shape.isEmpty {
      list = ArrayFormatter.scalarString(array, dtype: array.dtype)
    } else {
      list = array2string(array, separator: ", ", prefix: prefix, suffix: ")")
    }
    var extras: [String] = []
    let size = array.count
    if (size == 0 && array.shape != [0]) || (!options.legacy113 && size > options.threshold) {
      extras.append("shape=" + ArrayFormatter.tupleString(array.shape))
    }
    // NumPy leaves out the dtypes a literal implies (float64, the default int64, bool).
    let implied: Set<DType> = [.float64, .int64, .bool]
    let dtypeImplied =
      implied.contains(array.dtype) && !(options.legacy113 && array.dtype == .bool)
    if !dtypeImplied || size == 0 {
      extras.append("dtype=" + array.dtype.rawValue)
    }
    if extras.isEmpty { return prefix + list + ")" }
    let arrayString = prefix + list + ","
    let extraString = extras.joined(separator: ", ") + ")"
    let lastLine = arrayString.split(separator: "\n", omittingEmptySubsequences: false).last
    let lastLineLength = lastLine.map { $0.unicodeScalars.count } ?? 0
    var spacer = " "
    if !options.legacy113
      && lastLineLength + extraString.unicodeScalars.count + 1 > options.lineWidth
    {
      spacer = "\n" + String(repeating: " ", count: prefix.count)
    }
    return arrayString + spacer + extraString
  }

  /// `str(a)` of a NumPy str array whose elements, in C order, have the reprs `texts`
  /// (NumPy prints each element's repr, laid out as numbers are).
  public func string(texts: [String], shape: [Int]) -> String {
    textLayout(texts, shape: shape, separator: " ", prefix: "", suffix: "")
  }

  /// `repr(a)` of a NumPy str array: `array([...], dtype='<U6')`.
  public func repr(texts: [String], shape: [Int], dtypeName: String) -> String {
    let prefix = "array("
    let list = textLayout(texts, shape: shape, separator: ", ", prefix: prefix, suffix: ")")
    var extras: [String] = []
    if texts.isEmpty && shape != [0] {
      extras.append("shape=" + ArrayFormatter.tupleString(shape))
    } else if texts.count > options.threshold {
      extras.append("shape=" + ArrayFormatter.tupleString(shape))
    }
    extras.append("dtype=" + dtypeName)
    let arrayString = prefix + list + ","
    let extraString = extras.joined(separator: ", ") + ")"
    let lastLine = arrayString.split(separator: "\n", omittingEmptySubsequences: false).last
    let lastLineLength = lastLine.map { $0.unicodeScalars.count } ?? 0
    var spacer = " "
    if lastLineLength + extraString.unicodeScalars.count + 1 > options.lineWidth {
      spacer = "\n" + String(repeating: " ", count: prefix.count)
    }
    return arrayString + spacer + extraString
  }

  private func textLayout(
    _ texts: [String], shape: [Int], separator: String, prefix: String, suffix: String
  ) -> String {
    if texts.isEmpty { return "[]" }
    if shape.isEmpty { return texts[0] }
    let array = NDArray(
      unchecked: shape, scalars: [Double](repeating: 0, count: texts.count), dtype: .int64)
    var layout = Layout(
      array: array,
      format: ElementFormat(dtype: .int64, data: [0], isScalar: false, options: options),
      separator: separator == " " ? ArrayFormatter.space : Array(separator.utf8),
      edgeItems: options.edgeItems,
      summarize: texts.count > options.threshold, legacy: false)
    layout.words = texts.map { Array($0.utf8) }
    let bytes = layout.render(
      lineWidth: options.lineWidth - suffix.unicodeScalars.count, nextLinePrefix: 1 + prefix.count)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `str(np.float64(x))` / `str(np.int64(x))` / `str(np.bool_(x))`: the scalar text a 0-d
  /// array prints as (shortest round-trip digits; positional when x is 0 or
  /// 1e-4 ≤ |x| < 1e16, else scientific), which equals Python's `repr(float(x))`.
  public static func scalarString(_ x: Double, dtype: DType = .float64) -> String {
    switch dtype {
    case .bool:
      return x != 0 ? "True" : "False"
    case .float64:
      if x.isNaN { return "nan" }
      if x.isInfinite { return x < 0 ? "-inf" : "inf" }
      let magnitude = abs(x)
      if x == 0 || (magnitude < 1e16 && magnitude >= 1e-4) {
        return Dragon4.positional(x, trim: .zero)
      }
      return Dragon4.scientific(x, trim: .dotAndZeros)
    case .float32:
      // NumPy's float32 scalars print positionally for 1e-4 ≤ |x| < 1e6 (float's cutoff in
      // scalartypes.c, against double's 1e16).
      if x.isNaN { return "nan" }
      if x.isInfinite { return x < 0 ? "-inf" : "inf" }
      let magnitude = abs(x)
      if x == 0 || (magnitude < 1e6 && magnitude >= 1e-4) {
        return Dragon4.positional(x, trim: .zero, single: true)
      }
      return Dragon4.scientific(x, trim: .dotAndZeros, single: true)
    default:
      return String(Int64(x))
    }
  }

  /// The text of a 0-d array's one element (its exact integer where it carries one).
  static func scalarString(_ array: NDArray, dtype: DType) -> String {
    if let n = array.integers?.first {
      return dtype == .uint64 ? String(UInt64(bitPattern: n)) : String(n)
    }
    return scalarString(array.scalars[0], dtype: dtype)
  }

  /// Python's repr of a shape tuple: `(3,)`, `(2, 3)`.
  static func tupleString(_ shape: [Int]) -> String {
    if shape.count == 1 { return "(\(shape[0]),)" }
    return "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  // MARK: - array2string

  /// numpy.array2string(a, separator=, prefix=, suffix=) under `options`.
  public func array2string(
    _ array: NDArray, separator: String = " ", prefix: String = "", suffix: String = ""
  ) -> String {
    if options.legacy113 && array.shape.isEmpty {
      return ArrayFormatter.scalarString(array, dtype: array.dtype)
    }
    return String(
      decoding: array2stringBytes(array, separator: separator, prefix: prefix, suffix: suffix),
      as: UTF8.self)
  }

  /// `str(a)` as UTF-8 bytes, for a caller that writes them out (no String made).
  public func stringBytes(_ array: NDArray) -> [UInt8] {
    if array.shape.isEmpty {
      return Array(string(array).utf8)
    }
    return array2stringBytes(array, separator: " ", prefix: "", suffix: "")
  }

  /// `stringBytes` in one or more parts, in order, for a caller that writes them out one
  /// after another (a large array's halves are not joined).
  public func stringParts(_ array: NDArray) -> [[UInt8]] {
    if array.shape.isEmpty || array.count == 0 { return [stringBytes(array)] }
    var layout = layout(array, separator: " ")
    return layout.renderParts(lineWidth: options.lineWidth, nextLinePrefix: 1)
  }

  /// `array2string`'s bytes (not for a 0-d array under legacy='1.13').
  private func array2stringBytes(
    _ array: NDArray, separator: String, prefix: String, suffix: String
  ) -> [UInt8] {
    var lineWidth = options.lineWidth
    if !options.legacy113 { lineWidth -= suffix.unicodeScalars.count }
    if array.count == 0 { return Array("[]".utf8) }
    var layout = layout(array, separator: separator)
    return layout.render(lineWidth: lineWidth, nextLinePrefix: 1 + prefix.count)
  }

  /// `str`'s separator, from a constant table.
  private static let space: [UInt8] = [0x20]

  /// The layout of a nonempty array's elements with its element format.
  private func layout(_ array: NDArray, separator: String) -> Layout {
    let summarize = array.count > options.threshold
    let data = shownElements(array)
    return Layout(
      array: array,
      format: ElementFormat(
        dtype: array.dtype, data: data, integers: shownIntegers(array),
        isScalar: array.shape.isEmpty, options: options),
      separator: separator == " " ? ArrayFormatter.space : Array(separator.utf8),
      edgeItems: options.edgeItems,
      summarize: summarize,
      legacy: options.legacy113)
  }

  /// `_leading_trailing`: the elements kept by a summary, in C order.
  func leadingTrailing<Element>(_ array: NDArray, _ elements: [Element]) -> [Element] {
    let edge = options.edgeItems
    var strides = [Int](repeating: 1, count: array.ndim)
    for axis in stride(from: array.ndim - 2, through: 0, by: -1) {
      strides[axis] = strides[axis + 1] * array.shape[axis + 1]
    }
    var result: [Element] = []
    func visit(_ axis: Int, _ offset: Int) {
      if axis == array.ndim {
        result.append(elements[offset])
        return
      }
      let n = array.shape[axis]
      if n > 2 * edge {
        for i in 0..<edge { visit(axis + 1, offset + i * strides[axis]) }
        for i in (n - edge)..<n { visit(axis + 1, offset + i * strides[axis]) }
      } else {
        for i in 0..<n { visit(axis + 1, offset + i * strides[axis]) }
      }
    }
    visit(0, 0)
    return result
  }
}
