/// Reads Python source into a `Module`, as CPython 3.12's `ast.parse` does, with IPython's
/// escapes (magics, shell commands, help) kept as their own nodes.
public enum PythonParser {
  /// Parses one cell or script.
  ///
  /// - Throws: `SyntaxError` with CPython's type and message where CPython rejects the text,
  ///   `.unsupported` for Python retrace does not read (`async`, `match`, `type`, `except*`),
  ///   `.limit` beyond `limits`.
  public static func parse(_ source: String, limits: ParsingLimits = .standard)
    throws(SyntaxError) -> Module
  {
    var utf8 = ContiguousArray(source.utf8)
    if utf8.contains(0x0D) {
      // CPython reads CRLF and a lone CR as LF.
      var normalized = ContiguousArray<UInt8>()
      normalized.reserveCapacity(utf8.count)
      var index = 0
      while index < utf8.count {
        let byte = utf8[index]
        if byte == 0x0D {
          normalized.append(0x0A)
          if index + 1 < utf8.count && utf8[index + 1] == 0x0A { index += 1 }
        } else {
          normalized.append(byte)
        }
        index += 1
      }
      utf8 = normalized
    }
    let bytes = utf8
    let result = LargeStack.run { (budget: Int) -> Result<Module, SyntaxError> in
      bytes.withUnsafeBufferPointer { buffer in
        do throws(SyntaxError) {
          var parser = try Parser(bytes: buffer, limits: limits)
          parser.stackBase = LargeStack.currentAddress()
          parser.stackBudget = budget
          return .success(try parser.parseModuleCheckingRest())
        } catch {
          return .failure(error)
        }
      }
    }
    return try result.get()
  }

  /// The deepest nesting `source` reaches and the stack its parse used down to there, on a
  /// thread with the large stack (for `LargeStack`'s sizes; benchmarks and tests only).
  package static func stackUse(_ source: String, limits: ParsingLimits = .standard)
    -> (depth: Int, bytes: Int)
  {
    let utf8 = ContiguousArray(source.utf8)
    return LargeStack.run(inline: false) { (budget: Int) -> (depth: Int, bytes: Int) in
      utf8.withUnsafeBufferPointer { buffer in
        do throws(SyntaxError) {
          var parser = try Parser(bytes: buffer, limits: limits)
          let base = LargeStack.currentAddress()
          parser.stackBase = base
          parser.stackBudget = budget
          do {
            _ = try parser.parseModule()
          } catch {}
          return (parser.deepest, parser.stackLow == .max ? 0 : Int(base - parser.stackLow))
        } catch {
          return (0, 0)
        }
      }
    }
  }

  /// Parses bytes that should be UTF-8 (an invalid sequence is an error with its place).
  public static func parse(utf8 bytes: [UInt8], limits: ParsingLimits = .standard)
    throws(SyntaxError) -> Module
  {
    var line = 1
    var lineStart = 0
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        if scalar == "\n" {
          line += 1
          lineStart = offset + 1
        }
        offset += UTF8.width(scalar)
        continue
      case .emptyInput:
        break
      case .error:
        var end = offset
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        let text = String(decoding: bytes[lineStart..<end], as: UTF8.self)
        throw SyntaxError(
          .syntax, "invalid UTF-8: the byte at this place is not part of a character",
          at: SourceLocation(line: line, column: offset - lineStart), lineText: text)
      }
      break
    }
    return try parse(String(decoding: bytes, as: UTF8.self), limits: limits)
  }
}

/// The recursive-descent parser. Each rule consumes tokens through `advance()`; a node's range
/// runs from its first token's start to the end of the last token the rule consumed, which is
/// what CPython's PEG parser records (`EXTRA`).
struct Parser {
  var lexer: Lexer
  var token: Token
  var lookahead: [Token] = []
  /// The end of the last consumed token.
  var previousEnd: SourceLocation
  var depth = 0
  var nodes = 0
  /// Format specs inside format specs being read (CPython allows two).
  var specNesting = 0
  /// The deepest `depth` reached, and the lowest stack address seen there (for
  /// `PythonParser.stackUse`, which sizes `LargeStack.bytesPerLevel`).
  var deepest = 0
  var stackLow = UInt.max
  /// Where the parse started on the stack, and how far below it the parser may go: a limit
  /// error, never an overflow, whatever a level of nesting costs in this build.
  var stackBase: UInt = 0
  var stackBudget = Int.max
  let limits: ParsingLimits
  var bytes: UnsafeBufferPointer<UInt8> { lexer.bytes }

  init(bytes: UnsafeBufferPointer<UInt8>, limits: ParsingLimits) throws(SyntaxError) {
    var lexer = Lexer(bytes: bytes, limits: limits)
    self.token = try lexer.next()
    self.lexer = lexer
    self.limits = limits
    self.previousEnd = SourceLocation(line: 1, column: 0)
  }

  /// A parser of an f-string replacement field: `bytes[start..<end]`, on `line`.
  init(
    field bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, line: Int, lineStart: Int,
    limits: ParsingLimits, depth: Int
  ) throws(SyntaxError) {
    var lexer = Lexer(
      bytes: bytes, start: start, end: end, line: line, lineStart: lineStart, isField: true,
      limits: limits)
    self.token = try lexer.next()
    self.lexer = lexer
    self.limits = limits
    self.depth = depth
    self.previousEnd = SourceLocation(line: line, column: start - lineStart)
  }

  /// The module. On CPython's generic "invalid syntax" the rest of the source is tokenized and
  /// a tokenizer error found there (an unterminated string, a bracket opened on an earlier line
  /// and never closed) is reported instead, as CPython does
  /// (`_PyPegen_tokenize_full_source_to_check_for_errors`). "Perhaps you forgot a comma?" gives
  /// way only to a bracket still open where it was raised: CPython reads one token past the
  /// second expression, and that token is then the unclosed bracket's error.
  mutating func parseModuleCheckingRest() throws(SyntaxError) -> Module {
    do {
      return try parseModule()
    } catch {
      let generic = error.message == "invalid syntax"
      let comma = error.message == "invalid syntax. Perhaps you forgot a comma?"
      guard error.kind == .syntax, generic || comma else { throw error }
      while token.kind != .endOfFile {
        do {
          token = try lexer.next()
        } catch let later {
          if later.message.hasSuffix("was never closed") {
            // CPython reports the bracket when it was opened on an earlier line, or is the very
            // token the error is at; otherwise it keeps its error.
            if generic && later.location.line >= error.location.line
              && later.location != error.location
            {
              throw error
            }
            if comma && later.location > error.location { throw error }
            throw later
          }
          if comma { throw error }
          throw later
        }
      }
      throw error
    }
  }

  // MARK: - Tokens

  /// Moves to the next token; returns the one it was on.
  @discardableResult
  mutating func advance() throws(SyntaxError) -> Token {
    let current = token
    switch current.kind {
    case .newline, .indent, .dedent: break
    default: previousEnd = current.range.end
    }
    if lookahead.isEmpty {
      token = try lexer.next()
    } else {
      token = lookahead.removeFirst()
    }
    return current
  }

  /// The token after the current one.
  mutating func peek() throws(SyntaxError) -> Token {
    if lookahead.isEmpty { lookahead.append(try lexer.next()) }
    return lookahead[0]
  }

  func at(_ punct: Punct) -> Bool { token.kind == .punct(punct) }
  func at(_ keyword: ReservedWord) -> Bool { token.kind == .keyword(keyword) }

  mutating func accept(_ punct: Punct) throws(SyntaxError) -> Bool {
    guard at(punct) else { return false }
    try advance()
    return true
  }

  mutating func accept(_ keyword: ReservedWord) throws(SyntaxError) -> Bool {
    guard at(keyword) else { return false }
    try advance()
    return true
  }

  mutating func expect(_ punct: Punct) throws(SyntaxError) {
    guard at(punct) else { throw expected("'\(punct.rawValue)'") }
    try advance()
  }

  mutating func expect(_ keyword: ReservedWord) throws(SyntaxError) {
    guard at(keyword) else { throw expected("'\(keyword.rawValue)'") }
    try advance()
  }

  func text(_ token: Token) -> String { lexer.text(token.start, token.end) }

  /// The identifier of a name token.
  mutating func name() throws(SyntaxError) -> String {
    guard token.kind == .name else { throw invalidSyntax() }
    return text(try advance())
  }

  // MARK: - Errors

  func error(
    _ message: String, at location: SourceLocation, kind: SyntaxError.Kind = .syntax
  ) -> SyntaxError {
    SyntaxError(kind, message, at: location, lineText: lexer.lineText(atLine: location))
  }

  /// CPython's generic message, at the current token.
  func invalidSyntax() -> SyntaxError {
    if token.kind == .indent { return unexpectedIndent() }
    return error("invalid syntax", at: token.range.start)
  }

  /// CPython places it on the last character of the indentation.
  func unexpectedIndent() -> SyntaxError {
    let end = token.range.end
    return error(
      "unexpected indent", at: SourceLocation(line: end.line, column: max(0, end.column - 1)),
      kind: .indentation)
  }

  /// CPython's "expected ':'" where a block's colon is missing before the line ends or a
  /// bracket closes; "invalid syntax" otherwise.
  func expected(_ what: String) -> SyntaxError {
    let endsHere =
      token.kind == .indent || token.kind == .dedent || token.kind == .endOfFile
      || token.kind == .newline || token.kind == .punct(.rightParen)
      || token.kind == .punct(.rightBracket) || token.kind == .punct(.rightBrace)
    if what == "':'" && endsHere { return error("expected ':'", at: token.range.start) }
    return invalidSyntax()
  }

  func unsupported(_ what: String, at location: SourceLocation) -> SyntaxError {
    error("retrace does not read \(what)", at: location, kind: .unsupported)
  }

  /// Enters a recursive rule: at most `limits.maximumDepth` at once.
  mutating func enter() throws(SyntaxError) {
    depth += 1
    let here = LargeStack.currentAddress()
    if depth > deepest { deepest = depth }
    if here < stackLow { stackLow = here }
    if stackBase > here && Int(stackBase - here) > stackBudget {
      throw error(
        "too deeply nested for the parser's stack (\(stackBudget >> 20) MB)",
        at: token.range.start, kind: .limit)
    }
    if depth > limits.maximumDepth {
      throw error(
        "too deeply nested: more than \(limits.maximumDepth) levels of expressions and blocks",
        at: token.range.start, kind: .limit)
    }
  }

  mutating func leave() { depth -= 1 }

  /// Counts a node against `limits.maximumNodes`.
  @inline(__always) mutating func count() throws(SyntaxError) {
    nodes += 1
    if nodes > limits.maximumNodes {
      throw error(
        "too large: more than \(limits.maximumNodes) syntax nodes in one cell",
        at: token.range.start, kind: .limit)
    }
  }

  mutating func expression(_ kind: Expression.Kind, from start: SourceLocation)
    throws(SyntaxError) -> Expression
  {
    try count()
    return Expression(kind, SourceRange(start: start, end: previousEnd))
  }

  mutating func statement(_ kind: Statement.Kind, from start: SourceLocation)
    throws(SyntaxError) -> Statement
  {
    try count()
    return Statement(kind, SourceRange(start: start, end: previousEnd))
  }
}
