/// A NumPy array read back from the text that `str(a)` / `print(a)` or `repr(a)` wrote:
/// its values, the exact printed token of each, and where each token stands.
///
/// Stored column-wise (values, texts, positions) so that reading allocates nothing per value
/// beyond Swift's inline small strings; `tokens` assembles the per-value view on demand.
public struct ArrayLiteral: Equatable, Sendable {
  /// How the array was written.
  public enum Form: String, Equatable, Sendable {
    /// `str(a)` / `print(a)`: `[1. 2.]`
    case str
    /// `repr(a)`: `array([1., 2.])`, possibly with `, shape=(…)` or `, dtype=…`.
    case repr
    /// A bare scalar token such as `0.5` (a 0-d array or a Python float).
    case scalar
  }

  /// One printed value.
  public struct Token: Equatable, Sendable {
    /// The token exactly as printed, e.g. `-0.` or `1.23911839e-11`.
    public var text: String
    /// The value the token denotes (nearest double; `True` is 1 and `False` 0).
    public var value: Double
    /// Where the token starts.
    public var position: TextPosition
    /// The token's index along each axis (see `index(ofToken:)`).
    public var index: [Int]
  }

  /// `str`, `repr` or `scalar`.
  public var form: Form
  /// The element type the tokens imply: `bool` for True/False, `int64` when no token has a
  /// '.', an exponent, nan or inf, else `float64`.
  public var dtype: DType
  /// The array's shape. For a summarised `str` array the summarised axes count only the
  /// values shown (see `summarizedAxes`); `repr`'s `shape=(…)` gives the full shape.
  /// For a partial (cut-off) array, the shape seen so far.
  public var shape: [Int]
  /// Whether the shape includes every element (not summarised without a `shape=`, not cut).
  public var isShapeComplete: Bool
  /// The axes on which `...` stood (NumPy summarised the array: more than `threshold` values).
  public var summarizedAxes: [Int]
  /// The values shown, in order (C order of the values shown).
  public var values: [Double]
  /// The printed token of each value.
  public var texts: [String]
  /// Where each token starts.
  public var positions: [TextPosition]
  /// Where the literal starts (its first `[` or `array(`).
  public var start: TextPosition
  /// The byte offset just past the literal.
  public var endOffset: Int { end.offset }
  /// The position just past the literal.
  public var end: TextPosition
  /// Whether the text ended before the array was closed; the values hold every complete
  /// value shown before the cut.
  public var isPartial: Bool
  /// Per axis, the number of entries shown in every list at that depth.
  var shownShape: [Int]
  /// Per axis, where `...` stood among the shown entries, if it did.
  var ellipsisAt: [Int?]

  /// Whether NumPy summarised the array with `...`.
  public var isSummarized: Bool { !summarizedAxes.isEmpty }

  /// The number of values shown.
  public var count: Int { values.count }

  /// The index along each axis of the `ordinal`-th value shown. In a summarised array whose
  /// full length along an axis is unknown, values after the `...` get negative (from-the-end)
  /// indices; with `repr`'s `shape=` they get their true indices.
  public func index(ofToken ordinal: Int) -> [Int] {
    let rank = shownShape.count
    guard rank > 0 else { return [] }
    var index = [Int](repeating: 0, count: rank)
    var rest = ordinal
    for axis in stride(from: rank - 1, through: 0, by: -1) {
      let extent = shownShape[axis]
      if axis == 0 || extent == 0 {
        index[axis] = rest
      } else {
        index[axis] = rest % extent
        rest /= extent
      }
    }
    for axis in 0..<rank {
      if let cut = ellipsisAt[axis], index[axis] >= cut {
        let fromEnd = index[axis] - shownShape[axis]
        index[axis] = isShapeComplete ? shape[axis] + fromEnd : fromEnd
      }
    }
    return index
  }

  /// The C-order flat index of the `ordinal`-th value, when the full shape is known.
  public func flatIndex(ofToken ordinal: Int) -> Int? {
    if !isSummarized { return ordinal }
    guard isShapeComplete else { return nil }
    var flat = 0
    for (axis, component) in index(ofToken: ordinal).enumerated() {
      flat = flat * shape[axis] + component
    }
    return flat
  }

  /// The per-value view: text, value, position and index of each token.
  public var tokens: [Token] {
    values.indices.map { ordinal in
      Token(
        text: texts[ordinal], value: values[ordinal], position: positions[ordinal],
        index: index(ofToken: ordinal))
    }
  }
}
