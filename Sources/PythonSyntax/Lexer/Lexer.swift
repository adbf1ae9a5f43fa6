/// Splits Python source into tokens as CPython's tokenizer does: NEWLINE, INDENT and DEDENT
/// from the indentation (tabs to multiples of 8, checked against tabs of width 1 as CPython
/// does, so an ambiguous mix is a `TabError`), implicit joining inside brackets, backslash
/// continuation, comments dropped; plus IPython's escapes at the start of a logical line.
///
/// Streaming: one token at a time, in constant memory besides the bracket and indentation
/// stacks, whose depths are limited (`ParsingLimits`).
struct Lexer {
  let bytes: UnsafeBufferPointer<UInt8>
  /// Where the lexer stops (the end of the buffer, or of an f-string field).
  let limit: Int
  var offset: Int
  var line: Int
  var lineStart: Int
  let limits: ParsingLimits

  /// Inside an f-string replacement field: no NEWLINE, INDENT or DEDENT, ever.
  let isField: Bool
  private var indents: [Int] = [0]
  private var alternateIndents: [Int] = [0]
  /// Open brackets, with where each was opened.
  private(set) var brackets: [(Punct, SourceLocation)] = []
  private var atLineStart = true
  private var pendingDedents = 0
  private var previous: Token.Kind = .newline
  private var sawFirstLine = false
  private var isFirstLogicalLine = false
  private var emittedEnd = false
  /// f-strings inside f-strings being scanned (CPython allows 149).
  var fstringNesting = 0
  /// The next token starts a logical line (after its INDENT or DEDENTs).
  private var lineMayBeMagic = false
  /// The last token was a line's first top-level `=`: `!cmd` or `%magic` may follow.
  private var magicMayFollow = false
  private var sawAssignment = false
  /// The IPython escapes read so far; `.magic(index)` tokens point here.
  private(set) var magics: [MagicToken] = []

  /// A magic token's kind, keeping its text in `magics`.
  private mutating func magicKind(_ magic: MagicToken) -> Token.Kind {
    magics.append(magic)
    return .magic(magics.count - 1)
  }

  init(
    bytes: UnsafeBufferPointer<UInt8>, start: Int = 0, end: Int? = nil, line: Int = 1,
    lineStart: Int = 0, isField: Bool = false, limits: ParsingLimits
  ) {
    self.bytes = bytes
    self.offset = start
    self.limit = end ?? bytes.count
    self.line = line
    self.lineStart = lineStart
    self.isField = isField
    self.limits = limits
    if isField { atLineStart = false }
  }

  var location: SourceLocation { SourceLocation(line: line, column: offset - lineStart) }

  @inline(__always) func peek(_ ahead: Int = 0) -> UInt8 {
    let index = offset + ahead
    return index < limit ? bytes[index] : 0
  }

  /// The text of the line holding byte `position` (for diagnostics).
  func lineText(containing position: Int) -> String {
    var start = min(position, bytes.count)
    while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
    var end = start
    while end < bytes.count && bytes[end] != 0x0A { end += 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
  }

  func error(
    _ message: String, at position: Int, line: Int? = nil, lineStart: Int? = nil,
    kind: SyntaxError.Kind = .syntax
  ) -> SyntaxError {
    let start = lineStart ?? self.lineStart
    return SyntaxError(
      kind, message, at: SourceLocation(line: line ?? self.line, column: position - start),
      lineText: lineText(containing: position))
  }

  private func token(_ kind: Token.Kind, from start: Int, line startLine: Int, lineStart: Int)
    -> Token
  {
    Token(
      kind: kind, start: start, end: offset,
      range: SourceRange(
        start: SourceLocation(line: startLine, column: start - lineStart), end: location))
  }

  /// The next token.
  mutating func next() throws(SyntaxError) -> Token {
    let result = try scan()
    previous = result.kind
    // IPython reads `x = !cmd` and `x = %magic` after the first `=` of a line only.
    if result.kind == .punct(.equal) && brackets.isEmpty && !isField && !sawAssignment {
      magicMayFollow = true
    }
    if result.kind == .punct(.equal) { sawAssignment = true }
    if result.kind == .newline { sawAssignment = false }
    return result
  }

  private mutating func scan() throws(SyntaxError) -> Token {
    if pendingDedents > 0 {
      pendingDedents -= 1
      return token(.dedent, from: offset, line: line, lineStart: lineStart)
    }
    if magicMayFollow {
      magicMayFollow = false
      if let magic = assignedMagic() { return magic }
    }
    while true {
      if atLineStart {
        let indentation = try readIndentation()
        lineMayBeMagic = true
        if let indentation { return indentation }
        if pendingDedents > 0 {
          pendingDedents -= 1
          return token(.dedent, from: offset, line: line, lineStart: lineStart)
        }
      }
      if lineMayBeMagic {
        lineMayBeMagic = false
        if let magic = try readLineMagic() { return magic }
      }
      // Spaces, tabs and form feeds between tokens.
      while offset < limit {
        let byte = bytes[offset]
        if byte == 0x20 || byte == 0x09 || byte == 0x0C { offset += 1 } else { break }
      }
      guard offset < limit else { return try endOfInput() }
      let byte = bytes[offset]
      switch byte {
      case 0x23:  // '#'
        while offset < limit && bytes[offset] != 0x0A { offset += 1 }
        continue
      case 0x0A:
        if !brackets.isEmpty || isField {
          offset += 1
          line += 1
          lineStart = offset
          continue
        }
        let start = offset
        let startLine = line
        let startLineStart = lineStart
        offset += 1
        let newline = token(.newline, from: start, line: startLine, lineStart: startLineStart)
        line += 1
        lineStart = offset
        atLineStart = true
        return newline
      case 0x0D:
        // A lone carriage return (the notebook reader turns CRLF into LF) ends a line too.
        offset += 1
        continue
      case 0x5C:  // '\\'
        if offset + 1 < limit && bytes[offset + 1] == 0x0A {
          offset += 2
          line += 1
          lineStart = offset
          if offset >= limit && !isField {
            throw error("unexpected EOF while parsing", at: offset)
          }
          continue
        }
        if offset + 1 >= limit { throw error("unexpected EOF while parsing", at: offset + 1) }
        throw error("unexpected character after line continuation character", at: offset + 1)
      case 0x00:
        throw error("source code string cannot contain null bytes", at: offset)
      default:
        break
      }
      if byte == 0x22 || byte == 0x27 {
        return try readString(prefixStart: offset, quoteAt: offset)
      }
      if isIdentifierStart(byte) || byte >= 0x80 {
        return try readNameOrPrefixedString()
      }
      if isDigit(byte) || (byte == 0x2E && isDigit(peek(1))) {
        return try readNumber()
      }
      return try readPunctuation()
    }
  }

  // MARK: - Lines and indentation

  /// At the start of a line: measures its indentation, skips it if blank or a comment, and
  /// returns INDENT or starts DEDENTs when the indentation changes. Returns nil to go on.
  private mutating func readIndentation() throws(SyntaxError) -> Token? {
    while true {
      var column = 0
      var alternate = 0
      let start = offset
      while offset < limit {
        let byte = bytes[offset]
        if byte == 0x20 {
          column += 1
          alternate += 1
        } else if byte == 0x09 {
          column = (column / 8 + 1) * 8
          alternate += 1
        } else if byte == 0x0C {
          column = 0
          alternate = 0
        } else {
          break
        }
        offset += 1
      }
      if offset >= limit {
        atLineStart = false
        return nil
      }
      let byte = bytes[offset]
      if byte == 0x23 || byte == 0x0A || byte == 0x0D {
        // Blank or comment-only: no token, no indentation change.
        while offset < limit && bytes[offset] != 0x0A { offset += 1 }
        if offset < limit {
          offset += 1
          line += 1
          lineStart = offset
          continue
        }
        atLineStart = false
        return nil
      }
      atLineStart = false
      isFirstLogicalLine = !sawFirstLine
      sawFirstLine = true
      let top = indents[indents.count - 1]
      let alternateTop = alternateIndents[alternateIndents.count - 1]
      if column == top {
        if alternate != alternateTop {
          throw error(
            "inconsistent use of tabs and spaces in indentation", at: start, kind: .tab)
        }
        return nil
      }
      if column > top {
        if indents.count >= limits.maximumIndentation {
          throw error("too many levels of indentation", at: start, kind: .indentation)
        }
        if alternate <= alternateTop {
          throw error(
            "inconsistent use of tabs and spaces in indentation", at: start, kind: .tab)
        }
        indents.append(column)
        alternateIndents.append(alternate)
        return Token(
          kind: .indent, start: start, end: offset,
          range: SourceRange(
            start: SourceLocation(line: line, column: 0), end: location))
      }
      while indents.count > 1 && column < indents[indents.count - 1] {
        indents.removeLast()
        alternateIndents.removeLast()
        pendingDedents += 1
      }
      if column != indents[indents.count - 1] {
        // CPython places it at the end of the line.
        throw error(
          "unindent does not match any outer indentation level", at: endOfLine(from: offset),
          kind: .indentation)
      }
      if alternate != alternateIndents[alternateIndents.count - 1] {
        throw error("inconsistent use of tabs and spaces in indentation", at: start, kind: .tab)
      }
      return nil
    }
  }

  private mutating func endOfInput() throws(SyntaxError) -> Token {
    if let (bracket, opened) = brackets.last, !isField {
      throw SyntaxError(
        .syntax, "'\(bracket.rawValue)' was never closed", at: opened,
        lineText: lineText(atLine: opened))
    }
    if !isField {
      if previous != .newline && previous != .dedent && previous != .indent && !emittedEnd {
        emittedEnd = true
        // CPython's implicit NEWLINE at the end of a last line without one.
        return Token(
          kind: .newline, start: offset, end: offset,
          range: SourceRange(
            start: location, end: SourceLocation(line: line, column: offset - lineStart + 1)))
      }
      if indents.count > 1 {
        indents.removeLast()
        alternateIndents.removeLast()
        return token(.dedent, from: offset, line: line, lineStart: lineStart)
      }
    }
    return token(.endOfFile, from: offset, line: line, lineStart: lineStart)
  }

  /// The text of line `location.line` (the lexer keeps no index of lines: it walks back from
  /// the current line, which only errors do).
  func lineText(atLine location: SourceLocation) -> String {
    var position = lineStart
    var current = line
    while current > location.line && position > 0 {
      position -= 1
      while position > 0 && bytes[position - 1] != 0x0A { position -= 1 }
      current -= 1
    }
    return lineText(containing: position)
  }

  // MARK: - Names

  @inline(__always) private func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
  }

  @inline(__always) private func isIdentifierContinue(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || isDigit(byte)
  }

  @inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  /// Decodes the UTF-8 scalar at `position`: the scalar and its length, or nil if invalid.
  private func scalar(at position: Int) -> (Unicode.Scalar, Int)? {
    var iterator = UnsafeBufferPointer(rebasing: bytes[position..<limit]).makeIterator()
    var decoder = UTF8()
    switch decoder.decode(&iterator) {
    case .scalarValue(let scalar):
      return (scalar, UTF8.width(scalar))
    default:
      return nil
    }
  }

  private mutating func readNameOrPrefixedString() throws(SyntaxError) -> Token {
    let start = offset
    let startLine = line
    while offset < limit {
      let byte = bytes[offset]
      if isIdentifierContinue(byte) {
        offset += 1
      } else if byte >= 0x80 {
        guard let (scalar, width) = scalar(at: offset) else {
          throw error("invalid UTF-8 in source", at: offset)
        }
        let allowed =
          offset == start ? scalar.properties.isXIDStart : scalar.properties.isXIDContinue
        guard allowed else {
          if offset == start { throw invalidCharacter(scalar, at: offset) }
          break
        }
        offset += width
      } else {
        break
      }
    }
    let length = offset - start
    if length <= 2, offset < limit, bytes[offset] == 0x22 || bytes[offset] == 0x27,
      StringPrefix(bytes, start, offset) != nil
    {
      return try readString(prefixStart: start, quoteAt: offset)
    }
    let kind: Token.Kind
    if let keyword = ReservedWord.lookup(bytes, start, offset) {
      kind = .keyword(keyword)
    } else {
      kind = .name
    }
    return token(kind, from: start, line: startLine, lineStart: lineStart)
  }

  func invalidCharacter(_ scalar: Unicode.Scalar, at position: Int) -> SyntaxError {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    let padded = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    // CPython: a character that does not print is named by its code alone.
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator,
      .paragraphSeparator, .spaceSeparator:
      if scalar != " " {
        return error("invalid non-printable character U+\(padded)", at: position)
      }
    default:
      break
    }
    return error("invalid character '\(Character(scalar))' (U+\(padded))", at: position)
  }

  // MARK: - Punctuation

  private mutating func readPunctuation() throws(SyntaxError) -> Token {
    let start = offset
    let byte = bytes[offset]
    let next = peek(1)
    let third = peek(2)
    var kind: Punct
    var length = 1
    switch byte {
    case 0x28: kind = .leftParen
    case 0x29: kind = .rightParen
    case 0x5B: kind = .leftBracket
    case 0x5D: kind = .rightBracket
    case 0x7B: kind = .leftBrace
    case 0x7D: kind = .rightBrace
    case 0x3A:
      kind = .colon
      if next == 0x3D { (kind, length) = (.colonEqual, 2) }
    case 0x2C: kind = .comma
    case 0x3B: kind = .semicolon
    case 0x2B:
      kind = .plus
      if next == 0x3D { (kind, length) = (.plusEqual, 2) }
    case 0x2D:
      kind = .minus
      if next == 0x3D {
        (kind, length) = (.minusEqual, 2)
      } else if next == 0x3E {
        (kind, length) = (.arrow, 2)
      }
    case 0x2A:
      kind = .star
      if next == 0x2A {
        (kind, length) = third == 0x3D ? (.doubleStarEqual, 3) : (.doubleStar, 2)
      } else if next == 0x3D {
        (kind, length) = (.starEqual, 2)
      }
    case 0x2F:
      kind = .slash
      if next == 0x2F {
        (kind, length) = third == 0x3D ? (.doubleSlashEqual, 3) : (.doubleSlash, 2)
      } else if next == 0x3D {
        (kind, length) = (.slashEqual, 2)
      }
    case 0x7C:
      kind = .verticalBar
      if next == 0x3D { (kind, length) = (.verticalBarEqual, 2) }
    case 0x26:
      kind = .ampersand
      if next == 0x3D { (kind, length) = (.ampersandEqual, 2) }
    case 0x3C:
      kind = .less
      if next == 0x3C {
        (kind, length) = third == 0x3D ? (.leftShiftEqual, 3) : (.leftShift, 2)
      } else if next == 0x3D {
        (kind, length) = (.lessEqual, 2)
      } else if next == 0x3E {
        throw error("invalid syntax", at: start)
      }
    case 0x3E:
      kind = .greater
      if next == 0x3E {
        (kind, length) = third == 0x3D ? (.rightShiftEqual, 3) : (.rightShift, 2)
      } else if next == 0x3D {
        (kind, length) = (.greaterEqual, 2)
      }
    case 0x3D:
      kind = .equal
      if next == 0x3D { (kind, length) = (.equalEqual, 2) }
    case 0x2E:
      kind = .dot
      if next == 0x2E && third == 0x2E { (kind, length) = (.ellipsis, 3) }
    case 0x25:
      kind = .percent
      if next == 0x3D { (kind, length) = (.percentEqual, 2) }
    case 0x7E: kind = .tilde
    case 0x5E:
      kind = .circumflex
      if next == 0x3D { (kind, length) = (.circumflexEqual, 2) }
    case 0x40:
      kind = .at
      if next == 0x3D { (kind, length) = (.atEqual, 2) }
    case 0x21:
      kind = .exclamation
      if next == 0x3D { (kind, length) = (.notEqual, 2) }
    default:
      if byte >= 0x80, let (scalar, _) = scalar(at: offset) {
        throw invalidCharacter(scalar, at: offset)
      }
      if byte >= 0x80 { throw error("invalid UTF-8 in source", at: offset) }
      if byte < 0x20 || byte == 0x7F {
        throw invalidCharacter(Unicode.Scalar(byte), at: offset)
      }
      throw error("invalid syntax", at: offset)
    }
    let here = location
    offset += length
    switch kind {
    case .leftParen, .leftBracket, .leftBrace:
      if brackets.count >= limits.maximumBrackets {
        throw error("too many nested parentheses", at: start)
      }
      brackets.append((kind, here))
    case .rightParen, .rightBracket, .rightBrace:
      guard let (open, opened) = brackets.last else {
        if isField { break }
        throw error("unmatched '\(kind.rawValue)'", at: start)
      }
      let matches =
        (open == .leftParen && kind == .rightParen)
        || (open == .leftBracket && kind == .rightBracket)
        || (open == .leftBrace && kind == .rightBrace)
      guard matches else {
        let suffix = opened.line == line ? "" : " on line \(opened.line)"
        throw error(
          "closing parenthesis '\(kind.rawValue)' does not match opening parenthesis "
            + "'\(open.rawValue)'\(suffix)", at: start)
      }
      brackets.removeLast()
    default:
      break
    }
    return Token(
      kind: .punct(kind), start: start, end: offset,
      range: SourceRange(start: here, end: location))
  }

  // MARK: - IPython escapes

  /// At the start of a logical line: `%magic`, `%%cell magic` (first line only), `!shell`,
  /// `!!shell`, `?name`, `name?`; or `x = !cmd` / `x = %magic` right after an `=`.
  private mutating func readLineMagic() throws(SyntaxError) -> Token? {
    guard !isField, brackets.isEmpty, offset < limit else { return nil }
    let start = offset
    let startLine = line
    let startLineStart = lineStart
    let first = bytes[offset]
    let lineEnd = endOfLine(from: offset)
    if first == 0x25 || first == 0x21 || first == 0x3F {
      if first == 0x25 && peek(1) == 0x25 && isFirstLogicalLine && start == lineStart {
        // A cell magic: the rest of the cell is its body.
        let header = text(start + 2, lineEnd).trimmingTrailingWhitespace()
        let (name, arguments) = header.splitFirstSpace()
        var bodyStart = lineEnd
        if bodyStart < limit { bodyStart += 1 }
        var body = text(bodyStart, limit)
        if !body.isEmpty && !body.hasSuffix("\n") { body += "\n" }
        offset = lineEnd
        let magic = MagicToken(kind: .cell, name: name, arguments: arguments, body: body)
        let result = token(magicKind(magic), from: start, line: startLine, lineStart: lineStart)
        // The body is consumed: skip to the end.
        while offset < limit {
          if bytes[offset] == 0x0A {
            line += 1
            lineStart = offset + 1
          }
          offset += 1
        }
        offset = limit
        return result
      }
      let (content, end) = continuedLine(from: start)
      offset = end
      let magic: MagicToken
      if content.hasPrefix("!!") {
        magic = MagicToken(
          kind: .getoutput, name: "", arguments: String(content.dropFirst(2)), body: "")
      } else if content.hasPrefix("!") {
        magic = MagicToken(
          kind: .system, name: "", arguments: String(content.dropFirst()), body: "")
      } else if content.hasPrefix("??") {
        magic = help(String(content.dropFirst(2)), double: true)
      } else if content.hasPrefix("?") {
        magic = help(String(content.dropFirst()), double: false)
      } else {
        let (name, arguments) = String(content.dropFirst()).splitFirstSpace()
        magic = MagicToken(kind: .line, name: name, arguments: arguments, body: "")
      }
      return token(magicKind(magic), from: start, line: startLine, lineStart: startLineStart)
    }
    // `name?` / `name??` on a line of its own.
    var end = lineEnd
    while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
    if end > start && bytes[end - 1] == 0x3F {
      var marks = 1
      if end - 2 >= start && bytes[end - 2] == 0x3F { marks = 2 }
      let target = text(start, end - marks)
      if Lexer.isHelpTarget(target) {
        offset = lineEnd
        return token(
          magicKind(help(target, double: marks == 2)), from: start, line: startLine,
          lineStart: lineStart)
      }
    }
    return nil
  }

  /// IPython's help-end targets: `%%`-prefixed or not, a name not starting with a digit, then
  /// `.name` or `[digits]` parts (`np.dot`, `a[0].shape`, `%timeit`, `np.*load*`).
  static func isHelpTarget(_ target: String) -> Bool {
    var rest = Substring(target)
    while rest.hasPrefix("%") && target.count - rest.count < 2 { rest = rest.dropFirst() }
    func name(_ text: inout Substring) -> Bool {
      guard let first = text.first, first.isLetter || first == "_" || first == "*" else {
        return false
      }
      text = text.drop(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "*" })
      return true
    }
    guard name(&rest) else { return false }
    while let first = rest.first {
      if first == "." {
        rest = rest.dropFirst()
        guard name(&rest) else { return false }
      } else if first == "[" {
        rest = rest.dropFirst()
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, rest.dropFirst(digits.count).first == "]" else { return false }
        rest = rest.dropFirst(digits.count + 1)
      } else {
        return false
      }
    }
    return true
  }

  private func help(_ target: String, double: Bool) -> MagicToken {
    let method = double ? "pinfo2" : (target.contains("*") ? "psearch" : "pinfo")
    return MagicToken(kind: .line, name: method, arguments: target, body: "")
  }

  /// After `=` at the top level: `!cmd` or `%magic args` to the end of the line.
  mutating func assignedMagic() -> Token? {
    guard !isField, brackets.isEmpty else { return nil }
    var position = offset
    while position < limit && (bytes[position] == 0x20 || bytes[position] == 0x09) {
      position += 1
    }
    guard position < limit else { return nil }
    let first = bytes[position]
    let second = position + 1 < limit ? bytes[position + 1] : 0
    guard (first == 0x21 && second != 0x3D) || (first == 0x25 && isIdentifierStart(second))
    else { return nil }
    let start = position
    let startLine = line
    let startLineStart = lineStart
    let (content, end) = continuedLine(from: start)
    offset = end
    let magic: MagicToken
    if first == 0x21 {
      let command = content.hasPrefix("!!") ? content.dropFirst(2) : content.dropFirst()
      magic = MagicToken(kind: .getoutput, name: "", arguments: String(command), body: "")
    } else {
      let (name, arguments) = String(content.dropFirst()).splitFirstSpace()
      magic = MagicToken(kind: .line, name: name, arguments: arguments, body: "")
    }
    let result = token(magicKind(magic), from: start, line: startLine, lineStart: startLineStart)
    previous = result.kind
    return result
  }

  /// The line from `start`, joined over backslash continuations as IPython joins them, and
  /// the offset of the newline that ends it.
  private mutating func continuedLine(from start: Int) -> (String, Int) {
    var parts: [String] = []
    var position = start
    while true {
      let end = endOfLine(from: position)
      let part = text(position, end).trimmingTrailingWhitespace()
      if part.hasSuffix("\\") && end < limit {
        parts.append(String(part.dropLast()).trimmingTrailingWhitespace())
        position = end + 1
        line += 1
        lineStart = position
        continue
      }
      parts.append(part)
      return (parts.joined(separator: " "), end)
    }
  }

  private func endOfLine(from position: Int) -> Int {
    var end = position
    while end < limit && bytes[end] != 0x0A { end += 1 }
    return end
  }

  func text(_ start: Int, _ end: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<max(start, end)]), as: UTF8.self)
  }
}

extension String {
  func trimmingTrailingWhitespace() -> String {
    var result = Substring(self)
    while let last = result.last, last == " " || last == "\t" || last == "\r" || last == "\u{0C}" {
      result = result.dropLast()
    }
    return String(result)
  }

  /// IPython's `str.partition(' ')`.
  func splitFirstSpace() -> (String, String) {
    guard let space = firstIndex(of: " ") else { return (self, "") }
    return (String(self[..<space]), String(self[index(after: space)...]))
  }
}
