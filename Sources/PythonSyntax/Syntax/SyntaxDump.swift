/// The canonical text of a syntax tree that `Scripts/python-ast-dump.py` writes for CPython's
/// `ast` — one node a line, fields in CPython's order, None and empty fields left out, columns
/// in UTF-8 bytes — so the two can be compared line by line.
public enum SyntaxDump {
  /// The dump of `module`.
  public static func dump(_ module: Module) -> String {
    var writer = Writer()
    writer.line(0, "Module")
    writer.statements(1, "body", module.body, linesOnly: false)
    return writer.text
  }

  struct Writer {
    var text = ""

    mutating func line(_ depth: Int, _ content: String) {
      text += String(repeating: "  ", count: depth)
      text += content
      text += "\n"
    }

    func place(_ range: SourceRange, _ linesOnly: Bool) -> String {
      if linesOnly { return " @\(range.start.line)" }
      return " @\(range.start.line):\(range.start.column)-\(range.end.line):\(range.end.column)"
    }

    mutating func statements(_ depth: Int, _ field: String, _ body: [Statement], linesOnly: Bool) {
      guard !body.isEmpty else { return }
      line(depth, field)
      for statement in body { self.statement(depth + 1, statement, linesOnly: linesOnly) }
    }

    mutating func expressions(
      _ depth: Int, _ field: String, _ values: [Expression], linesOnly: Bool,
      inFString: Bool = false
    ) {
      guard !values.isEmpty else { return }
      line(depth, field)
      for value in values {
        expression(depth + 1, value, linesOnly: linesOnly, inFString: inFString)
      }
    }

    mutating func optional(_ depth: Int, _ field: String, _ value: Expression?, linesOnly: Bool) {
      guard let value else { return }
      line(depth, field)
      expression(depth + 1, value, linesOnly: linesOnly)
    }

    static func magic(_ magic: IPythonMagic) -> String {
      switch magic.kind {
      case .line:
        "IPythonMagic kind=line name=\(quote(magic.name)) args=\(quote(magic.arguments))"
      case .cell:
        "IPythonMagic kind=cell name=\(quote(magic.name)) args=\(quote(magic.arguments)) "
          + "body=\(quote(magic.body))"
      case .system, .getoutput:
        "IPythonMagic kind=\(magic.kind.rawValue) args=\(quote(magic.arguments))"
      }
    }

    mutating func statement(_ depth: Int, _ statement: Statement, linesOnly outer: Bool) {
      let linesOnly = outer || statement.holdsMagic
      let at = place(statement.range, linesOnly)
      switch statement.kind {
      case .functionDef(let function):
        line(depth, "FunctionDef name=\(quote(function.name))\(at)")
        arguments(depth + 1, function.arguments, linesOnly: linesOnly)
        statements(depth + 1, "body", function.body, linesOnly: linesOnly)
        expressions(depth + 1, "decorator_list", function.decorators, linesOnly: linesOnly)
        optional(depth + 1, "returns", function.returns, linesOnly: linesOnly)
      case .classDef(let definition):
        line(depth, "ClassDef name=\(quote(definition.name))\(at)")
        expressions(depth + 1, "bases", definition.bases, linesOnly: linesOnly)
        keywords(depth + 1, definition.keywords, linesOnly: linesOnly)
        statements(depth + 1, "body", definition.body, linesOnly: linesOnly)
        expressions(depth + 1, "decorator_list", definition.decorators, linesOnly: linesOnly)
      case .return(let value):
        line(depth, "Return\(at)")
        optional(depth + 1, "value", value, linesOnly: linesOnly)
      case .delete(let targets):
        line(depth, "Delete\(at)")
        expressions(depth + 1, "targets", targets, linesOnly: linesOnly)
      case .assign(let targets, let value):
        line(depth, "Assign\(at)")
        expressions(depth + 1, "targets", targets, linesOnly: linesOnly)
        optional(depth + 1, "value", value, linesOnly: linesOnly)
      case .augAssign(let target, let op, let value):
        line(depth, "AugAssign op=\(op.rawValue)\(at)")
        optional(depth + 1, "target", target, linesOnly: linesOnly)
        optional(depth + 1, "value", value, linesOnly: linesOnly)
      case .annAssign(let target, let annotation, let value, let simple):
        line(depth, "AnnAssign simple=\(simple ? 1 : 0)\(at)")
        optional(depth + 1, "target", target, linesOnly: linesOnly)
        optional(depth + 1, "annotation", annotation, linesOnly: linesOnly)
        optional(depth + 1, "value", value, linesOnly: linesOnly)
      case .for(let target, let iter, let body, let orelse):
        line(depth, "For\(at)")
        optional(depth + 1, "target", target, linesOnly: linesOnly)
        optional(depth + 1, "iter", iter, linesOnly: linesOnly)
        statements(depth + 1, "body", body, linesOnly: linesOnly)
        statements(depth + 1, "orelse", orelse, linesOnly: linesOnly)
      case .while(let test, let body, let orelse), .if(let test, let body, let orelse):
        if case .while = statement.kind {
          line(depth, "While\(at)")
        } else {
          line(depth, "If\(at)")
        }
        optional(depth + 1, "test", test, linesOnly: linesOnly)
        statements(depth + 1, "body", body, linesOnly: linesOnly)
        statements(depth + 1, "orelse", orelse, linesOnly: linesOnly)
      case .with(let items, let body):
        line(depth, "With\(at)")
        if !items.isEmpty {
          line(depth + 1, "items")
          for item in items {
            line(depth + 2, "withitem")
            optional(depth + 3, "context_expr", item.context, linesOnly: linesOnly)
            optional(depth + 3, "optional_vars", item.target, linesOnly: linesOnly)
          }
        }
        statements(depth + 1, "body", body, linesOnly: linesOnly)
      case .raise(let exception, let cause):
        line(depth, "Raise\(at)")
        optional(depth + 1, "exc", exception, linesOnly: linesOnly)
        optional(depth + 1, "cause", cause, linesOnly: linesOnly)
      case .try(let body, let handlers, let orelse, let finalbody):
        line(depth, "Try\(at)")
        statements(depth + 1, "body", body, linesOnly: linesOnly)
        if !handlers.isEmpty {
          line(depth + 1, "handlers")
          for handler in handlers {
            let name = handler.name.map { " name=\(quote($0))" } ?? ""
            line(depth + 2, "ExceptHandler\(name)\(place(handler.range, linesOnly))")
            optional(depth + 3, "type", handler.type, linesOnly: linesOnly)
            statements(depth + 3, "body", handler.body, linesOnly: linesOnly)
          }
        }
        statements(depth + 1, "orelse", orelse, linesOnly: linesOnly)
        statements(depth + 1, "finalbody", finalbody, linesOnly: linesOnly)
      case .assert(let test, let message):
        line(depth, "Assert\(at)")
        optional(depth + 1, "test", test, linesOnly: linesOnly)
        optional(depth + 1, "msg", message, linesOnly: linesOnly)
      case .import(let names):
        line(depth, "Import\(at)")
        aliases(depth + 1, names, linesOnly: linesOnly)
      case .importFrom(let module, let names, let level):
        let moduleText = module.map { " module=\(quote($0))" } ?? ""
        line(depth, "ImportFrom\(moduleText) level=\(level)\(at)")
        aliases(depth + 1, names, linesOnly: linesOnly)
      case .global(let names):
        line(depth, "Global names=\(names.map(quote).joined(separator: ","))\(at)")
      case .nonlocal(let names):
        line(depth, "Nonlocal names=\(names.map(quote).joined(separator: ","))\(at)")
      case .expression(let value):
        if case .magic(let magic) = value.kind {
          line(depth, Writer.magic(magic) + " @\(statement.range.start.line)")
          return
        }
        line(depth, "Expr\(at)")
        optional(depth + 1, "value", value, linesOnly: linesOnly)
      case .pass:
        line(depth, "Pass\(at)")
      case .break:
        line(depth, "Break\(at)")
      case .continue:
        line(depth, "Continue\(at)")
      case .magic(let magic):
        line(depth, Writer.magic(magic) + " @\(statement.range.start.line)")
      }
    }

    mutating func aliases(_ depth: Int, _ names: [Alias], linesOnly: Bool) {
      guard !names.isEmpty else { return }
      line(depth, "names")
      for alias in names {
        let asName = alias.asName.map { " asname=\(quote($0))" } ?? ""
        line(depth + 1, "alias name=\(quote(alias.name))\(asName)\(place(alias.range, linesOnly))")
      }
    }

    mutating func keywords(_ depth: Int, _ keywords: [Keyword], linesOnly: Bool) {
      guard !keywords.isEmpty else { return }
      line(depth, "keywords")
      for keyword in keywords {
        let name = keyword.name.map { " arg=\(quote($0))" } ?? ""
        line(depth + 1, "keyword\(name)\(place(keyword.range, linesOnly))")
        optional(depth + 2, "value", keyword.value, linesOnly: linesOnly)
      }
    }

    mutating func arguments(_ depth: Int, _ arguments: Arguments, linesOnly: Bool) {
      line(depth, "args")
      line(depth + 1, "arguments")
      let inner = depth + 2
      parameters(inner, "posonlyargs", arguments.positionalOnly, linesOnly: linesOnly)
      parameters(inner, "args", arguments.positional, linesOnly: linesOnly)
      if let variadic = arguments.variadic {
        parameters(inner, "vararg", [variadic], linesOnly: linesOnly)
      }
      parameters(inner, "kwonlyargs", arguments.keywordOnly, linesOnly: linesOnly)
      if !arguments.keywordDefaults.isEmpty {
        line(inner, "kw_defaults")
        for value in arguments.keywordDefaults {
          if let value {
            expression(inner + 1, value, linesOnly: linesOnly)
          } else {
            line(inner + 1, "None")
          }
        }
      }
      if let keywordVariadic = arguments.keywordVariadic {
        parameters(inner, "kwarg", [keywordVariadic], linesOnly: linesOnly)
      }
      expressions(inner, "defaults", arguments.defaults, linesOnly: linesOnly)
    }

    mutating func parameters(_ depth: Int, _ field: String, _ list: [Parameter], linesOnly: Bool) {
      guard !list.isEmpty else { return }
      line(depth, field)
      for parameter in list {
        line(depth + 1, "arg arg=\(quote(parameter.name))\(place(parameter.range, linesOnly))")
        optional(depth + 2, "annotation", parameter.annotation, linesOnly: linesOnly)
      }
    }

    mutating func comprehensions(_ depth: Int, _ clauses: [Comprehension], linesOnly: Bool) {
      line(depth, "generators")
      for clause in clauses {
        line(depth + 1, "comprehension is_async=0")
        optional(depth + 2, "target", clause.target, linesOnly: linesOnly)
        optional(depth + 2, "iter", clause.iter, linesOnly: linesOnly)
        expressions(depth + 2, "ifs", clause.ifs, linesOnly: linesOnly)
      }
    }

    mutating func expression(
      _ depth: Int, _ value: Expression, linesOnly: Bool, inFString: Bool = false
    ) {
      let at = place(value.range, linesOnly)
      switch value.kind {
      case .boolOp(let op, let values):
        line(depth, "BoolOp op=\(op.rawValue)\(at)")
        expressions(depth + 1, "values", values, linesOnly: linesOnly)
      case .namedExpr(let target, let assigned):
        line(depth, "NamedExpr\(at)")
        optional(depth + 1, "target", target, linesOnly: linesOnly)
        optional(depth + 1, "value", assigned, linesOnly: linesOnly)
      case .binOp(let left, let op, let right):
        line(depth, "BinOp op=\(op.rawValue)\(at)")
        optional(depth + 1, "left", left, linesOnly: linesOnly)
        optional(depth + 1, "right", right, linesOnly: linesOnly)
      case .unaryOp(let op, let operand):
        line(depth, "UnaryOp op=\(op.rawValue)\(at)")
        optional(depth + 1, "operand", operand, linesOnly: linesOnly)
      case .lambda(let parameters, let body):
        line(depth, "Lambda\(at)")
        arguments(depth + 1, parameters, linesOnly: linesOnly)
        optional(depth + 1, "body", body, linesOnly: linesOnly)
      case .ifExp(let test, let body, let orelse):
        line(depth, "IfExp\(at)")
        optional(depth + 1, "test", test, linesOnly: linesOnly)
        optional(depth + 1, "body", body, linesOnly: linesOnly)
        optional(depth + 1, "orelse", orelse, linesOnly: linesOnly)
      case .dict(let keys, let values):
        line(depth, "Dict\(at)")
        if !keys.isEmpty {
          line(depth + 1, "keys")
          for key in keys {
            if let key {
              expression(depth + 2, key, linesOnly: linesOnly)
            } else {
              line(depth + 2, "None")
            }
          }
        }
        expressions(depth + 1, "values", values, linesOnly: linesOnly)
      case .set(let items):
        line(depth, "Set\(at)")
        expressions(depth + 1, "elts", items, linesOnly: linesOnly)
      case .listComp(let element, let clauses), .setComp(let element, let clauses),
        .generatorExp(let element, let clauses):
        let kind: String
        switch value.kind {
        case .listComp: kind = "ListComp"
        case .setComp: kind = "SetComp"
        default: kind = "GeneratorExp"
        }
        line(depth, "\(kind)\(at)")
        optional(depth + 1, "elt", element, linesOnly: linesOnly)
        comprehensions(depth + 1, clauses, linesOnly: linesOnly)
      case .dictComp(let key, let item, let clauses):
        line(depth, "DictComp\(at)")
        optional(depth + 1, "key", key, linesOnly: linesOnly)
        optional(depth + 1, "value", item, linesOnly: linesOnly)
        comprehensions(depth + 1, clauses, linesOnly: linesOnly)
      case .yield(let item):
        line(depth, "Yield\(at)")
        optional(depth + 1, "value", item, linesOnly: linesOnly)
      case .yieldFrom(let item):
        line(depth, "YieldFrom\(at)")
        optional(depth + 1, "value", item, linesOnly: linesOnly)
      case .compare(let left, let ops, let comparators):
        line(depth, "Compare ops=\(ops.map(\.rawValue).joined(separator: ","))\(at)")
        optional(depth + 1, "left", left, linesOnly: linesOnly)
        expressions(depth + 1, "comparators", comparators, linesOnly: linesOnly)
      case .call(let function, let arguments, let keywords):
        line(depth, "Call\(at)")
        optional(depth + 1, "func", function, linesOnly: linesOnly)
        expressions(depth + 1, "args", arguments, linesOnly: linesOnly)
        self.keywords(depth + 1, keywords, linesOnly: linesOnly)
      case .formattedValue(let item, let conversion, let spec):
        line(depth, "FormattedValue conversion=\(conversion)\(at)")
        optional(depth + 1, "value", item, linesOnly: linesOnly)
        optional(depth + 1, "format_spec", spec, linesOnly: linesOnly)
      case .joinedStr(let pieces):
        line(depth, "JoinedStr\(at)")
        let kept = pieces.filter {
          if case .constant(.string("", _)) = $0.kind { return false }
          return true
        }
        expressions(depth + 1, "values", kept, linesOnly: linesOnly, inFString: true)
      case .constant(let constant):
        var head = "Constant value=\(Writer.constant(constant))"
        if case .string(_, true) = constant { head += " kind=\"u\"" }
        line(depth, head + (inFString ? "" : at))
      case .attribute(let base, let attribute, let context):
        line(depth, "Attribute attr=\(quote(attribute)) ctx=\(context.rawValue)\(at)")
        optional(depth + 1, "value", base, linesOnly: linesOnly)
      case .subscript(let base, let slice, let context):
        line(depth, "Subscript ctx=\(context.rawValue)\(at)")
        optional(depth + 1, "value", base, linesOnly: linesOnly)
        optional(depth + 1, "slice", slice, linesOnly: linesOnly)
      case .starred(let item, let context):
        line(depth, "Starred ctx=\(context.rawValue)\(at)")
        optional(depth + 1, "value", item, linesOnly: linesOnly)
      case .name(let identifier, let context):
        line(depth, "Name id=\(quote(identifier)) ctx=\(context.rawValue)\(at)")
      case .list(let items, let context):
        line(depth, "List ctx=\(context.rawValue)\(at)")
        expressions(depth + 1, "elts", items, linesOnly: linesOnly)
      case .tuple(let items, let context):
        line(depth, "Tuple ctx=\(context.rawValue)\(at)")
        expressions(depth + 1, "elts", items, linesOnly: linesOnly)
      case .slice(let lower, let upper, let step):
        line(depth, "Slice\(at)")
        optional(depth + 1, "lower", lower, linesOnly: linesOnly)
        optional(depth + 1, "upper", upper, linesOnly: linesOnly)
        optional(depth + 1, "step", step, linesOnly: linesOnly)
      case .magic(let magic):
        line(depth, Writer.magic(magic) + " @\(value.range.start.line)")
      }
    }

    static func constant(_ constant: Constant) -> String {
      switch constant {
      case .none: "None"
      case .bool(let value): value ? "True" : "False"
      case .int(let value): "int:\(value)"
      case .bigInt(let digits): "int:\(digits)"
      case .float(let value): "float:" + bits(value)
      case .imaginary(let value): "complex:" + bits(value)
      case .string(let value, _): "str:" + quote(value)
      case .bytes(let value): "bytes:" + value.map { hex2($0) }.joined()
      case .ellipsis: "Ellipsis"
      }
    }

    static func bits(_ value: Double) -> String {
      let hex = String(value.bitPattern, radix: 16)
      return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func hex2(_ byte: UInt8) -> String {
      let hex = String(byte, radix: 16)
      return hex.count == 1 ? "0" + hex : hex
    }
  }
}

/// The dump's string quoting: backslash, `"` and everything outside printable ASCII escaped.
func quote(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\\": out += "\\\\"
    case "\"": out += "\\\""
    case " "..."~": out.unicodeScalars.append(scalar)
    default: out += "\\u{\(String(scalar.value, radix: 16))}"
    }
  }
  return out + "\""
}

extension Statement {
  /// Whether an IPython escape (a magic, a shell command, a help request) is anywhere in this
  /// statement. Its dump then places every node by line only, as IPython's rewrite moved the
  /// columns.
  public var holdsMagic: Bool {
    var finder = MagicFinder()
    finder.statement(self)
    return finder.found
  }
}

/// Walks a statement looking for an IPython escape (iteratively over the statement's own
/// expressions; the tree's depth is bounded by `ParsingLimits`).
struct MagicFinder {
  var found = false

  mutating func statement(_ statement: Statement) {
    switch statement.kind {
    case .magic: found = true
    case .expression(let value): expression(value)
    case .assign(_, let value): expression(value)
    case .augAssign(_, _, let value): expression(value)
    case .annAssign(_, _, let value, _): if let value { expression(value) }
    case .if(_, let body, let orelse), .while(_, let body, let orelse),
      .for(_, _, let body, let orelse):
      block(body)
      block(orelse)
    case .with(_, let body): block(body)
    case .functionDef(let function): block(function.body)
    case .classDef(let definition): block(definition.body)
    case .try(let body, let handlers, let orelse, let finalbody):
      block(body)
      for handler in handlers { block(handler.body) }
      block(orelse)
      block(finalbody)
    default: break
    }
  }

  mutating func block(_ body: [Statement]) {
    for statement in body { self.statement(statement) }
  }

  mutating func expression(_ value: Expression) {
    if case .magic = value.kind { found = true }
  }
}
