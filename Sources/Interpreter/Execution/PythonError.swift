import PythonSyntax

/// Why running stopped: a Python exception the program did not catch (with CPython's type
/// and message), or a refusal — something retrace does not run (a module it does not model,
/// a dunder attribute) or a budget exceeded. The module's one error type.
public struct PythonError: Error, @unchecked Sendable, CustomStringConvertible {
  /// A Python exception, or nil for a refusal.
  public var exception: ExceptionObject?
  /// A refusal's sentence.
  public var refusal: String?
  /// Where it was raised (the statement's start), once known.
  public var location: SourceLocation?
  /// The number of the module (cell) whose code `location` is in
  /// (`PythonInterpreter.runCount` when it ran): a function defined in one cell and called from
  /// another raises in the first.
  public var module: Int?

  init(exception: ExceptionObject) { self.exception = exception }
  init(refusal: String, at location: SourceLocation? = nil) {
    self.refusal = refusal
    self.location = location
  }

  /// Whether this is the end of a run that an observer asked to stop
  /// (`PythonInterpreter.requestStop()`), not an error of the program.
  public var isStop = false

  static func stop(at location: SourceLocation) -> PythonError {
    var error = PythonError(refusal: "the replay was stopped", at: location)
    error.isStop = true
    return error
  }

  /// `TypeError: message`, `ValueError: ...`, CPython's last traceback line.
  public var description: String {
    if let refusal { return refusal }
    guard let exception else { return "error" }
    let message = Printer.exceptionMessage(exception)
    return message.isEmpty ? exception.type : "\(exception.type): \(message)"
  }

  /// The exception's type name, or nil for a refusal.
  public var typeName: String? { exception?.type }

  /// The exception's message (`str(e)`).
  public var message: String {
    exception.map(Printer.exceptionMessage) ?? refusal ?? ""
  }

  static func raise(_ type: String, _ message: String) -> PythonError {
    PythonError(exception: ExceptionObject(type: type, arguments: [.str(message)]))
  }

  static func type(_ message: String) -> PythonError { raise("TypeError", message) }
  static func value(_ message: String) -> PythonError { raise("ValueError", message) }
  static func name(_ message: String) -> PythonError { raise("NameError", message) }
  static func index(_ message: String) -> PythonError { raise("IndexError", message) }
  static func attribute(_ message: String) -> PythonError { raise("AttributeError", message) }
  static func zeroDivision(_ message: String) -> PythonError {
    raise("ZeroDivisionError", message)
  }
  static func overflow(_ message: String) -> PythonError { raise("OverflowError", message) }
}

/// CPython's built-in exception classes and their bases (what `except` matches).
enum ExceptionHierarchy {
  static let bases: [String: String] = [
    "Exception": "BaseException", "ArithmeticError": "Exception",
    "ZeroDivisionError": "ArithmeticError", "OverflowError": "ArithmeticError",
    "LookupError": "Exception", "IndexError": "LookupError", "KeyError": "LookupError",
    "ValueError": "Exception", "TypeError": "Exception", "NameError": "Exception",
    "UnboundLocalError": "NameError", "AttributeError": "Exception",
    "AssertionError": "Exception", "RuntimeError": "Exception",
    "RecursionError": "RuntimeError", "NotImplementedError": "RuntimeError",
    "StopIteration": "Exception", "KeyboardInterrupt": "BaseException",
    "SystemExit": "BaseException", "ImportError": "Exception",
    "ModuleNotFoundError": "ImportError", "FloatingPointError": "ArithmeticError",
    "UnicodeError": "ValueError", "UFuncTypeError": "TypeError", "AxisError": "ValueError",
    "LinAlgError": "ValueError", "Warning": "Exception", "UserWarning": "Warning",
    "RuntimeWarning": "Warning", "DeprecationWarning": "Warning", "FutureWarning": "Warning",
  ]

  static var names: [String] { Array(bases.keys) + ["BaseException"] }

  /// Whether exception class `name` is `ancestor` or derives from it.
  static func isSubclass(_ name: String, of ancestor: String) -> Bool {
    var current: String? = name
    while let type = current {
      if type == ancestor { return true }
      current = bases[type]
    }
    return false
  }
}
