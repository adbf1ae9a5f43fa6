import NumPyKit
import PythonSyntax

extension PythonInterpreter {
  func evaluate(_ expression: PythonSyntax.Expression, in scope: Scope) throws(PythonError) -> Value
  {
    switch expression.kind {
    case .constant(let constant):
      return try Self.constant(constant, at: expression.range.start)
    case .name(let name, _):
      do {
        return try load(name, in: scope)
      } catch var error {
        if error.location == nil { error.location = expression.range.start }
        throw error
      }
    case .binOp(let left, let op, let right):
      let a = try evaluate(left, in: scope)
      return try binary(op, a, try evaluate(right, in: scope), at: expression.range.start)
    case .unaryOp(let op, let operand):
      return try unary(op, try evaluate(operand, in: scope))
    case .boolOp(let op, let values):
      var result = Value.none
      for value in values {
        result = try evaluate(value, in: scope)
        let isTrue = try truth(result)
        if op == .and && !isTrue { return result }
        if op == .or && isTrue { return result }
      }
      return result
    case .compare(let left, let ops, let comparators):
      return try compare(try evaluate(left, in: scope), ops) { (k) throws(PythonError) in
        try self.evaluate(comparators[k], in: scope)
      }
    case .ifExp(let test, let body, let orelse):
      return try evaluate(try truth(try evaluate(test, in: scope)) ? body : orelse, in: scope)
    case .call(let function, let arguments, let keywords):
      return try evaluateCall(function, arguments, keywords, in: scope, at: expression.range.start)
    case .attribute(let base, let name, _):
      return try attribute(
        try receiver(base, name, in: scope, at: expression.range.start), name,
        at: expression.range.start)
    case .subscript(let base, let index, _):
      let container = try evaluate(base, in: scope)
      return try item(container, try evaluate(index, in: scope), at: expression.range.start)
    case .slice(let lower, let upper, let step):
      func part(_ value: PythonSyntax.Expression?) throws(PythonError) -> Value {
        guard let value else { return .none }
        return try evaluate(value, in: scope)
      }
      return .slice(try part(lower), try part(upper), try part(step))
    case .tuple(let items, _):
      return .tuple(try evaluateItems(items, in: scope))
    case .list(let items, _):
      return .list(ListObject(try evaluateItems(items, in: scope)))
    case .set(let items):
      let set = SetObject()
      for item in try evaluateItems(items, in: scope) { set.insert(item, try HashKey(item)) }
      return .set(set)
    case .dict(let keys, let values):
      let dict = DictObject()
      for (key, value) in zip(keys, values) {
        if let key {
          let k = try evaluate(key, in: scope)
          dict.set(k, try HashKey(k), try evaluate(value, in: scope))
        } else {
          guard case .dict(let other) = try evaluate(value, in: scope) else {
            throw PythonError.type("'\(value)' object is not a mapping")
          }
          for (k, v) in zip(other.keys, other.values) { dict.set(k, try HashKey(k), v) }
        }
      }
      return .dict(dict)
    case .joinedStr(let pieces):
      var text = ""
      for piece in pieces { text += try formatPiece(piece, in: scope) }
      return .str(text)
    case .formattedValue:
      return .str(try formatPiece(expression, in: scope))
    case .lambda(let arguments, let body):
      let (defaults, keywordDefaults) = try evaluateDefaults(arguments, in: scope)
      let layout = ScopeLayout.function(parameters: parameterNames(arguments), body: [])
      let lambda = FunctionObject(
        name: "<lambda>", arguments: arguments, body: .expression(body), defaults: defaults,
        keywordDefaults: keywordDefaults, closure: scope, globals: globals, layout: layout)
      lambda.module = runCount
      return .function(lambda)
    case .listComp(let element, let clauses):
      var items: [Value] = []
      try comprehend(clauses, in: scope) { (inner) throws(PythonError) in
        items.append(try self.evaluate(element, in: inner))
      }
      return .list(ListObject(items))
    case .generatorExp(let element, let clauses):
      // Materialised: a generator consumed once (by sum, list, any …) behaves the same.
      var items: [Value] = []
      try comprehend(clauses, in: scope) { (inner) throws(PythonError) in
        items.append(try self.evaluate(element, in: inner))
      }
      return .list(ListObject(items))
    case .setComp(let element, let clauses):
      let set = SetObject()
      try comprehend(clauses, in: scope) { (inner) throws(PythonError) in
        let item = try self.evaluate(element, in: inner)
        set.insert(item, try HashKey(item))
      }
      return .set(set)
    case .dictComp(let key, let value, let clauses):
      let dict = DictObject()
      try comprehend(clauses, in: scope) { (inner) throws(PythonError) in
        let k = try self.evaluate(key, in: inner)
        dict.set(k, try HashKey(k), try self.evaluate(value, in: inner))
      }
      return .dict(dict)
    case .namedExpr(let target, let value):
      let result = try evaluate(value, in: scope)
      if case .name(let name, _) = target.kind {
        // In a comprehension, the name binds in the enclosing function.
        var owner = scope
        while owner.isComprehension, let parent = owner.parent { owner = parent }
        try store(name, result, in: owner)
      }
      return result
    case .starred:
      throw PythonError.raise("SyntaxError", "can't use starred expression here")
    case .yield(let inner):
      guard !yielded.isEmpty else {
        throw PythonError.raise("SyntaxError", "'yield' outside function")
      }
      let value = try inner.map { (inner) throws(PythonError) in try evaluate(inner, in: scope) }
      yielded[yielded.count - 1].append(value ?? .none)
      if yielded[yielded.count - 1].count > limits.maximumElements {
        throw PythonError(refusal: "a generator yielded more than \(limits.maximumElements) items")
      }
      return .none
    case .yieldFrom(let inner):
      guard !yielded.isEmpty else {
        throw PythonError.raise("SyntaxError", "'yield' outside function")
      }
      yielded[yielded.count - 1].append(contentsOf: try iterate(try evaluate(inner, in: scope)))
      return .none
    case .magic:
      return .none
    }
  }

  /// `a op b` for values (`+`, `*`, `%` formatting, a user class's `__add__`, NumPy's
  /// operators); an error without a location is placed at `location`.
  func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at location: SourceLocation)
    throws(PythonError) -> Value
  {
    if let overloaded = try userOperator(op, a, b) { return overloaded }
    if op == .mod, case .str(let template) = a {
      return .str(try PercentFormat.format(template, b, interpreter: self))
    }
    do {
      return try Operators.binary(op, a, b, elementLimit: limits.maximumElements)
    } catch var error {
      if error.location == nil { error.location = location }
      throw error
    }
  }

  /// `op value` (`-x`, `not x`, `~mask`).
  func unary(_ op: UnaryOperator, _ value: Value) throws(PythonError) -> Value {
    if value.unverifiableReason == nil, let result = try NumPyOperators.unary(op, value) {
      return result
    }
    return try Operators.unary(op, value, truth: truth)
  }

  /// `first op0 c0 op1 c1 …`, each comparator evaluated (by `comparator(k)`) only when the
  /// chain gets to it; one comparison with an array is NumPy's elementwise array.
  func compare(
    _ first: Value, _ ops: [ComparisonOperator],
    _ comparator: (Int) throws(PythonError) -> Value
  ) throws(PythonError) -> Value {
    var current = first
    for (k, op) in ops.enumerated() {
      var next = try comparator(k)
      if current.unverifiableReason != nil || next.unverifiableReason != nil {
        // A comparison with an unverifiable value is unverifiable (so is the chain).
        let marks = [current, next]
        current = current.unmarked
        next = next.unmarked
        if ops.count == 1 {
          if let elementwise = try NumPyOperators.compare(op, current, next) {
            return Value.marking(elementwise, from: marks)
          }
          return Value.marking(.bool(try compare(op, current, next)), from: marks)
        }
      }
      if ops.count == 1, let elementwise = try NumPyOperators.compare(op, current, next) {
        return elementwise
      }
      if let elementwise = try NumPyOperators.compare(op, current, next) {
        guard try truth(elementwise) else { return .bool(false) }
        current = next
        continue
      }
      guard try compare(op, current, next) else { return .bool(false) }
      current = next
    }
    return .bool(true)
  }

  /// `container[key]` for values (a user class's `__getitem__`, sequences, mappings, NumPy
  /// indexing); an error without a location is placed at `location`.
  func item(_ container: Value, _ key: Value, at location: SourceLocation) throws(PythonError)
    -> Value
  {
    if case .instance(let object) = container, let method = object.cls.lookup("__getitem__"),
      case .function(let function) = method
    {
      return try callFunction(function, [container, key], [])
    }
    do {
      return try Subscripts.load(container, key)
    } catch var error {
      if error.location == nil { error.location = location }
      throw error
    }
  }

  static let dunders: [BinaryOperator: (String, String)] = [
    .add: ("__add__", "__radd__"), .sub: ("__sub__", "__rsub__"),
    .mult: ("__mul__", "__rmul__"), .div: ("__truediv__", "__rtruediv__"),
    .matMult: ("__matmul__", "__rmatmul__"), .floorDiv: ("__floordiv__", "__rfloordiv__"),
    .mod: ("__mod__", "__rmod__"), .pow: ("__pow__", "__rpow__"),
  ]

  /// `a + b` where `a` (or, reflected, `b`) is an instance with `__add__` (`__radd__`) …
  func userOperator(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(PythonError) -> Value? {
    switch (a, b) {
    case (.instance, _), (_, .instance): break
    default: return nil
    }
    guard let (name, reflected) = Self.dunders[op] else { return nil }
    if case .instance(let object) = a, let method = object.cls.lookup(name),
      case .function(let function) = method
    {
      return try callFunction(function, [a, b], [])
    }
    if case .instance(let object) = b, let method = object.cls.lookup(reflected),
      case .function(let function) = method
    {
      return try callFunction(function, [b, a], [])
    }
    return nil
  }

  static func constant(_ constant: Constant, at location: SourceLocation) throws(PythonError)
    -> Value
  {
    switch constant {
    case .none: return .none
    case .bool(let flag): return .bool(flag)
    case .int(let number): return .int(number)
    case .bigInt(let digits):
      throw PythonError(
        refusal: "retrace's ints are 64-bit: the literal \(digits) is beyond them", at: location)
    case .float(let number): return .float(number)
    case .imaginary:
      throw PythonError(refusal: "retrace does not run complex numbers", at: location)
    case .string(let text, _): return .str(text)
    case .bytes:
      throw PythonError(refusal: "retrace does not run bytes literals", at: location)
    case .ellipsis:
      return .ellipsis
    }
  }

  func evaluateItems(_ items: [PythonSyntax.Expression], in scope: Scope) throws(PythonError)
    -> [Value]
  {
    var values: [Value] = []
    values.reserveCapacity(items.count)
    for item in items {
      if case .starred(let inner, _) = item.kind {
        values.append(contentsOf: try iterate(try evaluate(inner, in: scope)))
      } else {
        values.append(try evaluate(item, in: scope))
      }
    }
    return values
  }

  /// Runs `body` once for each combination of a comprehension's clauses, in a scope of its own
  /// (its loop variables do not leak).
  func comprehend(
    _ clauses: [Comprehension], in scope: Scope, _ body: (Scope) throws(PythonError) -> Void
  ) throws(PythonError) {
    var collector = BindingCollector()
    for clause in clauses { collector.target(clause.target) }
    let layout = ScopeLayout(locals: collector.bound)
    let inner = Scope(parent: scope, layout: layout)
    inner.isComprehension = true
    // The first iterable is evaluated in the enclosing scope, as CPython does.
    func run(_ index: Int, _ iterable: Value?) throws(PythonError) {
      guard index < clauses.count else {
        try body(inner)
        return
      }
      let clause = clauses[index]
      let source: Value
      if let iterable { source = iterable } else { source = try evaluate(clause.iter, in: inner) }
      for item in try iterate(source) {
        try step(clause.target.range.start)
        try assign(clause.target, item, in: inner)
        var keep = true
        for condition in clause.ifs where keep {
          keep = try truth(try evaluate(condition, in: inner))
        }
        if keep { try run(index + 1, nil) }
      }
    }
    guard let first = clauses.first else { return }
    try run(0, try evaluate(first.iter, in: scope))
  }

  /// One piece of an f-string: literal text or a replacement field.
  func formatPiece(_ piece: PythonSyntax.Expression, in scope: Scope) throws(PythonError) -> String
  {
    try formatPieceWithValue(piece, in: scope).text
  }

  /// An f-string piece's text and, for a field, the value it formatted (evaluated once).
  func formatPieceWithValue(_ piece: PythonSyntax.Expression, in scope: Scope)
    throws(PythonError) -> (text: String, value: Value?)
  {
    switch piece.kind {
    case .constant(.string(let text, _)):
      return (text, nil)
    case .formattedValue(let value, let conversion, let spec):
      let evaluated = try evaluate(value, in: scope)
      var result = evaluated
      switch conversion {
      case 0x72: result = .str(try repr(result))
      case 0x73: result = .str(try str(result))
      case 0x61: result = .str(Printer.asciiRepr(try repr(result)))
      default: break
      }
      var specText = ""
      if let spec {
        guard case .joinedStr(let parts) = spec.kind else { return ("", evaluated) }
        for part in parts { specText += try formatPiece(part, in: scope) }
      }
      return (try format(result, specText), evaluated)
    default:
      let evaluated = try evaluate(piece, in: scope)
      return (try str(evaluated), evaluated)
    }
  }

  // MARK: - Calls

  func evaluateCall(
    _ function: PythonSyntax.Expression, _ arguments: [PythonSyntax.Expression],
    _ keywords: [Keyword], in scope: Scope,
    at location: SourceLocation
  ) throws(PythonError) -> Value {
    // super().method(...): the method of the defining class's base, bound to `self`.
    let callee: Value
    if case .attribute(let base, let name, _) = function.kind,
      case .call(let superName, let superArguments, _) = base.kind,
      case .name("super", _) = superName.kind, superArguments.isEmpty
    {
      callee = try superAttribute(name, in: scope)
    } else if case .attribute(let base, let name, _) = function.kind {
      let object = try receiver(base, name, in: scope, at: function.range.start)
      // `a.dot(b)`, `g.sum(axis=0)` on an array: called without a bound method object.
      if case .array(let held) = object, let method = ArrayMethods.direct(name) {
        let (positional, named) = try evaluateArguments(arguments, keywords, in: scope)
        return try callArrayMethod(method, held, name, positional, named, at: location)
      }
      callee = try attribute(object, name, at: function.range.start)
    } else {
      callee = try evaluate(function, in: scope)
    }
    if try observedPrint(callee, arguments, keywords, in: scope, at: location) { return .none }
    if keywords.isEmpty,
      !arguments.contains(where: { if case .starred = $0.kind { true } else { false } }),
      let (target, empty, parameters) = directCall(callee, arguments: arguments.count)
    {
      var slots = empty
      for (argument, slot) in zip(arguments, parameters) {
        slots[slot] = try evaluate(argument, in: scope)
      }
      return try callFunction(target, slots: consume slots, at: location)
    }
    let (positional, named) = try evaluateArguments(arguments, keywords, in: scope)
    return try call(callee, positional, named, at: location)
  }

  /// Whether `callee` is `print` called while an observer watches, and so was run as an
  /// observed print (the observer gets its pieces, each with its argument's source range).
  func observedPrint(
    _ callee: Value, _ arguments: [PythonSyntax.Expression], _ keywords: [Keyword],
    in scope: Scope, at location: SourceLocation
  ) throws(PythonError) -> Bool {
    guard isObserved, let observer, case .builtin(let builtin) = callee, builtin.name == "print"
    else { return false }
    do {
      try observedPrint(
        arguments, keywords: keywords, range: SourceRange(start: location, end: location),
        in: scope, observer: observer)
      return true
    } catch var error {
      if error.location == nil { error.location = location }
      throw error
    }
  }

  /// For a call of `callee` with `count` positional arguments and nothing else: a plain
  /// function (or a bound method's) that they fill exactly, its scope's slots (a bound
  /// method's receiver already in the first parameter's) and the slots the arguments go in,
  /// in order. The arguments then go straight into the callee's slots: no argument array, no
  /// binding by name.
  func directCall(_ callee: Value, arguments count: Int) -> (
    FunctionObject, [Value?], ArraySlice<Int>
  )? {
    let target: FunctionObject
    let receiver: Value?
    switch callee {
    case .function(let function): (target, receiver) = (function, nil)
    case .boundMethod(let object, let function): (target, receiver) = (function, object)
    default: return nil
    }
    guard let parameterSlots = target.parameterSlots,
      parameterSlots.count == count + (receiver == nil ? 0 : 1)
    else { return nil }
    var slots = [Value?].filled(with: nil, count: target.layout.slotNames.count)
    guard let receiver else { return (target, slots, parameterSlots[...]) }
    slots[parameterSlots[0]] = receiver
    return (target, slots, parameterSlots.dropFirst())
  }

  /// `call(callee, positional, named)`, an error without a location placed at `location`.
  func call(
    _ callee: Value, _ positional: [Value], _ named: [(String, Value)],
    at location: SourceLocation
  ) throws(PythonError) -> Value {
    do {
      return try call(callee, positional, named)
    } catch var error {
      if error.location == nil { error.location = location }
      throw error
    }
  }

  /// `callFunction(target, slots:)`, an error without a location placed at `location`.
  func callFunction(
    _ target: FunctionObject, slots: consuming [Value?], at location: SourceLocation
  )
    throws(PythonError) -> Value
  {
    do {
      return try callFunction(target, slots: consume slots)
    } catch var error {
      if error.location == nil { error.location = location }
      throw error
    }
  }

  /// The object `base.name` is looked up on, after the sandbox's refusal of dunder names.
  func receiver(
    _ base: PythonSyntax.Expression, _ name: String, in scope: Scope, at location: SourceLocation
  ) throws(PythonError) -> Value {
    if Self.isRefusedDunder(name) {
      throw PythonError(
        refusal: "retrace does not run code that reaches '\(name)' (a dunder attribute)",
        at: location)
    }
    return try evaluate(base, in: scope)
  }

  /// Whether `base.name` is refused for its name: a dunder attribute other than the
  /// harmless `__name__`, `__version__` and `__doc__`.
  static func isRefusedDunder(_ name: String) -> Bool {
    name.utf8.first == UInt8(ascii: "_") && name.hasPrefix("__") && name.hasSuffix("__")
      && name != "__name__" && name != "__version__" && name != "__doc__"
  }

  /// `object.name`, an error without a location placed at `location`.
  func attribute(_ object: Value, _ name: String, at location: SourceLocation)
    throws(PythonError) -> Value
  {
    do {
      return try attribute(object, name)
    } catch var error {
      if error.location == nil { error.location = location }
      throw error
    }
  }

  /// A call's positional arguments (`*iterable` spread) and keyword arguments (`**mapping`
  /// spread), evaluated left to right.
  func evaluateArguments(
    _ arguments: [PythonSyntax.Expression], _ keywords: [Keyword], in scope: Scope
  ) throws(PythonError) -> ([Value], [(String, Value)]) {
    var positional: [Value] = []
    positional.reserveCapacity(arguments.count)
    for argument in arguments {
      if case .starred(let inner, _) = argument.kind {
        positional.append(contentsOf: try iterate(try evaluate(inner, in: scope)))
      } else {
        positional.append(try evaluate(argument, in: scope))
      }
    }
    var named: [(String, Value)] = []
    for keyword in keywords {
      let value = try evaluate(keyword.value, in: scope)
      if let name = keyword.name {
        named.append((name, value))
      } else {
        guard case .dict(let dict) = value else {
          throw PythonError.type("argument after ** must be a mapping, not \(value.typeName)")
        }
        for (key, item) in zip(dict.keys, dict.values) {
          guard case .str(let name) = key else {
            throw PythonError.type("keywords must be strings")
          }
          named.append((name, item))
        }
      }
    }
    return (positional, named)
  }

  /// An array method from `ArrayMethods.direct`, called on `held` with the call's arguments
  /// (through the bound method object when an argument is unverifiable, so that the result is
  /// marked as any built-in's is).
  func callArrayMethod(
    _ method: (StridedArray, CallArguments) throws(PythonError) -> Value, _ held: ArrayObject,
    _ name: String, _ positional: [Value], _ named: [(String, Value)],
    at location: SourceLocation
  ) throws(PythonError) -> Value {
    do throws(PythonError) {
      if positional.contains(where: { $0.unverifiableReason != nil })
        || named.contains(where: { $0.1.unverifiableReason != nil })
      {
        guard let bound = try ArrayMethods.attribute(.array(held), name) else {
          throw PythonError.attribute("'numpy.ndarray' object has no attribute '\(name)'")
        }
        return try call(bound, positional, named)
      }
      return try method(held.array, CallArguments(name, positional, named))
    } catch var error {
      if error.location == nil { error.location = location }
      throw error
    }
  }

  func superAttribute(_ name: String, in scope: Scope) throws(PythonError) -> Value {
    var current: Scope? = scope
    while let frame = current, frame.function == nil { current = frame.parent }
    guard let frame = current, let function = frame.function, let owner = function.owner,
      let firstParameter = (function.arguments.positionalOnly + function.arguments.positional)
        .first,
      let instance = frame.local(firstParameter.name)
    else {
      throw PythonError.raise("RuntimeError", "super(): no arguments")
    }
    guard let base = owner.base else {
      if owner.exceptionBase != nil, name == "__init__" {
        // BaseException.__init__: the arguments become the exception's args.
        guard case .exception(let exception) = instance else { return .builtin(Builtins.noOp) }
        return .builtin(
          BuiltinFunction(name: "__init__") { _, arguments, _ throws(PythonError) in
            exception.arguments = arguments
            return .none
          })
      }
      throw PythonError.attribute("'super' object has no attribute '\(name)'")
    }
    guard let value = base.lookup(name) else {
      throw PythonError.attribute("'super' object has no attribute '\(name)'")
    }
    if case .function(let method) = value { return .boundMethod(instance, method) }
    return value
  }

  /// Calls any callable value.
  func call(_ callee: Value, _ positional: [Value], _ keywords: [(String, Value)])
    throws(PythonError) -> Value
  {
    switch callee {
    case .unverifiable(let inner, _):
      return Value.marking(try call(inner, positional, keywords), from: [callee])
    case .builtin, .builtinMethod, .native:
      // Built-ins compute on the values; what they return from unverifiable inputs is
      // unverifiable too.
      let marked =
        positional.contains { $0.unverifiableReason != nil }
        || keywords.contains { $0.1.unverifiableReason != nil }
      if marked {
        let result = try call(
          callee, positional.map(\.unmarked), keywords.map { ($0.0, $0.1.unmarked) })
        if case .none = result { return result }
        return Value.marking(result, from: positional + keywords.map(\.1))
      }
      return try callUnmarked(callee, positional, keywords)
    default:
      return try callUnmarked(callee, positional, keywords)
    }
  }

  func callUnmarked(_ callee: Value, _ positional: [Value], _ keywords: [(String, Value)])
    throws(PythonError) -> Value
  {
    switch callee {
    case .function(let function):
      return try callFunction(function, positional, keywords)
    case .boundMethod(let receiver, let function):
      return try callFunction(function, [receiver] + positional, keywords)
    case .builtin(let builtin):
      return try builtin.body(self, positional, keywords)
    case .builtinMethod(let receiver, let name):
      return try Methods.call(self, receiver, name, positional, keywords)
    case .classObject(let cls):
      if cls.exceptionBase != nil {
        let exception = ExceptionObject(type: cls.name, arguments: positional, cls: cls)
        if let initializer = cls.lookup("__init__"), case .function(let function) = initializer {
          _ = try callFunction(function, [.exception(exception)] + positional, keywords)
        }
        return .exception(exception)
      }
      let instance = InstanceObject(cls: cls)
      if let initializer = cls.lookup("__init__"), case .function(let function) = initializer {
        let result = try callFunction(function, [.instance(instance)] + positional, keywords)
        if case .none = result {
        } else {
          throw PythonError.type("__init__() should return None, not '\(result.typeName)'")
        }
      } else if !positional.isEmpty || !keywords.isEmpty {
        throw PythonError.type("\(cls.name)() takes no arguments")
      }
      return .instance(instance)
    case .exceptionType(let name):
      return .exception(ExceptionObject(type: name, arguments: positional))
    case .native(let object):
      if let function = object.attributes["__call__"] {
        return try call(function, positional, keywords)
      }
      if object.sink != nil { return Sinks.call(object, positional) }
      throw PythonError.type("'\(callee.typeName)' object is not callable")
    case .instance(let object):
      if let method = object.cls.lookup("__call__"), case .function(let function) = method {
        return try callFunction(function, [callee] + positional, keywords)
      }
      throw PythonError.type("'\(callee.typeName)' object is not callable")
    default:
      throw PythonError.type("'\(callee.typeName)' object is not callable")
    }
  }

  // MARK: - Attributes

  func attribute(_ value: Value, _ name: String) throws(PythonError) -> Value {
    switch value {
    case .iterator(let iterator) where iterator.shape != nil:
      return try NumPyModule.nditerAttribute(iterator, name)
    case .unverifiable(let inner, _):
      return Value.marking(try attribute(inner, name), from: [value])
    case .instance(let object):
      if let found = object.attributes[name] { return found }
      if let found = object.cls.lookup(name) {
        switch found {
        case .function(let function): return .boundMethod(value, function)
        case .property(let getter, _): return try call(getter, [value], [])
        case .staticMethod(let function): return function
        case .classMethod(let function):
          if case .function(let method) = function {
            return .boundMethod(.classObject(object.cls), method)
          }
          return function
        default: return found
        }
      }
      throw PythonError.attribute("'\(object.cls.name)' object has no attribute '\(name)'")
    case .classObject(let cls):
      if let found = cls.lookup(name) {
        switch found {
        case .staticMethod(let function): return function
        case .classMethod(let function):
          if case .function(let method) = function { return .boundMethod(value, method) }
          return function
        default: return found
        }
      }
      if name == "__name__" { return .str(cls.name) }
      throw PythonError.attribute("type object '\(cls.name)' has no attribute '\(name)'")
    case .module(let module):
      if let found = module.attributes[name] { return found }
      if let sink = module.sink { return Sinks.plotting(sink + "." + name) }
      if NumPyNames.has(module.name, name) {
        throw PythonError(refusal: "retrace does not model \(module.name).\(name) yet")
      }
      throw PythonError.attribute("module '\(module.name)' has no attribute '\(name)'")
    case .array(let object) where object.strings != nil:
      return try NumPyModule.strArrayAttribute(object, object.strings!, name)
    case .array, .npScalar:
      if let found = try ArrayMethods.attribute(value, name) { return found }
      throw PythonError.attribute("'\(value.typeName)' object has no attribute '\(name)'")
    case .native(let object):
      if let found = object.attributes[name] { return found }
      if let sink = object.sink {
        return .unverifiable(Sinks.plotting(sink + "." + name), reason: Sinks.plotReason)
      }
      throw PythonError.attribute("'\(object.typeName)' object has no attribute '\(name)'")
    case .exception(let exception):
      if name == "args" { return .tuple(exception.arguments) }
      if let found = exception.attributes[name] { return found }
      if let cls = exception.cls, let found = cls.lookup(name) {
        if case .function(let method) = found { return .boundMethod(value, method) }
        return found
      }
      throw PythonError.attribute("'\(exception.type)' object has no attribute '\(name)'")
    case .property(let getter, _) where name == "setter":
      return .builtin(
        BuiltinFunction(name: "setter") { _, arguments, _ throws(PythonError) in
          .property(getter: getter, setter: arguments.first)
        })
    case .function(let function) where function.attributes[name] != nil:
      return function.attributes[name] ?? .none
    case .function(let function) where name == "__doc__":
      // The docstring: the body's first statement when it is a string constant.
      if case .statements(let body) = function.body, let first = body.first,
        case .expression(let value) = first.kind, case .constant(.string(let text, _)) = value.kind
      {
        return .str(text)
      }
      return .none
    case .function(let function) where name == "__name__":
      return .str(String(function.name.split(separator: ".").last ?? ""))
    case .exceptionType(let type) where name == "__name__":
      return .str(type)
    case .builtin(let builtin) where name == "__name__":
      return .str(builtin.name)
    case .builtin(let builtin) where Printer.typeNames.contains(builtin.name):
      // `str.lower`, `dict.fromkeys`: a method of the type, called with its receiver first.
      if builtin.name == "dict" && name == "fromkeys" {
        return .builtin(
          BuiltinFunction(name: "fromkeys") { interpreter, arguments, _ throws(PythonError) in
            let dict = DictObject()
            let fill = arguments.count > 1 ? arguments[1] : .none
            for key in try interpreter.iterate(arguments.first ?? .tuple([])) {
              dict.set(key, try HashKey(key), fill)
            }
            return .dict(dict)
          })
      }
      return .builtin(
        BuiltinFunction(name: name) { interpreter, arguments, keywords throws(PythonError) in
          guard let receiver = arguments.first else {
            throw PythonError.type("unbound method \(builtin.name).\(name)() needs an argument")
          }
          return try Methods.call(
            interpreter, receiver, name, Array(arguments.dropFirst()), keywords)
        })
    default:
      if Methods.has(value, name) { return .builtinMethod(value, name) }
      if case .float(let number) = value {
        if name == "real" { return .float(number) }
        if name == "imag" { return .float(0) }
      }
      throw PythonError.attribute("'\(value.typeName)' object has no attribute '\(name)'")
    }
  }

  func setAttribute(_ target: Value, _ name: String, _ value: Value) throws(PythonError) {
    switch target {
    case .instance(let object):
      if case .property(_, let setter)? = object.cls.lookup(name) {
        guard let setter else {
          throw PythonError.attribute(
            "property '\(name)' of '\(object.cls.name)' object has no setter")
        }
        _ = try call(setter, [target, value], [])
        return
      }
      object.attributes[name] = value
    case .classObject(let cls): cls.attributes[name] = value
    case .function(let function): function.attributes[name] = value
    case .exception(let exception) where exception.cls != nil:
      exception.attributes[name] = value
    default:
      throw PythonError.attribute(
        "'\(target.typeName)' object has no attribute '\(name)' and no __dict__ for setting new attributes"
      )
    }
  }

  // MARK: - Protocols

  /// Python truthiness (`__bool__`, then `__len__`).
  func truth(_ value: Value) throws(PythonError) -> Bool {
    switch value {
    case .unverifiable(let inner, _): return try truth(inner)
    case .none: return false
    case .bool(let flag): return flag
    case .int(let number): return number != 0
    case .float(let number): return number != 0
    case .str(let text): return !text.isEmpty
    case .tuple(let items): return !items.isEmpty
    case .list(let list): return !list.items.isEmpty
    case .dict(let dict): return dict.count > 0
    case .set(let set): return !set.items.isEmpty
    case .dictView(let dict, _): return dict.count > 0
    case .range: return !(try iterate(value)).isEmpty
    case .array(let object): return try NumPyOperators.truth(object.array)
    case .npScalar(let scalar): return scalar.isTrue
    case .instance(let object):
      if let method = object.cls.lookup("__bool__"), case .function(let function) = method {
        return try truth(try callFunction(function, [value], []))
      }
      if let method = object.cls.lookup("__len__"), case .function(let function) = method {
        return try truth(try callFunction(function, [value], []))
      }
      return true
    default: return true
    }
  }

  /// The items a `for` loop sees.
  func iterate(_ value: Value) throws(PythonError) -> [Value] {
    switch value {
    case .unverifiable(let inner, _):
      return try iterate(inner).map { Value.marking($0, from: [value]) }
    case .list(let list): return list.items
    case .tuple(let items): return items
    case .str(let text): return text.map { .str(String($0)) }
    case .dict(let dict): return dict.keys
    case .set(let set): return Printer.setOrder(set.items)
    case .dictView(let dict, let kind):
      return dict.view(kind)
    case .iterator(let iterator):
      var rest: [Value] = []
      while let item = iterator.next() { rest.append(item) }
      return rest
    case .native(let object) where object.items != nil || object.sink != nil:
      return object.items ?? []
    case .array(let object):
      guard object.array.ndim > 0 else { throw PythonError.type("iteration over a 0-d array") }
      if let table = object.strings {
        return ArrayValues.rows(object.array).map { ArrayValues.wrapStrings($0, table) }
      }
      return ArrayValues.rows(object.array)
    case .range(let start, let stop, let step):
      let count = Ranges.count(start, stop, step)
      if count > Int64(limits.maximumElements) {
        throw PythonError(refusal: "a range of \(count) items is beyond retrace's budget")
      }
      return (0..<count).map { .int(start + $0 * step) }
    default:
      throw PythonError.type("'\(value.typeName)' object is not iterable")
    }
  }

  func compare(_ op: ComparisonOperator, _ a: Value, _ b: Value) throws(PythonError) -> Bool {
    switch op {
    case .eq: return try equal(a, b)
    case .notEq: return !(try equal(a, b))
    case .is: return Operators.identical(a, b)
    case .isNot: return !Operators.identical(a, b)
    case .in: return try contains(b, a)
    case .notIn: return !(try contains(b, a))
    case .lt, .ltE, .gt, .gtE:
      if case .instance(let object) = a {
        let names: [ComparisonOperator: String] = [
          .lt: "__lt__", .ltE: "__le__", .gt: "__gt__", .gtE: "__ge__",
        ]
        if let name = names[op], let method = object.cls.lookup(name),
          case .function(let function) = method
        {
          return try truth(try callFunction(function, [a, b], []))
        }
      }
      if case .instance(let object) = b {
        let reflected: [ComparisonOperator: String] = [
          .lt: "__gt__", .ltE: "__ge__", .gt: "__lt__", .gtE: "__le__",
        ]
        if let name = reflected[op], let method = object.cls.lookup(name),
          case .function(let function) = method
        {
          return try truth(try callFunction(function, [b, a], []))
        }
      }
      return try Operators.order(op, a, b)
    }
  }

  func equal(_ a: Value, _ b: Value) throws(PythonError) -> Bool {
    let a = a.unmarked
    let b = b.unmarked
    if case .instance(let object) = a, let method = object.cls.lookup("__eq__"),
      case .function(let function) = method
    {
      return try truth(try callFunction(function, [a, b], []))
    }
    if let elementwise = try NumPyOperators.compare(.eq, a, b) { return try truth(elementwise) }
    // `a.dtype == np.float32`, `a.dtype == 'float32'`: a dtype equals its type and names.
    if case .native(let x) = a, let dtype = x.dtype {
      if case .native(let y) = b, let other = y.dtype { return dtype == other }
      if case .str = b, let other = try? ArrayValues.dtype(b) { return dtype == other }
    }
    if case .native(let y) = b, let dtype = y.dtype {
      if case .str = a, let other = try? ArrayValues.dtype(a) { return dtype == other }
    }
    switch (a, b) {
    case (.list(let x), .list(let y)):
      guard x.items.count == y.items.count else { return false }
      for (p, q) in zip(x.items, y.items) where !(try equal(p, q)) { return false }
      return true
    case (.tuple(let x), .tuple(let y)):
      guard x.count == y.count else { return false }
      for (p, q) in zip(x, y) where !(try equal(p, q)) { return false }
      return true
    case (.dict(let x), .dict(let y)):
      guard x.count == y.count else { return false }
      for (key, value) in zip(x.keys, x.values) {
        guard let other = y.get(try HashKey(key)), try equal(value, other) else { return false }
      }
      return true
    case (.set(let x), .set(let y)):
      guard x.items.count == y.items.count else { return false }
      for item in x.items where !y.contains(try HashKey(item)) { return false }
      return true
    default:
      return Operators.equalScalars(a, b)
    }
  }

  func contains(_ container: Value, _ item: Value) throws(PythonError) -> Bool {
    switch container {
    case .str(let text):
      guard case .str(let part) = item else {
        throw PythonError.type(
          "'in <string>' requires string as left operand, not \(item.typeName)")
      }
      return part.isEmpty || text.contains(part)
    case .dict(let dict), .dictView(let dict, .keys): return dict.get(try HashKey(item)) != nil
    case .set(let set): return set.contains(try HashKey(item))
    case .range(let start, let stop, let step):
      guard case .int(let number) = item else {
        for element in try iterate(container) where try equal(element, item) { return true }
        return false
      }
      return Ranges.contains(start, stop, step, number)
    default:
      for element in try iterate(container) where try equal(element, item) { return true }
      return false
    }
  }

  // MARK: - Printing

  func repr(_ value: Value) throws(PythonError) -> String {
    switch value {
    case .unverifiable(let inner, _): return try repr(inner)
    case .instance(let object):
      if let method = object.cls.lookup("__repr__"), case .function(let function) = method {
        guard case .str(let text) = try callFunction(function, [value], []) else {
          throw PythonError.type("__repr__ returned non-string")
        }
        return text
      }
      return "<__main__.\(object.cls.name) object>"
    case .list(let list):
      // CPython's Py_ReprEnter: a container inside itself is `[...]`.
      let identity = ObjectIdentifier(list)
      guard reprActive.insert(identity).inserted else { return "[...]" }
      defer { reprActive.remove(identity) }
      var parts: [String] = []
      for item in list.items { parts.append(try repr(item)) }
      return "[" + parts.joined(separator: ", ") + "]"
    case .tuple(let items):
      var parts: [String] = []
      for item in items { parts.append(try repr(item)) }
      return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
    case .dict(let dict):
      let identity = ObjectIdentifier(dict)
      guard reprActive.insert(identity).inserted else { return "{...}" }
      defer { reprActive.remove(identity) }
      var parts: [String] = []
      for (key, item) in zip(dict.keys, dict.values) {
        parts.append(try repr(key) + ": " + repr(item))
      }
      return "{" + parts.joined(separator: ", ") + "}"
    case .dictView(let dict, let kind):
      var parts: [String] = []
      for item in dict.view(kind) { parts.append(try repr(item)) }
      return kind.rawValue + "([" + parts.joined(separator: ", ") + "])"
    case .array(let object) where object.strings != nil:
      let table = object.strings!
      return ArrayFormatter(options: printOptions).repr(
        texts: table.texts(of: object.array).map { Printer.repr(.str($0)) },
        shape: object.array.shape, dtypeName: "'\(table.dtypeName)'")
    case .array(let object):
      try checkPrintable(object.array)
      return ArrayFormatter(options: printOptions).repr(object.array.ndarray())
    case .exception(let exception) where exception.cls != nil:
      var parts: [String] = []
      for item in exception.arguments { parts.append(try repr(item)) }
      return "\(exception.type)(" + parts.joined(separator: ", ") + ")"
    default:
      return Printer.repr(value)
    }
  }

  /// NumPy's ValueError for printing float elements under a negative precision (which
  /// `np.set_printoptions` accepts).
  func checkPrintable(_ array: StridedArray) throws(PythonError) {
    if printOptions.precision < 0 && array.dtype == .float64 && array.count > 0 {
      throw PythonError.value("precision must be >= 0")
    }
  }

  func str(_ value: Value) throws(PythonError) -> String {
    switch value {
    case .unverifiable(let inner, _): return try str(inner)
    case .str(let text): return text
    case .array(let object) where object.strings != nil:
      let table = object.strings!
      let texts = table.texts(of: object.array)
      if object.array.ndim == 0 { return texts[0] }
      return ArrayFormatter(options: printOptions).string(
        texts: texts.map { Printer.repr(.str($0)) }, shape: object.array.shape)
    case .array(let object):
      try checkPrintable(object.array)
      return ArrayFormatter(options: printOptions).string(object.array.ndarray())
    case .npScalar(let scalar): return Printer.str(.npScalar(scalar))
    case .native(let object) where object.typeName == "dtype":
      return object.dtype?.rawValue ?? object.strText ?? object.reprText
    case .native(let object) where object.strText != nil:
      return object.strText ?? ""
    case .instance(let object):
      if let method = object.cls.lookup("__str__"), case .function(let function) = method {
        guard case .str(let text) = try callFunction(function, [value], []) else {
          throw PythonError.type("__str__ returned non-string")
        }
        return text
      }
      return try repr(value)
    case .exception(let exception):
      if exception.arguments.count == 1 {
        if exception.showsArgumentRepr {
          return try repr(exception.arguments[0])
        }
        return try str(exception.arguments[0])
      }
      return Printer.exceptionMessage(exception)
    default:
      return try repr(value)
    }
  }

  func format(_ value: Value, _ spec: String) throws(PythonError) -> String {
    let value = value.unmarked
    if case .instance(let object) = value {
      if let method = object.cls.lookup("__format__"), case .function(let function) = method {
        return try str(try callFunction(function, [value, .str(spec)], []))
      }
      let text = try str(value)
      return spec.isEmpty ? text : try FormatSpec.format(.str(text), spec)
    }
    switch value {
    case .npScalar(let scalar):
      // NumPy scalars format as the Python number they hold (np.float32 as the Python float
      // of its value, all 17 digits, not its str).
      if case .float32(let x) = scalar, spec.isEmpty { return try str(.float(Double(x))) }
      if spec.isEmpty { return try str(value) }
      return try FormatSpec.format(ArrayValues.python(scalar), spec)
    case .array(let object):
      if spec.isEmpty { return try str(value) }
      if object.array.ndim == 0, let only = object.array.onlyElement {
        return try FormatSpec.format(ArrayValues.python(only), spec)
      }
      throw PythonError.type("unsupported format string passed to numpy.ndarray.__format__")
    default: break
    }
    return try FormatSpec.format(value, spec)
  }
}
