/// A NumPy array read back from the text that `str(a)` / `print(a)` or `repr(a)` wrote:
/// its values, the exact printed token of each, and where each token stands.
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
    /// The token's index along each axis. In a summarised array whose full length along an
    /// axis is unknown, values after the `...` have negative (from-the-end) indices.
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
  /// The printed values in order (C order of the values shown).
  public var tokens: [Token]
  /// Where the literal starts (its first `[` or `array(`).
  public var start: TextPosition
  /// The byte offset just past the literal.
  public var endOffset: Int
  /// Whether the text ended before the array was closed; `tokens` holds every complete value
  /// shown before the cut.
  public var isPartial: Bool

  /// Whether NumPy summarised the array with `...`.
  public var isSummarized: Bool { !summarizedAxes.isEmpty }

  /// The values, in the order of `tokens`.
  public var values: [Double] { tokens.map(\.value) }
}
