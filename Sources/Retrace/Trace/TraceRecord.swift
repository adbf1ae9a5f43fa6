import NumPyKit

/// One printed value of the notebook — one hole of one print in one epoch — with its exact
/// printed tokens and where they stand.
public struct TraceRecord: Sendable {
  /// The 1-based number of the print statement in the code.
  public var print: Int
  /// The loop iteration (`epoch`), or `nil` for a print outside the loop.
  public var epoch: Int?
  /// The hole's expression, e.g. `W1_grad`.
  public var label: String
  /// The cell whose output holds it (`In [77]`).
  public var cell: String
  /// Whether `literal`'s positions count from the start of the cell's output (`.ipynb`)
  /// rather than from the start of the file.
  public var isCellRelative: Bool
  /// The array as printed: shape, tokens, values and positions.
  public var literal: ArrayLiteral

  /// The shape printed (the shape seen so far when partial).
  public var shape: [Int] { literal.shape }
  /// The values, in printed order.
  public var values: [Double] { literal.values }
  /// The printed tokens.
  public var printed: [String] { literal.texts }
  /// Whether the output stops inside this value.
  public var isPartial: Bool { literal.isPartial }
  /// Where the value starts.
  public var position: TextPosition { literal.start }
}
