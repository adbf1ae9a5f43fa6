import Foundation
import NumPyKit

/// `int()`, `float()` and `round()` as CPython 3.11 computes them.
enum Numbers {
  static func int(_ arguments: [Value], _ keywords: [(String, Value)]) throws(PythonError) -> Value
  {
    guard var first = arguments.first else { return .int(0) }
    if let scalar = numpyScalar(first) { first = ArrayValues.python(scalar) }
    switch first {
    case .int: return first
    case .bool(let flag): return .int(flag ? 1 : 0)
    case .float(let number):
      if number.isNaN { throw PythonError.value("cannot convert float NaN to integer") }
      if number.isInfinite {
        throw PythonError.overflow("cannot convert float infinity to integer")
      }
      guard let value = Int64(exactly: number.rounded(.towardZero)) else {
        throw Operators.refuseOverflow("int(\(Printer.floatRepr(number)))")
      }
      return .int(value)
    case .str(let text):
      var base = 10
      if arguments.count > 1, let value = Operators.integer(arguments[1]) { base = Int(value) }
      var trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(
        of: "_", with: "")
      var negative = false
      if trimmed.hasPrefix("-") || trimmed.hasPrefix("+") {
        negative = trimmed.hasPrefix("-")
        trimmed.removeFirst()
      }
      let lowered = trimmed.lowercased()
      for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)]
      where lowered.hasPrefix(prefix) && (base == radix || base == 0) {
        trimmed = String(trimmed.dropFirst(2))
        base = radix
      }
      if base == 0 { base = 10 }
      guard let magnitude = Int64(trimmed, radix: base), !trimmed.hasPrefix("-"),
        !trimmed.hasPrefix("+")
      else {
        throw PythonError.value(
          "invalid literal for int() with base \(base): \(Printer.stringRepr(text))")
      }
      return .int(negative ? -magnitude : magnitude)
    default:
      throw PythonError.type(
        "int() argument must be a string, a bytes-like object or a real number, not '\(first.typeName)'"
      )
    }
  }

  static func float(_ arguments: [Value]) throws(PythonError) -> Value {
    guard var first = arguments.first else { return .float(0) }
    if let scalar = numpyScalar(first) { first = .float(scalar.real) }
    switch first {
    case .float: return first
    case .int(let number): return .float(Double(number))
    case .bool(let flag): return .float(flag ? 1 : 0)
    case .str(let text):
      let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
      switch trimmed {
      case "nan", "+nan", "-nan": return .float(.nan)
      case "inf", "+inf", "infinity", "+infinity": return .float(.infinity)
      case "-inf", "-infinity": return .float(-.infinity)
      default:
        guard let value = Double(trimmed.replacingOccurrences(of: "_", with: "")) else {
          throw PythonError.value("could not convert string to float: \(Printer.stringRepr(text))")
        }
        return .float(value)
      }
    default:
      throw PythonError.type(
        "float() argument must be a string or a real number, not '\(first.typeName)'")
    }
  }

  /// `round(x)` (half to even, an int) and `round(x, n)` (correctly rounded: CPython rounds the
  /// exact decimal value of the double, which `%.*f` does too).
  static func round(_ arguments: [Value], _ keywords: [(String, Value)]) throws(PythonError)
    -> Value
  {
    guard let first = arguments.first else {
      throw PythonError.type("round() missing required argument 'number' (pos 1)")
    }
    var digits: Value = .none
    if arguments.count > 1 { digits = arguments[1] }
    if let value = Builtins.keyword(keywords, "ndigits") { digits = value }
    if case .npScalar(let scalar) = first {
      // NumPy's __round__: a Python int without ndigits, else np.round's NumPy scalar.
      guard let n = Operators.integer(digits) else {
        return try round([ArrayValues.python(scalar)], [])
      }
      return ArrayValues.wrap(StridedArray.scalar(scalar).rounded(decimals: Int(n)))
    }
    switch first {
    case .int(let number):
      guard case .int(let n) = digits, n < 0 else { return .int(number) }
      let factor = Int64(Foundation.pow(10, Double(-n)))
      guard factor > 0 else { return .int(0) }
      let quotient = number / factor
      let remainder = number % factor
      var rounded = quotient
      if Swift.abs(remainder) * 2 > factor
        || (Swift.abs(remainder) * 2 == factor && quotient % 2 != 0)
      {
        rounded += number < 0 ? -1 : 1
      }
      return .int(rounded * factor)
    case .bool(let flag):
      return .int(flag ? 1 : 0)
    case .float(let number):
      if case .none = digits {
        if number.isNaN { throw PythonError.value("cannot convert float NaN to integer") }
        if number.isInfinite {
          throw PythonError.overflow("cannot convert float infinity to integer")
        }
        let rounded = number.rounded(.toNearestOrEven)
        guard let value = Int64(exactly: rounded) else {
          throw Operators.refuseOverflow("round(\(number))")
        }
        return .int(value)
      }
      guard let n = Operators.integer(digits) else {
        throw PythonError.type("'\(digits.typeName)' object cannot be interpreted as an integer")
      }
      if !number.isFinite { return .float(number) }
      if n > 300 { return .float(number) }
      if n >= 0 {
        let text = String(format: "%.*f", Int(n), number)
        return .float(Double(text) ?? number)
      }
      let factor = Foundation.pow(10.0, Double(-n))
      let rounded = (number / factor).rounded(.toNearestOrEven) * factor
      return .float(rounded)
    default:
      throw PythonError.type("type \(first.typeName) doesn't define __round__ method")
    }
  }

  /// The NumPy scalar a value holds (a NumPy scalar, or a one-element array), for `int()` and
  /// `float()`.
  static func numpyScalar(_ value: Value) -> ArrayScalar? {
    switch value {
    case .npScalar(let scalar): return scalar
    case .array(let object): return object.array.onlyElement
    default: return nil
    }
  }
}
