/// Bounds that keep hostile source from exhausting the stack, memory or time: every limit
/// ends the parse with a `SyntaxError` naming the place, never a crash.
public struct ParsingLimits: Sendable, Equatable {
  /// Open brackets at once (CPython's tokenizer: 200, "too many nested parentheses").
  public var maximumBrackets = 200
  /// Indentation levels (CPython: 100, "too many levels of indentation").
  public var maximumIndentation = 100
  /// Nesting of expressions and blocks, counted per recursive rule (CPython's parser stops
  /// near 3,000 with "too complex"; retrace stops earlier, keeping the stack small).
  public var maximumDepth = 1_000
  /// Expression and statement nodes in one cell (a guard on memory: about 100 bytes each).
  public var maximumNodes = 5_000_000

  /// The defaults.
  public init() {}

  /// The defaults.
  public static let standard = ParsingLimits()
}
