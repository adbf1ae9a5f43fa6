import Foundation
import PythonSyntax

/// The modules a notebook may import: `math` (libm, as CPython calls it) and sinks for
/// plotting; everything else is refused by name.
enum Modules {
  static let refused: Set<String> = [
    "os", "sys", "subprocess", "pickle", "socket", "shutil", "ctypes", "pathlib", "requests",
    "pandas", "torch", "importlib", "builtins", "io", "threading", "multiprocessing", "signal",
    "urllib", "http", "tempfile", "glob",
  ]

  static func load(_ name: String, at location: SourceLocation?, for interpreter: PythonInterpreter)
    throws(PythonError) -> Value
  {
    if let loaded = interpreter.modules[name] { return loaded }
    if name == "numpy" || name.hasPrefix("numpy.") {
      let numpy: ModuleObject
      if case .module(let loaded)? = interpreter.modules["numpy"] {
        numpy = loaded
      } else {
        numpy = NumPyModule.make(for: interpreter)
        interpreter.modules["numpy"] = .module(numpy)
      }
      if name == "numpy" { return .module(numpy) }
      let part = String(name.dropFirst("numpy.".count))
      guard let submodule = numpy.attributes[part], case .module = submodule else {
        throw PythonError(refusal: "retrace does not model the module '\(name)' yet", at: location)
      }
      interpreter.modules[name] = submodule
      return submodule
    }
    switch name {
    case "time", "datetime":
      let module =
        name == "time"
        ? Sinks.timeModule(interpreter.clock) : Sinks.datetimeModule(interpreter.clock)
      interpreter.modules[name] = .module(module)
      return .module(module)
    case "matplotlib", "matplotlib.pyplot", "pylab", "seaborn":
      let module = Sinks.matplotlib(name)
      interpreter.modules[name] = module
      if name == "matplotlib", case .module(let object) = module {
        object.attributes["pyplot"] = Sinks.matplotlib("matplotlib.pyplot")
      }
      return module
    case "warnings":
      let module = Value.module(interpreter.warningsModule())
      interpreter.modules[name] = module
      return module
    case "tqdm", "tqdm.auto", "tqdm.notebook":
      let module = Value.module(Sinks.tqdmModule(name))
      interpreter.modules[name] = module
      return module
    default: break
    }
    let module = try make(name, at: location)
    interpreter.modules[name] = module
    return module
  }

  static func make(_ name: String, at location: SourceLocation?) throws(PythonError) -> Value {
    switch name {
    case "math": return .module(math())
    case "random":
      let random = PythonRandom()
      let module = random.module()
      module.state = random
      return .module(module)
    default:
      let top = String(name.split(separator: ".").first ?? "")
      if refused.contains(top) {
        throw PythonError(
          refusal: "retrace does not run 'import \(name)': the module could reach outside the "
            + "notebook", at: location)
      }
      throw PythonError(
        refusal: "retrace does not model the module '\(name)' yet", at: location)
    }
  }

  static func math() -> ModuleObject {
    var attributes: [String: Value] = [
      "pi": .float(Double.pi), "e": .float(M_E), "tau": .float(2 * Double.pi),
      "inf": .float(.infinity), "nan": .float(.nan),
    ]
    func unary(
      _ name: String, _ body: @escaping (Double) -> Double, domain: ((Double) -> Bool)? = nil
    ) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { _, arguments, _ throws(PythonError) in
          guard let first = arguments.first, let x = Operators.number(first) else {
            throw PythonError.type(
              "must be real number, not \(arguments.first?.typeName ?? "nothing")")
          }
          if let domain, !domain(x) { throw PythonError.value("math domain error") }
          let result = body(x)
          if result.isInfinite && x.isFinite {
            throw PythonError.overflow("math range error")
          }
          return .float(result)
        })
    }
    unary("sqrt", Foundation.sqrt, domain: { $0 >= 0 || $0.isNaN })
    unary("exp", Foundation.exp)
    unary("log10", Foundation.log10, domain: { $0 > 0 || $0.isNaN })
    unary("log2", Foundation.log2, domain: { $0 > 0 || $0.isNaN })
    unary("sin", Foundation.sin)
    unary("cos", Foundation.cos)
    unary("tan", Foundation.tan)
    unary("asin", Foundation.asin, domain: { abs($0) <= 1 })
    unary("acos", Foundation.acos, domain: { abs($0) <= 1 })
    unary("atan", Foundation.atan)
    unary("sinh", Foundation.sinh)
    unary("cosh", Foundation.cosh)
    unary("tanh", Foundation.tanh)
    unary("fabs", Swift.abs)
    unary("expm1", Foundation.expm1)
    unary("log1p", Foundation.log1p, domain: { $0 > -1 || $0.isNaN })
    unary("degrees", { $0 * 180 / Double.pi })
    unary("radians", { $0 * Double.pi / 180 })
    attributes["log"] = .builtin(
      BuiltinFunction(name: "log") { _, arguments, _ throws(PythonError) in
        guard let first = arguments.first, let x = Operators.number(first) else {
          throw PythonError.type("must be real number")
        }
        guard x > 0 else { throw PythonError.value("math domain error") }
        if arguments.count > 1, let base = Operators.number(arguments[1]) {
          return .float(Foundation.log(x) / Foundation.log(base))
        }
        return .float(Foundation.log(x))
      })
    func binary(_ name: String, _ body: @escaping (Double, Double) -> Double) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { _, arguments, _ throws(PythonError) in
          guard arguments.count == 2, let x = Operators.number(arguments[0]),
            let y = Operators.number(arguments[1])
          else { throw PythonError.type("\(name) expected 2 arguments") }
          return .float(body(x, y))
        })
    }
    binary("atan2", Foundation.atan2)
    binary("pow", Foundation.pow)
    binary("hypot", Foundation.hypot)
    binary("fmod", Foundation.fmod)
    binary("copysign", Foundation.copysign)
    func integerResult(_ name: String, _ body: @escaping (Double) -> Double) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { _, arguments, _ throws(PythonError) in
          guard let first = arguments.first else {
            throw PythonError.type("\(name) expected 1 argument")
          }
          if let integer = Operators.integer(first) { return .int(integer) }
          guard let x = Operators.number(first), let value = Int64(exactly: body(x)) else {
            throw PythonError.overflow("cannot convert float infinity to integer")
          }
          return .int(value)
        })
    }
    integerResult("floor", Foundation.floor)
    integerResult("ceil", Foundation.ceil)
    integerResult("trunc", Foundation.trunc)
    func predicate(_ name: String, _ body: @escaping (Double) -> Bool) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { _, arguments, _ throws(PythonError) in
          guard let first = arguments.first, let x = Operators.number(first) else {
            throw PythonError.type("must be real number")
          }
          return .bool(body(x))
        })
    }
    predicate("isnan", { $0.isNaN })
    predicate("isinf", { $0.isInfinite })
    predicate("isfinite", { $0.isFinite })
    attributes["factorial"] = .builtin(
      BuiltinFunction(name: "factorial") { _, arguments, _ throws(PythonError) in
        guard let n = arguments.first.flatMap(Operators.integer) else {
          throw PythonError.type("factorial() only accepts integral values")
        }
        guard n >= 0 else { throw PythonError.value("factorial() not defined for negative values") }
        var result: Int64 = 1
        for k in stride(from: 2, through: n, by: 1) {
          let (value, overflow) = result.multipliedReportingOverflow(by: k)
          if overflow { throw Operators.refuseOverflow("factorial(\(n))") }
          result = value
        }
        return .int(result)
      })
    attributes["gcd"] = .builtin(
      BuiltinFunction(name: "gcd") { _, arguments, _ throws(PythonError) in
        var result: Int64 = 0
        for argument in arguments {
          guard var b = Operators.integer(argument) else {
            throw PythonError.type("gcd() arguments must be integers")
          }
          var a = Swift.abs(result)
          b = Swift.abs(b)
          while b != 0 { (a, b) = (b, a % b) }
          result = a
        }
        return .int(result)
      })
    attributes["isclose"] = .builtin(
      BuiltinFunction(name: "isclose") { _, arguments, keywords throws(PythonError) in
        guard arguments.count == 2, let a = Operators.number(arguments[0]),
          let b = Operators.number(arguments[1])
        else {
          throw PythonError.type("isclose expected 2 arguments")
        }
        let relative = Builtins.keyword(keywords, "rel_tol").flatMap(Operators.number) ?? 1e-9
        let absolute = Builtins.keyword(keywords, "abs_tol").flatMap(Operators.number) ?? 0
        if a == b { return .bool(true) }
        if a.isInfinite || b.isInfinite { return .bool(false) }
        let difference = Swift.abs(b - a)
        return .bool(
          difference <= Swift.abs(relative * b) || difference <= Swift.abs(relative * a)
            || difference <= absolute)
      })
    attributes["fsum"] = .builtin(
      BuiltinFunction(name: "fsum") { interpreter, arguments, _ throws(PythonError) in
        var values: [Double] = []
        for item in try interpreter.iterate(arguments.first ?? .tuple([])) {
          guard let x = Operators.number(item) else {
            throw PythonError.type("must be real number")
          }
          values.append(x)
        }
        return .float(FloatSum.exact(values))
      })
    addIntegerFunctions(&attributes)
    return ModuleObject(name: "math", attributes: attributes)
  }
}

/// `math.fsum`: Shewchuk's exactly rounded sum (CPython's algorithm, without its special
/// overflow handling).
enum FloatSum {
  static func exact(_ values: [Double]) -> Double {
    var partials: [Double] = []
    for value in values {
      var x = value
      var kept = 0
      for var y in partials {
        if Swift.abs(x) < Swift.abs(y) { swap(&x, &y) }
        let high = x + y
        let low = y - (high - x)
        if low != 0 {
          partials[kept] = low
          kept += 1
        }
        x = high
      }
      partials.removeSubrange(kept...)
      partials.append(x)
    }
    guard var total = partials.popLast() else { return 0 }
    while let y = partials.popLast() {
      let x = total
      total = x + y
      let low = y - (total - x)
      if low != 0 {
        if let next = partials.last, (low < 0 && next < 0) || (low > 0 && next > 0) {
          let doubled = low * 2
          let candidate = total + doubled
          if doubled == candidate - total { total = candidate }
        }
        break
      }
    }
    return total
  }
}

extension Modules {
  /// math's integer functions of notebooks: `prod`, `comb`, `perm`, `isqrt`, `lcm`, `modf`.
  static func addIntegerFunctions(_ attributes: inout [String: Value]) {
    func add(
      _ name: String,
      _ body: @escaping (PythonInterpreter, [Value], [(String, Value)]) throws(PythonError) -> Value
    ) {
      attributes[name] = .builtin(BuiltinFunction(name: name, body: body))
    }
    add("prod") { interpreter, arguments, keywords throws(PythonError) in
      var total = Builtins.keyword(keywords, "start") ?? .int(1)
      for item in try interpreter.iterate(arguments.first ?? .tuple([])) {
        total = try Operators.binary(.mult, total, item)
      }
      return total
    }
    add("comb") { _, arguments, _ throws(PythonError) in
      guard arguments.count == 2, let n = Operators.integer(arguments[0]),
        let k = Operators.integer(arguments[1])
      else { throw PythonError.type("comb() takes exactly 2 integer arguments") }
      guard n >= 0, k >= 0 else { throw PythonError.value("n must be a non-negative integer") }
      if k > n { return .int(0) }
      var result: Int64 = 1
      for i in 0..<min(k, n - k) {
        let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
        if overflow { throw Operators.refuseOverflow("comb(\(n), \(k))") }
        result = product / (i + 1)
      }
      return .int(result)
    }
    add("perm") { _, arguments, _ throws(PythonError) in
      guard let n = arguments.first.flatMap(Operators.integer) else {
        throw PythonError.type("perm() takes integer arguments")
      }
      let k = arguments.count > 1 ? (Operators.integer(arguments[1]) ?? n) : n
      if k > n { return .int(0) }
      var result: Int64 = 1
      for i in 0..<k {
        let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
        if overflow { throw Operators.refuseOverflow("perm(\(n), \(k))") }
        result = product
      }
      return .int(result)
    }
    add("isqrt") { _, arguments, _ throws(PythonError) in
      guard let n = arguments.first.flatMap(Operators.integer) else {
        throw PythonError.type("isqrt() takes an integer")
      }
      guard n >= 0 else { throw PythonError.value("isqrt() argument must be nonnegative") }
      var root = Int64(Double(n).squareRoot())
      while root * root > n { root -= 1 }
      while (root + 1) * (root + 1) <= n { root += 1 }
      return .int(root)
    }
    add("lcm") { _, arguments, _ throws(PythonError) in
      var result: Int64 = 1
      for argument in arguments {
        guard let value = Operators.integer(argument) else {
          throw PythonError.type("lcm() arguments must be integers")
        }
        if value == 0 { return .int(0) }
        var a = result
        var b = Swift.abs(value)
        while b != 0 { (a, b) = (b, a % b) }
        let (product, overflow) = (result / a).multipliedReportingOverflow(by: Swift.abs(value))
        if overflow { throw Operators.refuseOverflow("lcm") }
        result = product
      }
      return .int(result)
    }
    add("modf") { _, arguments, _ throws(PythonError) in
      guard let x = arguments.first.flatMap(Operators.number) else {
        throw PythonError.type("must be real number")
      }
      let integral = x.rounded(.towardZero)
      return .tuple([
        .float(x.isInfinite ? Foundation.copysign(0, x) : x - integral), .float(integral),
      ])
    }
    add("dist") { interpreter, arguments, _ throws(PythonError) in
      guard arguments.count == 2 else { throw PythonError.type("dist expected 2 arguments") }
      let p = try interpreter.iterate(arguments[0])
      let q = try interpreter.iterate(arguments[1])
      var squares: [Double] = []
      for (a, b) in zip(p, q) {
        guard let x = Operators.number(a), let y = Operators.number(b) else {
          throw PythonError.type("must be real number")
        }
        squares.append((x - y) * (x - y))
      }
      return .float(FloatSum.exact(squares).squareRoot())
    }
  }
}
