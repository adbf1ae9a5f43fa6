/// What one `print(...)` call writes: literal text and `{expression}` holes, e.g.
/// `print(f"loss:{loss}")` → `["loss:", {loss}, "\n"]`.
public struct PrintTemplate: Sendable, Equatable {
  /// One piece of the printed text.
  public enum Part: Sendable, Equatable {
    /// Text printed as is.
    case literal(String)
    /// A value printed by `str()` (or `repr()` with `!r`), e.g. `{W1_grad}`.
    case hole(Hole)
  }

  /// A `{expression!conversion:spec}` hole of an f-string, or an argument of `print`.
  public struct Hole: Sendable, Equatable {
    /// The Python expression, e.g. `W1_grad`; used as the record's label.
    public var expression: String
    /// `r` for `!r` (repr), `s` for `!s`, `a` for `!a`; `nil` for none (str).
    public var conversion: Character?
    /// The format spec after `:`, e.g. `.4f`; `nil` for none.
    public var spec: String?
  }

  /// The 1-based number of this print in the code, in reading order.
  public var number: Int
  /// The cell it is in (`In [77]`).
  public var cell: String
  /// The 1-based line of the `print` in the cell's code.
  public var cellLine: Int
  /// The pieces, with the `end` text (default "\n") as the last literal.
  public var parts: [Part]

  /// The holes, in order.
  public var holes: [Hole] {
    parts.compactMap { if case .hole(let hole) = $0 { hole } else { nil } }
  }
}

extension PrintTemplate {
  /// Why a `print` call could not be read as a template.
  struct Unsupported: Error {
    var reason: String
  }

  /// Reads the arguments of a `print(...)` statement (`statement` is the whole call).
  ///
  /// - Returns: the parts, or `nil` when the print does not write to stdout (`file=`).
  static func parts(ofPrintCall statement: String) throws(Unsupported) -> [Part]? {
    guard let open = statement.firstIndex(of: "("), statement.hasSuffix(")") else {
      throw Unsupported(reason: "a print statement that is not one call `print(...)`")
    }
    let inner = String(
      statement[statement.index(after: open)..<statement.index(before: statement.endIndex)])
    var separator = " "
    var end = "\n"
    var pieces: [[Part]] = []
    for argument in splitTopLevel(inner, on: ",") {
      let trimmed = argument.trimmingSpaces()
      if trimmed.isEmpty { continue }
      if let (keyword, value) = keywordArgument(trimmed) {
        switch keyword {
        case "sep":
          separator = try plainString(value, what: "sep")
        case "end":
          end = try plainString(value, what: "end")
        case "file":
          if value.trimmingSpaces() != "sys.stdout" { return nil }
        case "flush": break
        default: throw Unsupported(reason: "print's keyword argument '\(keyword)'")
        }
        continue
      }
      if let literal = try stringLiterals(trimmed) {
        pieces.append(literal)
      } else {
        pieces.append([.hole(Hole(expression: trimmed, conversion: nil, spec: nil))])
      }
    }
    var parts: [Part] = []
    for (index, piece) in pieces.enumerated() {
      if index > 0 && !separator.isEmpty { parts.append(.literal(separator)) }
      parts.append(contentsOf: piece)
    }
    if !end.isEmpty { parts.append(.literal(end)) }
    return merged(parts)
  }

  /// Joins adjacent literals.
  static func merged(_ parts: [Part]) -> [Part] {
    var result: [Part] = []
    for part in parts {
      if case .literal(let text) = part, case .literal(let previous)? = result.last {
        result[result.count - 1] = .literal(previous + text)
      } else if case .literal(let text) = part, text.isEmpty {
        continue
      } else {
        result.append(part)
      }
    }
    return result
  }

  static func keywordArgument(_ argument: String) -> (String, String)? {
    let scalars = Array(argument)
    var index = 0
    while index < scalars.count,
      scalars[index].isLetter || scalars[index] == "_"
        || (index > 0 && scalars[index].isNumber)
    {
      index += 1
    }
    guard index > 0 else { return nil }
    var after = index
    while after < scalars.count, scalars[after] == " " { after += 1 }
    guard after < scalars.count, scalars[after] == "=",
      after + 1 >= scalars.count || scalars[after + 1] != "="
    else { return nil }
    return (String(scalars[0..<index]), String(scalars[(after + 1)...]))
  }

  static func plainString(_ value: String, what: String) throws(Unsupported) -> String {
    guard let parts = try stringLiterals(value.trimmingSpaces()) else {
      throw Unsupported(reason: "print's \(what)= that is not a string literal")
    }
    var text = ""
    for part in parts {
      guard case .literal(let piece) = part else {
        throw Unsupported(reason: "print's \(what)= with an f-string hole")
      }
      text += piece
    }
    return text
  }

  /// Parses one or more adjacent string literals (plain, raw, f-strings); `nil` when the
  /// argument is not made of string literals only.
  static func stringLiterals(_ argument: String) throws(Unsupported) -> [Part]? {
    let characters = Array(argument)
    var index = 0
    var parts: [Part] = []
    var sawLiteral = false
    while index < characters.count {
      while index < characters.count, characters[index].isWhitespace { index += 1 }
      if index == characters.count { break }
      var prefix = ""
      while index < characters.count, "fFrRbBuU".contains(characters[index]), prefix.count < 2 {
        prefix.append(characters[index])
        index += 1
      }
      guard index < characters.count, characters[index] == "\"" || characters[index] == "'"
      else { return nil }
      let quoteCharacter = characters[index]
      let triple =
        index + 2 < characters.count && characters[index + 1] == quoteCharacter
        && characters[index + 2] == quoteCharacter
      let quoteLength = triple ? 3 : 1
      index += quoteLength
      var body: [Character] = []
      var closed = false
      while index < characters.count {
        let character = characters[index]
        if character == "\\" && index + 1 < characters.count {
          body.append(character)
          body.append(characters[index + 1])
          index += 2
          continue
        }
        if character == quoteCharacter
          && (!triple
            || (index + 2 < characters.count && characters[index + 1] == quoteCharacter
              && characters[index + 2] == quoteCharacter))
        {
          index += quoteLength
          closed = true
          break
        }
        body.append(character)
        index += 1
      }
      guard closed else { return nil }
      sawLiteral = true
      let lower = prefix.lowercased()
      if lower.contains("b") { throw Unsupported(reason: "printing a bytes literal") }
      let raw = lower.contains("r")
      if lower.contains("f") {
        parts.append(contentsOf: try fString(body, raw: raw))
      } else {
        parts.append(.literal(raw ? String(body) : unescape(body)))
      }
    }
    return sawLiteral ? merged(parts) : nil
  }

  /// Splits an f-string body into literals and holes.
  static func fString(_ body: [Character], raw: Bool) throws(Unsupported) -> [Part] {
    var parts: [Part] = []
    var literal: [Character] = []
    var index = 0
    func flush() {
      if !literal.isEmpty {
        parts.append(.literal(raw ? String(literal) : unescape(literal)))
        literal = []
      }
    }
    while index < body.count {
      let character = body[index]
      if character == "{" {
        if index + 1 < body.count && body[index + 1] == "{" {
          literal.append("{")
          index += 2
          continue
        }
        flush()
        // Find the matching '}' at depth 0, skipping strings and nested brackets.
        var depth = 0
        var cursor = index + 1
        var quote: Character? = nil
        var conversionAt: Int? = nil
        var specAt: Int? = nil
        while cursor < body.count {
          let c = body[cursor]
          if let open = quote {
            if c == open { quote = nil }
          } else if c == "'" || c == "\"" {
            quote = c
          } else if c == "(" || c == "[" || c == "{" {
            depth += 1
          } else if c == ")" || c == "]" || (c == "}" && depth > 0) {
            depth -= 1
          } else if c == "}" && depth == 0 {
            break
          } else if depth == 0 && specAt == nil && c == "!" && cursor + 1 < body.count
            && body[cursor + 1] != "="
          {
            conversionAt = cursor
          } else if depth == 0 && c == ":" && specAt == nil {
            specAt = cursor
          }
          cursor += 1
        }
        guard cursor < body.count else {
          throw Unsupported(reason: "an f-string hole without its closing '}'")
        }
        let expressionEnd = conversionAt ?? specAt ?? cursor
        var expression = String(body[(index + 1)..<expressionEnd]).trimmingSpaces()
        var conversion: Character? = nil
        if let conversionAt, conversionAt + 1 < body.count {
          conversion = body[conversionAt + 1]
        }
        let spec = specAt.map { String(body[($0 + 1)..<cursor]) }
        if expression.hasSuffix("=") && !expression.hasSuffix("==") && !expression.hasSuffix("!=")
          && !expression.hasSuffix("<=") && !expression.hasSuffix(">=")
        {
          // `{x=}` prints "x=" and then repr(x) (or the spec'd value).
          let shown = String(body[(index + 1)..<expressionEnd])
          parts.append(.literal(shown))
          expression = String(expression.dropLast()).trimmingSpaces()
          if conversion == nil && spec == nil { conversion = "r" }
        }
        guard !expression.isEmpty else { throw Unsupported(reason: "an empty f-string hole") }
        parts.append(.hole(Hole(expression: expression, conversion: conversion, spec: spec)))
        index = cursor + 1
        continue
      }
      if character == "}" && index + 1 < body.count && body[index + 1] == "}" {
        literal.append("}")
        index += 2
        continue
      }
      literal.append(character)
      index += 1
    }
    flush()
    return parts
  }

  /// Python's escape sequences in a non-raw string literal.
  static func unescape(_ body: [Character]) -> String {
    var result = ""
    var index = 0
    while index < body.count {
      let character = body[index]
      guard character == "\\", index + 1 < body.count else {
        result.append(character)
        index += 1
        continue
      }
      let next = body[index + 1]
      index += 2
      switch next {
      case "n": result.append("\n")
      case "t": result.append("\t")
      case "r": result.append("\r")
      case "\\": result.append("\\")
      case "'": result.append("'")
      case "\"": result.append("\"")
      case "0": result.append("\0")
      case "\n": break
      case "x", "u", "U":
        let length = next == "x" ? 2 : (next == "u" ? 4 : 8)
        let digits = String(body[index..<min(body.count, index + length)])
        if digits.count == length, let value = UInt32(digits, radix: 16),
          let scalar = Unicode.Scalar(value)
        {
          result.unicodeScalars.append(scalar)
          index += length
        } else {
          result.append("\\")
          result.append(next)
        }
      default:
        result.append("\\")
        result.append(next)
      }
    }
    return result
  }

  /// Splits `text` at `separator` characters outside brackets and string literals.
  static func splitTopLevel(_ text: String, on separator: Character) -> [String] {
    var pieces: [String] = []
    var current = ""
    var depth = 0
    var quote: Character? = nil
    var escaped = false
    for character in text {
      if let open = quote {
        current.append(character)
        if escaped {
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == open {
          quote = nil
        }
        continue
      }
      switch character {
      case "'", "\"":
        quote = character
        current.append(character)
      case "(", "[", "{":
        depth += 1
        current.append(character)
      case ")", "]", "}":
        depth -= 1
        current.append(character)
      case separator where depth == 0:
        pieces.append(current)
        current = ""
      default:
        current.append(character)
      }
    }
    pieces.append(current)
    return pieces
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and newlines.
  func trimmingSpaces() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
    guard let first = firstIndex(where: { !isSpace($0) }),
      let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(self[first...last])
  }
}
