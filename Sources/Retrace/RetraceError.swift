import NumPyKit

/// Why a notebook could not be used: a sentence naming the file and, where it applies, the
/// line and column — `notebook.txt:12:7: expected ']' to close the array opened at 10:1`.
public struct RetraceError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file the problem is in, as the user named it.
  public var file: String
  /// The 1-based line, when the problem has a place.
  public var line: Int?
  /// The 1-based column, when the problem has a place.
  public var column: Int?
  /// What is wrong, as a sentence.
  public var message: String

  /// Makes an error.
  public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// Makes an error at a text position.
  public init(file: String, at position: TextPosition, _ message: String) {
    self.init(file: file, line: position.line, column: position.column, message)
  }

  /// `file:line:column: message`.
  public var description: String {
    var place = file
    if let line {
      place += ":\(line)"
      if let column { place += ":\(column)" }
    }
    return "\(place): \(message)"
  }
}
