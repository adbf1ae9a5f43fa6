import NumPyKit
import PythonSyntax

/// A Python value as the interpreter holds it. Immutable values (None, bool, int, float, str,
/// tuple, range) are Swift values; mutable and identity-bearing ones (list, dict, set,
/// functions, classes, instances, modules) are references, shared as Python shares them
/// (`b = a` aliases a list): the one place the house's value-types rule gives way, because
/// Python's semantics are aliasing.
public enum Value: @unchecked Sendable {
  case none
  case bool(Bool)
  /// A Python int within 64 bits (beyond is a refusal, never a wrong number).
  case int(Int64)
  case float(Double)
  case str(String)
  case tuple([Value])
  case list(ListObject)
  case dict(DictObject)
  case set(SetObject)
  case range(start: Int64, stop: Int64, step: Int64)
  indirect case slice(Value, Value, Value)
  case function(FunctionObject)
  case builtin(BuiltinFunction)
  /// A function bound to the instance it was looked up on.
  indirect case boundMethod(Value, FunctionObject)
  /// A method of a built-in type bound to its receiver (`xs.append`).
  indirect case builtinMethod(Value, String)
  case classObject(ClassObject)
  case instance(InstanceObject)
  case module(ModuleObject)
  /// An exception instance (`except ValueError as e`).
  case exception(ExceptionObject)
  /// An exception class (`ValueError`).
  case exceptionType(String)
  /// What `iter(x)` returns: the items left to take.
  case iterator(IteratorObject)
  /// `d.keys()`, `d.values()`, `d.items()`: live views of a dict.
  case dictView(DictObject, DictViewKind)
  /// `@property` (and its setter), `@staticmethod`, `@classmethod` in a class body.
  indirect case property(getter: Value, setter: Value?)
  indirect case staticMethod(Value)
  indirect case classMethod(Value)
  /// A NumPy array: one object over storage its views share.
  case array(ArrayObject)
  /// A NumPy scalar (`np.float64(0.5)`, `np.int64(3)`, `np.True_`): not a Python number.
  case npScalar(ArrayScalar)
  /// A native object retrace models (`RandomState`, `Generator`, a dtype, a plotting sink).
  case native(NativeObject)
  /// `...` (Ellipsis).
  case ellipsis
  /// A value that cannot be reproduced by nature (the clock, an unseeded RNG, `id()`), and
  /// why. It computes and prints as the value it holds, and what is computed from it carries
  /// the mark on.
  indirect case unverifiable(Value, reason: String)

  /// Why the value cannot be reproduced, or nil.
  public var unverifiableReason: String? {
    if case .unverifiable(_, let reason) = self { return reason }
    return nil
  }

  /// The value without its unverifiable mark.
  public var unmarked: Value {
    if case .unverifiable(let value, _) = self { return value.unmarked }
    return self
  }

  /// `value` marked with the reason one of `sources` carries, if any.
  static func marking(_ value: Value, from sources: [Value]) -> Value {
    guard case .none = value.unverifiableReason else { return value }
    for source in sources {
      if let reason = source.unverifiableReason { return .unverifiable(value, reason: reason) }
    }
    return value
  }

  /// Python's type name, as messages show it (`'int'`, `'list'`, `'Perceptron'`).
  public var typeName: String {
    switch self {
    case .none: "NoneType"
    case .bool: "bool"
    case .int: "int"
    case .float: "float"
    case .str: "str"
    case .tuple: "tuple"
    case .list: "list"
    case .dict: "dict"
    case .set: "set"
    case .range: "range"
    case .slice: "slice"
    case .function: "function"
    case .builtin: "builtin_function_or_method"
    case .boundMethod: "method"
    case .builtinMethod: "builtin_function_or_method"
    case .classObject: "type"
    case .instance(let object): object.cls.name
    case .module: "module"
    case .exception(let object): object.type
    case .exceptionType: "type"
    case .iterator: "iterator"
    case .dictView(_, let kind): kind.rawValue
    case .property: "property"
    case .staticMethod: "staticmethod"
    case .classMethod: "classmethod"
    case .array: "numpy.ndarray"
    case .npScalar(let scalar):
      switch scalar {
      case .float64: "numpy.float64"
      case .float32: "numpy.float32"
      case .int64: "numpy.int64"
      case .bool: "numpy.bool"
      case .integer(_, let dtype): "numpy.\(dtype.rawValue)"
      }
    case .native(let object): object.typeName
    case .ellipsis: "ellipsis"
    case .unverifiable(let value, _): value.typeName
    }
  }
}

/// A Python list: shared, mutable.
public final class ListObject {
  @exclusivity(unchecked) public var items: [Value]
  public init(_ items: [Value]) { self.items = items }
}

/// A Python dict: insertion-ordered, keyed by hashable values.
public final class DictObject {
  public private(set) var keys: [Value] = []
  public private(set) var values: [Value] = []
  private var index: [HashKey: Int] = [:]

  public init() {}

  public var count: Int { keys.count }

  public func get(_ key: HashKey) -> Value? { index[key].map { values[$0] } }

  public func set(_ key: Value, _ hash: HashKey, _ value: Value) {
    if let position = index[hash] {
      values[position] = value
    } else {
      index[hash] = keys.count
      keys.append(key)
      values.append(value)
    }
  }

  @discardableResult
  public func remove(_ hash: HashKey) -> Value? {
    guard let position = index[hash] else { return nil }
    let value = values[position]
    keys.remove(at: position)
    values.remove(at: position)
    index = [:]
    for (offset, key) in keys.enumerated() {
      if let keyHash = try? HashKey(key) { index[keyHash] = offset }
    }
    return value
  }

  public func clear() {
    keys = []
    values = []
    index = [:]
  }

  /// Puts back recorded contents (a snapshot's restore).
  func replaceContents(keys: [Value], values: [Value]) {
    clear()
    for (key, value) in zip(keys, values) {
      if let hash = try? HashKey(key) { set(key, hash, value) }
    }
  }
}

/// A Python set of hashable values (kept in insertion order; small-int sets print in
/// CPython's order, see `Printer`).
public final class SetObject {
  public private(set) var items: [Value] = []
  private var index: Set<HashKey> = []

  public init() {}

  public func contains(_ key: HashKey) -> Bool { index.contains(key) }

  public func insert(_ value: Value, _ key: HashKey) {
    if index.insert(key).inserted { items.append(value) }
  }

  /// Puts back recorded contents (a snapshot's restore).
  func replaceContents(_ recorded: [Value]) {
    items = []
    index = []
    for item in recorded {
      if let key = try? HashKey(item) { insert(item, key) }
    }
  }

  public func remove(_ key: HashKey) -> Bool {
    guard index.remove(key) != nil else { return false }
    items.removeAll { (try? HashKey($0)) == key }
    return true
  }
}

/// The key of a hashable value: equal Python values have equal keys (`1 == 1.0 == True`).
public enum HashKey: Hashable {
  case none
  case number(Double)
  case bigInt(Int64)
  case str(String)
  case tuple([HashKey])
  case identity(ObjectIdentifier)

  /// The key, or `TypeError: unhashable type`.
  public init(_ value: Value) throws(PythonError) {
    switch value.unmarked {
    case .none: self = .none
    case .bool(let flag): self = .number(flag ? 1 : 0)
    case .int(let number):
      // Exactly representable ints share a key with the equal float.
      if Int64(exactly: Double(number)) == number {
        self = .number(Double(number))
      } else {
        self = .bigInt(number)
      }
    case .float(let number): self = .number(number)
    case .npScalar(let scalar):
      switch scalar {
      case .int64(let number): self = try HashKey(.int(number))
      default: self = .number(scalar.real)
      }
    case .native(let object): self = .identity(ObjectIdentifier(object))
    case .ellipsis: self = .str("<Ellipsis>")
    case .str(let text): self = .str(text)
    case .tuple(let items):
      var keys: [HashKey] = []
      for item in items { keys.append(try HashKey(item)) }
      self = .tuple(keys)
    case .function(let object): self = .identity(ObjectIdentifier(object))
    case .classObject(let object): self = .identity(ObjectIdentifier(object))
    case .instance(let object): self = .identity(ObjectIdentifier(object))
    case .module(let object): self = .identity(ObjectIdentifier(object))
    case .exceptionType(let name): self = .str("<exception type \(name)>")
    case .range(let start, let stop, let step):
      self = .tuple([.bigInt(start), .bigInt(stop), .bigInt(step)])
    default:
      throw PythonError.type("unhashable type: '\(value.typeName)'")
    }
  }
}

/// A user function or lambda: its code, defaults (evaluated once, at `def`) and the scope it
/// closes over.
public final class FunctionObject {
  public let name: String
  let arguments: Arguments
  let body: FunctionBody
  let defaults: [Value]
  let keywordDefaults: [Value?]
  let closure: Scope
  let globals: Scope
  let layout: ScopeLayout
  /// The class whose body defined it (for `super()`).
  weak var owner: ClassObject?
  /// Whether its body yields: calling it makes a generator.
  var isGenerator = false
  /// The number of the module (cell) that defined it (`PythonInterpreter.runCount`).
  var module = 0
  /// Only plain positional parameters (no `*args`, keyword-only, `**kwargs` or `/`).
  let isPlain: Bool
  /// For a plain function, each parameter's slot in its scope (a call given exactly these
  /// arguments positionally fills them directly); nil otherwise.
  let parameterSlots: [Int]?
  /// Attributes set on it (`wrapper.calls = 0`).
  var attributes: [String: Value] = [:]
  /// Its body compiled (see `Compiler`), on its first call.
  var compiled: CompiledStatement?
  /// A lambda's body compiled, on its first call.
  var compiledExpression: CompiledExpression?

  enum FunctionBody {
    case statements([Statement])
    case expression(PythonSyntax.Expression)
  }

  init(
    name: String, arguments: Arguments, body: FunctionBody, defaults: [Value],
    keywordDefaults: [Value?], closure: Scope, globals: Scope, layout: ScopeLayout
  ) {
    self.name = name
    self.isPlain =
      arguments.positionalOnly.isEmpty && arguments.variadic == nil
      && arguments.keywordOnly.isEmpty && arguments.keywordVariadic == nil
    let slots = arguments.positional.compactMap { layout.slot($0.name) }
    self.parameterSlots =
      isPlain && slots.count == arguments.positional.count ? slots : nil
    self.arguments = arguments
    self.body = body
    self.defaults = defaults
    self.keywordDefaults = keywordDefaults
    self.closure = closure
    self.globals = globals
    self.layout = layout
  }
}

/// A class: its name, base and attributes.
public final class ClassObject {
  public let name: String
  let base: ClassObject?
  /// The built-in exception class this class derives from, if any.
  let exceptionBase: String?
  var attributes: [String: Value]

  init(name: String, base: ClassObject?, exceptionBase: String?, attributes: [String: Value]) {
    self.name = name
    self.base = base
    self.exceptionBase = exceptionBase
    self.attributes = attributes
  }

  /// An attribute looked up along the bases.
  func lookup(_ name: String) -> Value? {
    var current: ClassObject? = self
    while let cls = current {
      if let value = cls.attributes[name] { return value }
      current = cls.base
    }
    return nil
  }

  /// Whether `self` is `other` or derives from it.
  func isSubclass(of other: ClassObject) -> Bool {
    var current: ClassObject? = self
    while let cls = current {
      if cls === other { return true }
      current = cls.base
    }
    return false
  }
}

/// An instance of a user class.
public final class InstanceObject {
  let cls: ClassObject
  @exclusivity(unchecked) var attributes: [String: Value] = [:]
  init(cls: ClassObject) { self.cls = cls }
}

/// Which view of a dict.
public enum DictViewKind: String, Sendable {
  case keys = "dict_keys"
  case values = "dict_values"
  case items = "dict_items"
}

extension DictObject {
  /// The items a view shows now.
  func view(_ kind: DictViewKind) -> [Value] {
    switch kind {
    case .keys: keys
    case .values: values
    case .items: zip(keys, values).map { .tuple([$0.0, $0.1]) }
    }
  }
}

/// An iterator over a snapshot of items.
public final class IteratorObject {
  var items: [Value]
  var position = 0
  /// For `np.nditer`: the shape whose C-order index `multi_index` reports, and the element
  /// the iterator is at (`iternext()` moves it; a `for` loop sets it to each item it takes).
  var shape: [Int]?
  var current = 0
  init(_ items: [Value]) { self.items = items }

  /// The next item, or nil when exhausted.
  func next() -> Value? {
    guard position < items.count else { return nil }
    current = position
    position += 1
    return items[position - 1]
  }
}

/// A module (`math`, `random`): named attributes.
public final class ModuleObject {
  public let name: String
  var attributes: [String: Value]
  /// For `matplotlib` modules: every attribute is a plotting sink.
  var sink: String?
  /// The state its functions share (the `random` module's generator), for snapshots.
  var state: SnapshotState?
  init(name: String, attributes: [String: Value]) {
    self.name = name
    self.attributes = attributes
  }
}

/// An exception instance: CPython's type name and its arguments.
public final class ExceptionObject {
  public let type: String
  public internal(set) var arguments: [Value]
  /// The user class, for exceptions of classes that derive from `Exception`.
  let cls: ClassObject?
  /// Attributes its class's `__init__` set (`self.got = got`).
  var attributes: [String: Value] = [:]

  /// A built-in `KeyError` shows its one argument as its repr (`str(KeyError('a'))` is `'a'`).
  var showsArgumentRepr: Bool {
    cls == nil && ExceptionHierarchy.isSubclass(type, of: "KeyError")
  }
  init(type: String, arguments: [Value], cls: ClassObject? = nil) {
    self.type = type
    self.arguments = arguments
    self.cls = cls
  }
}
