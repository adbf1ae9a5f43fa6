import Foundation
import NumPyKit

/// A built-in function: its name and its Swift body.
public struct BuiltinFunction: @unchecked Sendable {
  public let name: String
  let body: (PythonInterpreter, [Value], [(String, Value)]) throws(PythonError) -> Value
}

/// The allow-listed built-ins (`print len range …`): nothing here reaches the machine.
enum Builtins {
  static let noOp = BuiltinFunction(name: "__init__") { _, _, _ throws(PythonError) in .none }

  static func keyword(_ keywords: [(String, Value)], _ name: String) -> Value? {
    keywords.first { $0.0 == name }?.1
  }

  static func table() -> [String: Value] {
    var table: [String: Value] = [:]
    func add(
      _ name: String,
      _ body: @escaping (PythonInterpreter, [Value], [(String, Value)]) throws(PythonError) -> Value
    ) {
      table[name] = .builtin(BuiltinFunction(name: name, body: body))
    }
    for name in ExceptionHierarchy.names { table[name] = .exceptionType(name) }
    add("print") { interpreter, arguments, keywords throws(PythonError) in
      var separator = " "
      var end = "\n"
      if let value = keyword(keywords, "sep"), case .str(let text) = value { separator = text }
      if let value = keyword(keywords, "end"), case .str(let text) = value { end = text }
      if let file = keyword(keywords, "file"), case .none = file {
      } else if keyword(keywords, "file") != nil {
        throw PythonError(refusal: "retrace does not run print(file=...) to anything but stdout")
      }
      var parts: [String] = []
      for argument in arguments { parts.append(try interpreter.str(argument)) }
      interpreter.output += parts.joined(separator: separator) + end
      return .none
    }
    add("len") { interpreter, arguments, _ throws(PythonError) in
      guard arguments.count == 1 else {
        throw PythonError.type("len() takes exactly one argument (\(arguments.count) given)")
      }
      switch arguments[0] {
      case .str(let text): return .int(Int64(text.count))
      case .list(let list): return .int(Int64(list.items.count))
      case .tuple(let items): return .int(Int64(items.count))
      case .dict(let dict): return .int(Int64(dict.count))
      case .set(let set): return .int(Int64(set.items.count))
      case .range(let a, let b, let c): return .int(Ranges.count(a, b, c))
      case .dictView(let dict, _): return .int(Int64(dict.count))
      case .array(let object):
        guard let first = object.array.shape.first else {
          throw PythonError.type("len() of unsized object")
        }
        return .int(Int64(first))
      case .instance(let object):
        if let method = object.cls.lookup("__len__"), case .function(let function) = method {
          return try interpreter.callFunction(function, [arguments[0]], [])
        }
        fallthrough
      default:
        throw PythonError.type("object of type '\(arguments[0].typeName)' has no len()")
      }
    }
    add("range") { _, arguments, _ throws(PythonError) in
      var bounds: [Int64] = []
      for argument in arguments {
        guard let number = Operators.integer(argument) else {
          throw PythonError.type(
            "'\(argument.typeName)' object cannot be interpreted as an integer")
        }
        bounds.append(number)
      }
      switch bounds.count {
      case 1: return .range(start: 0, stop: bounds[0], step: 1)
      case 2: return .range(start: bounds[0], stop: bounds[1], step: 1)
      case 3:
        if bounds[2] == 0 { throw PythonError.value("range() arg 3 must not be zero") }
        return .range(start: bounds[0], stop: bounds[1], step: bounds[2])
      default:
        throw PythonError.type("range expected at most 3 arguments, got \(bounds.count)")
      }
    }
    add("enumerate") { interpreter, arguments, keywords throws(PythonError) in
      guard let first = arguments.first else {
        throw PythonError.type("enumerate() missing iterable")
      }
      var start: Int64 = 0
      if arguments.count > 1, let value = Operators.integer(arguments[1]) { start = value }
      if let value = keyword(keywords, "start"), let number = Operators.integer(value) {
        start = number
      }
      let items = try interpreter.iterate(first)
      return .list(
        ListObject(items.enumerated().map { .tuple([.int(start + Int64($0.offset)), $0.element]) }))
    }
    add("zip") { interpreter, arguments, _ throws(PythonError) in
      // Iterators are pulled one item at a time, round by round, as CPython's zip pulls
      // them (so `zip(it, it)` pairs neighbours); other iterables are read whole.
      var lists: [[Value]?] = []
      for argument in arguments {
        if case .iterator = argument {
          lists.append(nil)
        } else {
          lists.append(try interpreter.iterate(argument))
        }
      }
      guard !arguments.isEmpty else { return .list(ListObject([])) }
      var rows: [Value] = []
      var index = 0
      rounds: while true {
        var row: [Value] = []
        for (k, argument) in arguments.enumerated() {
          if let list = lists[k] {
            guard index < list.count else { break rounds }
            row.append(list[index])
          } else if case .iterator(let iterator) = argument, let item = iterator.next() {
            row.append(item)
          } else {
            break rounds
          }
        }
        rows.append(.tuple(row))
        index += 1
      }
      return .list(ListObject(rows))
    }
    add("map") { interpreter, arguments, _ throws(PythonError) in
      guard arguments.count >= 2 else {
        throw PythonError.type("map() must have at least two arguments.")
      }
      var lists: [[Value]] = []
      for argument in arguments.dropFirst() { lists.append(try interpreter.iterate(argument)) }
      let count = lists.map(\.count).min() ?? 0
      var results: [Value] = []
      for index in 0..<count {
        results.append(try interpreter.call(arguments[0], lists.map { $0[index] }, []))
      }
      return .list(ListObject(results))
    }
    add("filter") { interpreter, arguments, _ throws(PythonError) in
      guard arguments.count == 2 else { throw PythonError.type("filter expected 2 arguments") }
      var results: [Value] = []
      for item in try interpreter.iterate(arguments[1]) {
        let keep: Bool
        if case .none = arguments[0] {
          keep = try interpreter.truth(item)
        } else {
          keep = try interpreter.truth(try interpreter.call(arguments[0], [item], []))
        }
        if keep { results.append(item) }
      }
      return .list(ListObject(results))
    }
    add("sorted") { interpreter, arguments, keywords throws(PythonError) in
      guard let first = arguments.first else {
        throw PythonError.type("sorted expected 1 argument, got 0")
      }
      let list = ListObject(try interpreter.iterate(first))
      try Methods.sort(interpreter, list, keywords)
      return .list(list)
    }
    add("reversed") { interpreter, arguments, _ throws(PythonError) in
      guard let first = arguments.first else {
        throw PythonError.type("reversed expected 1 argument")
      }
      return .list(ListObject(try interpreter.iterate(first).reversed()))
    }
    add("sum") { interpreter, arguments, keywords throws(PythonError) in
      guard let first = arguments.first else {
        throw PythonError.type("sum() takes at least 1 positional argument (0 given)")
      }
      var total = arguments.count > 1 ? arguments[1] : (keyword(keywords, "start") ?? .int(0))
      if case .str = total {
        throw PythonError.type("sum() can't sum strings [use ''.join(seq) instead]")
      }
      // CPython adds floats in a running double sum; ints exactly.
      for item in try interpreter.iterate(first) { total = try Operators.binary(.add, total, item) }
      return total
    }
    add("min") { interpreter, arguments, keywords throws(PythonError) in
      try extreme(interpreter, arguments, keywords, name: "min", wantLess: true)
    }
    add("max") { interpreter, arguments, keywords throws(PythonError) in
      try extreme(interpreter, arguments, keywords, name: "max", wantLess: false)
    }
    add("abs") { _, arguments, _ throws(PythonError) in
      switch arguments.first {
      case .int(let number)?:
        if number == .min { throw Operators.refuseOverflow("abs(\(number))") }
        return .int(Swift.abs(number))
      case .bool(let flag)?: return .int(flag ? 1 : 0)
      case .float(let number)?: return .float(Swift.abs(number))
      case .array(let object)?:
        return ArrayValues.wrap(
          try NumPyModule.wrapError { () throws(ArrayError) in
            try StridedArray.apply(.absolute, object.array)
          })
      case .npScalar(let scalar)?:
        return ArrayValues.wrap(
          try NumPyModule.wrapError { () throws(ArrayError) in
            try StridedArray.apply(.absolute, .scalar(scalar))
          })
      default:
        throw PythonError.type("bad operand type for abs(): '\(arguments.first?.typeName ?? "")'")
      }
    }
    add("round") { _, arguments, keywords throws(PythonError) in
      try Numbers.round(arguments, keywords)
    }
    add("int") { _, arguments, keywords throws(PythonError) in try Numbers.int(arguments, keywords)
    }
    add("float") { _, arguments, _ throws(PythonError) in try Numbers.float(arguments) }
    add("str") { interpreter, arguments, _ throws(PythonError) in
      .str(
        try arguments.first.map { (value) throws(PythonError) in try interpreter.str(value) } ?? "")
    }
    add("repr") { interpreter, arguments, _ throws(PythonError) in
      guard let first = arguments.first else {
        throw PythonError.type("repr() takes exactly one argument (0 given)")
      }
      return .str(try interpreter.repr(first))
    }
    add("ascii") { interpreter, arguments, _ throws(PythonError) in
      guard let first = arguments.first else {
        throw PythonError.type("ascii() takes exactly one argument (0 given)")
      }
      return .str(Printer.asciiRepr(try interpreter.repr(first)))
    }
    add("format") { interpreter, arguments, _ throws(PythonError) in
      guard let first = arguments.first else {
        throw PythonError.type("format expected at least 1 argument, got 0")
      }
      var spec = ""
      if arguments.count > 1, case .str(let text) = arguments[1] { spec = text }
      return .str(try interpreter.format(first, spec))
    }
    add("bool") { interpreter, arguments, _ throws(PythonError) in
      .bool(
        try arguments.first.map { (value) throws(PythonError) in try interpreter.truth(value) }
          ?? false)
    }
    add("list") { interpreter, arguments, _ throws(PythonError) in
      .list(
        ListObject(
          try arguments.first.map { (value) throws(PythonError) in try interpreter.iterate(value) }
            ?? []))
    }
    add("tuple") { interpreter, arguments, _ throws(PythonError) in
      .tuple(
        try arguments.first.map { (value) throws(PythonError) in try interpreter.iterate(value) }
          ?? [])
    }
    add("set") { interpreter, arguments, _ throws(PythonError) in
      let set = SetObject()
      for item in try arguments.first.map({ (value) throws(PythonError) in
        try interpreter.iterate(value)
      }) ?? [] {
        set.insert(item, try HashKey(item))
      }
      return .set(set)
    }
    add("dict") { interpreter, arguments, keywords throws(PythonError) in
      let dict = DictObject()
      try update(dict, arguments.first, keywords, interpreter)
      return .dict(dict)
    }
    add("isinstance") { _, arguments, _ throws(PythonError) in
      guard arguments.count == 2 else {
        throw PythonError.type("isinstance expected 2 arguments, got \(arguments.count)")
      }
      return .bool(try isInstance(arguments[0], arguments[1]))
    }
    add("type") { interpreter, arguments, _ throws(PythonError) in
      guard arguments.count == 1 else {
        throw PythonError(refusal: "retrace runs type() with one argument only")
      }
      if let builtin = interpreter.builtins[arguments[0].typeName], case .builtin = builtin {
        return builtin
      }
      return typeOf(arguments[0])
    }
    add("divmod") { _, arguments, _ throws(PythonError) in
      guard arguments.count == 2 else {
        throw PythonError.type("divmod expected 2 arguments, got \(arguments.count)")
      }
      return .tuple([
        try Operators.binary(.floorDiv, arguments[0], arguments[1]),
        try Operators.binary(.mod, arguments[0], arguments[1]),
      ])
    }
    add("pow") { _, arguments, _ throws(PythonError) in
      if arguments.count == 3, let base = Operators.integer(arguments[0]),
        let exponent = Operators.integer(arguments[1]),
        let modulus = Operators.integer(arguments[2]),
        exponent >= 0, modulus != 0
      {
        var result: Int64 = 1
        var square = ((base % modulus) + modulus) % modulus
        var remaining = exponent
        while remaining > 0 {
          if remaining & 1 == 1 {
            result = Int64((Int128(result) * Int128(square)) % Int128(modulus))
          }
          square = Int64((Int128(square) * Int128(square)) % Int128(modulus))
          remaining >>= 1
        }
        if modulus < 0 && result > 0 { result += modulus }
        return .int(result)
      }
      guard arguments.count == 2 else {
        throw PythonError(refusal: "retrace runs pow() with two, or three int, arguments")
      }
      return try Operators.binary(.pow, arguments[0], arguments[1])
    }
    add("any") { interpreter, arguments, _ throws(PythonError) in
      for item in try interpreter.iterate(arguments.first ?? .tuple([]))
      where try interpreter.truth(item) {
        return .bool(true)
      }
      return .bool(false)
    }
    add("all") { interpreter, arguments, _ throws(PythonError) in
      for item in try interpreter.iterate(arguments.first ?? .tuple([]))
      where !(try interpreter.truth(item)) {
        return .bool(false)
      }
      return .bool(true)
    }
    add("hasattr") { interpreter, arguments, _ throws(PythonError) in
      guard arguments.count == 2, case .str(let name) = arguments[1] else {
        throw PythonError.type("hasattr expected 2 arguments")
      }
      return .bool((try? interpreter.attribute(arguments[0], name)) != nil)
    }
    add("getattr") { interpreter, arguments, _ throws(PythonError) in
      guard arguments.count >= 2, case .str(let name) = arguments[1] else {
        throw PythonError.type("getattr expected 2 or 3 arguments")
      }
      if name.hasPrefix("__") && name.hasSuffix("__") {
        throw PythonError(
          refusal: "retrace does not run getattr() of '\(name)' (a dunder attribute)")
      }
      do throws(PythonError) {
        return try interpreter.attribute(arguments[0], name)
      } catch {
        if arguments.count > 2, error.typeName == "AttributeError" { return arguments[2] }
        throw error
      }
    }
    add("setattr") { interpreter, arguments, _ throws(PythonError) in
      guard arguments.count == 3, case .str(let name) = arguments[1] else {
        throw PythonError.type("setattr expected 3 arguments")
      }
      if name.hasPrefix("__") && name.hasSuffix("__") {
        throw PythonError(
          refusal: "retrace does not run setattr() of '\(name)' (a dunder attribute)")
      }
      try interpreter.setAttribute(arguments[0], name, arguments[2])
      return .none
    }
    add("slice") { _, arguments, _ throws(PythonError) in
      switch arguments.count {
      case 1: return .slice(.none, arguments[0], .none)
      case 2: return .slice(arguments[0], arguments[1], .none)
      case 3: return .slice(arguments[0], arguments[1], arguments[2])
      default: throw PythonError.type("slice expected at least 1 argument, got 0")
      }
    }
    add("iter") { interpreter, arguments, _ throws(PythonError) in
      guard let first = arguments.first else {
        throw PythonError.type("iter expected 1 argument, got 0")
      }
      if case .iterator = first { return first }
      return .iterator(IteratorObject(try interpreter.iterate(first)))
    }
    add("next") { _, arguments, _ throws(PythonError) in
      guard case .iterator(let iterator)? = arguments.first else {
        throw PythonError.type("'\(arguments.first?.typeName ?? "")' object is not an iterator")
      }
      if let item = iterator.next() { return item }
      if arguments.count > 1 { return arguments[1] }
      throw PythonError(exception: ExceptionObject(type: "StopIteration", arguments: []))
    }
    add("property") { _, arguments, _ throws(PythonError) in
      guard let getter = arguments.first else { throw PythonError.type("property needs a getter") }
      return .property(getter: getter, setter: arguments.count > 1 ? arguments[1] : nil)
    }
    add("staticmethod") { _, arguments, _ throws(PythonError) in
      guard let function = arguments.first else {
        throw PythonError.type("staticmethod expected 1 argument")
      }
      return .staticMethod(function)
    }
    add("classmethod") { _, arguments, _ throws(PythonError) in
      guard let function = arguments.first else {
        throw PythonError.type("classmethod expected 1 argument")
      }
      return .classMethod(function)
    }
    add("object") { _, _, _ throws(PythonError) in
      throw PythonError(refusal: "retrace does not run bare object() instances")
    }
    add("callable") { _, arguments, _ throws(PythonError) in
      switch arguments.first {
      case .function?, .builtin?, .boundMethod?, .builtinMethod?, .classObject?, .exceptionType?:
        return .bool(true)
      case .instance(let object)?: return .bool(object.cls.lookup("__call__") != nil)
      default: return .bool(false)
      }
    }
    add("issubclass") { _, arguments, _ throws(PythonError) in
      guard arguments.count == 2 else { throw PythonError.type("issubclass expected 2 arguments") }
      switch (arguments[0], arguments[1]) {
      case (.classObject(let a), .classObject(let b)): return .bool(a.isSubclass(of: b))
      case (.exceptionType(let a), .exceptionType(let b)):
        return .bool(ExceptionHierarchy.isSubclass(a, of: b))
      case (.classObject(let a), .exceptionType(let b)):
        return .bool(a.exceptionBase.map { ExceptionHierarchy.isSubclass($0, of: b) } ?? false)
      case (_, .builtin(let b)) where b.name == "object": return .bool(true)
      default: return .bool(false)
      }
    }
    for (name, radix, prefix) in [("bin", 2, "0b"), ("oct", 8, "0o"), ("hex", 16, "0x")] {
      add(name) { _, arguments, _ throws(PythonError) in
        guard let number = arguments.first.flatMap(Operators.integer) else {
          throw PythonError.type(
            "'\(arguments.first?.typeName ?? "")' object cannot be interpreted as an integer")
        }
        return .str((number < 0 ? "-" : "") + prefix + String(number.magnitude, radix: radix))
      }
    }
    add("chr") { _, arguments, _ throws(PythonError) in
      guard let number = arguments.first.flatMap(Operators.integer),
        let scalar = Unicode.Scalar(UInt32(clamping: number))
      else {
        throw PythonError.value("chr() arg not in range(0x110000)")
      }
      return .str(String(Character(scalar)))
    }
    add("ord") { _, arguments, _ throws(PythonError) in
      guard case .str(let text)? = arguments.first, text.unicodeScalars.count == 1,
        let scalar = text.unicodeScalars.first
      else {
        throw PythonError.type("ord() expected a character")
      }
      return .int(Int64(scalar.value))
    }
    for name in [
      "open", "input", "eval", "exec", "compile", "__import__", "globals", "locals", "vars",
      "delattr", "breakpoint", "exit", "quit", "help", "memoryview",
    ] {
      add(name) { _, _, _ throws(PythonError) in
        throw PythonError(
          refusal: "retrace does not run '\(name)()': it could reach outside the notebook")
      }
    }
    add("id") { interpreter, arguments, _ throws(PythonError) in
      // An address: unverifiable by nature.
      interpreter.nextIdentity += 16
      return .unverifiable(.int(interpreter.nextIdentity), reason: "an object's address (id())")
    }
    return table
  }

  static func typeOf(_ value: Value) -> Value {
    switch value {
    case .instance(let object): return .classObject(object.cls)
    case .exception(let exception):
      if let cls = exception.cls { return .classObject(cls) }
      return .exceptionType(exception.type)
    case .npScalar(let scalar):
      return NumPyModule.dtypeObject(
        scalar.dtype, name: scalar.dtype == .bool ? "bool" : scalar.dtype.rawValue)
    case .array:
      return NumPyModule.ndarrayType
    default:
      return .native(TypeObjects.shared.object(value.typeName))
    }
  }

  /// `dict(source, **keywords)` and `d.update(source, **keywords)`: a mapping's items or an
  /// iterable's pairs, then the keywords.
  static func update(
    _ dict: DictObject, _ source: Value?, _ keywords: [(String, Value)],
    _ interpreter: PythonInterpreter
  ) throws(PythonError) {
    if let source {
      if case .dict(let other) = source {
        for (k, v) in zip(other.keys, other.values) { dict.set(k, try HashKey(k), v) }
      } else {
        for pair in try interpreter.iterate(source) {
          let items = try interpreter.iterate(pair)
          guard items.count == 2 else {
            throw PythonError.value(
              "dictionary update sequence element #0 has length \(items.count); 2 is required")
          }
          dict.set(items[0], try HashKey(items[0]), items[1])
        }
      }
    }
    for (key, value) in keywords { dict.set(.str(key), .str(key), value) }
  }

  static func isInstance(_ value: Value, _ type: Value) throws(PythonError) -> Bool {
    switch type {
    case .tuple(let items):
      for item in items where try isInstance(value, item) { return true }
      return false
    case .classObject(let cls):
      if case .instance(let object) = value { return object.cls.isSubclass(of: cls) }
      return false
    case .exceptionType(let name):
      if case .exception(let exception) = value {
        return ExceptionHierarchy.isSubclass(
          exception.cls?.exceptionBase ?? exception.type, of: name)
      }
      return false
    case .native(let object):
      switch value {
      case .array: return object.reprText == "<class 'numpy.ndarray'>"
      case .npScalar(let scalar): return object.dtype == scalar.dtype
      default: return false
      }
    case .builtin(let builtin):
      switch (builtin.name, value) {
      case ("float", .npScalar(.float64)):
        // np.float64 derives from Python's float (np.int64 does not derive from int).
        return true
      case ("int", .int), ("int", .bool), ("float", .float), ("str", .str), ("list", .list),
        ("tuple", .tuple), ("dict", .dict), ("set", .set), ("bool", .bool), ("range", .range),
        ("object", _):
        return true
      default:
        return false
      }
    default:
      throw PythonError.type("isinstance() arg 2 must be a type, a tuple of types, or a union")
    }
  }

  static func extreme(
    _ interpreter: PythonInterpreter, _ arguments: [Value], _ keywords: [(String, Value)],
    name: String, wantLess: Bool
  ) throws(PythonError) -> Value {
    let items = arguments.count == 1 ? try interpreter.iterate(arguments[0]) : arguments
    let key = keyword(keywords, "key")
    guard var best = items.first else {
      if let fallback = keyword(keywords, "default") { return fallback }
      throw PythonError.value("\(name)() arg is an empty sequence")
    }
    var bestKey =
      try key.map { (function) throws(PythonError) in try interpreter.call(function, [best], []) }
      ?? best
    for item in items.dropFirst() {
      let itemKey =
        try key.map { (function) throws(PythonError) in try interpreter.call(function, [item], []) }
        ?? item
      let better =
        wantLess
        ? try interpreter.compare(.lt, itemKey, bestKey)
        : try interpreter.compare(.gt, itemKey, bestKey)
      if better {
        best = item
        bestKey = itemKey
      }
    }
    return best
  }
}

/// The type objects `type(x)` gives for types without a constructor of their own here
/// (`NoneType`, `function`, …): one object per name, so `type(a) is type(b)` holds.
final class TypeObjects: @unchecked Sendable {
  static let shared = TypeObjects()
  private let lock = NSLock()
  private var objects: [String: NativeObject] = [:]

  func object(_ name: String) -> NativeObject {
    lock.lock()
    defer { lock.unlock() }
    if let known = objects[name] { return known }
    let made = NativeObject(
      typeName: "type", repr: "<class '\(name)'>", attributes: ["__name__": .str(name)])
    objects[name] = made
    return made
  }
}
