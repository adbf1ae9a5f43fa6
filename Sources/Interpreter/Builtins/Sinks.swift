import PythonSyntax

/// What notebooks do besides computing, as values that do nothing: `matplotlib` (every call a
/// no-op returning an opaque, unverifiable object; figures are not checked), `tqdm` (its
/// iterable passes through; its bar is stderr), and the clock (`time`, `datetime.now()`,
/// whose values are unverifiable by nature).
enum Sinks {
  static let plotReason = "a matplotlib object (figures are not checked)"
  static let clockReason = "read from the clock"

  /// The matplotlib calls that return None (so Jupyter echoes nothing for them).
  static let noneReturning: Set<String> = [
    "show", "savefig", "close", "tight_layout", "grid", "clf", "cla", "pause", "ion", "ioff",
    "use", "rc",
  ]

  /// An opaque plotting object: any attribute is another, any call returns another.
  static func plotting(_ name: String) -> Value {
    .native(NativeObject(typeName: "matplotlib", repr: "<matplotlib.\(name) object>", sink: name))
  }

  /// What calling a sink returns (`plt.subplots()` a figure and axes, others one object).
  static func call(_ object: NativeObject, _ positional: [Value]) -> Value {
    let name = object.sink ?? ""
    let method = String(name.split(separator: ".").last ?? "")
    if noneReturning.contains(method) { return .none }
    let result: Value
    switch name {
    case "pyplot.subplots", "figure.subplots":
      result = .tuple([plotting("figure.Figure"), plotting("axes.Axes")])
    default:
      result = plotting(name + "()")
    }
    return .unverifiable(result, reason: plotReason)
  }

  static func matplotlib(_ name: String) -> Value {
    let module = ModuleObject(name: name, attributes: [:])
    module.sink = String(name.split(separator: ".").last ?? "")
    return .module(module)
  }

  /// `tqdm(iterable)`: the iterable's items, and no-op methods for the bar.
  static func tqdmModule(_ name: String) -> ModuleObject {
    var attributes: [String: Value] = [:]
    let bar = BuiltinFunction(name: "tqdm") {
      interpreter, positional, keywords throws(PythonError) in
      let items: [Value]
      if let first = positional.first ?? keywords.first(where: { $0.0 == "iterable" })?.1 {
        items = try interpreter.iterate(first)
      } else {
        items = []
      }
      return progressBar(items)
    }
    attributes["tqdm"] = .builtin(bar)
    attributes["trange"] = .builtin(
      BuiltinFunction(name: "trange") { interpreter, positional, keywords throws(PythonError) in
        guard case .builtin(let range)? = interpreter.builtins["range"] else { return .none }
        return progressBar(try interpreter.iterate(try range.body(interpreter, positional, [])))
      })
    for submodule in ["auto", "notebook"] where !name.contains(".") {
      attributes[submodule] = .module(tqdmModule(name + "." + submodule))
    }
    return ModuleObject(name: name, attributes: attributes)
  }

  static func progressBar(_ items: [Value]) -> Value {
    var attributes: [String: Value] = [:]
    for method in [
      "set_description", "set_postfix", "set_postfix_str", "update", "close",
      "refresh", "reset", "clear",
    ] {
      attributes[method] = .builtin(BuiltinFunction(name: method) { _, _, _ in .none })
    }
    attributes["write"] = .builtin(
      BuiltinFunction(name: "write") { interpreter, positional, _ throws(PythonError) in
        // tqdm.write prints to stdout, as print does.
        interpreter.output += (try positional.first.map(interpreter.str) ?? "") + "\n"
        return .none
      })
    return .native(
      NativeObject(typeName: "tqdm", repr: "<tqdm object>", attributes: attributes, items: items))
  }

  // MARK: - The clock

  /// `time`: every reading is unverifiable; the values advance by a millisecond per reading
  /// from 2026-12-01 00:00 UTC, so differences stay positive and small.
  static func timeModule(_ clock: Clock) -> ModuleObject {
    var attributes: [String: Value] = [:]
    for name in ["time", "perf_counter", "process_time", "monotonic"] {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { _, _, _ throws(PythonError) in
          .unverifiable(.float(clock.read(name)), reason: clockReason)
        })
    }
    for name in ["time_ns", "perf_counter_ns", "monotonic_ns"] {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { _, _, _ throws(PythonError) in
          let seconds = clock.read(String(name.dropLast(3)))
          return .unverifiable(.int(Int64(seconds * 1e9)), reason: clockReason)
        })
    }
    attributes["sleep"] = .builtin(BuiltinFunction(name: "sleep") { _, _, _ in .none })
    return ModuleObject(name: "time", attributes: attributes)
  }

  /// `datetime`: `datetime.now()`, `datetime.today()`, `date.today()` are unverifiable.
  static func datetimeModule(_ clock: Clock) -> ModuleObject {
    func now(_ kind: String) -> Value {
      let seconds = Int(clock.read("datetime") - Clock.epoch)
      let (h, m, s) = (seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
      let text = kind == "date" ? "2026-12-01" : "2026-12-01 \(pad(h)):\(pad(m)):\(pad(s))"
      let repr =
        kind == "date"
        ? "datetime.date(2026, 12, 1)" : "datetime.datetime(2026, 12, 1, \(h), \(m), \(s))"
      let strftime = BuiltinFunction(name: "strftime") { _, positional, _ throws(PythonError) in
        guard case .str(let format)? = positional.first?.unmarked else { return .str(text) }
        var shown = format
        for (code, value) in [
          ("%Y", "2026"), ("%m", "12"), ("%d", "01"), ("%H", pad(h)), ("%M", pad(m)),
          ("%S", pad(s)),
        ] {
          shown = shown.replacingOccurrences(of: code, with: value)
        }
        return .unverifiable(.str(shown), reason: clockReason)
      }
      let object = NativeObject(
        typeName: kind, repr: repr, attributes: ["strftime": .builtin(strftime)])
      object.strText = text
      return .unverifiable(.native(object), reason: clockReason)
    }
    func type(_ kind: String, _ methods: [String]) -> Value {
      var attributes: [String: Value] = [:]
      for method in methods {
        attributes[method] = .builtin(BuiltinFunction(name: method) { _, _, _ in now(kind) })
      }
      return .native(
        NativeObject(
          typeName: "type", repr: "<class 'datetime.\(kind)'>", attributes: attributes))
    }
    return ModuleObject(
      name: "datetime",
      attributes: [
        "datetime": type("datetime", ["now", "today", "utcnow"]), "date": type("date", ["today"]),
      ])
  }

  static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

  /// The interpreter's stand-in clock (deterministic; its readings are marked unverifiable).
  final class Clock {
    static let epoch = 1_796_083_200.0
    var readings = 0
    func read(_ name: String) -> Double {
      readings += 1
      return Clock.epoch + Double(readings) * 0.001
    }
  }
}
