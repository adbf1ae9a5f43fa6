/// A place in a text: its UTF-8 byte offset and its 1-based line and column.
///
/// Columns count Unicode scalars, so `é` advances the column by one although it is two bytes.
public struct TextPosition: Equatable, Hashable, Sendable, CustomStringConvertible {
  /// The UTF-8 byte offset from the start of the text.
  public var offset: Int
  /// The 1-based line.
  public var line: Int
  /// The 1-based column, in Unicode scalars.
  public var column: Int

  /// Makes a position.
  public init(offset: Int, line: Int, column: Int) {
    self.offset = offset
    self.line = line
    self.column = column
  }

  /// The start of a text.
  public static let start = TextPosition(offset: 0, line: 1, column: 1)

  /// `line:column`.
  public var description: String { "\(line):\(column)" }

  /// The position after `bytes[offset..<target]`, counting newlines and UTF-8 lead bytes.
  public func advanced(to target: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
    var position = self
    var index = offset
    while index < target {
      let byte = bytes[index]
      if byte == 0x0A {
        position.line += 1
        position.column = 1
      } else if byte & 0xC0 != 0x80 {
        position.column += 1
      }
      index += 1
    }
    position.offset = target
    return position
  }
}
