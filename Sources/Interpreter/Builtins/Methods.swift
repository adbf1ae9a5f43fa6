import Foundation

/// The methods of built-in types notebooks call: `str`, `list`, `dict`, `set`.
enum Methods {
  static let stringMethods: Set<String> = [
    "join", "split", "strip", "lstrip", "rstrip", "replace", "upper", "lower", "title",
    "capitalize", "startswith", "endswith", "find", "index", "count", "format", "zfill",
    "center", "ljust", "rjust", "isdigit", "isalpha", "isspace", "isupper", "islower",
    "isalnum", "format_map", "splitlines", "swapcase", "rfind", "rindex", "istitle", "expandtabs",
    "casefold",
    "partition", "rpartition", "rsplit", "removeprefix", "removesuffix",
  ]
  static let listMethods: Set<String> = [
    "append", "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse", "copy",
    "clear",
  ]
  static let dictMethods: Set<String> = [
    "keys", "values", "items", "get", "setdefault", "pop", "update", "copy", "clear", "popitem",
  ]
  static let setMethods: Set<String> = [
    "add", "discard", "remove", "union", "intersection", "difference", "issubset",
    "issuperset", "copy", "clear", "update", "pop", "symmetric_difference", "isdisjoint",
  ]

  static func has(_ value: Value, _ name: String) -> Bool {
    switch value {
    case .str: return stringMethods.contains(name)
    case .list: return listMethods.contains(name)
    case .dict: return dictMethods.contains(name)
    case .set: return setMethods.contains(name)
    case .tuple, .range: return name == "index" || name == "count"
    case .float: return name == "is_integer"
    case .int: return name == "bit_length"
    default: return false
    }
  }

  static func argument(_ arguments: [Value], _ index: Int, _ method: String) throws(PythonError)
    -> Value
  {
    guard index < arguments.count else {
      throw PythonError.type(
        "\(method)() takes at least \(index + 1) argument (\(arguments.count) given)")
    }
    return arguments[index]
  }

  /// A method's optional `start` and `end` (arguments 1 and 2), adjusted as slice bounds.
  static func bounds(_ arguments: [Value], count: Int) throws(PythonError) -> (Int, Int) {
    func bound(_ index: Int, _ fallback: Int) -> Int {
      guard index < arguments.count, let n = Operators.integer(arguments[index]) else {
        return fallback
      }
      let value = Int(n)
      if value < 0 { return max(value + count, 0) }
      return min(value, count)
    }
    return (bound(1, 0), bound(2, count))
  }

  static func string(_ value: Value, _ method: String) throws(PythonError) -> String {
    guard case .str(let text) = value else {
      throw PythonError.type("\(method) arg must be str, not \(value.typeName)")
    }
    return text
  }

  static func call(
    _ interpreter: PythonInterpreter, _ receiver: Value, _ name: String, _ arguments: [Value],
    _ keywords: [(String, Value)]
  ) throws(PythonError) -> Value {
    switch receiver {
    case .str(let text): return try stringMethod(interpreter, text, name, arguments, keywords)
    case .list(let list): return try listMethod(interpreter, list, name, arguments, keywords)
    case .dict(let dict) where name == "update":
      try Builtins.update(dict, arguments.first, keywords, interpreter)
      return .none
    case .dict(let dict): return try dictMethod(interpreter, dict, name, arguments)
    case .set(let set): return try setMethod(interpreter, set, name, arguments)
    case .tuple(let items):
      let list = ListObject(items)
      return try listMethod(interpreter, list, name, arguments, keywords)
    case .range:
      let list = ListObject(try interpreter.iterate(receiver))
      do {
        return try listMethod(interpreter, list, name, arguments, keywords)
      } catch {
        if name == "index", let first = arguments.first {
          throw PythonError.value("\(try interpreter.repr(first)) is not in range")
        }
        throw error
      }
    case .float(let number) where name == "is_integer":
      return .bool(number.isFinite && number == number.rounded())
    case .int(let number) where name == "bit_length":
      return .int(Int64(64 - number.magnitude.leadingZeroBitCount))
    default:
      throw PythonError.attribute("'\(receiver.typeName)' object has no attribute '\(name)'")
    }
  }

  static func stringMethod(
    _ interpreter: PythonInterpreter, _ text: String, _ name: String, _ arguments: [Value],
    _ keywords: [(String, Value)]
  ) throws(PythonError) -> Value {
    func strip(_ characters: Value?, leading: Bool, trailing: Bool) throws(PythonError) -> Value {
      var set: Set<Character> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
      if let characters, case .str(let chosen) = characters { set = Set(chosen) }
      var scalars = Substring(text)
      if leading { scalars = scalars.drop(while: { set.contains($0) }) }
      if trailing {
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
      }
      return .str(String(scalars))
    }
    switch name {
    case "join":
      var parts: [String] = []
      for item in try interpreter.iterate(try argument(arguments, 0, "join")) {
        guard case .str(let part) = item else {
          throw PythonError.type(
            "sequence item \(parts.count): expected str instance, \(item.typeName) found")
        }
        parts.append(part)
      }
      return .str(parts.joined(separator: text))
    case "split":
      var separator: String?
      if let first = arguments.first, case .str(let chosen) = first { separator = chosen }
      if let value = Builtins.keyword(keywords, "sep"), case .str(let chosen) = value {
        separator = chosen
      }
      var maxSplit = -1
      if arguments.count > 1, let limit = Operators.integer(arguments[1]) { maxSplit = Int(limit) }
      if let separator {
        if separator.isEmpty { throw PythonError.value("empty separator") }
        var parts = text.components(separatedBy: separator)
        if maxSplit >= 0 && parts.count > maxSplit + 1 {
          parts = Array(parts[..<maxSplit]) + [parts[maxSplit...].joined(separator: separator)]
        }
        return .list(ListObject(parts.map { .str($0) }))
      }
      return .list(
        ListObject(text.split(whereSeparator: { $0.isWhitespace }).map { .str(String($0)) }))
    case "splitlines":
      // CPython's line boundaries: \n, \r\n, \r and the other Unicode line separators.
      let keepEnds = arguments.first.map { (try? interpreter.truth($0)) ?? false } ?? false
      let scalars = Array(text.unicodeScalars)
      let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
      var lines: [Value] = []
      var start = 0
      var i = 0
      while i < scalars.count {
        guard breaks.contains(scalars[i].value) else {
          i += 1
          continue
        }
        var end = i + 1
        if scalars[i].value == 0x0D, end < scalars.count, scalars[end].value == 0x0A { end += 1 }
        var line = String.UnicodeScalarView()
        line.append(contentsOf: scalars[start..<(keepEnds ? end : i)])
        lines.append(.str(String(line)))
        start = end
        i = end
      }
      if start < scalars.count {
        var line = String.UnicodeScalarView()
        line.append(contentsOf: scalars[start...])
        lines.append(.str(String(line)))
      }
      return .list(ListObject(lines))
    case "strip": return try strip(arguments.first, leading: true, trailing: true)
    case "lstrip": return try strip(arguments.first, leading: true, trailing: false)
    case "rstrip": return try strip(arguments.first, leading: false, trailing: true)
    case "replace":
      let old = try string(try argument(arguments, 0, "replace"), "replace")
      let new = try string(try argument(arguments, 1, "replace"), "replace")
      var limit = Int.max
      if arguments.count > 2, let n = Operators.integer(arguments[2]), n >= 0 { limit = Int(n) }
      if old.isEmpty {
        // CPython puts `new` before every character and at the end, up to `count` times.
        var out = ""
        var made = 0
        for character in text.unicodeScalars {
          if made < limit {
            out += new
            made += 1
          }
          out.unicodeScalars.append(character)
        }
        if made < limit { out += new }
        return .str(out)
      }
      var out = ""
      var rest = Substring(text)
      var made = 0
      while made < limit, let range = rest.range(of: old) {
        out += rest[..<range.lowerBound] + new
        rest = rest[range.upperBound...]
        made += 1
      }
      return .str(out + rest)
    case "upper": return .str(text.uppercased())
    case "lower": return .str(text.lowercased())
    case "swapcase":
      return .str(
        String(
          text.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) }))
    case "title":
      var out = ""
      var previousCased = false
      for character in text {
        out += previousCased ? character.lowercased() : character.uppercased()
        previousCased = character.isLetter
      }
      return .str(out)
    case "capitalize":
      guard let first = text.first else { return .str("") }
      return .str(first.uppercased() + text.dropFirst().lowercased())
    case "startswith", "endswith":
      let value = try argument(arguments, 0, name)
      var options: [String] = []
      if case .tuple(let items) = value {
        for item in items { options.append(try string(item, name)) }
      } else {
        options = [try string(value, name)]
      }
      let scalars = Array(text.unicodeScalars)
      let (lower, upper) = try bounds(arguments, count: scalars.count)
      guard lower <= upper else { return .bool(false) }
      let window = scalars[lower..<upper]
      return .bool(
        options.contains { option in
          let part = Array(option.unicodeScalars)
          guard part.count <= window.count else { return false }
          return name == "startswith"
            ? window.prefix(part.count).elementsEqual(part)
            : window.suffix(part.count).elementsEqual(part)
        })
    case "find", "index", "rfind", "rindex":
      let part = Array(try string(try argument(arguments, 0, name), name).unicodeScalars)
      let scalars = Array(text.unicodeScalars)
      let (lower, upper) = try bounds(arguments, count: scalars.count)
      var found: Int? = nil
      if upper - lower >= part.count {
        let starts = Array(lower...(upper - part.count))
        for start in (name.hasPrefix("r") ? starts.reversed() : starts)
        where scalars[start..<(start + part.count)].elementsEqual(part) {
          found = start
          break
        }
      }
      guard let found else {
        if name.hasSuffix("index") { throw PythonError.value("substring not found") }
        return .int(-1)
      }
      return .int(Int64(found))
    case "count":
      let part = try string(try argument(arguments, 0, "count"), "count")
      if part.isEmpty { return .int(Int64(text.count + 1)) }
      return .int(Int64(text.components(separatedBy: part).count - 1))
    case "format":
      return .str(try StringFormat.format(interpreter, text, arguments, keywords))
    case "format_map":
      guard case .dict(let mapping) = try argument(arguments, 0, name) else {
        throw PythonError.type("format_map() argument must be a mapping")
      }
      var named: [(String, Value)] = []
      for (key, value) in zip(mapping.keys, mapping.values) {
        if case .str(let key) = key { named.append((key, value)) }
      }
      return .str(try StringFormat.format(interpreter, text, [], named))
    case "zfill":
      let width = Int(Operators.integer(try argument(arguments, 0, "zfill")) ?? 0)
      guard text.count < width else { return .str(text) }
      let padding = String(repeating: "0", count: width - text.count)
      if let first = text.first, first == "-" || first == "+" {
        return .str(String(first) + padding + text.dropFirst())
      }
      return .str(padding + text)
    case "center", "ljust", "rjust":
      let width = Int(Operators.integer(try argument(arguments, 0, name)) ?? 0)
      var fill = " "
      if arguments.count > 1, case .str(let chosen) = arguments[1] { fill = chosen }
      guard text.count < width else { return .str(text) }
      let padding = width - text.count
      switch name {
      case "ljust": return .str(text + String(repeating: fill, count: padding))
      case "rjust": return .str(String(repeating: fill, count: padding) + text)
      default:
        // CPython's centring puts the extra character on the left when the text length is odd.
        let left = padding / 2 + (padding & width & 1)
        return .str(
          String(repeating: fill, count: left) + text
            + String(repeating: fill, count: padding - left))
      }
    case "istitle":
      var previousCased = false
      var sawCased = false
      for character in text {
        if character.isUppercase {
          if previousCased { return .bool(false) }
          previousCased = true
          sawCased = true
        } else if character.isLowercase {
          if !previousCased { return .bool(false) }
          previousCased = true
          sawCased = true
        } else {
          previousCased = false
        }
      }
      return .bool(sawCased)
    case "expandtabs":
      let size = Int(arguments.first.flatMap(Operators.integer) ?? 8)
      var out = ""
      var column = 0
      for character in text {
        if character == "\t" {
          let spaces = size > 0 ? size - column % size : 0
          out += String(repeating: " ", count: spaces)
          column += spaces
        } else {
          out.append(character)
          column = (character == "\n" || character == "\r") ? 0 : column + 1
        }
      }
      return .str(out)
    case "casefold": return .str(text.lowercased().replacingOccurrences(of: "ß", with: "ss"))
    case "partition", "rpartition":
      let separator = try string(try argument(arguments, 0, name), name)
      if separator.isEmpty { throw PythonError.value("empty separator") }
      let range =
        name == "partition"
        ? text.range(of: separator) : text.range(of: separator, options: .backwards)
      guard let range else {
        return name == "partition"
          ? .tuple([.str(text), .str(""), .str("")]) : .tuple([.str(""), .str(""), .str(text)])
      }
      return .tuple([
        .str(String(text[..<range.lowerBound])), .str(separator),
        .str(String(text[range.upperBound...])),
      ])
    case "rsplit":
      var separator: String?
      if let first = arguments.first, case .str(let chosen) = first { separator = chosen }
      var maxSplit = -1
      if arguments.count > 1, let limit = Operators.integer(arguments[1]) { maxSplit = Int(limit) }
      if let value = Builtins.keyword(keywords, "maxsplit"), let limit = Operators.integer(value) {
        maxSplit = Int(limit)
      }
      guard let separator else {
        var parts = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        if maxSplit >= 0 && parts.count > maxSplit + 1 {
          let keep = parts.count - maxSplit
          let head = text.trimmingCharacters(in: .whitespaces)
          var remaining = head
          var tail: [String] = []
          for _ in 0..<maxSplit {
            guard let space = remaining.lastIndex(where: { $0.isWhitespace }) else { break }
            tail.insert(String(remaining[remaining.index(after: space)...]), at: 0)
            remaining = String(remaining[..<space]).trimmingTrailingSpaces()
          }
          _ = keep
          parts = [remaining] + tail
        }
        return .list(ListObject(parts.map { .str($0) }))
      }
      var parts = text.components(separatedBy: separator)
      if maxSplit >= 0 && parts.count > maxSplit + 1 {
        let cut = parts.count - maxSplit
        parts = [parts[..<cut].joined(separator: separator)] + Array(parts[cut...])
      }
      return .list(ListObject(parts.map { .str($0) }))
    case "removeprefix":
      let prefix = try string(try argument(arguments, 0, name), name)
      return .str(text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
    case "removesuffix":
      let suffix = try string(try argument(arguments, 0, name), name)
      return .str(
        !suffix.isEmpty && text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : text)
    case "isdigit": return .bool(!text.isEmpty && text.allSatisfy { $0.isNumber })
    case "isalpha": return .bool(!text.isEmpty && text.allSatisfy { $0.isLetter })
    case "isalnum": return .bool(!text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber })
    case "isspace": return .bool(!text.isEmpty && text.allSatisfy { $0.isWhitespace })
    case "isupper": return .bool(text.contains { $0.isLetter } && !text.contains { $0.isLowercase })
    case "islower": return .bool(text.contains { $0.isLetter } && !text.contains { $0.isUppercase })
    default:
      throw PythonError.attribute("'str' object has no attribute '\(name)'")
    }
  }

  static func listMethod(
    _ interpreter: PythonInterpreter, _ list: ListObject, _ name: String, _ arguments: [Value],
    _ keywords: [(String, Value)]
  ) throws(PythonError) -> Value {
    switch name {
    case "append":
      list.items.append(try argument(arguments, 0, "append"))
    case "extend":
      list.items.append(contentsOf: try interpreter.iterate(try argument(arguments, 0, "extend")))
    case "insert":
      let position = Int(Operators.integer(try argument(arguments, 0, "insert")) ?? 0)
      let index =
        position < 0 ? max(0, list.items.count + position) : min(position, list.items.count)
      list.items.insert(try argument(arguments, 1, "insert"), at: index)
    case "pop":
      guard !list.items.isEmpty else { throw PythonError.index("pop from empty list") }
      if let first = arguments.first {
        let index = try Subscripts.index(first, count: list.items.count, what: "pop")
        return list.items.remove(at: index)
      }
      return list.items.removeLast()
    case "remove":
      let target = try argument(arguments, 0, "remove")
      for (index, item) in list.items.enumerated() where try interpreter.equal(item, target) {
        list.items.remove(at: index)
        return .none
      }
      throw PythonError.value("list.remove(x): x not in list")
    case "index":
      let target = try argument(arguments, 0, "index")
      let count = list.items.count
      func clamp(_ value: Value?, _ fallback: Int) -> Int {
        guard let raw = value.flatMap(Operators.integer) else { return fallback }
        let position = raw < 0 ? Int(raw) + count : Int(raw)
        return min(max(position, 0), count)
      }
      let start = clamp(arguments.count > 1 ? arguments[1] : nil, 0)
      let stop = clamp(arguments.count > 2 ? arguments[2] : nil, count)
      for index in start..<max(start, stop) where try interpreter.equal(list.items[index], target) {
        return .int(Int64(index))
      }
      throw PythonError.value("\(try interpreter.repr(target)) is not in list")
    case "count":
      let target = try argument(arguments, 0, "count")
      var count: Int64 = 0
      for item in list.items where try interpreter.equal(item, target) { count += 1 }
      return .int(count)
    case "sort":
      try sort(interpreter, list, keywords)
    case "reverse":
      list.items.reverse()
    case "copy":
      return .list(ListObject(list.items))
    case "clear":
      list.items.removeAll()
    default:
      throw PythonError.attribute("'list' object has no attribute '\(name)'")
    }
    return .none
  }

  /// `list.sort(key=, reverse=)`: stable, comparing with Python's `<`.
  static func sort(
    _ interpreter: PythonInterpreter, _ list: ListObject, _ keywords: [(String, Value)]
  ) throws(PythonError) {
    let key = Builtins.keyword(keywords, "key")
    let reverse =
      try Builtins.keyword(keywords, "reverse").map { (value) throws(PythonError) in
        try interpreter.truth(value)
      } ?? false
    var keyed: [(Value, Value)] = []
    for item in list.items {
      let itemKey: Value
      if let key, !(key.isNone) {
        itemKey = try interpreter.call(key, [item], [])
      } else {
        itemKey = item
      }
      keyed.append((itemKey, item))
    }
    var failure: PythonError?
    let indexed = Array(keyed.enumerated())
    let sorted = indexed.sorted { left, right in
      guard failure == nil else { return false }
      do {
        if reverse {
          if try interpreter.compare(.lt, right.element.0, left.element.0) { return true }
          if try interpreter.compare(.lt, left.element.0, right.element.0) { return false }
        } else {
          if try interpreter.compare(.lt, left.element.0, right.element.0) { return true }
          if try interpreter.compare(.lt, right.element.0, left.element.0) { return false }
        }
        return left.offset < right.offset
      } catch {
        failure = error as? PythonError
        return false
      }
    }
    if let failure { throw failure }
    list.items = sorted.map { $0.element.1 }
  }

  static func dictMethod(
    _ interpreter: PythonInterpreter, _ dict: DictObject, _ name: String, _ arguments: [Value]
  ) throws(PythonError) -> Value {
    switch name {
    case "keys": return .dictView(dict, .keys)
    case "values": return .dictView(dict, .values)
    case "items": return .dictView(dict, .items)
    case "get":
      let key = try argument(arguments, 0, "get")
      return dict.get(try HashKey(key)) ?? (arguments.count > 1 ? arguments[1] : .none)
    case "setdefault":
      let key = try argument(arguments, 0, "setdefault")
      let hash = try HashKey(key)
      if let existing = dict.get(hash) { return existing }
      let value = arguments.count > 1 ? arguments[1] : .none
      dict.set(key, hash, value)
      return value
    case "pop":
      let key = try argument(arguments, 0, "pop")
      if let value = dict.remove(try HashKey(key)) { return value }
      if arguments.count > 1 { return arguments[1] }
      throw PythonError(exception: ExceptionObject(type: "KeyError", arguments: [key]))
    case "update":
      if let first = arguments.first, case .dict(let other) = first {
        for (k, v) in zip(other.keys, other.values) { dict.set(k, try HashKey(k), v) }
      }
      return .none
    case "popitem":
      guard let key = dict.keys.last else {
        throw PythonError(
          exception: ExceptionObject(
            type: "KeyError", arguments: [.str("popitem(): dictionary is empty")]))
      }
      let value = dict.remove(try HashKey(key)) ?? .none
      return .tuple([key, value])
    case "copy":
      let copy = DictObject()
      for (k, v) in zip(dict.keys, dict.values) { copy.set(k, try HashKey(k), v) }
      return .dict(copy)
    case "clear":
      dict.clear()
      return .none
    default:
      throw PythonError.attribute("'dict' object has no attribute '\(name)'")
    }
  }

  static func setMethod(
    _ interpreter: PythonInterpreter, _ set: SetObject, _ name: String, _ arguments: [Value]
  ) throws(PythonError) -> Value {
    func other() throws(PythonError) -> SetObject {
      let result = SetObject()
      for item in try interpreter.iterate(try argument(arguments, 0, name)) {
        result.insert(item, try HashKey(item))
      }
      return result
    }
    switch name {
    case "add":
      let item = try argument(arguments, 0, "add")
      set.insert(item, try HashKey(item))
    case "discard":
      _ = set.remove(try HashKey(try argument(arguments, 0, "discard")))
    case "remove":
      let item = try argument(arguments, 0, "remove")
      guard set.remove(try HashKey(item)) else {
        throw PythonError(exception: ExceptionObject(type: "KeyError", arguments: [item]))
      }
    case "update":
      for argument in arguments {
        for item in try interpreter.iterate(argument) { set.insert(item, try HashKey(item)) }
      }
    case "clear":
      for item in set.items { _ = set.remove(try HashKey(item)) }
    case "pop":
      // CPython pops the first item in iteration order.
      guard let first = Printer.setOrder(set.items).first else {
        throw PythonError(
          exception: ExceptionObject(type: "KeyError", arguments: [.str("pop from an empty set")]))
      }
      _ = set.remove(try HashKey(first))
      return first
    case "symmetric_difference": return .set(try Operators.setOperation(.bitXor, set, try other()))
    case "isdisjoint":
      for item in try other().items where set.contains(try HashKey(item)) { return .bool(false) }
      return .bool(true)
    case "union": return .set(try Operators.setOperation(.bitOr, set, try other()))
    case "intersection": return .set(try Operators.setOperation(.bitAnd, set, try other()))
    case "difference": return .set(try Operators.setOperation(.sub, set, try other()))
    case "issubset":
      let bigger = try other()
      for item in set.items where !bigger.contains(try HashKey(item)) { return .bool(false) }
      return .bool(true)
    case "issuperset":
      for item in try other().items where !set.contains(try HashKey(item)) { return .bool(false) }
      return .bool(true)
    case "copy":
      return .set(try Operators.setOperation(.bitOr, set, SetObject()))
    default:
      throw PythonError.attribute("'set' object has no attribute '\(name)'")
    }
    return .none
  }
}

extension Value {
  var isNone: Bool {
    if case .none = self { return true }
    return false
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var text = Substring(self)
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    return String(text)
  }
}
