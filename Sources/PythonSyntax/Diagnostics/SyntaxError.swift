/// Why a cell's source could not be read as Python: CPython's exception type and message where
/// CPython rejects the same text, or retrace's refusal of a construct it does not read, or a
/// parsing limit. The module's one error type.
public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The exception class CPython raises for the same text (or what retrace says instead).
  public enum Kind: String, Sendable {
    /// `SyntaxError`.
    case syntax = "SyntaxError"
    /// `IndentationError`.
    case indentation = "IndentationError"
    /// `TabError`.
    case tab = "TabError"
    /// Valid Python that retrace does not read (`async`, `match`, …).
    case unsupported = "UnsupportedSyntax"
    /// Beyond a `ParsingLimits` bound (CPython: `MemoryError` or `RecursionError`, or none).
    case limit = "LimitExceeded"
  }

  /// The class of problem.
  public var kind: Kind
  /// What is wrong, as CPython words it where it can: `'(' was never closed`.
  public var message: String
  /// Where (1-based line, 0-based UTF-8 byte column).
  public var location: SourceLocation
  /// The source line the location is on, without its newline (for the caret).
  public var lineText: String

  /// Makes an error.
  public init(_ kind: Kind, _ message: String, at location: SourceLocation, lineText: String) {
    self.kind = kind
    self.message = message
    self.location = location
    self.lineText = lineText
  }

  /// The 1-based column counted in characters (CPython's `offset`).
  public var characterColumn: Int {
    let bytes = Array(lineText.utf8)
    let prefix = bytes[..<min(bytes.count, max(0, location.column))]
    return String(decoding: prefix, as: UTF8.self).count + 1
  }

  /// `line:column: message` (column 1-based, in characters).
  public var description: String {
    "\(location.line):\(characterColumn): \(message)"
  }

  /// The diagnostic as a compiler prints it: `ORIGIN, line L:C: message`, the source line, and
  /// a caret under the column. `origin` names the file and cell, as
  /// `notebook.ipynb: cell 3 (In [7])` (empty: the line comes first); `fileLine`, the line in
  /// the file when the cell is part of a larger text, is shown after the cell's line.
  public func rendered(origin: String, fileLine: Int? = nil) -> String {
    let inFile = fileLine.map { " (file line \($0))" } ?? ""
    let place = "line \(location.line):\(characterColumn)\(inFile): \(message)"
    var text = origin.isEmpty ? place : "\(origin), \(place)"
    var shown = Array(lineText.replacingTabs())
    guard !shown.allSatisfy({ $0 == " " }) else { return text }
    var caret = min(characterColumn - 1, shown.count)
    // A long line is shown as the 100 characters around the place, with ellipses.
    let window = 100
    if shown.count > window + 20 {
      let start = max(0, min(caret - window / 2, shown.count - window))
      let end = min(shown.count, start + window)
      let head: [Character] = start > 0 ? ["…"] : []
      let tail: [Character] = end < shown.count ? ["…"] : []
      caret = caret - start + head.count
      shown = head + shown[start..<end] + tail
    }
    text += "\n    \(String(shown))\n    \(String(repeating: " ", count: caret))^"
    return text
  }
}

extension String {
  /// Tabs as single spaces (so the caret lines up in any terminal) and control characters
  /// as `?`, keeping the count of characters.
  fileprivate func replacingTabs() -> String {
    String(
      map { character -> Character in
        guard let scalar = character.unicodeScalars.first else { return character }
        if scalar == "\t" { return " " }
        if scalar.value < 0x20 || scalar.value == 0x7F { return "?" }
        return character
      })
  }
}
