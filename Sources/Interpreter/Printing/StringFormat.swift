import Foundation

/// `str.format`: `{}`, `{0}`, `{name}`, `{0.attr}`, `{0[1]}`, conversions and specs.
enum StringFormat {
  static func format(
    _ interpreter: PythonInterpreter, _ template: String, _ arguments: [Value],
    _ keywords: [(String, Value)]
  ) throws(PythonError) -> String {
    var automatic = 0
    return try format(interpreter, template, arguments, keywords, &automatic)
  }

  /// `template.format(...)` with the automatic field numbering shared with an enclosing
  /// field (a nested spec `{:>{}}` takes the next number after its field's).
  static func format(
    _ interpreter: PythonInterpreter, _ template: String, _ arguments: [Value],
    _ keywords: [(String, Value)], _ automatic: inout Int
  ) throws(PythonError) -> String {
    var out = ""
    let characters = Array(template)
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character == "{" {
        if index + 1 < characters.count && characters[index + 1] == "{" {
          out.append("{")
          index += 2
          continue
        }
        var depth = 1
        var end = index + 1
        while end < characters.count && depth > 0 {
          if characters[end] == "{" { depth += 1 }
          if characters[end] == "}" { depth -= 1 }
          if depth > 0 { end += 1 }
        }
        guard end < characters.count else {
          throw PythonError.value("Single '{' encountered in format string")
        }
        let field = String(characters[(index + 1)..<end])
        out += try replace(interpreter, field, arguments, keywords, &automatic)
        index = end + 1
        continue
      }
      if character == "}" {
        guard index + 1 < characters.count && characters[index + 1] == "}" else {
          throw PythonError.value("Single '}' encountered in format string")
        }
        out.append("}")
        index += 2
        continue
      }
      out.append(character)
      index += 1
    }
    return out
  }

  static func replace(
    _ interpreter: PythonInterpreter, _ field: String, _ arguments: [Value],
    _ keywords: [(String, Value)], _ automatic: inout Int
  ) throws(PythonError) -> String {
    var name = field
    var spec = ""
    var conversion: Character?
    if let colon = field.firstIndex(of: ":") {
      name = String(field[..<colon])
      spec = String(field[field.index(after: colon)...])
    }
    if let bang = name.firstIndex(of: "!") {
      conversion = name[name.index(after: bang)...].first
      name = String(name[..<bang])
    }
    let head = name.prefix { $0 != "." && $0 != "[" }
    var value: Value
    if head.isEmpty {
      guard automatic < arguments.count else {
        throw PythonError.index(
          "Replacement index \(automatic) out of range for positional args tuple")
      }
      value = arguments[automatic]
      automatic += 1
    } else if let number = Int(head) {
      guard number < arguments.count else {
        throw PythonError.index(
          "Replacement index \(number) out of range for positional args tuple")
      }
      value = arguments[number]
    } else {
      guard let found = keywords.first(where: { $0.0 == head })?.1 else {
        throw PythonError(
          exception: ExceptionObject(type: "KeyError", arguments: [.str(String(head))]))
      }
      value = found
    }
    var rest = name.dropFirst(head.count)
    while let first = rest.first {
      if first == "." {
        rest = rest.dropFirst()
        let attribute = rest.prefix { $0 != "." && $0 != "[" }
        value = try interpreter.attribute(value, String(attribute))
        rest = rest.dropFirst(attribute.count)
      } else if first == "[" {
        guard let close = rest.firstIndex(of: "]") else { break }
        let key = rest[rest.index(after: rest.startIndex)..<close]
        value = try Subscripts.load(value, Int64(key).map(Value.int) ?? .str(String(key)))
        rest = rest[rest.index(after: close)...]
      } else {
        break
      }
    }
    switch conversion {
    case "r": value = .str(try interpreter.repr(value))
    case "s": value = .str(try interpreter.str(value))
    case "a": value = .str(Printer.asciiRepr(try interpreter.repr(value)))
    default: break
    }
    // Nested fields in the spec (`{:{w}.{p}f}`, `{:>{}}`), after the field's own number.
    if spec.contains("{") {
      spec = try format(interpreter, spec, arguments, keywords, &automatic)
    }
    return try interpreter.format(value, spec)
  }
}

/// `"%d %s" % args`: printf-style formatting as CPython's `str.__mod__`.
enum PercentFormat {
  static func format(
    _ template: String, _ argument: Value, interpreter: PythonInterpreter? = nil
  ) throws(PythonError) -> String {
    func str(_ value: Value) throws(PythonError) -> String {
      guard let interpreter else { return Printer.str(value) }
      return try interpreter.str(value)
    }
    func repr(_ value: Value) throws(PythonError) -> String {
      guard let interpreter else { return Printer.repr(value) }
      return try interpreter.repr(value)
    }
    var values: [Value]
    var mapping: DictObject?
    switch argument {
    case .tuple(let items): values = items
    case .dict(let dict):
      values = [argument]
      mapping = dict
    default: values = [argument]
    }
    var next = 0
    var out = ""
    let characters = Array(template)
    var index = 0
    func take() throws(PythonError) -> Value {
      guard next < values.count else {
        throw PythonError.type("not enough arguments for format string")
      }
      next += 1
      return values[next - 1]
    }
    while index < characters.count {
      let character = characters[index]
      guard character == "%" else {
        out.append(character)
        index += 1
        continue
      }
      index += 1
      guard index < characters.count else { throw PythonError.value("incomplete format") }
      var key: String?
      if characters[index] == "(" {
        guard let close = characters[index...].firstIndex(of: ")") else {
          throw PythonError.value("incomplete format key")
        }
        key = String(characters[(index + 1)..<close])
        index = close + 1
      }
      var flags = ""
      while index < characters.count, "-+ #0".contains(characters[index]) {
        flags.append(characters[index])
        index += 1
      }
      var width = ""
      if index < characters.count, characters[index] == "*" {
        // `%*d`: the width is the next argument (a negative one left-aligns).
        index += 1
        guard let n = Operators.integer(try take()) else {
          throw PythonError.type("* wants int")
        }
        if n < 0 { flags.append("-") }
        width = String(n.magnitude)
      }
      while index < characters.count, characters[index].isNumber {
        width.append(characters[index])
        index += 1
      }
      var precision: String?
      if index < characters.count, characters[index] == "." {
        index += 1
        var digits = ""
        if index < characters.count, characters[index] == "*" {
          index += 1
          guard let n = Operators.integer(try take()) else {
            throw PythonError.type("* wants int")
          }
          digits = String(max(n, 0))
        }
        while index < characters.count, characters[index].isNumber {
          digits.append(characters[index])
          index += 1
        }
        precision = digits
      }
      guard index < characters.count else { throw PythonError.value("incomplete format") }
      let type = characters[index]
      index += 1
      if type == "%" {
        out.append("%")
        continue
      }
      let value: Value
      if let key {
        guard let mapping, let found = mapping.get(.str(key)) else {
          throw PythonError(exception: ExceptionObject(type: "KeyError", arguments: [.str(key)]))
        }
        value = found
      } else {
        value = try take()
      }
      var spec = ""
      if flags.contains("-") {
        spec += "<"
      } else if flags.contains("0") && type != "s" && type != "r" {
        spec += "0"
      }
      if flags.contains("+") { spec += "+" } else if flags.contains(" ") { spec += " " }
      if flags.contains("#") { spec = "#" + spec }
      spec = spec.replacingOccurrences(of: "#0", with: "0#")
      var body: String
      switch type {
      case "s":
        body = try str(value)
        if let precision, let count = Int(precision) { body = String(body.prefix(count)) }
        body = try FormatSpec.format(.str(body), (flags.contains("-") ? "<" : ">") + width)
        out += body
        continue
      case "r":
        body = try repr(value)
        out += try FormatSpec.format(.str(body), (flags.contains("-") ? "<" : ">") + width)
        continue
      case "d", "i", "u":
        var number = value
        if case .float(let x) = value { number = .int(Int64(x.rounded(.towardZero))) }
        body = try FormatSpec.format(number, spec + width + "d")
      case "x", "X", "o":
        body = try FormatSpec.format(value, spec + width + String(type))
      case "f", "F", "e", "E", "g", "G":
        var number = value
        if case .int(let x) = value { number = .float(Double(x)) }
        body = try FormatSpec.format(
          number,
          spec + width + "." + (precision.map { $0.isEmpty ? "0" : $0 } ?? "6") + String(type))
      case "c":
        if case .str(let text) = value {
          guard text.unicodeScalars.count == 1 else {
            throw PythonError.type("%c requires int or char")
          }
          body = try FormatSpec.format(.str(text), (flags.contains("-") ? "<" : ">") + width)
        } else {
          body = try FormatSpec.format(value, width + "c")
        }
      default:
        throw PythonError.value("unsupported format character '\(type)'")
      }
      out += body
    }
    if mapping == nil && next < values.count {
      throw PythonError.type("not all arguments converted during string formatting")
    }
    return out
  }
}
