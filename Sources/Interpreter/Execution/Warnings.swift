import NumPyKit
import PythonSyntax

/// A warning the program issued: NumPy's `RuntimeWarning: overflow encountered in exp`, or a
/// `warnings.warn(...)` of its own. Where Python shows it, `file:line: Category: message`
/// followed by the source line, the file is the cell (`module`) whose code issued it, or one
/// of NumPy's own Python files for a warning NumPy issues from inside a function written in
/// Python (`np.sum` warns from `numpy/_core/fromnumeric.py`, line 83).
public struct PythonWarning: Sendable, Hashable {
  /// `RuntimeWarning`, `UserWarning`, ...
  public var category: String
  public var message: String
  /// The module (cell) whose line issued it (`PythonInterpreter.runCount` numbering); nil for
  /// a line of NumPy's own code.
  public var module: Int?
  /// For a line of NumPy's own code: its file within NumPy 2.4.6 (`numpy/_core/_methods.py`)
  /// and its source line; nil for the program's own lines.
  public var site: NumPySite?
  /// The 1-based line within `module`'s code, or within NumPy's file.
  public var line: Int
  /// Not a warning but a mark: a NumPy function whose warnings retrace does not model
  /// (`message` names it) made an infinity or a NaN from finite inputs here, so NumPy may have
  /// warned; never shown.
  public var isUnmodelled = false

  public init(category: String, message: String, module: Int?, site: NumPySite?, line: Int) {
    self.category = category
    self.message = message
    self.module = module
    self.site = site
    self.line = line
  }

  /// The text Python writes to stderr for it: the first line names the file (`file` for the
  /// program's own lines), and the second shows the source line, stripped, when known.
  public func stderrText(file: String, sourceLine: String?) -> String {
    let shown = site?.file ?? file
    let source = site?.source ?? sourceLine?.trimmingWhitespace() ?? ""
    return "\(shown):\(line): \(category): \(message)\n" + (source.isEmpty ? "" : "  \(source)\n")
  }
}

extension String {
  func trimmingWhitespace() -> String {
    let characters = Array(self)
    guard let first = characters.firstIndex(where: { !$0.isWhitespace }),
      let last = characters.lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(characters[first...last])
  }
}

/// A line of NumPy's own Python code (2.4.6, as installed here) from which a NumPy function
/// issues a warning; the generator `Scripts/fixtures/warnings.py` records the same lines from
/// the installed NumPy, and the tests compare them.
public struct NumPySite: Sendable, Hashable {
  public var file: String
  public var line: Int
  public var source: String

  static let fromnumericReduce = NumPySite(
    file: "numpy/_core/fromnumeric.py", line: 83,
    source: "return ufunc.reduce(obj, axis, dtype, out, **passkwargs)")
  static let fromnumericWrap = NumPySite(
    file: "numpy/_core/fromnumeric.py", line: 54, source: "return bound(*args, **kwds)")
  static let fromnumericMean = NumPySite(
    file: "numpy/_core/fromnumeric.py", line: 3824,
    source: "return _methods._mean(a, axis=axis, dtype=dtype,")
  static let fromnumericVar = NumPySite(
    file: "numpy/_core/fromnumeric.py", line: 4232,
    source: "return _methods._var(a, axis=axis, dtype=dtype, out=out, ddof=ddof,")
  static let methodsSum = NumPySite(
    file: "numpy/_core/_methods.py", line: 49,
    source: "return umr_sum(a, axis, dtype, out, keepdims, initial, where)")
  static let methodsProd = NumPySite(
    file: "numpy/_core/_methods.py", line: 53,
    source: "return umr_prod(a, axis, dtype, out, keepdims, initial, where)")
  static let meanSum = NumPySite(
    file: "numpy/_core/_methods.py", line: 132,
    source: "ret = umr_sum(arr, axis, dtype, out, keepdims, where=where)")
  static let meanDivide = NumPySite(
    file: "numpy/_core/_methods.py", line: 134, source: "ret = um.true_divide(")
  static let meanScalarDivide = NumPySite(
    file: "numpy/_core/_methods.py", line: 142, source: "ret = ret.dtype.type(ret / rcount)")
  static let varSum = NumPySite(
    file: "numpy/_core/_methods.py", line: 168,
    source: "arrmean = umr_sum(arr, axis, dtype, keepdims=True, where=where)")
  static let varMeanDivide = NumPySite(
    file: "numpy/_core/_methods.py", line: 178,
    source: "arrmean = um.true_divide(arrmean, div, out=arrmean,")
  static let varSubtract = NumPySite(
    file: "numpy/_core/_methods.py", line: 188, source: "x = um.subtract(arr, arrmean, out=...)")
  static let varSquare = NumPySite(
    file: "numpy/_core/_methods.py", line: 190, source: "x = um.square(x, out=x)")
  static let varSquaresSum = NumPySite(
    file: "numpy/_core/_methods.py", line: 201,
    source: "ret = umr_sum(x, axis, dtype, out, keepdims=keepdims, where=where)")
  static let varDivide = NumPySite(
    file: "numpy/_core/_methods.py", line: 208, source: "ret = um.true_divide(")
  static let varScalarDivide = NumPySite(
    file: "numpy/_core/_methods.py", line: 211, source: "ret = ret.dtype.type(ret / rcount)")
  static let stdVar = NumPySite(
    file: "numpy/_core/_methods.py", line: 219,
    source: "ret = _var(a, axis=axis, dtype=dtype, out=out, ddof=ddof,")
  static let stdSqrt = NumPySite(
    file: "numpy/_core/_methods.py", line: 223, source: "ret = um.sqrt(ret, out=ret)")
  static let stdScalarSqrt = NumPySite(
    file: "numpy/_core/_methods.py", line: 225, source: "ret = ret.dtype.type(um.sqrt(ret))")
  static let outerMultiply = NumPySite(
    file: "numpy/_core/numeric.py", line: 994,
    source: "return multiply(a.ravel()[:, newaxis], b.ravel()[newaxis, :], out)")
  static let normDot = NumPySite(
    file: "numpy/linalg/_linalg.py", line: 2768, source: "sqnorm = x.dot(x)")

  /// Every site, for the test that compares them with the installed NumPy.
  public static let all: [NumPySite] = [
    fromnumericReduce, fromnumericWrap, fromnumericMean, fromnumericVar, methodsSum,
    methodsProd, meanSum, meanDivide, meanScalarDivide, varSum, varMeanDivide, varSubtract,
    varSquare, varSquaresSum, varDivide, varScalarDivide, stdVar, stdSqrt, stdScalarSqrt,
    outerMultiply, normDot,
  ]
}

/// What `np.seterr` sets for one kind of floating-point error.
enum FloatErrorMode: String {
  case ignore, warn, raise, call, print, log
}

/// NumPy's floating-point error state (`np.geterr()`): the default warns on divide, overflow
/// and invalid and ignores underflow.
struct FloatErrorState: Equatable {
  var divide = FloatErrorMode.warn
  var over = FloatErrorMode.warn
  var under = FloatErrorMode.ignore
  var invalid = FloatErrorMode.warn

  subscript(key: String) -> FloatErrorMode {
    get {
      switch key {
      case "divide": divide
      case "over": over
      case "under": under
      default: invalid
      }
    }
    set {
      switch key {
      case "divide": divide = newValue
      case "over": over = newValue
      case "under": under = newValue
      default: invalid = newValue
      }
    }
  }

  /// `np.geterr()`'s dict.
  var value: Value {
    let dict = DictObject()
    for (_, key, _) in FloatStatus.reportOrder {
      dict.set(.str(key), .str(key), .str(self[key].rawValue))
    }
    return .dict(dict)
  }

  /// Applies `np.seterr`/`np.errstate` keywords (`all=` first, then each kind).
  mutating func apply(_ keywords: [(String, Value)], function: String) throws(PythonError) {
    func mode(_ value: Value) throws(PythonError) -> FloatErrorMode? {
      if case .none = value { return nil }
      guard case .str(let text) = value, let mode = FloatErrorMode(rawValue: text) else {
        throw PythonError.value("invalid error mode for \(function): \(value)")
      }
      switch mode {
      case .call, .log, .print:
        throw PythonError(refusal: "retrace does not model np.\(function)(...='\(text)') yet")
      default: return mode
      }
    }
    var all: FloatErrorMode?
    for (name, value) in keywords where name == "all" { all = try mode(value) }
    if let all { for key in ["divide", "over", "under", "invalid"] { self[key] = all } }
    for (name, value) in keywords where name != "all" {
      guard ["divide", "over", "under", "invalid"].contains(name) else {
        throw PythonError.type("\(function)() got an unexpected keyword argument '\(name)'")
      }
      if let mode = try mode(value) { self[name] = mode }
    }
    if under != .ignore {
      throw PythonError(
        refusal: "retrace does not detect floating-point underflow (np.\(function)(under=...))")
    }
  }
}

/// A `warnings.simplefilter` / `filterwarnings` entry.
struct WarningFilter: Equatable {
  var action: String
  /// The category it applies to (a class and its subclasses); nil for every warning.
  var category: String?
  /// A prefix the message must start with (case-insensitive, as the regex `filterwarnings`
  /// compiles with re.I matches from the start); empty for every message.
  var message: String
}

/// The interpreter a NumPy operation reports its floating-point status to, for the code that
/// has no interpreter at hand (the static ufunc entry points); set for the time of a run.
final class FloatErrorSink: @unchecked Sendable {
  unowned let interpreter: PythonInterpreter
  init(_ interpreter: PythonInterpreter) { self.interpreter = interpreter }
  @TaskLocal static var current: FloatErrorSink?

  /// Reports the flags an operation named `name` raised: each warns, raises or is ignored as
  /// `np.seterr` says; `site` is NumPy's own line that issues it, nil for the program's.
  @inline(__always)
  static func report(_ status: FloatStatus, _ name: String, site: NumPySite? = nil)
    throws(PythonError)
  {
    guard !status.isEmpty, let sink = current else { return }
    try sink.interpreter.floatingPoint(status, in: name, site: site)
  }

  /// Marks a call of `name` whose result holds an infinity or a NaN that its inputs do not:
  /// NumPy may have warned from code retrace does not model (or raised, under
  /// `np.seterr(...='raise')`, which is refused).
  static func unmodelled(_ result: Value, inputs: [Value], name: String) throws(PythonError) {
    guard nonFinite(result) == true, let sink = current else { return }
    for input in inputs where nonFinite(input) != false { return }
    let state = sink.interpreter.floatErrors
    if [state.divide, state.over, state.invalid].allSatisfy({ $0 == .ignore }) { return }
    if [state.divide, state.over, state.invalid].contains(.raise) {
      throw PythonError(
        refusal: "retrace does not model the floating-point errors of \(name), which "
          + "np.seterr makes raise here")
    }
    var mark = PythonWarning(
      category: "RuntimeWarning", message: name, module: sink.interpreter.currentModule,
      site: nil, line: sink.interpreter.currentLine)
    mark.isUnmodelled = true
    sink.interpreter.observer?.interpreter(sink.interpreter, warned: mark)
  }

  /// Whether a value holds an infinity or a NaN: nil when it is not numeric.
  static func nonFinite(_ value: Value) -> Bool? {
    switch value.unmarked {
    case .array(let object): return FloatStatus.hasNonFinite(object.array)
    case .npScalar(let scalar): return scalar.dtype.isFloat ? !scalar.real.isFinite : false
    case .float(let x): return !x.isFinite
    case .int, .bool: return false
    case .list, .tuple:
      guard let array = try? ArrayValues.array(value.unmarked) else { return nil }
      return FloatStatus.hasNonFinite(array)
    default: return nil
    }
  }

  /// Issues a `RuntimeWarning` NumPy writes with `warnings.warn` (`Mean of empty slice`).
  static func warn(_ message: String, site: NumPySite?) throws(PythonError) {
    guard let sink = current else { return }
    try sink.interpreter.warn(category: "RuntimeWarning", message: message, site: site)
  }
}

extension PythonInterpreter {
  /// NumPy's handling of the flags `status` after the operation `name`.
  func floatingPoint(_ status: FloatStatus, in name: String, site: NumPySite?) throws(PythonError) {
    for (flag, key, words) in FloatStatus.reportOrder where status.contains(flag) {
      let message = "\(words) encountered in \(name)"
      switch floatErrors[key] {
      case .ignore: continue
      case .raise: throw PythonError.raise("FloatingPointError", message)
      default: try warn(category: "RuntimeWarning", message: message, site: site)
      }
    }
  }

  /// Issues a warning from the line running now (or NumPy's `site`), through the filters: shown
  /// once per place and message (Python's default action), as often as issued (`always`),
  /// never (`ignore`) or raised (`error`).
  func warn(category: String, message: String, site: NumPySite?) throws(PythonError) {
    var action = "default"
    for filter in warningFilters {
      if let wanted = filter.category, !ExceptionHierarchy.isSubclass(category, of: wanted) {
        continue
      }
      if !filter.message.isEmpty, !message.lowercased().hasPrefix(filter.message.lowercased()) {
        continue
      }
      action = filter.action
      break
    }
    let warning = PythonWarning(
      category: category, message: message, module: site == nil ? currentModule : nil,
      site: site, line: site?.line ?? currentLine)
    switch action {
    case "ignore": return
    case "error": throw PythonError.raise(category, message)
    case "always": break
    case "once":
      let key = PythonWarning(category: category, message: message, module: nil, site: nil, line: 0)
      guard warningsShown.insert(key).inserted else { return }
    case "module":
      var key = warning
      key.line = 0
      guard warningsShown.insert(key).inserted else { return }
    default:
      // NumPy's own files keep their registry for the whole session; a cell's line is shown
      // again in each later cell (as IPython shows it).
      if site != nil {
        guard numpyWarningsShown.insert(warning).inserted else { return }
      } else {
        guard warningsShown.insert(warning).inserted else { return }
      }
    }
    if let recorder = warningRecords.last {
      recorder.append(warning)
      return
    }
    observer?.interpreter(self, warned: warning)
  }

  /// The `warnings` module: `warn`, `simplefilter`, `filterwarnings`, `resetwarnings` and the
  /// `catch_warnings` context manager (which puts the filters back, and with `record=True`
  /// collects the warnings in a list instead of showing them).
  func warningsModule() -> ModuleObject {
    var attributes: [String: Value] = [:]
    func add(
      _ name: String,
      _ body: @escaping (PythonInterpreter, CallArguments) throws(PythonError) -> Value
    ) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { interpreter, positional, keywords throws(PythonError) in
          try body(interpreter, CallArguments(name, positional, keywords))
        })
    }
    func category(_ value: Value?) throws(PythonError) -> String? {
      switch value {
      case nil, .none?: return nil
      case .exceptionType(let name)?: return name
      case let other?:
        throw PythonError.type("category must be a Warning subclass, not '\(other.typeName)'")
      }
    }
    func isEmptyString(_ value: Value) -> Bool {
      if case .str("") = value { return true }
      return false
    }
    func isZero(_ value: Value) -> Bool {
      if case .int(0) = value { return true }
      return false
    }
    func filter(_ call: CallArguments, hasMessage: Bool) throws(PythonError) -> WarningFilter {
      guard case .str(let action) = try call.required(0, "action"),
        ["default", "error", "ignore", "always", "module", "once"].contains(action)
      else {
        throw PythonError.value("invalid action: \(String(describing: call.value(0, "action")))")
      }
      var message = ""
      if hasMessage, case .str(let text)? = call.value(1, "message") {
        guard text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || $0 == "_" }) else {
          throw PythonError(
            refusal: "retrace does not model a warnings filter's regular expression yet")
        }
        message = text
      }
      let wanted = try category(call.value(hasMessage ? 2 : 1, "category")) ?? "Warning"
      if hasMessage, let module = call.value(3, "module"), !isEmptyString(module) {
        throw PythonError(refusal: "retrace does not model a warnings filter's module= yet")
      }
      if let line = call.value(hasMessage ? 4 : 2, "lineno"), !isZero(line) {
        throw PythonError(refusal: "retrace does not model a warnings filter's lineno= yet")
      }
      return WarningFilter(action: action, category: wanted, message: message)
    }
    func install(_ interpreter: PythonInterpreter, _ filter: WarningFilter, _ call: CallArguments)
      throws(PythonError)
    {
      let append = try call.bool(nil, "append", default: false)
      interpreter.warningFilters.removeAll { $0 == filter }
      if append {
        interpreter.warningFilters.append(filter)
      } else {
        interpreter.warningFilters.insert(filter, at: 0)
      }
    }
    add("simplefilter") { interpreter, call throws(PythonError) in
      try install(interpreter, try filter(call, hasMessage: false), call)
      return .none
    }
    add("filterwarnings") { interpreter, call throws(PythonError) in
      try install(interpreter, try filter(call, hasMessage: true), call)
      return .none
    }
    add("resetwarnings") { interpreter, _ in
      interpreter.warningFilters = []
      return .none
    }
    add("warn") { interpreter, call throws(PythonError) in
      let message = try call.required(0, "message")
      let text = try interpreter.str(message)
      var kind = try category(call.value(1, "category")) ?? "UserWarning"
      if case .exception(let exception) = message { kind = exception.type }
      if let level = try call.int(2, "stacklevel"), level != 1 {
        throw PythonError(refusal: "retrace does not model warnings.warn(stacklevel=\(level)) yet")
      }
      guard ExceptionHierarchy.isSubclass(kind, of: "Warning") else {
        throw PythonError.type("category must be a Warning subclass, not '\(kind)'")
      }
      try interpreter.warn(category: kind, message: text, site: nil)
      return .none
    }
    add("catch_warnings") { _, call throws(PythonError) in
      let record = try call.bool(nil, "record", default: false)
      let manager = NativeObject(
        typeName: "catch_warnings", repr: "<warnings.catch_warnings object>")
      var saved: [WarningFilter] = []
      manager.enter = { interpreter in
        saved = interpreter.warningFilters
        guard record else { return .none }
        let list = ListObject([])
        interpreter.warningRecords.append(Recorder(list))
        return .list(list)
      }
      manager.exit = { interpreter in
        interpreter.warningFilters = saved
        if record { interpreter.warningRecords.removeLast() }
      }
      return .native(manager)
    }
    for name in ["Warning", "UserWarning", "RuntimeWarning", "DeprecationWarning", "FutureWarning"]
    {
      attributes[name] = .exceptionType(name)
    }
    return ModuleObject(name: "warnings", attributes: attributes)
  }

  /// `np.seterr`, `np.geterr` and `np.errstate` for the NumPy module.
  func floatErrorFunctions() -> [String: Value] {
    var attributes: [String: Value] = [:]
    attributes["seterr"] = .builtin(
      BuiltinFunction(name: "seterr") { interpreter, positional, keywords throws(PythonError) in
        guard positional.isEmpty else {
          throw PythonError(refusal: "retrace does not model np.seterr with positional arguments")
        }
        let old = interpreter.floatErrors.value
        var state = interpreter.floatErrors
        try state.apply(keywords, function: "seterr")
        interpreter.floatErrors = state
        return old
      })
    attributes["geterr"] = .builtin(
      BuiltinFunction(name: "geterr") { interpreter, _, _ in interpreter.floatErrors.value })
    attributes["errstate"] = .builtin(
      BuiltinFunction(name: "errstate") { interpreter, positional, keywords throws(PythonError) in
        guard positional.isEmpty else {
          throw PythonError.type("errstate() takes no positional arguments")
        }
        // The keywords checked now, applied to the state in force where the block is entered.
        var checked = interpreter.floatErrors
        try checked.apply(keywords, function: "errstate")
        let manager = NativeObject(typeName: "errstate", repr: "<numpy.errstate object>")
        var saved = FloatErrorState()
        manager.enter = { interpreter in
          saved = interpreter.floatErrors
          var entered = saved
          try? entered.apply(keywords, function: "errstate")
          interpreter.floatErrors = entered
          return .native(manager)
        }
        manager.exit = { interpreter in interpreter.floatErrors = saved }
        return .native(manager)
      })
    return attributes
  }
}

/// A `catch_warnings(record=True)` list: the warnings go there, as `WarningMessage`-like
/// objects with `message`, `category`, `lineno` and `filename`.
final class Recorder {
  let list: ListObject
  init(_ list: ListObject) { self.list = list }

  func append(_ warning: PythonWarning) {
    let exception = ExceptionObject(type: warning.category, arguments: [.str(warning.message)])
    let record = NativeObject(
      typeName: "WarningMessage",
      repr:
        "{message : \(warning.category)('\(warning.message)'), category : '\(warning.category)', "
        + "lineno : \(warning.line)}",
      attributes: [
        "message": .exception(exception), "category": .exceptionType(warning.category),
        "lineno": .int(Int64(warning.line)),
        "filename": .str(warning.site?.file ?? "<cell \(warning.module ?? 0)>"),
      ])
    list.items.append(.native(record))
  }
}
