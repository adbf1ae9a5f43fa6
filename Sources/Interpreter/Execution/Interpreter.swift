import Foundation
import NumPyKit
import PythonSyntax

/// Bounds that turn a hostile program into a clear refusal, never a hang or a crash.
public struct InterpreterLimits: Sendable {
  /// Statements and loop iterations executed, in all.
  public var maximumSteps = 50_000_000
  /// Python call depth (CPython's default recursion limit).
  public var maximumRecursion = 1_000
  /// Elements in one list, string or repetition.
  public var maximumElements = Operators.defaultElementLimit
  /// Bytes of NumPy array storage alive at once (2 GB).
  public var maximumBytes = 2 << 30

  /// The defaults.
  public init() {}
}

/// Runs Python code: the statements of one or more cells in one shared global namespace, as a
/// notebook's kernel does, writing what `print` writes to `output`. It reaches nothing outside
/// itself: no files, network, processes or clock.
public final class PythonInterpreter {
  /// What the program has printed so far.
  ///
  /// The state that every statement touches is `@exclusivity(unchecked)`: the runtime's
  /// dynamic exclusivity checks on it cost about 8% of a replay, and no two accesses to it
  /// overlap (the interpreter is single-threaded; none of it is passed `inout` across a call
  /// that could reach it again).
  @exclusivity(unchecked) public internal(set) var output = ""
  let limits: InterpreterLimits
  let globals: Scope
  var builtins: [String: Value] = [:]
  @exclusivity(unchecked) var steps = 0
  /// How many modules (cells) `run` was given so far: the number of the one running, which
  /// the functions it defines and the errors raised in its code carry (`PythonError.module`).
  public private(set) var runCount = 0
  /// The step count past which `step` looks closer: the step budget, or 0 once a stop is
  /// requested (one comparison on the hot path serves both).
  @exclusivity(unchecked) var stepLimit: Int
  /// Whether `requestStop()` was called.
  public private(set) var stopRequested = false
  /// The BLAS whose summation order float64 products take (this machine's by default; the
  /// noise band replays under others).
  public var blas = BLASOrder.haswell
  /// The math library of float64 elementwise loops (glibc's by default; `MachineModel`).
  public var math = MathLibrary.glibc
  /// Where the machine-dependent operations the code runs are noted, when set.
  public var operations: OperationLog?
  /// Whether `output` keeps what the program prints (a replay whose prints an observer
  /// consumes one by one turns this off, so a long run holds no more than one print).
  public var keepsOutput = true
  @exclusivity(unchecked) var callDepth = 0
  /// The modules imported so far (one `random` state per interpreter, as one per process).
  var modules: [String: Value] = [:]
  /// The containers whose repr is being written (a list inside itself prints as `[...]`).
  var reprActive: Set<ObjectIdentifier> = []
  /// Who watches prints, loop iterations, in-place updates, draws and exceptions (nil: nobody,
  /// and the hooks cost one check each).
  public weak var observer: InterpreterObserver? { didSet { isObserved = observer != nil } }
  /// Whether an observer was set (a plain flag: the hot paths test it before loading the weak
  /// reference, which costs an atomic operation).
  private(set) var isObserved = false
  /// The array storage this interpreter's programs hold (for the memory budget).
  public let ledger = MemoryLedger()
  /// The stand-in clock behind `time` and `datetime` (its readings are unverifiable).
  let clock = Sinks.Clock()
  /// `id()`'s next stand-in address.
  var nextIdentity: Int64 = 0x7f00_0000_0000
  /// NumPy's print options (np.set_printoptions).
  var printOptions = PrintOptions()
  /// The scope of the loop whose iteration the observer is being told of.
  var loopScope: Scope?
  /// The scope of the augmented assignment whose update the observer is being told of.
  var updateScope: Scope?
  /// Whether the observer is told of each plain assignment before it runs (`willAssign`: the
  /// broadcast probe's view of a gradient's operands). Off, it costs one check per assignment.
  public var watchesAssignments = false
  /// The scope of the assignment the observer is being told of.
  var assignmentScope: Scope?
  /// During an observer's `updated` call: the value the target held before (the same array
  /// for an update in place, the array rebound away from for `P = P - lr * G`).
  public private(set) var updatedFrom: Value?
  /// NumPy's floating-point error state (`np.seterr`).
  var floatErrors = FloatErrorState()
  /// The `warnings` filters, newest first, and the warnings shown so far (Python's registry:
  /// a warning shows once per place and message). A cell's lines are shown again in each
  /// later cell when `warningsPerModule` (a notebook, as IPython shows them); NumPy's own
  /// lines once per run.
  var warningFilters: [WarningFilter] = []
  var warningsShown: Set<PythonWarning> = []
  var numpyWarningsShown: Set<PythonWarning> = []
  /// Whether each module (cell) starts with no warnings shown (a notebook), or the registry
  /// lasts the run (a script).
  public var warningsPerModule = true
  /// The lists of the `catch_warnings(record=True)` blocks open, innermost last.
  var warningRecords: [Recorder] = []
  /// The module (cell) whose code is running: `runCount`'s number of the cell, or of the cell
  /// that defined the function running.
  public var runningModule: Int { currentModule }
  /// The line running now and the module (cell) whose code it is: where a warning is issued.
  @exclusivity(unchecked) var currentLine = 0
  @exclusivity(unchecked) var currentModule = 0
  /// NumPy's global legacy random state (np.random.seed, np.random.randn …).
  let numpyRandom = NumPyRandom.LegacyState(
    state: (try? RandomState(seed: 0)) ?? RandomState(bitGenerator: MT19937(seed: UInt32(0))),
    seeded: false)

  /// A fresh interpreter: empty globals, the built-ins.
  public init(limits: InterpreterLimits = InterpreterLimits()) {
    self.limits = limits
    self.stepLimit = limits.maximumSteps
    self.globals = Scope(parent: nil, layout: .module)
    self.builtins = Builtins.table()
    globals.values["__name__"] = .str("__main__")
  }

  /// Asks the running program to stop at its next statement or loop iteration (an observer
  /// calls this when it needs no more output): the run ends with a `PythonError` whose
  /// `isStop` is set, which no `try`/`except` in the program catches.
  public func requestStop() {
    stopRequested = true
    stepLimit = 0
  }

  /// Parses and runs `source` (one cell).
  public func run(_ source: String) throws {
    let module = try PythonParser.parse(source)
    try run(module)
  }

  /// Runs a parsed cell.
  public func run(_ module: Module) throws(PythonError) {
    _ = try run(module, echoingLast: false)
  }

  /// Runs a cell as a notebook kernel does: when its last statement is a bare expression, its
  /// value is not printed but returned as its repr (Jupyter's `Out[N]:`), nil for `None`.
  public func run(_ module: Module, echoingLast: Bool) throws(PythonError) -> String? {
    runCount += 1
    currentModule = runCount
    currentLine = 0
    if warningsPerModule { warningsShown.removeAll(keepingCapacity: true) }
    return try inRunContext { [self] in runCounted(module, echoingLast: echoingLast) }.get()
  }

  /// `body` on a large stack with this interpreter's memory ledger, BLAS order and
  /// floating-point error handling in force (as every run of code is).
  func inRunContext<T>(_ body: @escaping () -> Result<T, PythonError>) -> Result<T, PythonError> {
    let sink = FloatErrorSink(self)
    return LargeRun.run { [self] () -> Result<T, PythonError> in
      MemoryLedger.$current.withValue(ledger) {
        BLASOrder.$current.withValue(blas) {
          MathLibrary.$current.withValue(math) {
            OperationLog.$current.withValue(operations) {
              FloatErrorSink.$current.withValue(sink) { body() }
            }
          }
        }
      }
    }
  }

  private func runCounted(_ module: Module, echoingLast: Bool) -> Result<String?, PythonError> {
    do throws(PythonError) {
      try Sandbox.check(module)
      guard echoingLast, let last = module.body.last, case .expression(let value) = last.kind
      else {
        _ = try Compiler(module: self).block(module.body)(globals)
        return .success(nil)
      }
      _ = try Compiler(module: self).block(Array(module.body.dropLast()))(globals)
      do throws(PythonError) {
        try step(last.range.start)
        let echoed = try evaluate(value, in: globals)
        if case .none = echoed.unmarked { return .success(nil) }
        // Jupyter shows the value through IPython's pretty printer, not repr.
        let text = try pretty(echoed)
        if let observer {
          let piece = PrintPiece(
            kind: .value, text: text, value: echoed, range: value.range,
            unverifiable: echoed.unverifiableReason, options: printOptions)
          var event = PrintEvent(pieces: [piece], range: last.range)
          event.isResult = true
          observer.interpreter(self, printed: event)
        }
        return .success(text)
      } catch var error {
        if error.location == nil { error.location = last.range.start }
        throw error
      }
    } catch var error {
      if error.module == nil { error.module = runCount }
      observer?.interpreter(self, raised: error, at: error.location)
      return .failure(error)
    }
  }

  // MARK: - Statements

  enum Completion {
    case normal
    case breakLoop
    case continueLoop
    case returned(Value)
  }

  func step(_ location: SourceLocation) throws(PythonError) {
    steps += 1
    currentLine = location.line
    if steps > stepLimit {
      if stopRequested { throw PythonError.stop(at: location) }
      throw PythonError(
        refusal: "the program ran more than \(limits.maximumSteps) steps (a step budget; "
          + "an endless loop?)", at: location)
    }
    if ledger.live > limits.maximumBytes {
      throw PythonError(
        refusal: "the program holds more than \(limits.maximumBytes >> 20) MB of arrays (a "
          + "memory budget)", at: location)
    }
  }

  func execute(_ statements: [Statement], in scope: Scope) throws(PythonError) -> Completion {
    for statement in statements {
      do {
        let completion = try execute(statement, in: scope)
        if case .normal = completion { continue }
        return completion
      } catch var error {
        if error.location == nil { error.location = statement.range.start }
        throw error
      }
    }
    return .normal
  }

  func execute(_ statement: Statement, in scope: Scope) throws(PythonError) -> Completion {
    try step(statement.range.start)
    switch statement.kind {
    case .expression(let value):
      _ = try evaluate(value, in: scope)
    case .assign(let targets, let value):
      if watchesAssignments { noteAssignment(targets[0], value, in: scope) }
      let result = try evaluate(value, in: scope)
      for target in targets { try assign(target, result, in: scope) }
    case .augAssign(let target, let op, let value):
      try augmentedAssign(target, op, value, in: scope)
    case .annAssign(let target, _, let value, _):
      if let value { try assign(target, try evaluate(value, in: scope), in: scope) }
    case .if(let test, let body, let orelse):
      return try execute(try truth(try evaluate(test, in: scope)) ? body : orelse, in: scope)
    case .while(let test, let body, let orelse):
      return try whileLoop(
        at: statement.range, in: scope,
        { () throws(PythonError) in try truth(try evaluate(test, in: scope)) },
        body: { () throws(PythonError) in try execute(body, in: scope) },
        orelse: { () throws(PythonError) in try execute(orelse, in: scope) })
    case .for(let target, let iter, let body, let orelse):
      return try forLoop(
        over: try evaluate(iter, in: scope), at: statement.range, in: scope,
        assign: { (item) throws(PythonError) in try assign(target, item, in: scope) },
        body: { () throws(PythonError) in try execute(body, in: scope) },
        orelse: { () throws(PythonError) in try execute(orelse, in: scope) })
    case .break: return .breakLoop
    case .continue: return .continueLoop
    case .pass: break
    case .return(let value):
      return .returned(
        try value.map { (value) throws(PythonError) in try evaluate(value, in: scope) } ?? .none)
    case .functionDef(let definition):
      var function = Value.function(try makeFunction(definition, in: scope))
      for decorator in definition.decorators.reversed() {
        function = try call(try evaluate(decorator, in: scope), [function], [])
      }
      try store(definition.name, function, in: scope)
    case .classDef(let definition):
      try store(definition.name, try makeClass(definition, in: scope), in: scope)
    case .global, .nonlocal:
      break
    case .delete(let targets):
      for target in targets { try delete(target, in: scope) }
    case .assert(let test, let message):
      if !(try truth(try evaluate(test, in: scope))) {
        let arguments =
          try message.map { (message) throws(PythonError) in [try evaluate(message, in: scope)] }
          ?? []
        throw PythonError(exception: ExceptionObject(type: "AssertionError", arguments: arguments))
      }
    case .raise(let exception, _):
      guard let exception else {
        guard let current = currentException.last else {
          throw PythonError.raise("RuntimeError", "No active exception to reraise")
        }
        throw PythonError(exception: current)
      }
      throw PythonError(exception: try makeException(try evaluate(exception, in: scope)))
    case .try(let body, let handlers, let orelse, let finalbody):
      return try executeTry(body, handlers, orelse, finalbody, in: scope)
    case .import(let names):
      for alias in names {
        let module = try Modules.load(alias.name, at: alias.range.start, for: self)
        let bound = alias.asName ?? String(alias.name.split(separator: ".")[0])
        let value: Value
        if alias.asName == nil, alias.name.contains("."),
          let top = try? Modules.load(
            String(alias.name.split(separator: ".")[0]), at: nil, for: self)
        {
          value = top
        } else {
          value = module
        }
        try store(bound, value, in: scope)
      }
    case .importFrom(let moduleName, let names, _):
      let module = try Modules.load(moduleName ?? "", at: statement.range.start, for: self)
      guard case .module(let object) = module else { break }
      for alias in names {
        guard let value = object.attributes[alias.name] else {
          throw PythonError.raise(
            "ImportError", "cannot import name '\(alias.name)' from '\(object.name)'")
        }
        try store(alias.asName ?? alias.name, value, in: scope)
      }
    case .with(let items, let body):
      return try executeWith(items[...], body, in: scope)
    case .magic(let magic):
      // `%time stmt` and `%%time` run their code once (the timing they print is the
      // clock's); other IPython escapes run nothing: `%matplotlib inline`, `!pip install`.
      if magic.name == "time" && (magic.kind == .line || magic.kind == .cell) {
        let code = magic.kind == .line ? magic.arguments : magic.body
        let module: Module
        do {
          module = try PythonParser.parse(code)
        } catch {
          throw PythonError.raise("SyntaxError", error.message)
        }
        try Sandbox.check(module)
        return try execute(module.body, in: scope)
      }
    }
    return .normal
  }

  /// Tells the observer a loop's iteration starts, in `scope` (a snapshot taken then records
  /// that scope's locals too).
  func observeIteration(_ iteration: Int, of range: SourceRange, in scope: Scope) {
    let outer = loopScope
    loopScope = scope
    defer { loopScope = outer }
    observer?.interpreter(self, iteration: iteration, of: range)
  }

  /// `while test: body else: orelse`, one step (and an observed iteration) per pass.
  func whileLoop(
    at range: SourceRange, in scope: Scope, _ test: () throws(PythonError) -> Bool,
    body: () throws(PythonError) -> Completion, orelse: () throws(PythonError) -> Completion
  ) throws(PythonError) -> Completion {
    var iteration = 0
    while try test() {
      try step(range.start)
      if isObserved { observeIteration(iteration, of: range, in: scope) }
      iteration += 1
      switch try body() {
      case .breakLoop: return .normal
      case .returned(let value): return .returned(value)
      default: continue
      }
    }
    return try orelse()
  }

  /// `for target in iterable: body else: orelse`, one step (and an observed iteration) per
  /// item. A range's items are made one at a time (a loop over `range(10**6)` holds no list).
  func forLoop(
    over iterable: Value, at range: SourceRange, in scope: Scope,
    assign: (Value) throws(PythonError) -> Void,
    body: () throws(PythonError) -> Completion, orelse: () throws(PythonError) -> Completion
  ) throws(PythonError) -> Completion {
    func pass(_ iteration: Int, _ item: Value) throws(PythonError) -> Completion? {
      try step(range.start)
      try assign(item)
      if isObserved { observeIteration(iteration, of: range, in: scope) }
      switch try body() {
      case .breakLoop: return .normal
      case .returned(let value): return .returned(value)
      default: return nil
      }
    }
    if case .iterator(let iterator) = iterable {
      // Taken one item at a time, as CPython does: the body may advance the same iterator
      // (`next(it)`) or read its state (`np.nditer`'s `multi_index`).
      var iteration = 0
      while let item = iterator.next() {
        if let end = try pass(iteration, item) { return end }
        iteration += 1
      }
      return try orelse()
    }
    if case .range(let start, let stop, let step) = iterable {
      let count = Ranges.count(start, stop, step)
      var iteration: Int64 = 0
      while iteration < count {
        let item = Value.int(start &+ iteration &* step)
        if let end = try pass(Int(iteration), item) { return end }
        iteration += 1
      }
    } else {
      for (iteration, item) in try iterate(iterable).enumerated() {
        if let end = try pass(iteration, item) { return end }
      }
    }
    return try orelse()
  }

  /// The items each running generator has yielded, innermost last.
  @exclusivity(unchecked) var yielded: [[Value]] = []

  /// The exceptions being handled, innermost last (for a bare `raise`).
  @exclusivity(unchecked) var currentException: [ExceptionObject] = []

  func executeTry(
    _ body: [Statement], _ handlers: [ExceptHandler], _ orelse: [Statement],
    _ finalbody: [Statement], in scope: Scope
  ) throws(PythonError) -> Completion {
    var completion = Completion.normal
    var pending: PythonError?
    do {
      completion = try execute(body, in: scope)
      if case .normal = completion { completion = try execute(orelse, in: scope) }
    } catch {
      pending = error
      observer?.interpreter(self, raised: error, at: error.location)
      if let exception = error.exception {
        for handler in handlers {
          if try matches(exception, handler.type, in: scope) {
            pending = nil
            if let name = handler.name { try store(name, .exception(exception), in: scope) }
            currentException.append(exception)
            defer { currentException.removeLast() }
            do {
              completion = try execute(handler.body, in: scope)
            } catch let inner {
              pending = inner
            }
            break
          }
        }
      }
    }
    if !finalbody.isEmpty {
      let final = try execute(finalbody, in: scope)
      if case .normal = final {} else { return final }
    }
    if let pending { throw pending }
    return completion
  }

  /// `with a as x, b: body` as CPython runs it: each manager's `__enter__` in order (its
  /// result bound to the target), the body, then each `__exit__` in reverse, given the
  /// exception the body raised (a true result suppresses it). The managers are instances of
  /// classes with `__enter__`/`__exit__` and NumPy's `np.printoptions(...)`; anything else is
  /// CPython's TypeError.
  func executeWith(
    _ items: ArraySlice<WithItem>, _ body: [Statement], in scope: Scope
  ) throws(PythonError) -> Completion {
    guard let item = items.first else { return try execute(body, in: scope) }
    let manager = try evaluate(item.context, in: scope)
    let entered = try enterContext(manager)
    if let target = item.target { try assign(target, entered, in: scope) }
    let completion: Completion
    do {
      completion = try executeWith(items.dropFirst(), body, in: scope)
    } catch {
      if try exitContext(manager, raised: error) { return .normal }
      throw error
    }
    _ = try exitContext(manager, raised: nil)
    return completion
  }

  func enterContext(_ manager: Value) throws(PythonError) -> Value {
    switch manager {
    case .native(let object) where object.enter != nil:
      return try object.enter?(self) ?? .none
    case .native(let object) where object.printOptions != nil:
      object.savedPrintOptions = printOptions
      printOptions = object.printOptions ?? printOptions
      return manager
    case .instance(let object):
      guard case .function(let enter)? = object.cls.lookup("__enter__"),
        object.cls.lookup("__exit__") != nil
      else {
        throw PythonError.type(
          "'\(manager.typeName)' object does not support the context manager protocol")
      }
      return try callFunction(enter, [manager], [])
    default:
      throw PythonError.type(
        "'\(manager.typeName)' object does not support the context manager protocol")
    }
  }

  /// Runs a manager's exit; true when it suppresses `raised`.
  func exitContext(_ manager: Value, raised: PythonError?) throws(PythonError) -> Bool {
    switch manager {
    case .native(let object) where object.exit != nil:
      object.exit?(self)
      return false
    case .native(let object) where object.printOptions != nil:
      if let saved = object.savedPrintOptions { printOptions = saved }
      return false
    case .instance(let object):
      guard case .function(let exit)? = object.cls.lookup("__exit__") else { return false }
      var arguments: [Value] = [manager, .none, .none, .none]
      if let exception = raised?.exception {
        arguments[1] = .exceptionType(exception.type)
        arguments[2] = .exception(exception)
      } else if raised != nil {
        return false  // a refusal is not an exception a program can suppress
      }
      return try truth(try callFunction(exit, arguments, []))
    default:
      return false
    }
  }

  func matches(_ exception: ExceptionObject, _ type: PythonSyntax.Expression?, in scope: Scope)
    throws(PythonError) -> Bool
  {
    guard let type else { return true }
    let value = try evaluate(type, in: scope)
    return try matches(exception, value)
  }

  func matches(_ exception: ExceptionObject, _ value: Value) throws(PythonError) -> Bool {
    switch value {
    case .exceptionType(let name):
      return ExceptionHierarchy.isSubclass(exception.cls?.exceptionBase ?? exception.type, of: name)
    case .classObject(let cls):
      return exception.cls?.isSubclass(of: cls) ?? false
    case .tuple(let items):
      for item in items where try matches(exception, item) { return true }
      return false
    default:
      throw PythonError.type(
        "catching classes that do not inherit from BaseException is not allowed")
    }
  }

  func makeException(_ value: Value) throws(PythonError) -> ExceptionObject {
    switch value {
    case .exception(let object): return object
    case .exceptionType(let name): return ExceptionObject(type: name, arguments: [])
    case .classObject(let cls) where cls.exceptionBase != nil:
      return ExceptionObject(type: cls.name, arguments: [], cls: cls)
    default:
      throw PythonError.type("exceptions must derive from BaseException")
    }
  }

  // MARK: - Names

  func load(_ name: String, in scope: Scope) throws(PythonError) -> Value {
    if scope.isNamespace {
      if let value = scope.values[name] { return value }
      if scope.isClassBody { return try loadFree(name, from: scope.parent) }
      return try loadGlobal(name)
    }
    if let slot = scope.layout.slot(name) {
      if let value = scope.slots[slot] { return value }
      throw PythonError.raise(
        "UnboundLocalError",
        "cannot access local variable '\(name)' where it is not associated with a value")
    }
    if !scope.layout.globals.isEmpty, scope.layout.globals.contains(name) {
      return try loadGlobal(name)
    }
    return try loadFree(name, from: scope.parent)
  }

  func loadFree(_ name: String, from start: Scope?) throws(PythonError) -> Value {
    var current = start
    while let scope = current, !scope.layout.isModule {
      if !scope.isClassBody, let slot = scope.layout.slot(name) {
        if let value = scope.slots[slot] { return value }
        throw PythonError.name(
          "cannot access free variable '\(name)' where it is not associated with a value in "
            + "enclosing scope")
      }
      current = scope.parent
    }
    return try loadGlobal(name)
  }

  func loadGlobal(_ name: String) throws(PythonError) -> Value {
    if let value = globals.values[name] { return value }
    if let value = builtins[name] { return value }
    throw PythonError.name("name '\(name)' is not defined")
  }

  func store(_ name: String, _ value: Value, in scope: Scope) throws(PythonError) {
    if scope.isNamespace {
      scope.values[name] = value
    } else if let slot = scope.layout.slot(name) {
      scope.slots[slot] = value
    } else if scope.layout.globals.contains(name) {
      globals.values[name] = value
    } else if scope.layout.nonlocals.contains(name) {
      var current = scope.parent
      while let enclosing = current, !enclosing.layout.isModule {
        if !enclosing.isClassBody, let slot = enclosing.layout.slot(name) {
          enclosing.slots[slot] = value
          return
        }
        current = enclosing.parent
      }
      throw PythonError.raise("SyntaxError", "no binding for nonlocal '\(name)' found")
    } else {
      throw PythonError(refusal: "retrace found no scope for the name '\(name)'")
    }
  }

  func delete(_ target: PythonSyntax.Expression, in scope: Scope) throws(PythonError) {
    switch target.kind {
    case .name(let name, _):
      if !scope.isNamespace, let slot = scope.layout.slot(name) {
        guard scope.slots[slot] != nil else {
          throw PythonError.raise(
            "UnboundLocalError",
            "cannot access local variable '\(name)' where it is not associated with a value")
        }
        scope.slots[slot] = nil
        return
      }
      let owner = scope.layout.globals.contains(name) ? globals : scope
      guard owner.values.removeValue(forKey: name) != nil else {
        throw PythonError.name("name '\(name)' is not defined")
      }
    case .subscript(let base, let index, _):
      let container = try evaluate(base, in: scope)
      try Subscripts.delete(container, try evaluate(index, in: scope))
    case .tuple(let items, _), .list(let items, _):
      for item in items { try delete(item, in: scope) }
    case .attribute(let base, let name, _):
      guard case .instance(let object) = try evaluate(base, in: scope),
        object.attributes.removeValue(forKey: name) != nil
      else { throw PythonError.attribute(name) }
    default:
      throw PythonError.raise("SyntaxError", "cannot delete")
    }
  }

  // MARK: - Assignment

  func assign(_ target: PythonSyntax.Expression, _ value: Value, in scope: Scope)
    throws(PythonError)
  {
    switch target.kind {
    case .name(let name, _):
      try store(name, value, in: scope)
    case .tuple(let items, _), .list(let items, _):
      try unpack(items, value, in: scope)
    case .subscript(let base, let index, _):
      let container = try evaluate(base, in: scope)
      try Subscripts.store(container, try evaluate(index, in: scope), value)
    case .attribute(let base, let name, _):
      try setAttribute(try evaluate(base, in: scope), name, value)
    case .starred(let inner, _):
      try assign(inner, value, in: scope)
    default:
      throw PythonError.raise("SyntaxError", "cannot assign")
    }
  }

  func unpack(_ targets: [PythonSyntax.Expression], _ value: Value, in scope: Scope)
    throws(PythonError)
  {
    let items = try iterate(value)
    if let star = targets.firstIndex(where: {
      if case .starred = $0.kind { return true }
      return false
    }) {
      let after = targets.count - star - 1
      guard items.count >= targets.count - 1 else {
        throw PythonError.value(
          "not enough values to unpack (expected at least \(targets.count - 1), got \(items.count))"
        )
      }
      for index in 0..<star { try assign(targets[index], items[index], in: scope) }
      let middle = Array(items[star..<(items.count - after)])
      try assign(targets[star], .list(ListObject(middle)), in: scope)
      for offset in 0..<after {
        try assign(targets[star + 1 + offset], items[items.count - after + offset], in: scope)
      }
      return
    }
    if items.count != targets.count {
      throw Self.unpackError(expected: targets.count, got: items.count)
    }
    for (target, item) in zip(targets, items) { try assign(target, item, in: scope) }
  }

  /// CPython's error for unpacking `got` items into `expected` targets (no starred one).
  static func unpackError(expected: Int, got: Int) -> PythonError {
    if got > expected {
      return PythonError.value("too many values to unpack (expected \(expected))")
    }
    return PythonError.value("not enough values to unpack (expected \(expected), got \(got))")
  }

  func augmentedAssign(
    _ target: PythonSyntax.Expression, _ op: BinaryOperator, _ value: PythonSyntax.Expression,
    in scope: Scope
  ) throws(PythonError) {
    switch target.kind {
    case .name(let name, _):
      let current = try load(name, in: scope)
      let result = try inPlace(op, current, try evaluate(value, in: scope))
      try store(name, result, in: scope)
      noteUpdate(target, op, value, current, result, in: scope)
    case .subscript(let base, let index, _):
      let container = try evaluate(base, in: scope)
      let key = try evaluate(index, in: scope)
      let current = try Subscripts.load(container, key)
      let result = try inPlace(op, current, try evaluate(value, in: scope))
      try Subscripts.store(container, key, result)
      noteUpdate(target, op, value, current, result, in: scope)
    case .attribute(let base, let name, _):
      let object = try evaluate(base, in: scope)
      let current = try attribute(object, name)
      let result = try inPlace(op, current, try evaluate(value, in: scope))
      try setAttribute(object, name, result)
      noteUpdate(target, op, value, current, result, in: scope)
    default:
      throw PythonError.raise("SyntaxError", "illegal expression for augmented assignment")
    }
  }

  /// `current op= operand`'s new value (an array is updated in place, as NumPy does).
  func inPlace(_ op: BinaryOperator, _ current: Value, _ operand: Value) throws(PythonError)
    -> Value
  {
    try Operators.inPlace(op, current, operand, elementLimit: limits.maximumElements)
  }

  /// Tells the observer that `target op= operand` updated an array to `result`.
  func noteUpdate(
    _ target: PythonSyntax.Expression, _ op: BinaryOperator, _ operand: PythonSyntax.Expression,
    _ current: Value, _ result: Value, in scope: Scope
  ) {
    if isObserved, let observer, Self.isUpdatable(current) {
      let outer = (updateScope, updatedFrom)
      updateScope = scope
      updatedFrom = current
      defer { (updateScope, updatedFrom) = outer }
      observer.interpreter(self, updated: target, with: op, operand: operand, value: result)
    }
  }

  /// Tells the observer that `target = value` is about to run in `scope`.
  func noteAssignment(
    _ target: PythonSyntax.Expression, _ value: PythonSyntax.Expression, in scope: Scope
  ) {
    guard isObserved, let observer else { return }
    let outer = assignmentScope
    assignmentScope = scope
    defer { assignmentScope = outer }
    observer.interpreter(self, willAssign: target, value: value)
  }

  /// During an observer's `willAssign` call: the value of any `expression` where the
  /// assignment runs, or the error it raises. Unlike `evaluateAtUpdate` it runs calls too, with
  /// their effects (a random draw, a mutation): for replays that stop or are discarded after.
  public func evaluateAtAssignment(_ expression: PythonSyntax.Expression) -> Result<
    Value, PythonError
  > {
    guard let scope = assignmentScope else {
      return .failure(PythonError(refusal: "no assignment is running"))
    }
    do throws(PythonError) {
      return .success(try evaluate(expression, in: scope))
    } catch {
      return .failure(error)
    }
  }

  /// Whether an update of `value` is told to the observer: an array, or a float (a scalar
  /// parameter: `b -= lr * db`).
  static func isUpdatable(_ value: Value) -> Bool {
    switch value.unmarked {
    case .array, .float: return true
    case .npScalar(let scalar): return scalar.dtype == .float64
    default: return false
    }
  }

  /// During an observer's `updated` call: the value of `expression` where the update ran (a
  /// name, an attribute or a subscript of them, a constant, or arithmetic of those; nothing
  /// with a call), nil otherwise or when it raises.
  public func evaluateAtUpdate(_ expression: PythonSyntax.Expression) -> Value? {
    guard let scope = updateScope, Self.isPure(expression) else { return nil }
    return try? evaluate(expression, in: scope)
  }

  /// Whether evaluating `expression` can have no effect: no call, no comprehension.
  static func isPure(_ expression: PythonSyntax.Expression) -> Bool {
    switch expression.kind {
    case .name, .constant: return true
    case .attribute(let base, _, _): return isPure(base)
    case .subscript(let base, let index, _): return isPure(base) && isPure(index)
    case .binOp(let left, _, let right): return isPure(left) && isPure(right)
    case .unaryOp(_, let operand): return isPure(operand)
    case .tuple(let items, _): return items.allSatisfy(isPure)
    default: return false
    }
  }

  /// Runs `statements` where the loop `snapshot` was taken in ran (a function's locals, or the
  /// module namespace when nil or at module level), with a fresh step budget: the gradient
  /// audit's re-runs of a loop body.
  public func runStatements(_ statements: [Statement], from snapshot: InterpreterSnapshot? = nil)
    throws(PythonError)
  {
    steps = 0
    stepLimit = limits.maximumSteps
    let compiled: CompiledStatement
    let scope: Scope
    if let local = snapshot?.loopScope, let function = local.function {
      compiled = Compiler(function: function, in: self).block(statements)
      scope = local
    } else {
      compiled = Compiler(module: self).block(statements)
      scope = globals
    }
    try inRunContext { () -> Result<Void, PythonError> in
      do throws(PythonError) {
        _ = try compiled(scope)
        return .success(())
      } catch {
        return .failure(error)
      }
    }.get()
  }

  /// The value of `name` where the loop `snapshot` was taken in runs (nil when unbound).
  public func value(of name: String, from snapshot: InterpreterSnapshot) -> Value? {
    guard let scope = snapshot.loopScope else { return global(name) }
    return try? load(name, in: scope)
  }

  /// Binds `name` to `value` where the loop `snapshot` was taken in runs (the audit's change
  /// of a scalar parameter before a re-run); false when it cannot.
  @discardableResult
  public func bind(_ name: String, _ value: Value, from snapshot: InterpreterSnapshot) -> Bool {
    do throws(PythonError) {
      try store(name, value, in: snapshot.loopScope ?? globals)
      return true
    } catch {
      return false
    }
  }

  /// A global variable's value, nil when it is not bound.
  public func global(_ name: String) -> Value? { try? loadGlobal(name) }

  // MARK: - Functions and classes

  func makeFunction(_ definition: FunctionDefinition, in scope: Scope) throws(PythonError)
    -> FunctionObject
  {
    let (defaults, keywordDefaults) = try evaluateDefaults(definition.arguments, in: scope)
    let layout = ScopeLayout.function(
      parameters: parameterNames(definition.arguments), body: definition.body)
    let qualified =
      scope.isClassBody ? "\(scope.className ?? "").\(definition.name)" : definition.name
    let function = FunctionObject(
      name: qualified, arguments: definition.arguments, body: .statements(definition.body),
      defaults: defaults, keywordDefaults: keywordDefaults, closure: scope, globals: globals,
      layout: layout)
    function.isGenerator = DunderWalker.yields(definition.body)
    function.module = runCount
    return function
  }

  func evaluateDefaults(_ arguments: Arguments, in scope: Scope) throws(PythonError)
    -> ([Value], [Value?])
  {
    var defaults: [Value] = []
    for value in arguments.defaults { defaults.append(try evaluate(value, in: scope)) }
    var keywordDefaults: [Value?] = []
    for value in arguments.keywordDefaults {
      keywordDefaults.append(
        try value.map { (value) throws(PythonError) in try evaluate(value, in: scope) })
    }
    return (defaults, keywordDefaults)
  }

  func parameterNames(_ arguments: Arguments) -> [String] {
    var names = (arguments.positionalOnly + arguments.positional + arguments.keywordOnly).map(
      \.name)
    if let variadic = arguments.variadic { names.append(variadic.name) }
    if let keywordVariadic = arguments.keywordVariadic { names.append(keywordVariadic.name) }
    return names
  }

  func makeClass(_ definition: ClassDefinition, in scope: Scope) throws(PythonError) -> Value {
    var base: ClassObject?
    var exceptionBase: String?
    for baseExpression in definition.bases {
      switch try evaluate(baseExpression, in: scope) {
      case .classObject(let cls):
        base = cls
        exceptionBase = cls.exceptionBase
      case .exceptionType(let name):
        exceptionBase = name
      case .builtin(let builtin) where builtin.name == "object":
        break
      case let other:
        throw PythonError.type("cannot inherit from \(other.typeName) here")
      }
    }
    let body = Scope(parent: scope, layout: .module, isClassBody: true)
    body.className = definition.name
    _ = try execute(definition.body, in: body)
    let cls = ClassObject(
      name: definition.name, base: base, exceptionBase: exceptionBase,
      attributes: body.values.dictionary)
    for case .function(let function) in body.values.values { function.owner = cls }
    var value = Value.classObject(cls)
    for decorator in definition.decorators.reversed() {
      value = try call(try evaluate(decorator, in: scope), [value], [])
    }
    return value
  }

  /// Calls a user function with bound arguments, as CPython binds them (with its messages).
  func callFunction(
    _ function: FunctionObject, _ positional: [Value], _ keywords: [(String, Value)]
  )
    throws(PythonError) -> Value
  {
    try deeper { () throws(PythonError) in
      let scope = Scope(parent: function.closure, layout: function.layout)
      scope.function = function
      try Binding.bind(function, positional, keywords, into: scope)
      return try run(function, in: scope)
    }
  }

  /// Calls a plain function whose arguments the caller has already put in its slots (see
  /// `FunctionObject.parameterSlots`).
  func callFunction(_ function: FunctionObject, slots: consuming [Value?]) throws(PythonError)
    -> Value
  {
    // The slots are moved into the scope, never copied: its array stays uniquely referenced,
    // so the callee's first local assignment writes in place instead of copying it.
    let scope = Scope(parent: function.closure, layout: function.layout, slots: consume slots)
    scope.function = function
    return try deeper { () throws(PythonError) in try run(function, in: scope) }
  }

  /// `body` one Python call deeper (CPython's recursion limit).
  private func deeper(_ body: () throws(PythonError) -> Value) throws(PythonError) -> Value {
    callDepth += 1
    defer { callDepth -= 1 }
    if callDepth > limits.maximumRecursion {
      throw PythonError.raise("RecursionError", "maximum recursion depth exceeded")
    }
    return try body()
  }

  /// Runs a called function's body in its bound scope.
  private func run(_ function: FunctionObject, in scope: Scope) throws(PythonError) -> Value {
    let caller = (currentModule, currentLine)
    currentModule = function.module
    defer { (currentModule, currentLine) = caller }
    do {
      return try runBody(function, in: scope)
    } catch var error {
      // The innermost function an error leaves names the cell its location is in.
      if error.module == nil { error.module = function.module }
      throw error
    }
  }

  private func runBody(_ function: FunctionObject, in scope: Scope) throws(PythonError) -> Value {
    switch function.body {
    case .expression(let body):
      if let compiled = function.compiledExpression { return try compiled(scope) }
      let compiled = Compiler(function: function, in: self).expression(body)
      function.compiledExpression = compiled
      return try compiled(scope)
    case .statements(let body):
      if function.isGenerator {
        // A generator runs to its end on the call and hands out what it yielded: the same
        // items in the same order, its side effects all before the first item (a documented
        // difference from CPython's lazy generators; an endless one meets the step budget).
        yielded.append([])
        defer { yielded.removeLast() }
        _ = try execute(body, in: scope)
        return .iterator(IteratorObject(yielded[yielded.count - 1]))
      }
      let compiled: CompiledStatement
      if let done = function.compiled {
        compiled = done
      } else {
        compiled = Compiler(function: function, in: self).block(body)
        function.compiled = compiled
      }
      if case .returned(let value) = try compiled(scope) { return value }
      return .none
    }
  }
}
