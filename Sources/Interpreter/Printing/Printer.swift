import Foundation
import NumPyKit

/// `repr` and `str` of built-in values, byte for byte as CPython 3.11 writes them. Instances of
/// user classes (whose `__repr__` may run code) are the interpreter's; this covers the rest.
enum Printer {
  /// CPython's `float.__repr__`: the shortest digits that read back to the same double, in
  /// positional notation when the decimal exponent is in -4 ..< 16, else `d.ddde±XX`.
  static func floatRepr(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
    let (negative, digits, pointPosition) = shortestDigits(value)
    var text = negative ? "-" : ""
    if pointPosition > -4 && pointPosition <= 16 {
      if pointPosition <= 0 {
        text += "0." + String(repeating: "0", count: -pointPosition) + digits
      } else if pointPosition >= digits.count {
        text += digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
      } else {
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        text += digits[..<split] + "." + digits[split...]
      }
    } else {
      text += String(digits.prefix(1))
      if digits.count > 1 { text += "." + digits.dropFirst() }
      text += exponentSuffix(pointPosition - 1)
    }
    return text
  }

  /// `e+16`, `e-05`: CPython's exponent, at least two digits.
  static func exponentSuffix(_ exponent: Int) -> String {
    let magnitude = String(abs(exponent))
    return "e" + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
  }

  /// The shortest round-trip digits of a finite non-zero double (Swift's `description`, which
  /// is the shortest such form), and where the decimal point goes: value = 0.DIGITS × 10^point.
  static func shortestDigits(_ value: Double) -> (negative: Bool, digits: String, point: Int) {
    var text = Substring(value.magnitude.description)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponent = Int(text[text.index(after: e)...]) ?? 0
      text = text[..<e]
    }
    var integer = Substring(text)
    var fraction = Substring("")
    if let dot = text.firstIndex(of: ".") {
      integer = text[..<dot]
      fraction = text[text.index(after: dot)...]
    }
    var digits = String(integer) + String(fraction)
    var point = integer.count + exponent
    // Leading zeros (0.001 → "0001") move the point; trailing zeros are not digits.
    while digits.first == "0" && digits.count > 1 {
      digits.removeFirst()
      point -= 1
    }
    while digits.last == "0" && digits.count > 1 { digits.removeLast() }
    return (value < 0, digits, point)
  }

  /// CPython's `str.__repr__`: single quotes unless the text holds `'` and no `"`; escapes for
  /// the quote, backslash, `\t \n \r`, other non-printable characters as `\xhh`, `\uhhhh`,
  /// `\Uhhhhhhhh`.
  static func stringRepr(_ text: String) -> String {
    let useDouble = text.contains("'") && !text.contains("\"")
    let quote: Character = useDouble ? "\"" : "'"
    var out = String(quote)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      default:
        if Character(scalar) == quote {
          out += "\\" + String(quote)
        } else if isPrintable(scalar) {
          out.unicodeScalars.append(scalar)
        } else {
          out += escape(scalar)
        }
      }
    }
    out.append(quote)
    return out
  }

  /// `\xhh`, `\uhhhh` or `\Uhhhhhhhh`, the shortest that holds the character.
  static func escape(_ scalar: Unicode.Scalar) -> String {
    if scalar.value < 0x100 { return "\\x" + hex(scalar.value, width: 2) }
    if scalar.value < 0x10000 { return "\\u" + hex(scalar.value, width: 4) }
    return "\\U" + hex(scalar.value, width: 8)
  }

  /// `ascii()`: a repr with every non-ASCII character escaped.
  static func asciiRepr(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      if scalar.isASCII {
        out.unicodeScalars.append(scalar)
      } else {
        out += escape(scalar)
      }
    }
    return out
  }

  /// CPython's `str.isprintable` for one character: not a control, format, separator
  /// (other than the space), surrogate, private-use or unassigned character.
  static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator,
      .paragraphSeparator, .spaceSeparator:
      return false
    default:
      return true
    }
  }

  static func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  /// `str(e)` of an exception: its one argument's `str`, empty for none, else the tuple's
  /// repr; a `KeyError`'s one argument is shown as its repr.
  static func exceptionMessage(_ exception: ExceptionObject) -> String {
    switch exception.arguments.count {
    case 0: return ""
    case 1:
      if exception.showsArgumentRepr {
        return repr(exception.arguments[0])
      }
      return str(exception.arguments[0])
    default:
      return repr(.tuple(exception.arguments))
    }
  }

  /// `repr` of a built-in value (instances fall back to CPython's default form without an
  /// address, which the interpreter never prints for a real object).
  static func repr(_ value: Value) -> String {
    switch value {
    case .unverifiable(let inner, _): return repr(inner)
    case .none: return "None"
    case .bool(let flag): return flag ? "True" : "False"
    case .int(let number): return String(number)
    case .float(let number): return floatRepr(number)
    case .str(let text): return stringRepr(text)
    case .tuple(let items):
      if items.count == 1 { return "(" + repr(items[0]) + ",)" }
      return "(" + items.map(repr).joined(separator: ", ") + ")"
    case .list(let list):
      // Only the interpreter's repr follows a list into itself; here one level is shown.
      return "["
        + list.items.map { item in
          if case .list(let inner) = item, inner === list { return "[...]" }
          return repr(item)
        }.joined(separator: ", ") + "]"
    case .dict(let dict):
      let pairs = zip(dict.keys, dict.values).map { repr($0.0) + ": " + repr($0.1) }
      return "{" + pairs.joined(separator: ", ") + "}"
    case .set(let set):
      if set.items.isEmpty { return "set()" }
      return "{" + setOrder(set.items).map(repr).joined(separator: ", ") + "}"
    case .range(let start, let stop, let step):
      return step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))"
    case .slice(let start, let stop, let step):
      return "slice(\(repr(start)), \(repr(stop)), \(repr(step)))"
    case .function(let function): return "<function \(function.name)>"
    case .builtin(let builtin):
      if typeNames.contains(builtin.name) { return "<class '\(builtin.name)'>" }
      return "<built-in function \(builtin.name)>"
    case .boundMethod(_, let function): return "<bound method \(function.name)>"
    case .builtinMethod(let receiver, let name):
      return "<built-in method \(name) of \(receiver.typeName) object>"
    case .classObject(let cls): return "<class '__main__.\(cls.name)'>"
    case .instance(let object): return "<__main__.\(object.cls.name) object>"
    case .module(let module): return "<module '\(module.name)'>"
    case .exception(let exception):
      let arguments = exception.arguments.map(repr).joined(separator: ", ")
      return "\(exception.type)(\(arguments))"
    case .exceptionType(let name): return "<class '\(name)'>"
    case .iterator: return "<iterator object>"
    case .dictView(let dict, let kind):
      return kind.rawValue + "([" + dict.view(kind).map(repr).joined(separator: ", ") + "])"
    case .property: return "<property object>"
    case .staticMethod: return "<staticmethod object>"
    case .classMethod: return "<classmethod object>"
    case .array(let object): return ArrayFormatter().repr(object.array.ndarray())
    case .npScalar(let scalar):
      switch scalar {
      case .float64(let x): return "np.float64(\(floatRepr(x)))"
      case .float32(let x):
        return "np.float32(\(ArrayFormatter.scalarString(Double(x), dtype: .float32)))"
      case .int64(let n): return "np.int64(\(n))"
      case .bool(let flag): return flag ? "np.True_" : "np.False_"
      case .integer(let n, let dtype): return "np.\(dtype.rawValue)(\(integerText(n, dtype)))"
      }
    case .native(let object): return object.reprText
    case .ellipsis: return "Ellipsis"
    }
  }

  /// An element of an integer dtype in decimal (uint64 read as unsigned).
  static func integerText(_ n: Int64, _ dtype: DType) -> String {
    dtype == .uint64 ? String(UInt64(bitPattern: n)) : String(n)
  }

  /// The built-in types, whose constructors are also their classes.
  static let typeNames: Set<String> = [
    "int", "float", "str", "bool", "list", "tuple", "dict", "set", "range",
  ]

  /// `str` of a built-in value: strings as they are, everything else as its repr.
  static func str(_ value: Value) -> String {
    switch value {
    case .unverifiable(let inner, _): return str(inner)
    case .str(let text): return text
    case .exception(let exception): return exceptionMessage(exception)
    case .npScalar(let scalar):
      switch scalar {
      case .float64(let x): return floatRepr(x)
      case .float32(let x): return ArrayFormatter.scalarString(Double(x), dtype: .float32)
      case .int64(let n): return String(n)
      case .bool(let flag): return flag ? "True" : "False"
      case .integer(let n, let dtype): return integerText(n, dtype)
      }
    case .array(let object): return ArrayFormatter().string(object.array.ndarray())
    default: return repr(value)
    }
  }

  /// The order CPython's set of small non-negative ints iterates in (by hash, which is the
  /// value, modulo the table size); other sets keep insertion order (their order in CPython
  /// depends on hashes retrace does not reproduce, and the oracle avoids printing them).
  static func setOrder(_ items: [Value]) -> [Value] {
    let ints = items.compactMap { item -> Int64? in
      if case .int(let number) = item, number >= 0 { return number }
      return nil
    }
    guard ints.count == items.count else { return items }
    var size = 8
    while size * 3 < items.count * 5 { size *= 2 }
    return items.enumerated().sorted { left, right in
      guard case .int(let a) = left.element, case .int(let b) = right.element else {
        return left.offset < right.offset
      }
      let slotA = Int(a) % size
      let slotB = Int(b) % size
      return slotA == slotB ? left.offset < right.offset : slotA < slotB
    }.map(\.element)
  }
}
