/// Why NumPy-printed text could not be read, with the line and column where reading stopped.
public struct ReadingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A sentence saying what was wrong, e.g. "expected ']' to close the array opened at 10:1".
  public var message: String
  /// The 1-based line of the problem.
  public var line: Int
  /// The 1-based column (in Unicode scalars) of the problem.
  public var column: Int
  /// The UTF-8 byte offset of the problem in the text that was read.
  public var offset: Int

  /// Makes an error at a position.
  public init(_ message: String, at position: TextPosition) {
    self.message = message
    self.line = position.line
    self.column = position.column
    self.offset = position.offset
  }

  /// `line:column: message`, as a compiler prints a diagnostic (the caller adds the file).
  public var description: String { "\(line):\(column): \(message)" }
}
