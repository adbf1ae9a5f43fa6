import NumPyKit

/// Something whose state a snapshot records and restores in place (random generators).
protocol SnapshotState: AnyObject {
  func capture() -> Any
  func restore(_ state: Any)
}

/// The whole state of an interpreter at one moment, cheap to take: every mutable object
/// reachable from the globals has its contents recorded (Swift's arrays are copy-on-write, so
/// an array's elements are copied only if the program later writes them), and `restore` writes
/// those contents back into the same objects, so aliases, views and closures stay what they were.
public struct InterpreterSnapshot {
  fileprivate var globals: Namespace
  fileprivate var modules: [String: Value]
  fileprivate var restorers: [() -> Void]
  fileprivate var output: String
  fileprivate var printOptions: PrintOptions
  fileprivate var clockReadings: Int
  fileprivate var nextIdentity: Int64
  /// `np.seterr`'s state and the `warnings` filters and registries.
  fileprivate var floatErrors: FloatErrorState
  fileprivate var warningFilters: [WarningFilter]
  fileprivate var warningsShown: Set<PythonWarning>
  fileprivate var numpyWarningsShown: Set<PythonWarning>
  /// The function scope of the loop whose iteration it was taken at (its locals recorded too),
  /// nil at module level.
  var loopScope: Scope?
  /// How many objects' contents it holds.
  public var objectCount: Int { restorers.count }
}

extension PythonInterpreter {
  /// Records the interpreter's state (see `InterpreterSnapshot`).
  public func snapshot() -> InterpreterSnapshot {
    var recorder = SnapshotRecorder()
    for value in globals.values.values { recorder.visit(value) }
    for value in modules.values { recorder.visit(value) }
    recorder.record(numpyRandom)
    // During a loop's iteration inside a function: that call's locals (and their objects).
    var inFunction: Scope?
    if let scope = loopScope, !scope.layout.isModule, scope.function != nil {
      recorder.visit(scope)
      inFunction = scope
    }
    var snapshot = InterpreterSnapshot(
      globals: globals.values, modules: modules, restorers: recorder.restorers, output: output,
      printOptions: printOptions, clockReadings: clock.readings, nextIdentity: nextIdentity,
      floatErrors: floatErrors, warningFilters: warningFilters, warningsShown: warningsShown,
      numpyWarningsShown: numpyWarningsShown)
    snapshot.loopScope = inFunction
    return snapshot
  }

  /// Puts the interpreter back in the state `snapshot` recorded (objects created since are
  /// dropped; objects that existed get their recorded contents back).
  public func restore(_ snapshot: InterpreterSnapshot) {
    for restore in snapshot.restorers { restore() }
    globals.values.restore(snapshot.globals)
    modules = snapshot.modules
    output = snapshot.output
    printOptions = snapshot.printOptions
    clock.readings = snapshot.clockReadings
    nextIdentity = snapshot.nextIdentity
    floatErrors = snapshot.floatErrors
    warningFilters = snapshot.warningFilters
    warningsShown = snapshot.warningsShown
    numpyWarningsShown = snapshot.numpyWarningsShown
  }
}

/// Walks the object graph once, recording each mutable object's contents.
struct SnapshotRecorder {
  var seen: Set<ObjectIdentifier> = []
  var restorers: [() -> Void] = []

  mutating func first(_ object: AnyObject) -> Bool {
    seen.insert(ObjectIdentifier(object)).inserted
  }

  mutating func record(_ state: SnapshotState) {
    guard first(state) else { return }
    let saved = state.capture()
    restorers.append { state.restore(saved) }
  }

  mutating func visit(_ value: Value) {
    switch value {
    case .list(let list):
      guard first(list) else { return }
      let items = list.items
      restorers.append { list.items = items }
      for item in items { visit(item) }
    case .tuple(let items):
      for item in items { visit(item) }
    case .dict(let dict):
      guard first(dict) else { return }
      let keys = dict.keys
      let values = dict.values
      restorers.append { dict.replaceContents(keys: keys, values: values) }
      for item in keys + values { visit(item) }
    case .dictView(let dict, _):
      visit(.dict(dict))
    case .set(let set):
      guard first(set) else { return }
      let items = set.items
      restorers.append { set.replaceContents(items) }
      for item in items { visit(item) }
    case .instance(let object):
      guard first(object) else { return }
      let attributes = object.attributes
      restorers.append { object.attributes = attributes }
      for item in attributes.values { visit(item) }
      visit(.classObject(object.cls))
    case .classObject(let cls):
      guard first(cls) else { return }
      let attributes = cls.attributes
      restorers.append { cls.attributes = attributes }
      for item in attributes.values { visit(item) }
    case .function(let function):
      guard first(function) else { return }
      for item in function.defaults { visit(item) }
      for item in function.keywordDefaults { if let item { visit(item) } }
      var scope: Scope? = function.closure
      while let current = scope {
        visit(current)
        scope = current.parent
      }
    case .boundMethod(let receiver, let function):
      visit(receiver)
      visit(.function(function))
    case .builtinMethod(let receiver, _):
      visit(receiver)
    case .array(let object):
      guard first(object) else { return }
      let view = object.array
      restorers.append { object.array = view }
      let storage = view.storage
      guard first(storage) else { return }
      let reals = storage.reals
      let integers = storage.integers
      restorers.append {
        storage.reals = reals
        storage.integers = integers
      }
    case .native(let object):
      guard first(object) else { return }
      if let state = object.state { record(state) }
      for item in object.items ?? [] { visit(item) }
    case .module(let module):
      guard first(module) else { return }
      if let state = module.state { record(state) }
      for item in module.attributes.values { visit(item) }
    case .iterator(let iterator):
      guard first(iterator) else { return }
      let position = iterator.position
      restorers.append { iterator.position = position }
      for item in iterator.items { visit(item) }
    case .exception(let exception):
      for item in exception.arguments { visit(item) }
    case .unverifiable(let inner, _):
      visit(inner)
    case .property(let getter, let setter):
      visit(getter)
      if let setter { visit(setter) }
    case .staticMethod(let inner), .classMethod(let inner):
      visit(inner)
    default:
      break
    }
  }

  mutating func visit(_ scope: Scope) {
    guard first(scope) else { return }
    let values = scope.values
    let slots = scope.slots
    restorers.append {
      scope.values.restore(values)
      scope.slots = slots
    }
    for item in values.values { visit(item) }
    for case .some(let item) in slots { visit(item) }
  }
}

extension NumPyRandom.LegacyState: SnapshotState {
  func capture() -> Any { (state, seeded, seedValue, drawsSinceSeeding) }
  func restore(_ saved: Any) {
    guard let (state, seeded, seedValue, draws) = saved as? (RandomState, Bool, Int?, Int)
    else { return }
    self.state = state
    self.seeded = seeded
    self.seedValue = seedValue
    self.drawsSinceSeeding = draws
  }
}

extension NumPyRandom.GeneratorState: SnapshotState {
  func capture() -> Any { (generator, seedValue, drawsSinceSeeding) }
  func restore(_ saved: Any) {
    guard let (generator, seedValue, draws) = saved as? (Generator, Int?, Int) else { return }
    self.generator = generator
    self.seedValue = seedValue
    self.drawsSinceSeeding = draws
  }
}

extension PythonRandom: SnapshotState {
  func capture() -> Any { (generator, gaussNext, seeded) }
  func restore(_ saved: Any) {
    guard let (generator, gaussNext, seeded) = saved as? (MT19937, Double?, Bool) else { return }
    self.generator = generator
    self.gaussNext = gaussNext
    self.seeded = seeded
  }
}
