import NumPyKit
import PythonSyntax

/// The variables of one running scope: the module's globals, a function call's locals, a
/// class body's namespace or a comprehension's.
///
/// A function's (or comprehension's) locals live in `slots`, one per name its layout binds,
/// found through the layout's index: a call allocates one array, not a hash table. The module
/// and class bodies keep their names in `values`.
final class Scope {
  @exclusivity(unchecked) var values = Namespace()
  /// The locals of a function or comprehension scope, by the layout's slot numbers (nil:
  /// unbound).
  @exclusivity(unchecked) var slots: [Value?]
  /// The scope this one's code was defined in (for free variables), nil for globals.
  let parent: Scope?
  let layout: ScopeLayout
  let isClassBody: Bool
  /// A class body's class name (for methods' qualified names).
  var className: String?
  /// The function whose call this scope is (for `super()`).
  var function: FunctionObject?
  /// A comprehension's own scope (a walrus in it binds in the enclosing one).
  var isComprehension = false

  init(parent: Scope?, layout: ScopeLayout, isClassBody: Bool = false) {
    self.parent = parent
    self.layout = layout
    self.isClassBody = isClassBody
    self.slots =
      layout.slotNames.isEmpty ? [] : .filled(with: nil, count: layout.slotNames.count)
  }

  /// A function call's scope whose slots the caller filled (one per layout slot).
  init(parent: Scope, layout: ScopeLayout, slots: consuming [Value?]) {
    precondition(slots.count == layout.slotNames.count)
    self.parent = parent
    self.layout = layout
    self.isClassBody = false
    self.slots = slots
  }

  /// Whether the module's or a class body's names are in `values` (else locals are in slots).
  var isNamespace: Bool { layout.isModule || isClassBody }

  /// Binds a parameter of the function whose call this scope is.
  func bind(_ name: String, _ value: Value) {
    if let slot = layout.slot(name) { slots[slot] = value } else { values[name] = value }
  }

  /// A local's value in a function or comprehension scope (nil: unbound or not a local).
  func local(_ name: String) -> Value? {
    guard let slot = layout.slot(name) else { return nil }
    return slots[slot]
  }
}

/// Which names a function (or comprehension) binds itself, and which it declares `global` or
/// `nonlocal`: Python's local-if-assigned rule, decided before the code runs. Shared by every
/// call of the function.
final class ScopeLayout: Sendable {
  let globals: Set<String>
  let nonlocals: Set<String>
  /// The module scope: every name is global.
  let isModule: Bool
  /// The locals (the names bound here, parameters included) in slot order, and each one's
  /// slot.
  let slotNames: [String]
  private let slotIndex: [NameKey: Int]

  init(
    locals: Set<String> = [], globals: Set<String> = [], nonlocals: Set<String> = [],
    isModule: Bool = false
  ) {
    self.globals = globals
    self.nonlocals = nonlocals
    self.isModule = isModule
    let names = locals.sorted()
    slotNames = names
    var index: [NameKey: Int] = [:]
    for (slot, name) in names.enumerated() { index[NameKey(text: name)] = slot }
    slotIndex = index
  }

  /// A local's slot, nil for a name that is not local.
  func slot(_ name: String) -> Int? { slotIndex[NameKey(text: name)] }

  static let module = ScopeLayout(isModule: true)

  /// The layout of a function with `parameters` and `body`.
  static func function(parameters: [String], body: [Statement]) -> ScopeLayout {
    var collector = BindingCollector()
    for statement in body { collector.statement(statement) }
    return ScopeLayout(
      locals: collector.bound.union(parameters).subtracting(collector.globals)
        .subtracting(collector.nonlocals),
      globals: collector.globals, nonlocals: collector.nonlocals)
  }
}

/// Collects the names a block binds, not descending into nested functions and classes.
struct BindingCollector {
  var bound: Set<String> = []
  var globals: Set<String> = []
  var nonlocals: Set<String> = []

  mutating func target(_ value: PythonSyntax.Expression) {
    switch value.kind {
    case .name(let name, _): bound.insert(name)
    case .tuple(let items, _), .list(let items, _): for item in items { target(item) }
    case .starred(let inner, _): target(inner)
    default: break
    }
  }

  mutating func statement(_ statement: Statement) {
    switch statement.kind {
    case .functionDef(let function): bound.insert(function.name)
    case .classDef(let definition): bound.insert(definition.name)
    case .assign(let targets, let value):
      for item in targets { target(item) }
      walrus(value)
    case .augAssign(let target, _, let value):
      self.target(target)
      walrus(value)
    case .annAssign(let target, _, _, _): self.target(target)
    case .for(let target, _, let body, let orelse):
      self.target(target)
      for item in body { self.statement(item) }
      for item in orelse { self.statement(item) }
    case .while(let test, let body, let orelse), .if(let test, let body, let orelse):
      walrus(test)
      for item in body { self.statement(item) }
      for item in orelse { self.statement(item) }
    case .with(let items, let body):
      for item in items { if let target = item.target { self.target(target) } }
      for item in body { self.statement(item) }
    case .try(let body, let handlers, let orelse, let finalbody):
      for item in body { self.statement(item) }
      for handler in handlers {
        if let name = handler.name { bound.insert(name) }
        for item in handler.body { self.statement(item) }
      }
      for item in orelse { self.statement(item) }
      for item in finalbody { self.statement(item) }
    case .import(let names):
      for alias in names {
        bound.insert(alias.asName ?? String(alias.name.split(separator: ".")[0]))
      }
    case .importFrom(_, let names, _):
      for alias in names where alias.name != "*" { bound.insert(alias.asName ?? alias.name) }
    case .delete(let targets): for item in targets { target(item) }
    case .global(let names): globals.formUnion(names)
    case .nonlocal(let names): nonlocals.formUnion(names)
    case .expression(let value): walrus(value)
    case .return(let value): if let value { walrus(value) }
    default: break
    }
  }

  /// `(y := f(x))` binds in the enclosing function, comprehensions included.
  mutating func walrus(_ value: PythonSyntax.Expression) {
    switch value.kind {
    case .namedExpr(let target, let inner):
      self.target(target)
      walrus(inner)
    case .binOp(let left, _, let right):
      walrus(left)
      walrus(right)
    case .boolOp(_, let values): for item in values { walrus(item) }
    case .compare(let left, _, let rest):
      walrus(left)
      for item in rest { walrus(item) }
    case .call(let function, let arguments, let keywords):
      walrus(function)
      for item in arguments { walrus(item) }
      for item in keywords { walrus(item.value) }
    case .listComp(let element, let clauses), .setComp(let element, let clauses),
      .generatorExp(let element, let clauses):
      walrus(element)
      for clause in clauses { for item in clause.ifs { walrus(item) } }
    case .unaryOp(_, let operand): walrus(operand)
    default: break
    }
  }
}
