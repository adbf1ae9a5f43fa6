extension Parser {
  // MARK: - Expression lists

  /// `star_expressions`: `a`, `a, b`, `*a, b` (an unparenthesized tuple).
  mutating func parseStarExpressions() throws(SyntaxError) -> Expression {
    let start = token.range.start
    let first = try parseStarExpression(named: false)
    guard at(.comma) else { return first }
    var items = [first]
    while try accept(.comma) {
      if !startsOperand() { break }
      items.append(try parseStarExpression(named: false))
    }
    return try expression(.tuple(items, .load), from: start)
  }

  /// `*expr` or a named expression.
  mutating func parseStarExpression(named: Bool = true) throws(SyntaxError) -> Expression {
    if at(.star) {
      let start = token.range.start
      try advance()
      return try expression(.starred(try parseBitwiseOr(), .load), from: start)
    }
    // `x := 1` stands unparenthesized only inside brackets and conditions.
    return named ? try parseNamedExpression() : try parseExpression()
  }

  /// Whether the current token can start an operand (after a comma: is there another item?).
  func startsOperand() -> Bool {
    switch token.kind {
    case .name, .number, .string, .fstring: return true
    case .keyword(let keyword):
      return [.none, .true, .false, .not, .lambda, .await, .yield].contains(keyword)
    case .punct(let punct):
      return [.leftParen, .leftBracket, .leftBrace, .minus, .plus, .tilde, .star, .ellipsis]
        .contains(punct)
    default:
      return false
    }
  }

  /// `name := value` or an expression.
  mutating func parseNamedExpression() throws(SyntaxError) -> Expression {
    let start = token.range.start
    if token.kind == .name, try peek().kind == .punct(.colonEqual) {
      let target = try expression(.name(try name(), .store), from: start)
      try advance()
      let value = try parseExpression()
      return try expression(.namedExpr(target: target, value: value), from: start)
    }
    let value = try parseExpression()
    if at(.colonEqual) {
      throw error(
        "cannot use assignment expressions with \(Parser.describe(value))", at: value.range.start)
    }
    return value
  }

  /// `expression`: a conditional expression or a lambda.
  mutating func parseExpression() throws(SyntaxError) -> Expression {
    try enter()
    defer { leave() }
    if at(.lambda) { return try parseLambda() }
    if at(.await) { throw unsupported("'await' (coroutines)", at: token.range.start) }
    let start = token.range.start
    let body = try parseDisjunction()
    guard at(.if) else { return body }
    try advance()
    let test = try parseDisjunction()
    guard try accept(.else) else {
      throw error("expected 'else' after 'if' expression", at: body.range.start)
    }
    let orelse = try parseExpression()
    return try expression(.ifExp(test: test, body: body, orelse: orelse), from: start)
  }

  mutating func parseLambda() throws(SyntaxError) -> Expression {
    let start = token.range.start
    try advance()
    let arguments = try parseParameters(closing: .colon, annotations: false)
    try expect(.colon)
    let body = try parseExpression()
    return try expression(.lambda(arguments, body), from: start)
  }

  mutating func parseDisjunction() throws(SyntaxError) -> Expression {
    let start = token.range.start
    let first = try parseConjunction()
    guard at(.or) else { return first }
    var values = [first]
    while try accept(.or) { values.append(try parseConjunction()) }
    return try expression(.boolOp(.or, values), from: start)
  }

  mutating func parseConjunction() throws(SyntaxError) -> Expression {
    let start = token.range.start
    let first = try parseInversion()
    guard at(.and) else { return first }
    var values = [first]
    while try accept(.and) { values.append(try parseInversion()) }
    return try expression(.boolOp(.and, values), from: start)
  }

  mutating func parseInversion() throws(SyntaxError) -> Expression {
    guard at(.not) else { return try parseComparison() }
    let start = token.range.start
    try advance()
    try enter()
    defer { leave() }
    let operand = try parseInversion()
    return try expression(.unaryOp(.not, operand), from: start)
  }

  mutating func parseComparison() throws(SyntaxError) -> Expression {
    let start = token.range.start
    let left = try parseBitwiseOr()
    var operators: [ComparisonOperator] = []
    var comparators: [Expression] = []
    while true {
      let op: ComparisonOperator
      switch token.kind {
      case .punct(.equalEqual): op = .eq
      case .punct(.notEqual): op = .notEq
      case .punct(.less): op = .lt
      case .punct(.lessEqual): op = .ltE
      case .punct(.greater): op = .gt
      case .punct(.greaterEqual): op = .gtE
      case .keyword(.in): op = .in
      case .keyword(.is):
        if try peek().kind == .keyword(.not) {
          try advance()
          op = .isNot
        } else {
          op = .is
        }
      case .keyword(.not):
        guard try peek().kind == .keyword(.in) else {
          if operators.isEmpty { return left }
          throw invalidSyntax()
        }
        try advance()
        op = .notIn
      default:
        if operators.isEmpty { return left }
        return try expression(.compare(left, operators, comparators), from: start)
      }
      try advance()
      operators.append(op)
      comparators.append(try parseBitwiseOr())
    }
  }

  // MARK: - Binary operators (precedence climbing)

  static func binaryOperator(_ kind: Token.Kind) -> (BinaryOperator, Int)? {
    guard case .punct(let punct) = kind else { return nil }
    switch punct {
    case .verticalBar: return (.bitOr, 1)
    case .circumflex: return (.bitXor, 2)
    case .ampersand: return (.bitAnd, 3)
    case .leftShift: return (.lShift, 4)
    case .rightShift: return (.rShift, 4)
    case .plus: return (.add, 5)
    case .minus: return (.sub, 5)
    case .star: return (.mult, 6)
    case .slash: return (.div, 6)
    case .doubleSlash: return (.floorDiv, 6)
    case .percent: return (.mod, 6)
    case .at: return (.matMult, 6)
    default: return nil
    }
  }

  mutating func parseBitwiseOr() throws(SyntaxError) -> Expression {
    try parseBinary(minimum: 1)
  }

  /// Left-associative binary operators of precedence `minimum` and above.
  mutating func parseBinary(minimum: Int) throws(SyntaxError) -> Expression {
    let start = token.range.start
    var left = try parseFactor()
    return try continueBinary(left: &left, start: start, minimum: minimum)
  }

  mutating func continueBinary(left: inout Expression, start: SourceLocation, minimum: Int)
    throws(SyntaxError) -> Expression
  {
    var chain = 0
    while let (op, precedence) = Parser.binaryOperator(token.kind), precedence >= minimum {
      try advance()
      let rightStart = token.range.start
      var right = try parseFactor()
      while let (_, next) = Parser.binaryOperator(token.kind), next > precedence {
        try enter()
        right = try continueBinary(left: &right, start: rightStart, minimum: precedence + 1)
        leave()
      }
      chain += 1
      if depth + chain > limits.maximumDepth * 3 {
        throw error(
          "too deeply nested: a chain of more than \(limits.maximumDepth * 3) operators",
          at: token.range.start, kind: .limit)
      }
      left = try expression(.binOp(left, op, right), from: start)
    }
    return left
  }

  /// `+x`, `-x`, `~x`, or a power.
  mutating func parseFactor() throws(SyntaxError) -> Expression {
    let op: UnaryOperator
    switch token.kind {
    case .punct(.plus): op = .uAdd
    case .punct(.minus): op = .uSub
    case .punct(.tilde): op = .invert
    default: return try parsePower()
    }
    let start = token.range.start
    try advance()
    try enter()
    defer { leave() }
    let operand = try parseFactor()
    return try expression(.unaryOp(op, operand), from: start)
  }

  /// `primary ** factor` (right-associative, tighter than a unary minus on its left).
  mutating func parsePower() throws(SyntaxError) -> Expression {
    let start = token.range.start
    if at(.await) { throw unsupported("'await' (coroutines)", at: start) }
    let base = try parsePrimary()
    guard at(.doubleStar) else { return base }
    try advance()
    try enter()
    defer { leave() }
    let exponent = try parseFactor()
    return try expression(.binOp(base, .pow, exponent), from: start)
  }

  // MARK: - Primaries

  /// An atom followed by attributes, calls and subscripts.
  mutating func parsePrimary() throws(SyntaxError) -> Expression {
    let start = token.range.start
    var value = try parseAtom()
    while true {
      switch token.kind {
      case .punct(.dot):
        try advance()
        let attribute = try name()
        value = try expression(.attribute(value, attribute, .load), from: start)
      case .punct(.leftParen):
        let open = token.range.start
        try advance()
        try enter()
        let (arguments, keywords) = try parseCallArguments(closing: .rightParen, open: open)
        leave()
        try expect(.rightParen)
        value = try expression(.call(value, arguments, keywords), from: start)
      case .punct(.leftBracket):
        try advance()
        try enter()
        let slice = try parseSlices()
        leave()
        try expectClosing(.rightBracket)
        value = try expression(.subscript(value, slice, .load), from: start)
      default:
        return value
      }
    }
  }

  /// Expects a closing bracket; otherwise CPython's "Perhaps you forgot a comma?" when the
  /// next token starts another item.
  mutating func expectClosing(_ punct: Punct) throws(SyntaxError) {
    if at(punct) {
      try advance()
      return
    }
    throw invalidSyntax()
  }

  /// Call arguments up to (not including) `closing`.
  mutating func parseCallArguments(closing: Punct, open: SourceLocation? = nil)
    throws(SyntaxError) -> ([Expression], [Keyword])
  {
    var arguments: [Expression] = []
    var keywords: [Keyword] = []
    var sawKeywordUnpacking = false
    while !at(closing) {
      let start = token.range.start
      if at(.star) {
        try advance()
        let value = try parseExpression()
        if sawKeywordUnpacking {
          throw error(
            "iterable argument unpacking follows keyword argument unpacking", at: start)
        }
        arguments.append(try expression(.starred(value, .load), from: start))
      } else if at(.doubleStar) {
        try advance()
        let value = try parseExpression()
        sawKeywordUnpacking = true
        try count()
        keywords.append(
          Keyword(name: nil, value: value, range: SourceRange(start: start, end: previousEnd)))
      } else if token.kind == .name, try peek().kind == .punct(.equal) {
        let keyword = try name()
        try advance()
        let value = try parseExpression()
        try count()
        keywords.append(
          Keyword(name: keyword, value: value, range: SourceRange(start: start, end: previousEnd)))
      } else {
        var value = try parseNamedExpression()
        if at(.for) {
          // A generator expression, unparenthesized only as the sole argument; its range is
          // then the call's parentheses.
          let generators = try parseComprehensionClauses()
          guard arguments.isEmpty && keywords.isEmpty && at(closing) else {
            throw error("Generator expression must be parenthesized", at: start)
          }
          if let open {
            try count()
            value = Expression(
              .generatorExp(value, generators), SourceRange(start: open, end: token.range.end))
          } else {
            value = try expression(.generatorExp(value, generators), from: start)
          }
        } else if at(.equal) {
          throw error(
            "expression cannot contain assignment, perhaps you meant \"==\"?", at: start)
        }
        if !keywords.isEmpty {
          throw error(
            sawKeywordUnpacking
              ? "positional argument follows keyword argument unpacking"
              : "positional argument follows keyword argument", at: token.range.start)
        }
        arguments.append(value)
      }
      if !(try accept(.comma)) { break }
    }
    if !at(closing) {
      if startsOperand(), let last = arguments.last ?? keywords.last?.value {
        throw error("invalid syntax. Perhaps you forgot a comma?", at: last.range.start)
      }
      throw invalidSyntax()
    }
    return (arguments, keywords)
  }

  /// The inside of `[...]` after a value: one slice, or a tuple of them.
  mutating func parseSlices() throws(SyntaxError) -> Expression {
    let start = token.range.start
    let first = try parseSlice()
    guard at(.comma) else {
      if case .starred = first.kind { return try expression(.tuple([first], .load), from: start) }
      return first
    }
    var items = [first]
    while try accept(.comma) {
      if at(.rightBracket) { break }
      items.append(try parseSlice())
    }
    return try expression(.tuple(items, .load), from: start)
  }

  mutating func parseSlice() throws(SyntaxError) -> Expression {
    let start = token.range.start
    if at(.star) {
      try advance()
      return try expression(.starred(try parseBitwiseOr(), .load), from: start)
    }
    var lower: Expression?
    if !at(.colon) {
      let value = try parseNamedExpression()
      guard at(.colon) else { return value }
      // `x[i := 1]` is a subscript, but a slice's bounds are plain expressions.
      if case .namedExpr = value.kind { throw invalidSyntax() }
      lower = value
    }
    try advance()
    var upper: Expression?
    var step: Expression?
    if !at(.colon) && !at(.comma) && !at(.rightBracket) { upper = try parseExpression() }
    if try accept(.colon) {
      if !at(.comma) && !at(.rightBracket) { step = try parseExpression() }
    }
    return try expression(.slice(lower: lower, upper: upper, step: step), from: start)
  }

  // MARK: - Atoms

  mutating func parseAtom() throws(SyntaxError) -> Expression {
    let start = token.range.start
    switch token.kind {
    case .name:
      let identifier = normalizedIdentifier(text(token))
      try advance()
      return try expression(.name(identifier, .load), from: start)
    case .number:
      let number = try numberValue(token)
      try advance()
      return try expression(.constant(number), from: start)
    case .string, .fstring:
      return try parseStrings()
    case .keyword(.none):
      try advance()
      return try expression(.constant(.none), from: start)
    case .keyword(.true):
      try advance()
      return try expression(.constant(.bool(true)), from: start)
    case .keyword(.false):
      try advance()
      return try expression(.constant(.bool(false)), from: start)
    case .punct(.ellipsis):
      try advance()
      return try expression(.constant(.ellipsis), from: start)
    case .punct(.leftParen):
      return try parseParenthesized()
    case .punct(.leftBracket):
      return try parseListDisplay()
    case .punct(.leftBrace):
      return try parseBraceDisplay()
    case .magic(let magic):
      try advance()
      return try expression(.magic(IPythonMagic(lexer.magics[magic])), from: start)
    case .keyword(.yield):
      throw invalidSyntax()
    default:
      throw invalidSyntax()
    }
  }

  /// `( ... )`: a parenthesized expression (its range is the inside), a tuple or a
  /// generator expression (their ranges include the parentheses), or `yield`.
  mutating func parseParenthesized() throws(SyntaxError) -> Expression {
    let start = token.range.start
    try advance()
    try enter()
    defer { leave() }
    if try accept(.rightParen) {
      return try expression(.tuple([], .load), from: start)
    }
    if at(.yield) {
      let value = try parseYield()
      try expect(.rightParen)
      return value
    }
    let first = try parseStarExpression()
    if at(.for) {
      try checkComprehensionElement(first)
      let generators = try parseComprehensionClauses()
      try expectClosing(.rightParen)
      return try expression(.generatorExp(first, generators), from: start)
    }
    if at(.rightParen) {
      try advance()
      if case .starred = first.kind {
        throw error("cannot use starred expression here", at: first.range.start)
      }
      return first
    }
    guard at(.comma) else {
      if startsOperand() {
        throw error("invalid syntax. Perhaps you forgot a comma?", at: first.range.start)
      }
      throw invalidSyntax()
    }
    var items = [first]
    while try accept(.comma) {
      if at(.rightParen) { break }
      items.append(try parseStarExpression())
    }
    if !at(.rightParen) && startsOperand(), let last = items.last {
      throw error("invalid syntax. Perhaps you forgot a comma?", at: last.range.start)
    }
    try expectClosing(.rightParen)
    return try expression(.tuple(items, .load), from: start)
  }

  mutating func parseListDisplay() throws(SyntaxError) -> Expression {
    let start = token.range.start
    try advance()
    try enter()
    defer { leave() }
    if try accept(.rightBracket) { return try expression(.list([], .load), from: start) }
    let first = try parseStarExpression()
    if at(.for) {
      try checkComprehensionElement(first)
      let generators = try parseComprehensionClauses()
      try expectClosing(.rightBracket)
      return try expression(.listComp(first, generators), from: start)
    }
    var items = [first]
    while try accept(.comma) {
      if at(.rightBracket) { break }
      items.append(try parseStarExpression())
    }
    if !at(.rightBracket) && startsOperand(), let last = items.last {
      throw error("invalid syntax. Perhaps you forgot a comma?", at: last.range.start)
    }
    try expectClosing(.rightBracket)
    return try expression(.list(items, .load), from: start)
  }

  /// `{}`, `{k: v, **d}`, `{a, *b}` and the dict and set comprehensions.
  mutating func parseBraceDisplay() throws(SyntaxError) -> Expression {
    let start = token.range.start
    try advance()
    try enter()
    defer { leave() }
    if try accept(.rightBrace) { return try expression(.dict(keys: [], values: []), from: start) }
    if at(.doubleStar) {
      return try parseDictRest(start: start, keys: [], values: [])
    }
    let first = try parseStarExpression()
    if try accept(.colon) {
      let value = try parseExpression()
      if at(.for) {
        let generators = try parseComprehensionClauses()
        try expectClosing(.rightBrace)
        return try expression(.dictComp(key: first, value: value, generators), from: start)
      }
      return try parseDictRest(start: start, keys: [first], values: [value])
    }
    if at(.for) {
      try checkComprehensionElement(first)
      let generators = try parseComprehensionClauses()
      try expectClosing(.rightBrace)
      return try expression(.setComp(first, generators), from: start)
    }
    var items = [first]
    while try accept(.comma) {
      if at(.rightBrace) { break }
      items.append(try parseStarExpression())
    }
    if !at(.rightBrace) && startsOperand(), let last = items.last {
      throw error("invalid syntax. Perhaps you forgot a comma?", at: last.range.start)
    }
    try expectClosing(.rightBrace)
    return try expression(.set(items), from: start)
  }

  mutating func parseDictRest(start: SourceLocation, keys: [Expression?], values: [Expression])
    throws(SyntaxError) -> Expression
  {
    var keys = keys
    var values = values
    if !keys.isEmpty, !(try accept(.comma)) {
      try expectClosing(.rightBrace)
      return try expression(.dict(keys: keys, values: values), from: start)
    }
    while !at(.rightBrace) {
      if try accept(.doubleStar) {
        keys.append(nil)
        values.append(try parseBitwiseOr())
      } else {
        keys.append(try parseExpression())
        try expect(.colon)
        values.append(try parseExpression())
      }
      if !(try accept(.comma)) { break }
    }
    try expectClosing(.rightBrace)
    return try expression(.dict(keys: keys, values: values), from: start)
  }

  /// `[*a for a in b]`: CPython's message.
  func checkComprehensionElement(_ element: Expression) throws(SyntaxError) {
    if case .starred = element.kind {
      throw error("iterable unpacking cannot be used in comprehension", at: element.range.start)
    }
  }

  /// `for target in iter if cond ...` clauses.
  mutating func parseComprehensionClauses() throws(SyntaxError) -> [Comprehension] {
    var clauses: [Comprehension] = []
    while at(.for) {
      try advance()
      let target = try parseTargetList()
      try expect(.in)
      let iter = try parseDisjunction()
      var ifs: [Expression] = []
      while try accept(.if) { ifs.append(try parseDisjunction()) }
      clauses.append(Comprehension(target: target, iter: iter, ifs: ifs))
      if at(.async) { throw unsupported("'async for' (coroutines)", at: token.range.start) }
    }
    return clauses
  }

  /// `yield`, `yield a, b`, `yield from x`.
  mutating func parseYield() throws(SyntaxError) -> Expression {
    let start = token.range.start
    try advance()
    if try accept(.from) {
      return try expression(.yieldFrom(try parseExpression()), from: start)
    }
    if endsStatement || at(.rightParen) || at(.equal) {
      return try expression(.yield(nil), from: start)
    }
    return try expression(.yield(try parseStarExpressions()), from: start)
  }

  // MARK: - Parameters

  /// `def` and `lambda` parameters up to `closing` (not consumed).
  mutating func parseParameters(closing: Punct, annotations: Bool) throws(SyntaxError)
    -> Arguments
  {
    var arguments = Arguments()
    var sawDefault = false
    var sawStar = false
    var sawSlash = false
    var plain: [Parameter] = []
    while !at(closing) {
      let start = token.range.start
      if at(.slash) {
        if sawSlash { throw error("/ may appear only once", at: start) }
        if sawStar { throw error("/ must be ahead of *", at: start) }
        if plain.isEmpty { throw error("at least one argument must precede /", at: start) }
        try advance()
        sawSlash = true
        arguments.positionalOnly = plain
        plain = []
      } else if at(.star) {
        if sawStar { throw error("* argument may appear only once", at: start) }
        try advance()
        sawStar = true
        if token.kind == .name {
          arguments.variadic = try parseParameter(annotations: annotations, star: true)
        } else if at(closing) || at(.doubleStar) {
          throw error("named arguments must follow bare *", at: start)
        } else if at(.comma), try peek().kind == .punct(closing) {
          throw error("named arguments must follow bare *", at: start)
        }
      } else if at(.doubleStar) {
        try advance()
        arguments.keywordVariadic = try parseParameter(annotations: annotations, star: false)
        _ = try accept(.comma)
        if !at(closing) {
          throw error("arguments cannot follow var-keyword argument", at: token.range.start)
        }
        break
      } else {
        let parameter = try parseParameter(annotations: annotations, star: false)
        var value: Expression?
        if try accept(.equal) { value = try parseExpression() }
        if sawStar {
          arguments.keywordOnly.append(parameter)
          arguments.keywordDefaults.append(value)
        } else {
          if let value {
            sawDefault = true
            arguments.defaults.append(value)
          } else if sawDefault {
            throw error(
              "parameter without a default follows parameter with a default",
              at: parameter.range.start)
          }
          plain.append(parameter)
        }
      }
      if !(try accept(.comma)) { break }
    }
    arguments.positional = plain
    return arguments
  }

  mutating func parseParameter(annotations: Bool, star: Bool) throws(SyntaxError) -> Parameter {
    let start = token.range.start
    guard token.kind == .name else { throw invalidSyntax() }
    let parameterName = normalizedIdentifier(try name())
    var annotation: Expression?
    if annotations, try accept(.colon) {
      annotation = star && at(.star) ? try parseStarExpression() : try parseExpression()
    }
    try count()
    return Parameter(
      name: parameterName, annotation: annotation,
      range: SourceRange(start: start, end: previousEnd))
  }

  // MARK: - Targets

  /// `value` as an assignment (or `del`) target: its context set, or CPython's error.
  func target(_ value: Expression, context: ExpressionContext, assignment: Bool = false)
    throws(SyntaxError) -> Expression
  {
    var result = value
    switch value.kind {
    case .name(let identifier, _):
      result.kind = .name(identifier, context)
    case .attribute(let base, let attribute, _):
      result.kind = .attribute(base, attribute, context)
    case .subscript(let base, let slice, _):
      result.kind = .subscript(base, slice, context)
    case .starred(let inner, _) where context == .store:
      result.kind = .starred(try target(inner, context: context), context)
    case .tuple(let items, _):
      var converted: [Expression] = []
      for item in items { converted.append(try target(item, context: context)) }
      result.kind = .tuple(converted, context)
    case .list(let items, _):
      var converted: [Expression] = []
      for item in items { converted.append(try target(item, context: context)) }
      result.kind = .list(converted, context)
    default:
      let what = Parser.describe(value)
      if context == .del {
        throw error("cannot delete \(what)", at: value.range.start)
      }
      let hint: String
      switch value.kind {
      case .constant(.none), .constant(.bool), .constant(.ellipsis):
        hint = ""
      case .constant, .call, .binOp, .unaryOp, .boolOp:
        hint = assignment ? " here. Maybe you meant '==' instead of '='?" : ""
      default:
        hint = ""
      }
      throw error("cannot assign to \(what)\(hint)", at: value.range.start)
    }
    return result
  }

  /// CPython's name for an expression in messages (`_PyPegen_get_expr_name`).
  static func describe(_ value: Expression) -> String {
    switch value.kind {
    case .attribute: "attribute"
    case .subscript: "subscript"
    case .starred: "starred"
    case .name: "name"
    case .list: "list"
    case .tuple: "tuple"
    case .lambda: "lambda"
    case .call: "function call"
    case .boolOp, .binOp, .unaryOp: "expression"
    case .generatorExp: "generator expression"
    case .yield, .yieldFrom: "yield expression"
    case .listComp: "list comprehension"
    case .setComp: "set comprehension"
    case .dictComp: "dict comprehension"
    case .dict: "dict literal"
    case .set: "set display"
    case .joinedStr, .formattedValue: "f-string expression"
    case .constant(.none): "None"
    case .constant(.bool(true)): "True"
    case .constant(.bool(false)): "False"
    case .constant(.ellipsis): "ellipsis"
    case .constant: "literal"
    case .compare: "comparison"
    case .ifExp: "conditional expression"
    case .namedExpr: "named expression"
    case .slice: "slice"
    case .magic: "IPython escape"
    }
  }
}
