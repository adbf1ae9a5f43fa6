extension Parser {
  // MARK: - Modules and blocks

  mutating func parseModule() throws(SyntaxError) -> Module {
    var body: [Statement] = []
    while token.kind != .endOfFile {
      if token.kind == .newline {
        try advance()
        continue
      }
      if token.kind == .indent { throw unexpectedIndent() }
      if token.kind == .dedent {
        try advance()
        continue
      }
      try parseStatement(into: &body)
    }
    return Module(body: body)
  }

  /// The block after a compound statement's `:`: an indented suite, or simple statements on
  /// the same line. `what` names the statement for CPython's IndentationError.
  mutating func parseBlock(after what: String, line: Int) throws(SyntaxError) -> [Statement] {
    try expect(.colon)
    var body: [Statement] = []
    if token.kind != .newline {
      try parseSimpleStatements(into: &body)
      return body
    }
    let newline = try advance()
    guard token.kind == .indent else {
      // At the end of the input CPython points at the header's newline.
      let place =
        token.kind == .endOfFile || token.kind == .dedent ? newline.range.start : token.range.start
      throw error(
        "expected an indented block after \(what) on line \(line)", at: place,
        kind: .indentation)
    }
    try advance()
    try enter()
    defer { leave() }
    while token.kind != .dedent && token.kind != .endOfFile {
      if token.kind == .newline {
        try advance()
        continue
      }
      if token.kind == .indent { throw unexpectedIndent() }
      try parseStatement(into: &body)
    }
    if token.kind == .dedent { try advance() }
    return body
  }

  mutating func parseStatement(into body: inout [Statement]) throws(SyntaxError) {
    switch token.kind {
    case .keyword(.def):
      body.append(try parseFunction(decorators: [], start: token.range.start))
    case .keyword(.if):
      body.append(try parseIf())
    case .keyword(.class):
      body.append(try parseClass(decorators: []))
    case .keyword(.for):
      body.append(try parseFor())
    case .keyword(.while):
      body.append(try parseWhile())
    case .keyword(.try):
      body.append(try parseTry())
    case .keyword(.with):
      body.append(try parseWith())
    case .punct(.at):
      body.append(try parseDecorated())
    case .keyword(.async):
      throw unsupported("'async' code (coroutines)", at: token.range.start)
    case .magic(let magic):
      let start = token.range.start
      try advance()
      body.append(try statement(.magic(IPythonMagic(lexer.magics[magic])), from: start))
      if token.kind == .newline { try advance() }
    default:
      try parseSimpleStatements(into: &body)
    }
  }

  /// `simple (';' simple)* [';'] NEWLINE`.
  mutating func parseSimpleStatements(into body: inout [Statement]) throws(SyntaxError) {
    while true {
      body.append(try parseSimpleStatement())
      if try accept(.semicolon) {
        if token.kind == .newline { break }
        continue
      }
      break
    }
    guard token.kind == .newline else {
      throw statementEndError()
    }
    try advance()
  }

  /// What CPython says when a simple statement is followed by something else.
  func statementEndError() -> SyntaxError {
    if token.kind == .punct(.equal) {
      return error(
        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: token.range.start)
    }
    return invalidSyntax()
  }

  mutating func parseSimpleStatement() throws(SyntaxError) -> Statement {
    let start = token.range.start
    switch token.kind {
    case .keyword(.pass):
      try advance()
      return try statement(.pass, from: start)
    case .keyword(.break):
      try advance()
      return try statement(.break, from: start)
    case .keyword(.continue):
      try advance()
      return try statement(.continue, from: start)
    case .keyword(.return):
      try advance()
      let value = endsStatement ? nil : try parseStarExpressions()
      return try statement(.return(value), from: start)
    case .keyword(.raise):
      try advance()
      var exception: Expression?
      var cause: Expression?
      if !endsStatement {
        exception = try parseExpression()
        if try accept(.from) { cause = try parseExpression() }
      }
      return try statement(.raise(exception: exception, cause: cause), from: start)
    case .keyword(.global), .keyword(.nonlocal):
      let isGlobal = at(.global)
      try advance()
      var names = [try name()]
      while try accept(.comma) { names.append(try name()) }
      return try statement(isGlobal ? .global(names) : .nonlocal(names), from: start)
    case .keyword(.del):
      try advance()
      var targets: [Expression] = []
      repeat {
        if endsStatement { break }
        let target = try parseBitwiseOr()
        targets.append(try self.target(target, context: .del))
      } while try accept(.comma)
      if targets.isEmpty { throw invalidSyntax() }
      return try statement(.delete(targets), from: start)
    case .keyword(.assert):
      try advance()
      let test = try parseExpression()
      let message = try accept(.comma) ? try parseExpression() : nil
      return try statement(.assert(test: test, message: message), from: start)
    case .keyword(.import):
      return try parseImport()
    case .keyword(.from):
      return try parseFromImport()
    case .name where text(token) == "match" || text(token) == "type":
      // Soft keywords: a name, unless another expression follows it (`match x:`).
      let saved = self
      let word = text(token)
      if let statement = try? parseExpressionStatement(), endsStatement { return statement }
      self = saved
      try advance()
      if startsOperand() && !at(.star) && !at(.minus) && !at(.plus) && !at(.leftParen)
        && !at(.leftBracket)
      {
        throw unsupported(
          word == "match" ? "'match' statements" : "'type' alias statements", at: start)
      }
      self = saved
      return try parseExpressionStatement()
    default:
      return try parseExpressionStatement()
    }
  }

  var endsStatement: Bool {
    token.kind == .newline || at(.semicolon) || token.kind == .endOfFile
  }

  /// Expression statements and every assignment form.
  mutating func parseExpressionStatement() throws(SyntaxError) -> Statement {
    let start = token.range.start
    let startsWithParen = at(.leftParen)
    let first: Expression
    if at(.yield) {
      first = try parseYield()
    } else {
      first = try parseStarExpressions()
    }
    if case .name(let name, _) = first.kind, name == "print" || name == "exec",
      startsExpression(token)
    {
      throw error(
        "Missing parentheses in call to '\(name)'. Did you mean \(name)(...)?", at: start)
    }
    if at(.equal) {
      var targets = [first]
      var value = first
      while try accept(.equal) {
        if case .magic(let magic) = token.kind {
          let magicStart = token.range.start
          try advance()
          value = try expression(.magic(IPythonMagic(lexer.magics[magic])), from: magicStart)
          targets.append(value)
          break
        }
        value = at(.yield) ? try parseYield() : try parseStarExpressions()
        targets.append(value)
      }
      targets.removeLast()
      if case .yield = first.kind, !startsWithParen {
        throw error("assignment to yield expression not possible", at: first.range.start)
      }
      var stored: [Expression] = []
      for target in targets {
        stored.append(try self.target(target, context: .store, assignment: true))
      }
      return try statement(.assign(targets: stored, value: value), from: start)
    }
    if case .punct(let punct) = token.kind, let op = Parser.augmentedOperators[punct] {
      switch first.kind {
      case .name, .attribute, .subscript:
        break
      default:
        throw error(
          "'\(Parser.describe(first))' is an illegal expression for augmented assignment",
          at: first.range.start)
      }
      try advance()
      let value = at(.yield) ? try parseYield() : try parseStarExpressions()
      let target = try self.target(first, context: .store)
      return try statement(.augAssign(target: target, op: op, value: value), from: start)
    }
    if at(.colon) {
      switch first.kind {
      case .name, .attribute, .subscript:
        break
      case .tuple:
        throw error("only single target (not tuple) can be annotated", at: first.range.start)
      case .list:
        throw error("only single target (not list) can be annotated", at: first.range.start)
      default:
        throw error("illegal target for annotation", at: first.range.start)
      }
      try advance()
      let annotation = try parseExpression()
      var value: Expression?
      if try accept(.equal) {
        value = at(.yield) ? try parseYield() : try parseStarExpressions()
      }
      var simple = false
      if case .name = first.kind, !startsWithParen { simple = true }
      let target = try self.target(first, context: .store)
      return try statement(
        .annAssign(target: target, annotation: annotation, value: value, simple: simple),
        from: start)
    }
    if case .starred = first.kind {
      throw error("can't use starred expression here", at: first.range.start)
    }
    return try statement(.expression(first), from: start)
  }

  static let augmentedOperators: [Punct: BinaryOperator] = [
    .plusEqual: .add, .minusEqual: .sub, .starEqual: .mult, .atEqual: .matMult,
    .slashEqual: .div, .percentEqual: .mod, .ampersandEqual: .bitAnd,
    .verticalBarEqual: .bitOr, .circumflexEqual: .bitXor, .leftShiftEqual: .lShift,
    .rightShiftEqual: .rShift, .doubleStarEqual: .pow, .doubleSlashEqual: .floorDiv,
  ]

  /// Whether `token` can begin an expression (for "Missing parentheses in call to 'print'").
  func startsExpression(_ token: Token) -> Bool {
    switch token.kind {
    case .name, .number, .string, .fstring: return true
    case .keyword(let keyword):
      return [.none, .true, .false, .not, .lambda].contains(keyword)
    default:
      return false
    }
  }

  /// `if x = 1:`: CPython's hint.
  func checkAssignmentInCondition(_ test: Expression) throws(SyntaxError) {
    if at(.equal) {
      throw error(
        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", at: test.range.start)
    }
  }

  // MARK: - Imports

  /// `import a.b as c, d`.
  mutating func parseImport() throws(SyntaxError) -> Statement {
    let start = token.range.start
    try advance()
    var names: [Alias] = []
    repeat {
      let aliasStart = token.range.start
      let dotted = try dottedName()
      var asName: String?
      if try accept(.as) { asName = try name() }
      names.append(
        Alias(name: dotted, asName: asName, range: SourceRange(start: aliasStart, end: previousEnd))
      )
    } while try accept(.comma)
    return try statement(.import(names), from: start)
  }

  mutating func dottedName() throws(SyntaxError) -> String {
    var parts = [try name()]
    while try accept(.dot) { parts.append(try name()) }
    return parts.joined(separator: ".")
  }

  /// `from ..a.b import (c as d, e)` and `from a import *`.
  mutating func parseFromImport() throws(SyntaxError) -> Statement {
    let start = token.range.start
    try advance()
    var level = 0
    while at(.dot) || at(.ellipsis) {
      level += at(.dot) ? 1 : 3
      try advance()
    }
    var module: String?
    if token.kind == .name { module = try dottedName() }
    if module == nil && level == 0 { throw invalidSyntax() }
    try expect(.import)
    var names: [Alias] = []
    if at(.star) {
      let starStart = token.range.start
      try advance()
      names.append(
        Alias(name: "*", asName: nil, range: SourceRange(start: starStart, end: previousEnd)))
      return try statement(.importFrom(module: module, names: names, level: level), from: start)
    }
    let parenthesized = try accept(.leftParen)
    repeat {
      if parenthesized && at(.rightParen) && !names.isEmpty { break }
      if !parenthesized && endsStatement && !names.isEmpty {
        throw error(
          "trailing comma not allowed without surrounding parentheses", at: token.range.start)
      }
      let aliasStart = token.range.start
      let imported = try name()
      var asName: String?
      if try accept(.as) { asName = try name() }
      names.append(
        Alias(
          name: imported, asName: asName, range: SourceRange(start: aliasStart, end: previousEnd)))
    } while try accept(.comma)
    if parenthesized { try expect(.rightParen) }
    return try statement(.importFrom(module: module, names: names, level: level), from: start)
  }

  // MARK: - Compound statements

  mutating func parseDecorated() throws(SyntaxError) -> Statement {
    var decorators: [Expression] = []
    while try accept(.at) {
      decorators.append(try parseNamedExpression())
      guard token.kind == .newline else { throw invalidSyntax() }
      try advance()
    }
    switch token.kind {
    case .keyword(.def):
      return try parseFunction(decorators: decorators, start: token.range.start)
    case .keyword(.class):
      return try parseClass(decorators: decorators)
    case .keyword(.async):
      throw unsupported("'async' code (coroutines)", at: token.range.start)
    default:
      throw invalidSyntax()
    }
  }

  mutating func parseFunction(decorators: [Expression], start: SourceLocation)
    throws(SyntaxError) -> Statement
  {
    let line = token.range.start.line
    try advance()
    let functionName = try name()
    if at(.less) || at(.leftBracket) {
      throw unsupported("generic functions (type parameters)", at: token.range.start)
    }
    try expect(.leftParen)
    let arguments = try parseParameters(closing: .rightParen, annotations: true)
    try expect(.rightParen)
    var returns: Expression?
    if try accept(.arrow) { returns = try parseExpression() }
    let body = try parseBlock(after: "function definition", line: line)
    let definition = FunctionDefinition(
      name: functionName, arguments: arguments, body: body, decorators: decorators,
      returns: returns)
    return try statement(.functionDef(definition), from: start)
  }

  mutating func parseClass(decorators: [Expression]) throws(SyntaxError) -> Statement {
    let start = token.range.start
    let line = start.line
    try advance()
    let className = try name()
    var bases: [Expression] = []
    var keywords: [Keyword] = []
    if at(.leftBracket) {
      throw unsupported("generic classes (type parameters)", at: token.range.start)
    }
    if try accept(.leftParen) {
      (bases, keywords) = try parseCallArguments(closing: .rightParen)
      try expect(.rightParen)
    }
    let body = try parseBlock(after: "class definition", line: line)
    let definition = ClassDefinition(
      name: className, bases: bases, keywords: keywords, body: body, decorators: decorators)
    return try statement(.classDef(definition), from: start)
  }

  /// `else:` or `finally:` and its block (the keyword is the current token).
  mutating func parseClause(_ what: String) throws(SyntaxError) -> [Statement] {
    let line = token.range.start.line
    try advance()
    return try parseBlock(after: what, line: line)
  }

  mutating func parseIf() throws(SyntaxError) -> Statement {
    let start = token.range.start
    let keyword = at(.if) ? "'if' statement" : "'elif' statement"
    try advance()
    let test = try parseNamedExpression()
    try checkAssignmentInCondition(test)
    let body = try parseBlock(after: keyword, line: start.line)
    var orelse: [Statement] = []
    if at(.elif) {
      orelse = [try parseIf()]
    } else if at(.else) {
      orelse = try parseClause("'else' statement")
    }
    return try statement(.if(test: test, body: body, orelse: orelse), from: start)
  }

  mutating func parseWhile() throws(SyntaxError) -> Statement {
    let start = token.range.start
    try advance()
    let test = try parseNamedExpression()
    try checkAssignmentInCondition(test)
    let body = try parseBlock(after: "'while' statement", line: start.line)
    var orelse: [Statement] = []
    if at(.else) {
      orelse = try parseClause("'else' statement")
    }
    return try statement(.while(test: test, body: body, orelse: orelse), from: start)
  }

  mutating func parseFor() throws(SyntaxError) -> Statement {
    let start = token.range.start
    try advance()
    let target = try parseTargetList()
    guard at(.in) else {
      throw invalidSyntax()
    }
    try advance()
    let iter = try parseStarExpressions()
    let body = try parseBlock(after: "'for' statement", line: start.line)
    var orelse: [Statement] = []
    if at(.else) {
      orelse = try parseClause("'else' statement")
    }
    return try statement(.for(target: target, iter: iter, body: body, orelse: orelse), from: start)
  }

  /// `star_targets` of a `for` or comprehension: stops before `in`.
  mutating func parseTargetList() throws(SyntaxError) -> Expression {
    let start = token.range.start
    var items: [Expression] = []
    var trailingComma = false
    repeat {
      if at(.in) && !items.isEmpty {
        trailingComma = true
        break
      }
      if at(.star) {
        let starStart = token.range.start
        try advance()
        let value = try parseBitwiseOr()
        items.append(try expression(.starred(value, .load), from: starStart))
      } else {
        items.append(try parseBitwiseOr())
      }
    } while try accept(.comma)
    let combined: Expression
    if items.count == 1 && !trailingComma {
      combined = items[0]
    } else {
      combined = try expression(.tuple(items, .load), from: start)
    }
    return try target(combined, context: .store)
  }

  mutating func parseTry() throws(SyntaxError) -> Statement {
    let start = token.range.start
    try advance()
    let body = try parseBlock(after: "'try' statement", line: start.line)
    var handlers: [ExceptHandler] = []
    while at(.except) {
      let handlerStart = token.range.start
      try advance()
      if at(.star) {
        throw unsupported("'except*' (exception groups)", at: token.range.start)
      }
      var type: Expression?
      var handlerName: String?
      if !at(.colon) {
        type = try parseExpression()
        if at(.comma) {
          var items = [type!]
          while try accept(.comma) {
            if at(.colon) || at(.as) { break }
            items.append(try parseExpression())
          }
          if at(.as) || at(.colon) {
            throw error(
              "multiple exception types must be parenthesized", at: items[0].range.start)
          }
        }
        if try accept(.as) { handlerName = try name() }
      }
      let handlerBody = try parseBlock(after: "'except' statement", line: handlerStart.line)
      try count()
      handlers.append(
        ExceptHandler(
          type: type, name: handlerName, body: handlerBody,
          range: SourceRange(start: handlerStart, end: previousEnd)))
    }
    var orelse: [Statement] = []
    var finalbody: [Statement] = []
    if at(.else) && !handlers.isEmpty {
      orelse = try parseClause("'else' statement")
    }
    if at(.finally) { finalbody = try parseClause("'finally' statement") }
    if handlers.isEmpty && finalbody.isEmpty {
      throw error("expected 'except' or 'finally' block", at: token.range.start)
    }
    return try statement(
      .try(body: body, handlers: handlers, orelse: orelse, finalbody: finalbody), from: start)
  }

  mutating func parseWith() throws(SyntaxError) -> Statement {
    let start = token.range.start
    try advance()
    var items: [WithItem] = []
    if at(.leftParen) {
      // `with (a as b, c):` — tried first, as CPython's grammar does.
      let saved = self
      do {
        try advance()
        var parenthesized: [WithItem] = []
        repeat {
          if at(.rightParen) && !parenthesized.isEmpty { break }
          parenthesized.append(try parseWithItem())
        } while try accept(.comma)
        try expect(.rightParen)
        guard at(.colon) else { throw invalidSyntax() }
        items = parenthesized
      } catch {
        self = saved
        items = []
      }
    }
    if items.isEmpty {
      repeat { items.append(try parseWithItem()) } while try accept(.comma)
    }
    let body = try parseBlock(after: "'with' statement", line: start.line)
    return try statement(.with(items, body: body), from: start)
  }

  mutating func parseWithItem() throws(SyntaxError) -> WithItem {
    let context = try parseExpression()
    var target: Expression?
    if try accept(.as) {
      target = try self.target(try parseStarTarget(), context: .store)
    }
    return WithItem(context: context, target: target)
  }

  mutating func parseStarTarget() throws(SyntaxError) -> Expression {
    if at(.star) {
      let start = token.range.start
      try advance()
      return try expression(.starred(try parseBitwiseOr(), .load), from: start)
    }
    return try parseBitwiseOr()
  }
}

extension IPythonMagic {
  init(_ token: MagicToken) {
    self.init(kind: token.kind, name: token.name, arguments: token.arguments, body: token.body)
  }
}
