/// A place in a cell's source, as CPython's `ast` records it: a 1-based line and a 0-based
/// column counted in UTF-8 bytes (`lineno`, `col_offset`).
public struct SourceLocation: Hashable, Sendable, Comparable {
  /// The 1-based line.
  public var line: Int
  /// The 0-based column, in UTF-8 bytes from the start of the line (CPython's `col_offset`).
  public var column: Int

  /// Makes a location.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// Orders by line, then column.
  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }
}

/// The span of a syntax node: `lineno:col_offset` to `end_lineno:end_col_offset`.
public struct SourceRange: Hashable, Sendable {
  /// The first byte's location.
  public var start: SourceLocation
  /// The location just past the last byte.
  public var end: SourceLocation

  /// Makes a range.
  public init(start: SourceLocation, end: SourceLocation) {
    self.start = start
    self.end = end
  }

  /// The range from the start of `self` to the end of `other`.
  public func through(_ other: SourceRange) -> SourceRange {
    SourceRange(start: start, end: other.end)
  }
}
