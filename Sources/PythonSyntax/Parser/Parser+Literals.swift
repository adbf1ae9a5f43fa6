import Foundation

extension Parser {
  // MARK: - Identifiers

  /// CPython reads identifiers in NFKC (`ﬁle` is `file`); ASCII is already normal.
  func normalizedIdentifier(_ identifier: String) -> String {
    guard identifier.utf8.contains(where: { $0 >= 0x80 }) else { return identifier }
    return identifier.precomposedStringWithCompatibilityMapping
  }

  // MARK: - Numbers

  func numberValue(_ token: Token) throws(SyntaxError) -> Constant {
    var digits = [UInt8]()
    digits.reserveCapacity(token.end - token.start)
    for index in token.start..<token.end where bytes[index] != 0x5F { digits.append(bytes[index]) }
    let text = String(decoding: digits, as: UTF8.self)
    if let last = digits.last, last | 0x20 == 0x6A {
      return .imaginary(Double(String(text.dropLast())) ?? .infinity)
    }
    if digits.count > 1 && digits[0] == 0x30 && [0x78, 0x6F, 0x62].contains(digits[1] | 0x20) {
      let radix = digits[1] | 0x20 == 0x78 ? 16 : (digits[1] | 0x20 == 0x6F ? 8 : 2)
      return Parser.integer(digits: Array(digits[2...]), radix: radix)
    }
    if digits.contains(where: { $0 == 0x2E || $0 | 0x20 == 0x65 }) {
      return .float(Double(text) ?? .infinity)
    }
    return Parser.integer(digits: digits, radix: 10)
  }

  /// An integer literal's value: `.int` within 64 bits, else its decimal digits.
  static func integer(digits: [UInt8], radix: Int) -> Constant {
    var value: UInt64 = 0
    var overflow = false
    for byte in digits {
      let digit = UInt64(hexValue(byte))
      let (product, o1) = value.multipliedReportingOverflow(by: UInt64(radix))
      let (sum, o2) = product.addingReportingOverflow(digit)
      if o1 || o2 {
        overflow = true
        break
      }
      value = sum
    }
    if !overflow && value <= UInt64(Int64.max) { return .int(Int64(value)) }
    // Beyond 64 bits: schoolbook conversion into base 10^9 limbs.
    var limbs: [UInt32] = [0]  // little-endian, base 1e9
    for byte in digits {
      var carry = UInt64(hexValue(byte))
      for index in limbs.indices {
        let total = UInt64(limbs[index]) * UInt64(radix) + carry
        limbs[index] = UInt32(total % 1_000_000_000)
        carry = total / 1_000_000_000
      }
      while carry > 0 {
        limbs.append(UInt32(carry % 1_000_000_000))
        carry /= 1_000_000_000
      }
    }
    var text = String(limbs[limbs.count - 1])
    for limb in limbs.dropLast().reversed() {
      let part = String(limb)
      text += String(repeating: "0", count: 9 - part.count) + part
    }
    return .bigInt(text)
  }

  static func hexValue(_ byte: UInt8) -> Int {
    switch byte {
    case 0x30...0x39: Int(byte - 0x30)
    case 0x61...0x66: Int(byte - 0x61 + 10)
    case 0x41...0x46: Int(byte - 0x41 + 10)
    default: 0
    }
  }

  // MARK: - Strings

  /// Adjacent string literals, concatenated: a `Constant` (str or bytes), or a `JoinedStr`
  /// when any is an f-string.
  mutating func parseStrings() throws(SyntaxError) -> Expression {
    let start = token.range.start
    var builder = FStringBuilder()
    var bytesValue: [UInt8] = []
    var sawBytes = false
    var sawText = false
    var sawFormatted = false
    var firstIsUnicode = false
    var first = true
    while token.kind == .string || token.kind == .fstring {
      let current = token
      let (prefix, bodyStart, bodyEnd) = stringParts(current)
      if first { firstIsUnicode = prefix.isUnicode && bytes[current.start] == 0x75 }
      if prefix.isBytes {
        sawBytes = true
      } else {
        sawText = true
      }
      if sawBytes && sawText {
        throw error("cannot mix bytes and nonbytes literals", at: start)
      }
      if prefix.isFormatted {
        sawFormatted = true
        try advance()
        try parseFStringBody(
          from: bodyStart, to: bodyEnd, raw: prefix.isRaw, token: current, into: &builder)
      } else if prefix.isBytes {
        bytesValue += try decodeBytes(bodyStart, bodyEnd, raw: prefix.isRaw, token: current)
        try advance()
      } else {
        if builder.literalStart == nil { builder.literalStart = current.range.start }
        builder.literal += try decodeString(
          bodyStart, bodyEnd, raw: prefix.isRaw, token: current)
        try advance()
      }
      first = false
    }
    if sawBytes { return try expression(.constant(.bytes(bytesValue)), from: start) }
    if !sawFormatted {
      return try expression(
        .constant(.string(builder.literal, isUnicodePrefixed: firstIsUnicode)), from: start)
    }
    builder.flush(end: previousEnd)
    nodes += builder.pieces.count
    return try expression(.joinedStr(builder.pieces), from: start)
  }

  /// A string token's prefix and the byte range of its body.
  func stringParts(_ token: Token) -> (StringPrefix, Int, Int) {
    var quoteAt = token.start
    while bytes[quoteAt] != 0x22 && bytes[quoteAt] != 0x27 { quoteAt += 1 }
    let prefix = StringPrefix(bytes, token.start, quoteAt) ?? StringPrefix()
    let quote = bytes[quoteAt]
    let triple =
      token.end - quoteAt >= 6 && bytes[quoteAt + 1] == quote && bytes[quoteAt + 2] == quote
    let quoteLength = triple ? 3 : 1
    return (prefix, quoteAt + quoteLength, token.end - quoteLength)
  }

  /// The line and line start of byte `position` inside `token` (which may span lines).
  func place(of position: Int, in token: Token) -> (line: Int, lineStart: Int) {
    var line = token.range.start.line
    var lineStart = token.start - token.range.start.column
    var index = token.start
    while index < position {
      if bytes[index] == 0x0A {
        line += 1
        lineStart = index + 1
      }
      index += 1
    }
    return (line, lineStart)
  }

  func stringError(_ message: String, at position: Int, in token: Token) -> SyntaxError {
    let (line, lineStart) = place(of: position, in: token)
    return SyntaxError(
      .syntax, message, at: SourceLocation(line: line, column: position - lineStart),
      lineText: lexer.lineText(containing: position))
  }

  /// Decodes the body of a str literal, escapes and all (raw: as written).
  func decodeString(_ start: Int, _ end: Int, raw: Bool, token: Token) throws(SyntaxError)
    -> String
  {
    if raw {
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
    var scalars = String.UnicodeScalarView()
    var index = start
    // Copy runs of plain bytes at once.
    var runStart = start
    func flushRun(_ upTo: Int) {
      if upTo > runStart {
        scalars.append(
          contentsOf: String(
            decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<upTo]), as: UTF8.self
          ).unicodeScalars)
      }
    }
    while index < end {
      let byte = bytes[index]
      guard byte == 0x5C else {
        index += 1
        continue
      }
      flushRun(index)
      let (decoded, next) = try decodeEscape(at: index, end: end, bytes: false, token: token)
      if let decoded { scalars.append(decoded) }
      index = next
      runStart = index
    }
    flushRun(end)
    return String(scalars)
  }

  func decodeBytes(_ start: Int, _ end: Int, raw: Bool, token: Token) throws(SyntaxError)
    -> [UInt8]
  {
    var result: [UInt8] = []
    var index = start
    while index < end {
      let byte = bytes[index]
      if byte >= 0x80 {
        throw stringError(
          "bytes can only contain ASCII literal characters", at: token.start, in: token)
      }
      guard byte == 0x5C, !raw else {
        result.append(byte)
        index += 1
        continue
      }
      let (decoded, next) = try decodeEscape(at: index, end: end, bytes: true, token: token)
      if let decoded { result.append(UInt8(truncatingIfNeeded: decoded.value)) }
      index = next
    }
    return result
  }

  /// One backslash escape at `index`: the scalar it stands for (nil for a line continuation)
  /// and where the next character starts. Unknown escapes keep their backslash.
  func decodeEscape(at index: Int, end: Int, bytes isBytes: Bool, token: Token)
    throws(SyntaxError) -> (Unicode.Scalar?, Int)
  {
    guard index + 1 < end else { return ("\\", index + 1) }
    // Positions in CPython's unicode-error messages count from the string's first character.
    let base = stringParts(token).1
    let next = bytes[index + 1]
    func hex(_ count: Int, _ letter: String) throws(SyntaxError) -> (Unicode.Scalar?, Int) {
      var value: UInt32 = 0
      var position = index + 2
      for _ in 0..<count {
        guard position < end, Parser.isHexDigit(bytes[position]) else {
          let name = isBytes ? "bytes" : "unicode"
          throw stringError(
            "(\(name) error) '\(isBytes ? "" : "unicode")escape' codec can't decode bytes in "
              + "position \(index - base)-\(position - base - 1): truncated "
              + "\\\(letter)\(String(repeating: "X", count: count)) escape",
            at: token.start, in: token)
        }
        value = value * 16 + UInt32(Parser.hexValue(bytes[position]))
        position += 1
      }
      guard let scalar = Unicode.Scalar(value) else {
        throw stringError(
          "retrace cannot represent the lone surrogate \\\(letter)"
            + String(value, radix: 16) + " in a string", at: token.start, in: token)
      }
      return (scalar, position)
    }
    switch next {
    case 0x0A: return (nil, index + 2)
    case 0x5C: return ("\\", index + 2)
    case 0x27: return ("'", index + 2)
    case 0x22: return ("\"", index + 2)
    case 0x61: return ("\u{07}", index + 2)
    case 0x62: return ("\u{08}", index + 2)
    case 0x66: return ("\u{0C}", index + 2)
    case 0x6E: return ("\n", index + 2)
    case 0x72: return ("\r", index + 2)
    case 0x74: return ("\t", index + 2)
    case 0x76: return ("\u{0B}", index + 2)
    case 0x30...0x37:
      var value: UInt32 = 0
      var position = index + 1
      while position < end && position < index + 4 && bytes[position] >= 0x30
        && bytes[position] <= 0x37
      {
        value = value * 8 + UInt32(bytes[position] - 0x30)
        position += 1
      }
      return (Unicode.Scalar(value) ?? "\u{FFFD}", position)
    case 0x78: return try hex(2, "x")
    case 0x75 where !isBytes: return try hex(4, "u")
    case 0x55 where !isBytes: return try hex(8, "U")
    case 0x4E where !isBytes:
      // \N{NAME}
      guard index + 2 < end, bytes[index + 2] == 0x7B,
        let close = (index + 3..<end).first(where: { bytes[$0] == 0x7D })
      else {
        throw stringError(
          "(unicode error) 'unicodeescape' codec can't decode bytes in position "
            + "\(index - base)-\(index - base + 1): malformed \\N character escape",
          at: token.start, in: token)
      }
      let name = String(
        decoding: UnsafeBufferPointer(rebasing: bytes[(index + 3)..<close]), as: UTF8.self)
      guard let scalar = Parser.scalar(named: name) else {
        throw stringError(
          "(unicode error) 'unicodeescape' codec can't decode bytes in position "
            + "\(index - base)-\(close - base): unknown Unicode character name",
          at: token.start, in: token)
      }
      return (scalar, close + 1)
    default:
      return ("\\", index + 1)
    }
  }

  static func isHexDigit(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66)
  }

  /// The scalar with Unicode name (or alias) `name`, case-insensitively as CPython's `\N{}`.
  static func scalar(named name: String) -> Unicode.Scalar? {
    let wanted = name.uppercased()
    for value in UInt32(0x20)...UInt32(0x10FFFF) {
      guard let scalar = Unicode.Scalar(value) else { continue }
      if scalar.properties.name == wanted || scalar.properties.nameAlias == wanted {
        return scalar
      }
    }
    return nil
  }

  // MARK: - f-strings

  /// The body of one f-string: literal text and replacement fields, appended to `pieces`
  /// (adjacent literal text merges, as CPython merges it).
  mutating func parseFStringBody(
    from start: Int, to end: Int, raw: Bool, token: Token,
    into builder: inout FStringBuilder
  ) throws(SyntaxError) {
    var index = start
    var runStart = start
    func location(_ parser: Parser, _ position: Int) -> SourceLocation {
      let (line, lineStart) = parser.place(of: position, in: token)
      return SourceLocation(line: line, column: position - lineStart)
    }
    func appendRun(_ parser: Parser, _ upTo: Int, _ builder: inout FStringBuilder)
      throws(SyntaxError)
    {
      guard upTo > runStart else { return }
      if builder.literalStart == nil { builder.literalStart = location(parser, runStart) }
      builder.literal += try parser.decodeString(runStart, upTo, raw: raw, token: token)
    }
    while index < end {
      let byte = bytes[index]
      if byte == 0x5C && !raw {
        // Skip the escaped character (`\{` is not a field in a non-raw string either), and
        // a whole `\N{NAME}`.
        if index + 2 < end && bytes[index + 1] == 0x4E && bytes[index + 2] == 0x7B {
          var close = index + 3
          while close < end && bytes[close] != 0x7D { close += 1 }
          index = min(end, close + 1)
          continue
        }
        index += (index + 1 < end && bytes[index + 1] != 0x7B) ? 2 : 1
        continue
      }
      if byte == 0x7B {
        if index + 1 < end && bytes[index + 1] == 0x7B {
          try appendRun(self, index + 1, &builder)
          index += 2
          runStart = index
          continue
        }
        try appendRun(self, index, &builder)
        let (field, next, debugText) = try parseField(
          at: index, end: end, raw: raw, token: token)
        if let debugText {
          if builder.literalStart == nil { builder.literalStart = location(self, index) }
          builder.literal += debugText
        }
        builder.flush(end: location(self, index))
        builder.pieces.append(field)
        index = next
        runStart = index
        continue
      }
      if byte == 0x7D {
        if index + 1 < end && bytes[index + 1] == 0x7D {
          try appendRun(self, index + 1, &builder)
          index += 2
          runStart = index
          continue
        }
        throw stringError("f-string: single '}' is not allowed", at: index, in: token)
      }
      index += 1
    }
    try appendRun(self, end, &builder)
  }

  /// One replacement field `{expr=!c:spec}` starting at `index` (its `{`): the
  /// FormattedValue, the index after its `}`, and the debug text of `{expr=}`.
  mutating func parseField(
    at index: Int, end: Int, raw: Bool, token: Token
  ) throws(SyntaxError) -> (Expression, Int, String?) {
    try enter()
    defer { leave() }
    let open = index
    let expressionStart = index + 1
    let expressionEnd = try scanFieldExpression(from: expressionStart, end: end, token: token)
    let (line, lineStart) = place(of: expressionStart, in: token)
    // Whitespace-only or empty: CPython's message names what comes next.
    let inner = UnsafeBufferPointer(rebasing: bytes[expressionStart..<expressionEnd])
    if inner.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }) {
      let next = expressionEnd < end ? bytes[expressionEnd] : 0
      let what = next == 0x21 ? "'!'" : (next == 0x3A ? "':'" : (next == 0x3D ? "'='" : "'}'"))
      if expressionEnd >= end {
        throw stringError("f-string: expecting '}'", at: expressionEnd, in: token)
      }
      throw stringError(
        "f-string: valid expression required before \(what)", at: expressionEnd, in: token)
    }
    var fieldParser = try Parser(
      field: bytes, start: expressionStart, end: expressionEnd, line: line,
      lineStart: lineStart, limits: limits, depth: depth)
    fieldParser.stackBase = stackBase
    fieldParser.stackBudget = stackBudget
    defer {
      deepest = max(deepest, fieldParser.deepest)
      stackLow = min(stackLow, fieldParser.stackLow)
    }
    let value: Expression
    if fieldParser.at(.yield) {
      value = try fieldParser.parseYield()
    } else {
      value = try fieldParser.parseStarExpressions()
    }
    guard fieldParser.token.kind == .endOfFile else {
      if fieldParser.startsOperand() {
        throw fieldParser.error(
          "invalid syntax. Perhaps you forgot a comma?", at: value.range.start)
      }
      throw fieldParser.invalidSyntax()
    }
    nodes += fieldParser.nodes
    var position = expressionEnd
    var debugText: String?
    var conversion = -1
    if position < end && bytes[position] == 0x3D {
      position += 1
      while position < end && (bytes[position] == 0x20 || bytes[position] == 0x09) {
        position += 1
      }
      debugText = String(
        decoding: UnsafeBufferPointer(rebasing: bytes[expressionStart..<position]),
        as: UTF8.self)
    }
    if position < end && bytes[position] == 0x21 {
      position += 1
      guard position < end, bytes[position] != 0x7D, bytes[position] != 0x3A else {
        throw stringError("f-string: missing conversion character", at: position, in: token)
      }
      let character = bytes[position]
      guard character == 0x73 || character == 0x72 || character == 0x61 else {
        var nameEnd = position
        while nameEnd < end && bytes[nameEnd] != 0x7D && bytes[nameEnd] != 0x3A { nameEnd += 1 }
        let shown = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[position..<nameEnd]), as: UTF8.self)
        throw stringError(
          "f-string: invalid conversion character '\(shown)': expected 's', 'r', or 'a'",
          at: position, in: token)
      }
      conversion = Int(character)
      position += 1
      while position < end && (bytes[position] == 0x20 || bytes[position] == 0x09) {
        position += 1
      }
    }
    var formatSpec: Expression?
    if position < end && bytes[position] == 0x3A {
      let specStart = position
      if specNesting >= 2 {
        throw stringError("f-string: expressions nested too deeply", at: position, in: token)
      }
      specNesting += 1
      defer { specNesting -= 1 }
      position += 1
      var spec = FStringBuilder()
      var specEnd = position
      // The spec runs to the field's closing brace; nested fields inside it.
      var scan = position
      var nesting = 0
      while scan < end {
        let byte = bytes[scan]
        if byte == 0x5C && !raw {
          scan += 2
          continue
        }
        if byte == 0x7B {
          nesting += 1
        } else if byte == 0x7D {
          if nesting == 0 { break }
          nesting -= 1
        } else if byte == 0x22 || byte == 0x27, nesting > 0 {
          // A string inside a nested field: skip it whole.
          var skipper = Lexer(
            bytes: bytes, start: scan, end: end, line: 1, lineStart: 0, isField: true,
            limits: limits)
          if (try? skipper.skipString(prefix: StringPrefix(), prefixStart: scan)) != nil {
            scan = skipper.offset
            continue
          }
        }
        scan += 1
      }
      specEnd = scan
      let specLocation = place(of: specStart, in: token)
      try parseFStringBody(
        from: position, to: specEnd, raw: raw, token: token,
        into: &spec)
      let specEndLocation = place(of: specEnd, in: token)
      spec.flush(
        end: SourceLocation(
          line: specEndLocation.line, column: specEnd - specEndLocation.lineStart))
      nodes += spec.pieces.count
      let endPlace = place(of: specEnd, in: token)
      try count()
      formatSpec = Expression(
        .joinedStr(spec.pieces),
        SourceRange(
          start: SourceLocation(
            line: specLocation.line, column: specStart - specLocation.lineStart),
          end: SourceLocation(line: endPlace.line, column: specEnd - endPlace.lineStart)))
      position = specEnd
    }
    guard position < end, bytes[position] == 0x7D else {
      if position < end {
        let message =
          debugText != nil && conversion == -1
          ? "f-string: expecting '!', or ':', or '}'" : "f-string: expecting '}'"
        throw stringError(message, at: position, in: token)
      }
      throw stringError("f-string: expecting '}'", at: min(position, end), in: token)
    }
    position += 1
    if debugText != nil && conversion == -1 && formatSpec == nil { conversion = 0x72 }
    let startPlace = place(of: open, in: token)
    let endPlace = place(of: position, in: token)
    try count()
    let field = Expression(
      .formattedValue(value, conversion: conversion, formatSpec: formatSpec),
      SourceRange(
        start: SourceLocation(line: startPlace.line, column: open - startPlace.lineStart),
        end: SourceLocation(line: endPlace.line, column: position - endPlace.lineStart)))
    return (field, position, debugText)
  }

  /// The end of a replacement field's expression: the first `=` (debug, not `==`, `!=`, `<=`,
  /// `>=`), `!` (not `!=`), `:` or `}` outside brackets and strings.
  func scanFieldExpression(from start: Int, end: Int, token: Token) throws(SyntaxError) -> Int {
    var index = start
    var depth = 0
    while index < end {
      let byte = bytes[index]
      switch byte {
      case 0x22, 0x27:
        var prefixStart = index
        while prefixStart > start, (bytes[prefixStart - 1] | 0x20) >= 0x61,
          (bytes[prefixStart - 1] | 0x20) <= 0x7A
        {
          prefixStart -= 1
        }
        let prefix = StringPrefix(bytes, prefixStart, index) ?? StringPrefix()
        var skipper = Lexer(
          bytes: bytes, start: index, end: end, line: 1, lineStart: 0, isField: true,
          limits: limits)
        do {
          try skipper.skipString(prefix: prefix, prefixStart: index)
        } catch {
          return end
        }
        index = skipper.offset
        continue
      case 0x28, 0x5B, 0x7B:
        depth += 1
      case 0x29, 0x5D:
        depth -= 1
      case 0x7D:
        if depth == 0 { return index }
        depth -= 1
      case 0x3D where depth == 0:
        let next = index + 1 < end ? bytes[index + 1] : 0
        let before = index > start ? bytes[index - 1] : 0
        if next == 0x3D {
          index += 2
          continue
        }
        if before == 0x21 || before == 0x3C || before == 0x3E || before == 0x3D {
          break
        }
        return index
      case 0x21 where depth == 0:
        if index + 1 < end && bytes[index + 1] == 0x3D {
          index += 2
          continue
        }
        return index
      case 0x3A where depth == 0:
        if index + 1 < end && bytes[index + 1] == 0x3D {
          // `:=` at the top level is a format spec starting with '=' in CPython too.
          return index
        }
        return index
      case 0x23:
        while index < end && bytes[index] != 0x0A { index += 1 }
        continue
      default:
        break
      }
      index += 1
    }
    return end
  }
}

/// The pieces of an f-string being read: finished pieces and the literal text since the last
/// replacement field (adjacent literal text, also across concatenated strings, is one piece).
struct FStringBuilder {
  var pieces: [Expression] = []
  var literal = ""
  var literalStart: SourceLocation?

  /// Ends the literal text so far as one `Constant` piece.
  mutating func flush(end: SourceLocation) {
    if !literal.isEmpty, let start = literalStart {
      pieces.append(
        Expression(
          .constant(.string(literal, isUnicodePrefixed: false)),
          SourceRange(start: start, end: end)))
    }
    literal = ""
    literalStart = nil
  }
}
