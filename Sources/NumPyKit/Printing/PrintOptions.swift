/// NumPy's print options (numpy.set_printoptions / numpy.get_printoptions), for float64,
/// bool and int64 arrays. The defaults are NumPy's; printing under equal options is
/// byte-identical to NumPy 2.4.
public struct PrintOptions: Sendable, Hashable {
  /// How many fraction digits floats may show (numpy `floatmode`).
  public enum FloatMode: String, Sendable, Hashable, CaseIterable {
    /// 'maxprec': at most `precision` digits, each value as few as it needs (default).
    case maxprec
    /// 'maxprec_equal': at most `precision` digits, all values the same number.
    case maxprecEqual = "maxprec_equal"
    /// 'fixed': always exactly `precision` digits.
    case fixed
    /// 'unique': as many digits as each value needs to round-trip; precision ignored.
    case unique
  }

  /// Sign of positive values (numpy `sign`: '-', '+' or ' ').
  public enum Sign: String, Sendable, Hashable, CaseIterable {
    /// '-': only negative values are signed (default).
    case minus = "-"
    /// '+': positive values get '+'.
    case plus = "+"
    /// ' ': positive values get a space.
    case space = " "
  }

  /// Float precision (numpy `precision`, default 8).
  public var precision: Int = 8
  /// Float digit mode (numpy `floatmode`, default 'maxprec').
  public var floatMode: FloatMode = .maxprec
  /// numpy `suppress` (default false): never choose scientific notation for small values.
  public var suppress: Bool = false
  /// numpy `sign` (default '-').
  public var sign: Sign = .minus
  /// numpy `linewidth` (default 75).
  public var lineWidth: Int = 75
  /// numpy `threshold` (default 1000): arrays with more elements are summarised.
  public var threshold: Int = 1000
  /// numpy `edgeitems` (default 3): items kept at each end of a summarised axis.
  public var edgeItems: Int = 3
  /// numpy `nanstr` (default "nan").
  public var nanString: String = "nan"
  /// numpy `infstr` (default "inf").
  public var infString: String = "inf"
  /// numpy `legacy='1.13'` when true; otherwise `legacy=False` (the default). As in
  /// numpy.set_printoptions, legacy '1.13' makes `sign` act as '-'.
  public var legacy113: Bool = false

  /// NumPy's default print options.
  public init() {}

  /// The sign in force: numpy.set_printoptions(legacy='1.13') resets `sign` to '-'.
  var effectiveSign: Sign { legacy113 ? .minus : sign }

  /// The legacy mode as NumPy's integer (113 for '1.13', Int.max otherwise).
  var legacyLevel: Int { legacy113 ? 113 : Int.max }
}
