/// A string literal's prefix: `r`, `b`, `u`, `f` and their valid pairs, in any case.
struct StringPrefix: Equatable, Sendable {
  var isRaw = false
  var isBytes = false
  var isFormatted = false
  var isUnicode = false

  /// No prefix.
  init() {}

  /// The prefix spelled by `bytes[start..<end]`, or nil when it is not one.
  init?(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
    guard end - start <= 2 else { return nil }
    for index in start..<end {
      switch bytes[index] | 0x20 {
      case 0x72:  // r
        if isRaw { return nil }
        isRaw = true
      case 0x62:  // b
        if isBytes { return nil }
        isBytes = true
      case 0x66:  // f
        if isFormatted { return nil }
        isFormatted = true
      case 0x75:  // u
        if isUnicode { return nil }
        isUnicode = true
      default:
        return nil
      }
    }
    if isUnicode && end - start > 1 { return nil }
    if isBytes && isFormatted { return nil }
  }
}

extension Lexer {
  // MARK: - Strings

  /// Reads a string or f-string literal whose prefix starts at `prefixStart` and whose
  /// opening quote is at `quoteAt`.
  mutating func readString(prefixStart: Int, quoteAt: Int) throws(SyntaxError) -> Token {
    let prefix = StringPrefix(bytes, prefixStart, quoteAt) ?? StringPrefix()
    let start = SourceLocation(line: line, column: prefixStart - lineStart)
    offset = quoteAt
    try skipString(prefix: prefix, prefixStart: prefixStart)
    return Token(
      kind: prefix.isFormatted ? .fstring : .string, start: prefixStart, end: offset,
      range: SourceRange(start: start, end: location))
  }

  /// Moves past the string literal whose opening quote is at `offset`.
  mutating func skipString(prefix: StringPrefix, prefixStart: Int) throws(SyntaxError) {
    let quote = bytes[offset]
    if prefix.isFormatted {
      fstringNesting += 1
      if fstringNesting >= 150 {
        throw error("too many nested f-strings", at: offset)
      }
    }
    defer { if prefix.isFormatted { fstringNesting -= 1 } }
    let startLine = line
    let startLineStart = lineStart
    let triple = offset + 2 < limit && bytes[offset + 1] == quote && bytes[offset + 2] == quote
    offset += triple ? 3 : 1
    let what =
      prefix.isFormatted
      ? "f-string literal" : (triple ? "triple-quoted string literal" : "string literal")
    let unterminatedWhat =
      prefix.isFormatted && triple ? "triple-quoted f-string literal" : what
    func unterminated(_ lexer: Lexer) -> SyntaxError {
      // CPython counts the line the end of input is on, not the empty line after a last
      // newline.
      let atEnd =
        lexer.offset >= lexer.limit && lexer.offset > 0
        && lexer.bytes[lexer.offset - 1] == 0x0A
      let detected = atEnd ? lexer.line - 1 : lexer.line
      return lexer.error(
        "unterminated \(unterminatedWhat) (detected at line \(detected))", at: prefixStart,
        line: startLine, lineStart: startLineStart)
    }
    while true {
      guard offset < limit else { throw unterminated(self) }
      let byte = bytes[offset]
      if byte == quote {
        if !triple {
          offset += 1
          return
        }
        if offset + 2 < limit && bytes[offset + 1] == quote && bytes[offset + 2] == quote {
          offset += 3
          return
        }
        offset += 1
        continue
      }
      switch byte {
      case 0x5C:  // backslash: the next byte is never the end
        offset += 1
        if offset < limit && bytes[offset] == 0x0A {
          line += 1
          lineStart = offset + 1
        }
        if offset < limit { offset += 1 }
      case 0x0A:
        if !triple {
          throw unterminated(self)
        }
        offset += 1
        line += 1
        lineStart = offset
      case 0x00:
        throw error("source code string cannot contain null bytes", at: offset)
      case 0x7B where prefix.isFormatted:  // '{'
        if offset + 1 < limit && bytes[offset + 1] == 0x7B {
          offset += 2
        } else {
          offset += 1
          try skipField(quote: quote, triple: triple, unterminated: unterminated)
        }
      default:
        offset += 1
      }
    }
  }

  /// Moves past one replacement field of an f-string (its `{` already read), through nested
  /// brackets, strings and fields of its format spec, to just past its `}`; stops without
  /// reading when the enclosing string ends first (the parser reports it).
  mutating func skipField(
    quote: UInt8, triple: Bool, level: Int = 1, unterminated: (Lexer) -> SyntaxError
  ) throws(SyntaxError) {
    if level > limits.maximumBrackets {
      throw error("too many nested parentheses", at: offset - 1)
    }
    // The field's `{` and the brackets open inside it: at the end of the input the innermost
    // is "never closed", as CPython 3.12's tokenizer reports it.
    var opened: [(byte: UInt8, offset: Int, line: Int, lineStart: Int)] = [
      (0x7B, offset - 1, line, lineStart)
    ]
    var inSpec = false
    while offset < limit {
      let byte = bytes[offset]
      if inSpec {
        switch byte {
        case 0x7B:
          offset += 1
          try skipField(
            quote: quote, triple: triple, level: level + 1, unterminated: unterminated)
        case 0x7D:
          offset += 1
          return
        case 0x0A:
          if !triple { return }
          offset += 1
          line += 1
          lineStart = offset
        case 0x5C:
          offset += 1
          if offset < limit && bytes[offset] != 0x0A { offset += 1 }
        default:
          if byte == quote {
            // The string ends inside the format spec: the parser says what is missing.
            return
          }
          offset += 1
        }
        continue
      }
      switch byte {
      case 0x22, 0x27:
        if byte == quote && !triple && opened.count == 1 {
          // With PEP 701 the same quote may open a nested string: only when a field cannot
          // be complete without one. A quote right where an expression or '}' is expected
          // ends the outer string (the parser then reports the unclosed field).
          if !nestedStringFollows(quote: quote) { return }
        }
        if triple && byte == quote && offset + 2 < limit && bytes[offset + 1] == quote
          && bytes[offset + 2] == quote
        {
          return
        }
        try skipString(prefix: StringPrefix(), prefixStart: offset)
      case 0x28, 0x5B, 0x7B:
        if opened.count > limits.maximumBrackets {
          throw error("too many nested parentheses", at: offset)
        }
        opened.append((byte, offset, line, lineStart))
        offset += 1
      case 0x29, 0x5D:
        if opened.count > 1 { opened.removeLast() }
        offset += 1
      case 0x7D:
        offset += 1
        if opened.count == 1 { return }
        opened.removeLast()
      case 0x3A where opened.count == 1:
        offset += 1
        inSpec = true
      case 0x0A:
        // A field may span lines (PEP 701), in single-quoted f-strings too.
        offset += 1
        line += 1
        lineStart = offset
      case 0x23 where triple:
        while offset < limit && bytes[offset] != 0x0A { offset += 1 }
      default:
        if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A {
          // A name, or the prefix of a nested string.
          let nameStart = offset
          while offset < limit,
            (bytes[offset] | 0x20) >= 0x61 && (bytes[offset] | 0x20) <= 0x7A
              || bytes[offset] == 0x5F || (bytes[offset] >= 0x30 && bytes[offset] <= 0x39)
          {
            offset += 1
          }
          if offset < limit, bytes[offset] == 0x22 || bytes[offset] == 0x27,
            let prefix = StringPrefix(bytes, nameStart, offset)
          {
            if bytes[offset] == quote && !triple && !nestedStringFollows(quote: quote) {
              return
            }
            try skipString(prefix: prefix, prefixStart: nameStart)
          }
        } else {
          offset += 1
        }
      }
    }
    if offset >= limit, let innermost = opened.last, !isField {
      throw error(
        "'\(Character(Unicode.Scalar(innermost.byte)))' was never closed", at: innermost.offset,
        line: innermost.line, lineStart: innermost.lineStart)
    }
  }

  /// Whether the quote at `offset` (the enclosing f-string's own quote, inside a field)
  /// starts a nested string: there is another such quote later on the line, followed
  /// somewhere by the field's `}`.
  private func nestedStringFollows(quote: UInt8) -> Bool {
    var position = offset + 1
    while position < limit && bytes[position] != 0x0A {
      if bytes[position] == quote { return true }
      position += 1
    }
    return false
  }

  // MARK: - Numbers

  /// Reads a number: decimal, hexadecimal, octal or binary integers, floats and imaginary
  /// literals, with single underscores between digits; the parser computes its value.
  mutating func readNumber() throws(SyntaxError) -> Token {
    let start = offset
    let startLocation = location
    func digit(_ byte: UInt8, radix: Int) -> Bool {
      switch radix {
      case 2: return byte == 0x30 || byte == 0x31
      case 8: return byte >= 0x30 && byte <= 0x37
      case 16:
        return (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66)
      default: return byte >= 0x30 && byte <= 0x39
      }
    }
    // Digits with single underscores between them; false when an underscore is not followed
    // by a digit.
    func digits(_ lexer: inout Lexer, radix: Int) -> Bool {
      while lexer.offset < lexer.limit {
        let byte = lexer.bytes[lexer.offset]
        if digit(byte, radix: radix) {
          lexer.offset += 1
        } else if byte == 0x5F {
          guard lexer.offset + 1 < lexer.limit, digit(lexer.bytes[lexer.offset + 1], radix: radix)
          else { return false }
          lexer.offset += 1
        } else {
          break
        }
      }
      return true
    }
    let first = bytes[offset]
    let second = peek(1) | 0x20
    if first == 0x30 && (second == 0x78 || second == 0x6F || second == 0x62) {
      let radix = second == 0x78 ? 16 : (second == 0x6F ? 8 : 2)
      let name = radix == 16 ? "hexadecimal" : (radix == 8 ? "octal" : "binary")
      offset += 2
      if peek() == 0x5F { offset += 1 }
      guard offset < limit, digit(bytes[offset], radix: radix) else {
        if offset < limit, radix < 10, bytes[offset] >= 0x30 && bytes[offset] <= 0x39 {
          throw error(
            "invalid digit '\(Character(Unicode.Scalar(bytes[offset])))' in \(name) literal",
            at: offset)
        }
        throw error("invalid \(name) literal", at: offset - 1)
      }
      guard digits(&self, radix: radix) else {
        throw error("invalid \(name) literal", at: offset)
      }
      if offset < limit, radix < 10, bytes[offset] >= 0x30 && bytes[offset] <= 0x39 {
        throw error(
          "invalid digit '\(Character(Unicode.Scalar(bytes[offset])))' in \(name) literal",
          at: offset)
      }
      try checkEndOfNumber(name: name, start: start)
      return Token(
        kind: .number, start: start, end: offset,
        range: SourceRange(start: startLocation, end: location))
    }
    var isInteger = true
    if first != 0x2E {
      guard digits(&self, radix: 10) else { throw error("invalid decimal literal", at: offset) }
    }
    let integerEnd = offset
    if peek() == 0x2E {
      isInteger = false
      offset += 1
      if offset < limit && digit(bytes[offset], radix: 10) {
        guard digits(&self, radix: 10) else {
          throw error("invalid decimal literal", at: offset)
        }
      }
    }
    if peek() | 0x20 == 0x65 {
      // An exponent, or a name right after the number (`1else` is read as `1 else`).
      let save = offset
      offset += 1
      var signed = false
      if peek() == 0x2B || peek() == 0x2D {
        offset += 1
        signed = true
      }
      if offset < limit && digit(bytes[offset], radix: 10) {
        isInteger = false
        guard digits(&self, radix: 10) else {
          throw error("invalid decimal literal", at: offset)
        }
      } else if signed {
        throw error("invalid decimal literal", at: offset - 1)
      } else {
        offset = save
        if !followedByKeyword() { throw error("invalid decimal literal", at: save - 1) }
      }
    }
    if peek() | 0x20 == 0x6A {
      offset += 1
      isInteger = false
    }
    if isInteger && first == 0x30 {
      // Leading zeros: only 0, 00, 0_0 … are allowed.
      var position = start
      while position < integerEnd {
        if bytes[position] != 0x30 && bytes[position] != 0x5F {
          throw SyntaxError(
            .syntax,
            "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
              + "for octal integers", at: startLocation, lineText: lineText(containing: start))
        }
        position += 1
      }
    }
    try checkEndOfNumber(name: "decimal", start: start)
    return Token(
      kind: .number, start: start, end: offset,
      range: SourceRange(start: startLocation, end: location))
  }

  /// CPython's `verify_end_of_number`: a name character right after a number is an error,
  /// except where a keyword starts (`1if x else 2`).
  private mutating func checkEndOfNumber(name: String, start: Int) throws(SyntaxError) {
    guard offset < limit else { return }
    let byte = bytes[offset]
    let isNameByte =
      (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte == 0x5F || byte >= 0x80
      || (byte >= 0x30 && byte <= 0x39)
    guard isNameByte else { return }
    if followedByKeyword() { return }
    throw error("invalid \(name) literal", at: offset - 1)
  }

  private func followedByKeyword() -> Bool {
    for word in ["and", "else", "for", "if", "in", "is", "not", "or"] {
      let spelling = Array(word.utf8)
      guard offset + spelling.count <= limit else { continue }
      var same = true
      for (index, byte) in spelling.enumerated() where bytes[offset + index] != byte {
        same = false
        break
      }
      if same { return true }
    }
    return false
  }
}
