import PythonSyntax

/// A compiled expression: its value in a scope.
typealias CompiledExpression = (Scope) throws(PythonError) -> Value
/// A compiled statement or block: how it completed in a scope.
typealias CompiledStatement = (Scope) throws(PythonError) -> PythonInterpreter.Completion
/// A compiled assignment target: binds a value in a scope.
typealias CompiledTarget = (Scope, Value) throws(PythonError) -> Void

/// Turns a cell or a function body, once, into a tree of closures that runs it.
///
/// Each node's work is decided when it is compiled rather than each time it runs: a name is
/// a slot number or a module cell number (no lookup by name), a constant is its value, a
/// method call on an array goes straight to NumPyKit's method. What a node then does is what
/// the tree-walking evaluator (`evaluate`, `execute`) does for it, through the same helpers
/// (`binary`, `compare`, `item`, `forLoop`, `directCall`, …), so the two cannot drift apart.
/// Constructs that run rarely or need the syntax itself (class bodies, comprehensions,
/// lambdas' defaults, `try`, imports, starred arguments, `super()`, generators) compile to a
/// call of the evaluator on their syntax: the evaluator stays the reference for them.
struct Compiler {
  /// The interpreter the code runs in (not retained: compiled code is held by the
  /// interpreter's own functions, and runs only while it does).
  unowned(unsafe) let interpreter: PythonInterpreter
  /// The scope's layout (the module's for a cell).
  let layout: ScopeLayout
  /// The layouts of the functions (and comprehensions) the code is nested in, innermost
  /// first, class bodies left out: where a free variable may live.
  let enclosing: [ScopeLayout]

  /// A compiler for a cell (code that runs in the module scope).
  init(module interpreter: PythonInterpreter) {
    self.interpreter = interpreter
    self.layout = interpreter.globals.layout
    self.enclosing = []
  }

  /// A compiler for `function`'s body.
  init(function: FunctionObject, in interpreter: PythonInterpreter) {
    self.interpreter = interpreter
    self.layout = function.layout
    var layouts: [ScopeLayout] = []
    var current: Scope? = function.closure
    while let scope = current, !scope.layout.isModule {
      if !scope.isClassBody { layouts.append(scope.layout) }
      current = scope.parent
    }
    self.enclosing = layouts
  }

  // MARK: - Names

  enum Name {
    /// A local in the scope's slots.
    case slot(Int)
    /// A module variable, by cell number.
    case global(Int)
    /// A free variable of an enclosing function, or `nonlocal`: found by name when used.
    case free
  }

  /// Where `name` lives for this code, by Python's scoping rules (decided before it runs).
  func resolve(_ name: String) -> Name {
    if layout.isModule { return .global(interpreter.globals.values.cell(name)) }
    if let slot = layout.slot(name) { return .slot(slot) }
    if layout.nonlocals.contains(name) { return .free }
    if !layout.globals.contains(name), enclosing.contains(where: { $0.slot(name) != nil }) {
      return .free
    }
    return .global(interpreter.globals.values.cell(name))
  }

  // MARK: - Blocks and statements

  /// A block: its statements in order, each failure placed at its statement when nothing
  /// more precise placed it.
  func block(_ statements: [Statement]) -> CompiledStatement {
    switch statements.count {
    case 0:
      return { _ in .normal }
    case 1:
      let only = statement(statements[0])
      let start = statements[0].range.start
      return { scope throws(PythonError) in
        do throws(PythonError) {
          return try only(scope)
        } catch var error {
          if error.location == nil { error.location = start }
          throw error
        }
      }
    default:
      // Wrapped: a closure kept in an array is called through a reabstraction thunk; one
      // kept in a struct's field is not.
      let steps = statements.map { Step(run: statement($0), start: $0.range.start) }
      return { scope throws(PythonError) in
        for step in steps {
          do throws(PythonError) {
            let completion = try step.run(scope)
            if case .normal = completion { continue }
            return completion
          } catch var error {
            if error.location == nil { error.location = step.start }
            throw error
          }
        }
        return .normal
      }
    }
  }

  /// A block's statement and where it starts.
  struct Step {
    let run: CompiledStatement
    let start: SourceLocation
  }

  func statement(_ statement: Statement) -> CompiledStatement {
    unowned(unsafe) let interpreter = interpreter
    let start = statement.range.start
    switch statement.kind {
    case .expression(let value):
      let value = expression(value)
      return { scope throws(PythonError) in
        try interpreter.step(start)
        _ = try value(scope)
        return .normal
      }
    case .assign(let targets, let valueExpression):
      let value = expression(valueExpression)
      if targets.count == 1, case .name(let name, _) = targets[0].kind,
        case .binOp(let left, let op, let operand) = valueExpression.kind, op == .sub || op == .add,
        case .name(name, _) = left.kind
      {
        // `P = P - lr * G`: a rebinding update, told to the observer as `P -= lr * G` is
        // (with the array P was before).
        let target = targets[0]
        let bind = self.target(target)
        let load = expression(left)
        return { scope throws(PythonError) in
          try interpreter.step(start)
          guard interpreter.isObserved else {
            try bind(scope, try value(scope))
            return .normal
          }
          let current = try load(scope)
          let result = try value(scope)
          try bind(scope, result)
          interpreter.noteUpdate(target, op, operand, current, result, in: scope)
          return .normal
        }
      }
      let first = targets[0]
      let targets = targets.map { TargetNode(bind: target($0)) }
      if targets.count == 1 {
        let target = targets[0]
        return { scope throws(PythonError) in
          try interpreter.step(start)
          if interpreter.watchesAssignments {
            interpreter.noteAssignment(first, valueExpression, in: scope)
          }
          try target.bind(scope, try value(scope))
          return .normal
        }
      }
      return { scope throws(PythonError) in
        try interpreter.step(start)
        if interpreter.watchesAssignments {
          interpreter.noteAssignment(first, valueExpression, in: scope)
        }
        let result = try value(scope)
        for target in targets { try target.bind(scope, result) }
        return .normal
      }
    case .augAssign(let target, let op, let value):
      return augmentedAssignment(statement, target, op, value)
    case .if(let test, let body, let orelse):
      let test = expression(test)
      let body = block(body)
      let orelse = block(orelse)
      return { scope throws(PythonError) in
        try interpreter.step(start)
        return try interpreter.truth(try test(scope)) ? try body(scope) : try orelse(scope)
      }
    case .while(let test, let body, let orelse):
      let test = expression(test)
      let body = block(body)
      let orelse = block(orelse)
      let range = statement.range
      return { scope throws(PythonError) in
        try interpreter.step(start)
        return try interpreter.whileLoop(
          at: range, in: scope,
          { () throws(PythonError) in try interpreter.truth(try test(scope)) },
          body: { () throws(PythonError) in try body(scope) },
          orelse: { () throws(PythonError) in try orelse(scope) })
      }
    case .for(let target, let iter, let body, let orelse):
      let iter = expression(iter)
      let target = self.target(target)
      let body = block(body)
      let orelse = block(orelse)
      let range = statement.range
      return { scope throws(PythonError) in
        try interpreter.step(start)
        return try interpreter.forLoop(
          over: try iter(scope), at: range, in: scope,
          assign: { (item) throws(PythonError) in try target(scope, item) },
          body: { () throws(PythonError) in try body(scope) },
          orelse: { () throws(PythonError) in try orelse(scope) })
      }
    case .pass:
      return { _ throws(PythonError) in
        try interpreter.step(start)
        return .normal
      }
    case .break:
      return { _ throws(PythonError) in
        try interpreter.step(start)
        return .breakLoop
      }
    case .continue:
      return { _ throws(PythonError) in
        try interpreter.step(start)
        return .continueLoop
      }
    case .return(let value):
      guard let value else {
        return { _ throws(PythonError) in
          try interpreter.step(start)
          return .returned(.none)
        }
      }
      let result = expression(value)
      return { scope throws(PythonError) in
        try interpreter.step(start)
        return .returned(try result(scope))
      }
    default:
      return { scope throws(PythonError) in try interpreter.execute(statement, in: scope) }
    }
  }

  /// `target op= value` (see `PythonInterpreter.augmentedAssign`).
  func augmentedAssignment(
    _ statement: Statement, _ target: PythonSyntax.Expression, _ op: BinaryOperator,
    _ value: PythonSyntax.Expression
  ) -> CompiledStatement {
    unowned(unsafe) let interpreter = interpreter
    let start = statement.range.start
    let operand = expression(value)
    switch target.kind {
    case .name:
      let load = expression(target)
      let store = self.target(target)
      return { scope throws(PythonError) in
        try interpreter.step(start)
        let current = try load(scope)
        let result = try interpreter.inPlace(op, current, try operand(scope))
        try store(scope, result)
        interpreter.noteUpdate(target, op, value, current, result, in: scope)
        return .normal
      }
    case .subscript(let base, let index, _):
      let base = expression(base)
      let index = expression(index)
      return { scope throws(PythonError) in
        try interpreter.step(start)
        let container = try base(scope)
        let key = try index(scope)
        let current = try Subscripts.load(container, key)
        let result = try interpreter.inPlace(op, current, try operand(scope))
        try Subscripts.store(container, key, result)
        interpreter.noteUpdate(target, op, value, current, result, in: scope)
        return .normal
      }
    case .attribute(let base, let name, _):
      let base = expression(base)
      return { scope throws(PythonError) in
        try interpreter.step(start)
        let object = try base(scope)
        let current = try interpreter.attribute(object, name)
        let result = try interpreter.inPlace(op, current, try operand(scope))
        try interpreter.setAttribute(object, name, result)
        interpreter.noteUpdate(target, op, value, current, result, in: scope)
        return .normal
      }
    default:
      return { scope throws(PythonError) in try interpreter.execute(statement, in: scope) }
    }
  }

  /// An assignment target (see `PythonInterpreter.assign`).
  func target(_ target: PythonSyntax.Expression) -> CompiledTarget {
    unowned(unsafe) let interpreter = interpreter
    switch target.kind {
    case .name(let name, _):
      switch resolve(name) {
      case .slot(let slot):
        return { scope, value in scope.slots[slot] = value }
      case .global(let cell):
        unowned(unsafe) let globals = interpreter.globals
        return { _, value in globals.values.set(cell: cell, value) }
      case .free:
        return { scope, value throws(PythonError) in try interpreter.store(name, value, in: scope) }
      }
    case .subscript(let base, let index, _):
      let base = expression(base)
      let index = expression(index)
      return { scope, value throws(PythonError) in
        let container = try base(scope)
        try Subscripts.store(container, try index(scope), value)
      }
    case .attribute(let base, let name, _):
      let base = expression(base)
      return { scope, value throws(PythonError) in
        try interpreter.setAttribute(try base(scope), name, value)
      }
    case .tuple(let items, _) where !items.contains(where: \.isStarred):
      return unpacking(items)
    case .list(let items, _) where !items.contains(where: \.isStarred):
      return unpacking(items)
    default:
      return { scope, value throws(PythonError) in try interpreter.assign(target, value, in: scope)
      }
    }
  }

  /// `a, b = value` (no starred target).
  func unpacking(_ items: [PythonSyntax.Expression]) -> CompiledTarget {
    unowned(unsafe) let interpreter = interpreter
    let targets = items.map { TargetNode(bind: target($0)) }
    return { scope, value throws(PythonError) in
      let values = try interpreter.iterate(value)
      guard values.count == targets.count else {
        throw PythonInterpreter.unpackError(expected: targets.count, got: values.count)
      }
      for (target, item) in zip(targets, values) { try target.bind(scope, item) }
    }
  }

  /// A compiled target kept in an array (see `Step`).
  struct TargetNode {
    let bind: CompiledTarget
  }

  // MARK: - Expressions

  func expression(_ expression: PythonSyntax.Expression) -> CompiledExpression {
    unowned(unsafe) let interpreter = interpreter
    let location = expression.range.start
    let walk: CompiledExpression = { scope throws(PythonError) in
      try interpreter.evaluate(expression, in: scope)
    }
    switch expression.kind {
    case .constant(let constant):
      do {
        let value = try PythonInterpreter.constant(constant, at: location)
        return { _ in value }
      } catch {
        return { _ throws(PythonError) in throw error }
      }
    case .name(let name, _):
      return load(name, at: location)
    case .binOp(let left, let op, let right):
      let left = self.expression(left)
      let right = self.expression(right)
      return { scope throws(PythonError) in
        let a = try left(scope)
        return try interpreter.binary(op, a, try right(scope), at: location)
      }
    case .unaryOp(let op, let operand):
      let operand = self.expression(operand)
      return { scope throws(PythonError) in try interpreter.unary(op, try operand(scope)) }
    case .boolOp(let op, let values):
      let values = nodes(values)
      return { scope throws(PythonError) in
        var result = Value.none
        for value in values {
          result = try value.run(scope)
          let isTrue = try interpreter.truth(result)
          if op == .and && !isTrue { return result }
          if op == .or && isTrue { return result }
        }
        return result
      }
    case .compare(let left, let ops, let comparators):
      let left = self.expression(left)
      let comparators = nodes(comparators)
      return { scope throws(PythonError) in
        try interpreter.compare(try left(scope), ops) { (k) throws(PythonError) in
          try comparators[k].run(scope)
        }
      }
    case .ifExp(let test, let body, let orelse):
      let test = self.expression(test)
      let body = self.expression(body)
      let orelse = self.expression(orelse)
      return { scope throws(PythonError) in
        try interpreter.truth(try test(scope)) ? try body(scope) : try orelse(scope)
      }
    case .call(let function, let arguments, let keywords):
      return call(expression, function, arguments, keywords, else: walk)
    case .attribute(let base, let name, _) where !PythonInterpreter.isRefusedDunder(name):
      let base = self.expression(base)
      return { scope throws(PythonError) in
        try interpreter.attribute(try base(scope), name, at: location)
      }
    case .subscript(let base, let index, _):
      let base = self.expression(base)
      let index = self.expression(index)
      return { scope throws(PythonError) in
        let container = try base(scope)
        return try interpreter.item(container, try index(scope), at: location)
      }
    case .slice(let lower, let upper, let step):
      let lower = part(lower)
      let upper = part(upper)
      let step = part(step)
      return { scope throws(PythonError) in
        let start = try lower(scope)
        let stop = try upper(scope)
        return .slice(start, stop, try step(scope))
      }
    case .tuple(let items, _) where !items.contains(where: \.isStarred):
      let items = nodes(items)
      return { scope throws(PythonError) in .tuple(try Self.values(items, in: scope)) }
    case .list(let items, _) where !items.contains(where: \.isStarred):
      let items = nodes(items)
      return { scope throws(PythonError) in
        .list(ListObject(try Self.values(items, in: scope)))
      }
    default:
      return walk
    }
  }

  /// A slice's bound: its expression, or None when it is left out.
  func part(_ bound: PythonSyntax.Expression?) -> CompiledExpression {
    guard let bound else { return { _ in .none } }
    return expression(bound)
  }

  /// A compiled expression kept in an array (see `Step`).
  struct Node {
    let run: CompiledExpression
  }

  func nodes(_ expressions: [PythonSyntax.Expression]) -> [Node] {
    expressions.map { Node(run: expression($0)) }
  }

  /// Each of `items`' values, in order.
  static func values(_ items: [Node], in scope: Scope) throws(PythonError) -> [Value] {
    var values: [Value] = []
    values.reserveCapacity(items.count)
    for item in items { values.append(try item.run(scope)) }
    return values
  }

  /// Reading the variable `name` (see `PythonInterpreter.load`).
  func load(_ name: String, at location: SourceLocation) -> CompiledExpression {
    unowned(unsafe) let interpreter = interpreter
    // The slow path: by name, for the error CPython raises (and for free variables).
    let byName: CompiledExpression = { scope throws(PythonError) in
      do throws(PythonError) {
        return try interpreter.load(name, in: scope)
      } catch var error {
        if error.location == nil { error.location = location }
        throw error
      }
    }
    switch resolve(name) {
    case .slot(let slot):
      return { scope throws(PythonError) in
        if let value = scope.slots[slot] { return value }
        return try byName(scope)
      }
    case .global(let cell):
      unowned(unsafe) let globals = interpreter.globals
      guard let builtin = interpreter.builtins[name] else {
        return { scope throws(PythonError) in
          if let value = globals.values.value(inCell: cell) { return value }
          return try byName(scope)
        }
      }
      return { _ in globals.values.value(inCell: cell) ?? builtin }
    case .free:
      return byName
    }
  }

  /// A call (see `PythonInterpreter.evaluateCall`); `walk` for the forms the evaluator runs
  /// (`super().name(…)`, `*args`, `**kwargs`). (Not an optional closure: one kept in an
  /// optional is called through a reabstraction thunk.)
  func call(
    _ expression: PythonSyntax.Expression, _ function: PythonSyntax.Expression,
    _ arguments: [PythonSyntax.Expression], _ keywords: [Keyword],
    else walk: @escaping CompiledExpression
  ) -> CompiledExpression {
    unowned(unsafe) let interpreter = interpreter
    let location = expression.range.start
    if arguments.contains(where: \.isStarred) || keywords.contains(where: { $0.name == nil }) {
      return walk
    }
    if case .attribute(let base, let name, _) = function.kind {
      if PythonInterpreter.isRefusedDunder(name) { return walk }
      if case .call(let callee, let superArguments, _) = base.kind,
        case .name("super", _) = callee.kind, superArguments.isEmpty
      {
        return walk
      }
    }
    let positional = nodes(arguments)
    let names = keywords.map { $0.name ?? "" }
    let named = nodes(keywords.map(\.value))
    func evaluateArguments(_ scope: Scope) throws(PythonError) -> ([Value], [(String, Value)]) {
      let values = try Self.values(positional, in: scope)
      var pairs: [(String, Value)] = []
      for (name, value) in zip(names, named) { pairs.append((name, try value.run(scope))) }
      return (values, pairs)
    }
    // The callee found, the call itself: print while observed, a plain function given its
    // parameters exactly, anything else through `call`.
    func invoke(_ callee: Value, _ scope: Scope) throws(PythonError) -> Value {
      if try interpreter.observedPrint(callee, arguments, keywords, in: scope, at: location) {
        return .none
      }
      if named.isEmpty,
        let (target, empty, parameters) = interpreter.directCall(
          callee, arguments: positional.count)
      {
        var slots = empty
        for (argument, slot) in zip(positional, parameters) {
          slots[slot] = try argument.run(scope)
        }
        return try interpreter.callFunction(target, slots: consume slots, at: location)
      }
      let (values, pairs) = try evaluateArguments(scope)
      return try interpreter.call(callee, values, pairs, at: location)
    }
    guard case .attribute(let base, let name, _) = function.kind else {
      let function = self.expression(function)
      return { scope throws(PythonError) in try invoke(try function(scope), scope) }
    }
    let object = self.expression(base)
    let attributeLocation = function.range.start
    // `a.dot(b)`, `g.sum(axis=0)` on an array: called without a bound method object.
    let arrayMethod = ArrayMethods.direct(name)
    return { scope throws(PythonError) in
      let receiver = try object(scope)
      if let arrayMethod, case .array(let held) = receiver {
        let (values, pairs) = try evaluateArguments(scope)
        return try interpreter.callArrayMethod(arrayMethod, held, name, values, pairs, at: location)
      }
      return try invoke(
        try interpreter.attribute(receiver, name, at: attributeLocation), scope)
    }
  }
}

extension PythonSyntax.Expression {
  /// Whether it is `*value`.
  var isStarred: Bool {
    if case .starred = kind { return true }
    return false
  }
}
