import PythonSyntax

/// What is refused before a cell runs: imports of modules that could reach the machine, and
/// any dunder attribute (`().__class__.__bases__`) but the few plain code uses.
enum Sandbox {
  static let allowedDunders: Set<String> = ["__init__", "__name__", "__doc__", "__version__"]

  static func check(_ module: Module) throws(PythonError) {
    for statement in module.body { try check(statement) }
    var walker = DunderWalker()
    for statement in module.body { walker.statement(statement) }
    if let (name, location) = walker.found {
      throw PythonError(
        refusal: "retrace does not run code that reaches '\(name)' (a dunder attribute)",
        at: location)
    }
  }

  static func check(_ statement: Statement) throws(PythonError) {
    switch statement.kind {
    case .import(let names):
      for alias in names {
        let top = String(alias.name.split(separator: ".").first ?? "")
        if Modules.refused.contains(top) {
          throw PythonError(
            refusal: "retrace does not run 'import \(alias.name)': the module could reach "
              + "outside the notebook", at: alias.range.start)
        }
      }
    case .importFrom(let module, _, _):
      let top = String((module ?? "").split(separator: ".").first ?? "")
      if Modules.refused.contains(top) {
        throw PythonError(
          refusal: "retrace does not run 'from \(module ?? "") import ...': the module could "
            + "reach outside the notebook", at: statement.range.start)
      }
    case .functionDef(let function): for inner in function.body { try check(inner) }
    case .classDef(let definition): for inner in definition.body { try check(inner) }
    case .if(_, let body, let orelse), .while(_, let body, let orelse),
      .for(_, _, let body, let orelse):
      for inner in body + orelse { try check(inner) }
    case .try(let body, let handlers, let orelse, let finalbody):
      for inner in body + orelse + finalbody { try check(inner) }
      for handler in handlers { for inner in handler.body { try check(inner) } }
    case .with(_, let body): for inner in body { try check(inner) }
    default: break
    }
  }
}

/// Runs the interpreter on a thread with a large stack (Python recursion becomes Swift
/// recursion): PythonSyntax's thread runner.
enum LargeRun {
  static func run<T>(_ body: @escaping () -> T) -> T {
    LargeStack.run(inline: false) { _ in body() }
  }
}

/// Finds the first dunder attribute in a cell (the tree's depth is bounded by the parser's
/// limits, and this runs on the interpreter's large stack).
struct DunderWalker {
  var found: (String, SourceLocation)?
  /// Look for `yield` in one function's own body (not in nested functions, classes or
  /// lambdas) instead of dunder attributes.
  var findsYield = false

  /// Whether a function body yields (so the function is a generator).
  static func yields(_ body: [Statement]) -> Bool {
    var walker = DunderWalker()
    walker.findsYield = true
    for statement in body { walker.statement(statement) }
    return walker.found != nil
  }

  mutating func statement(_ statement: Statement) {
    guard found == nil else { return }
    switch statement.kind {
    case .expression(let value), .return(.some(let value)): expression(value)
    case .assign(let targets, let value):
      for item in targets { expression(item) }
      expression(value)
    case .augAssign(let target, _, let value):
      expression(target)
      expression(value)
    case .annAssign(let target, _, let value, _):
      expression(target)
      if let value { expression(value) }
    case .for(let target, let iter, let body, let orelse):
      expression(target)
      expression(iter)
      for item in (body + orelse) { self.statement(item) }
    case .while(let test, let body, let orelse), .if(let test, let body, let orelse):
      expression(test)
      for item in (body + orelse) { self.statement(item) }
    case .functionDef(let function):
      for item in function.decorators { expression(item) }
      for item in function.arguments.defaults { expression(item) }
      if !findsYield { for item in function.body { self.statement(item) } }
    case .classDef(let definition):
      for item in definition.bases { expression(item) }
      if !findsYield { for item in definition.body { self.statement(item) } }
    case .try(let body, let handlers, let orelse, let finalbody):
      for item in (body + orelse + finalbody) { self.statement(item) }
      for handler in handlers {
        if let type = handler.type { expression(type) }
        for item in handler.body { self.statement(item) }
      }
    case .with(let items, let body):
      for item in items { expression(item.context) }
      for item in body { self.statement(item) }
    case .raise(let exception, let cause):
      if let exception { expression(exception) }
      if let cause { expression(cause) }
    case .assert(let test, let message):
      expression(test)
      if let message { expression(message) }
    case .delete(let targets): for item in targets { expression(item) }
    default: break
    }
  }

  mutating func expression(_ value: PythonSyntax.Expression) {
    guard found == nil else { return }
    switch value.kind {
    case .yield(let inner):
      if findsYield {
        found = ("yield", value.range.start)
        return
      }
      if let inner { expression(inner) }
    case .yieldFrom(let inner):
      if findsYield {
        found = ("yield", value.range.start)
        return
      }
      expression(inner)
    case .attribute(let base, let name, _):
      if !findsYield && name.hasPrefix("__") && name.hasSuffix("__")
        && !Sandbox.allowedDunders.contains(name)
      {
        found = (name, value.range.start)
        return
      }
      expression(base)
    case .binOp(let left, _, let right):
      expression(left)
      expression(right)
    case .unaryOp(_, let operand): expression(operand)
    case .boolOp(_, let values), .tuple(let values, _), .list(let values, _), .set(let values),
      .joinedStr(let values):
      for item in values { expression(item) }
    case .compare(let left, _, let rest):
      expression(left)
      for item in rest { expression(item) }
    case .call(let function, let arguments, let keywords):
      expression(function)
      for item in arguments { expression(item) }
      for item in keywords { expression(item.value) }
    case .subscript(let base, let index, _):
      expression(base)
      expression(index)
    case .ifExp(let test, let body, let orelse):
      expression(test)
      expression(body)
      expression(orelse)
    case .lambda(_, let body): if !findsYield { expression(body) }
    case .dict(let keys, let values):
      for key in keys { if let key { expression(key) } }
      for item in values { expression(item) }
    case .listComp(let element, let clauses), .setComp(let element, let clauses),
      .generatorExp(let element, let clauses):
      expression(element)
      for clause in clauses {
        expression(clause.iter)
        for item in clause.ifs { expression(item) }
      }
    case .dictComp(let key, let item, let clauses):
      expression(key)
      expression(item)
      for clause in clauses {
        expression(clause.iter)
        for item in clause.ifs { expression(item) }
      }
    case .formattedValue(let inner, _, let spec):
      expression(inner)
      if let spec { expression(spec) }
    case .starred(let inner, _): expression(inner)
    case .namedExpr(_, let inner): expression(inner)
    case .slice(let lower, let upper, let step):
      for part in [lower, upper, step] { if let part { expression(part) } }
    default: break
    }
  }
}
