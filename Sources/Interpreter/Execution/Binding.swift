/// Binds a call's arguments to a function's parameters as CPython does, with its messages.
enum Binding {
  static func bind(
    _ function: FunctionObject, _ positional: [Value], _ keywords: [(String, Value)],
    into scope: Scope
  ) throws(PythonError) {
    let arguments = function.arguments
    if keywords.isEmpty, function.isPlain, positional.count == arguments.positional.count {
      // The common call: every parameter positional, given positionally.
      for index in positional.indices {
        scope.bind(arguments.positional[index].name, positional[index])
      }
      return
    }
    let ordered = arguments.positionalOnly + arguments.positional
    let name = function.name
    var bound = Set<String>()
    for (index, value) in positional.enumerated() {
      if index < ordered.count {
        scope.bind(ordered[index].name, value)
        bound.insert(ordered[index].name)
      }
    }
    if positional.count > ordered.count {
      if let variadic = arguments.variadic {
        scope.bind(variadic.name, .tuple(Array(positional[ordered.count...])))
      } else {
        let takes = ordered.count
        let required = ordered.count - arguments.defaults.count
        let range = required == takes ? "\(takes)" : "from \(required) to \(takes)"
        throw PythonError.type(
          "\(name)() takes \(range) positional argument\(takes == 1 && required == takes ? "" : "s") "
            + "but \(positional.count) \(positional.count == 1 ? "was" : "were") given")
      }
    } else if let variadic = arguments.variadic {
      scope.bind(variadic.name, .tuple([]))
    }
    var extra: [(String, Value)] = []
    // Built only for a call with keyword arguments (most calls have none).
    let keywordNames =
      keywords.isEmpty
      ? [] : Set(arguments.positional.map(\.name) + arguments.keywordOnly.map(\.name))
    for (key, value) in keywords {
      if keywordNames.contains(key) {
        if bound.contains(key) {
          throw PythonError.type("\(name)() got multiple values for argument '\(key)'")
        }
        scope.bind(key, value)
        bound.insert(key)
      } else if arguments.keywordVariadic != nil {
        extra.append((key, value))
      } else {
        throw PythonError.type("\(name)() got an unexpected keyword argument '\(key)'")
      }
    }
    if let keywordVariadic = arguments.keywordVariadic {
      let dict = DictObject()
      for (key, value) in extra { dict.set(.str(key), .str(key), value) }
      scope.bind(keywordVariadic.name, .dict(dict))
    }
    // Defaults for the last positional parameters, then the missing ones.
    let firstDefault = ordered.count - arguments.defaults.count
    var missing: [String] = []
    for (index, parameter) in ordered.enumerated() where !bound.contains(parameter.name) {
      if index >= firstDefault {
        scope.bind(parameter.name, function.defaults[index - firstDefault])
      } else {
        missing.append(parameter.name)
      }
    }
    if !missing.isEmpty { throw missingError(name, missing, "positional") }
    var missingKeywords: [String] = []
    for (index, parameter) in arguments.keywordOnly.enumerated()
    where !bound.contains(parameter.name) {
      if let value = function.keywordDefaults[index] {
        scope.bind(parameter.name, value)
      } else {
        missingKeywords.append(parameter.name)
      }
    }
    if !missingKeywords.isEmpty { throw missingError(name, missingKeywords, "keyword-only") }
  }

  static func missingError(_ name: String, _ missing: [String], _ kind: String) -> PythonError {
    let quoted = missing.map { "'\($0)'" }
    let list: String
    switch quoted.count {
    case 1: list = quoted[0]
    case 2: list = "\(quoted[0]) and \(quoted[1])"
    default: list = quoted.dropLast().joined(separator: ", ") + ", and " + (quoted.last ?? "")
    }
    return PythonError.type(
      "\(name)() missing \(missing.count) required \(kind) argument\(missing.count == 1 ? "" : "s"): \(list)"
    )
  }
}
