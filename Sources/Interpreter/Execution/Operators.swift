import Foundation
import NumPyKit
import PythonSyntax

/// Python's arithmetic and comparison on built-in values: ints within 64 bits (a result beyond
/// them is a refusal, never a wrong number), floats as CPython computes them (`//` and `%` by
/// `fmod` with CPython's sign fix-ups, `**` by libm's `pow`), sequences' `+` and `*`.
enum Operators {
  static func refuseOverflow(_ what: String) -> PythonError {
    PythonError(refusal: "retrace's ints are 64-bit: \(what) is beyond them")
  }

  static func number(_ value: Value) -> Double? {
    switch value.unmarked {
    case .bool(let flag): return flag ? 1 : 0
    case .int(let number): return Double(number)
    case .float(let number): return number
    case .npScalar(let scalar): return scalar.real
    default: return nil
    }
  }

  static func integer(_ value: Value) -> Int64? {
    switch value.unmarked {
    case .bool(let flag): return flag ? 1 : 0
    case .int(let number): return number
    case .npScalar(.int64(let number)), .npScalar(.integer(let number, _)): return number
    case .npScalar(.bool(let flag)): return flag ? 1 : 0
    default: return nil
    }
  }

  static func isSequence(_ value: Value) -> Bool {
    switch value {
    case .str, .list, .tuple: true
    default: false
    }
  }

  static func unsupported(_ symbol: String, _ a: Value, _ b: Value) -> PythonError {
    PythonError.type(
      "unsupported operand type(s) for \(symbol): '\(a.typeName)' and '\(b.typeName)'")
  }

  static func binary(
    _ op: BinaryOperator, _ a: Value, _ b: Value, elementLimit: Int = defaultElementLimit
  ) throws(PythonError) -> Value {
    switch (a, b) {
    case (.int(let x), .int(let y)): return try integers(op, x, y, a, b)
    case (.float(let x), .float(let y)) where op != .bitAnd: return try floats(op, x, y, a, b)
    default: break
    }
    if a.unverifiableReason != nil || b.unverifiableReason != nil {
      let result = try binary(op, a.unmarked, b.unmarked, elementLimit: elementLimit)
      return Value.marking(result, from: [a, b])
    }
    if ArrayValues.isNumPy(a) || ArrayValues.isNumPy(b) {
      // A sequence times a NumPy integer repeats it (np.int64 has __index__, and `integer`
      // reads it): `'#' * np.int64(3)`.
      if op == .mult, isSequence(a) || isSequence(b), integer(a) != nil || integer(b) != nil {
        return try repeatSequence(a, b, limit: elementLimit)
      }
      return try NumPyOperators.binary(op, a, b)
    }
    if let x = integer(a), let y = integer(b) { return try integers(op, x, y, a, b) }
    if let x = number(a), let y = number(b) {
      if case .bitAnd = op { throw unsupported(op.symbol, a, b) }
      return try floats(op, x, y, a, b)
    }
    switch (op, a, b) {
    case (.add, .str(let x), .str(let y)): return .str(x + y)
    case (.add, .list(let x), .list(let y)): return .list(ListObject(x.items + y.items))
    case (.add, .tuple(let x), .tuple(let y)): return .tuple(x + y)
    case (.add, .str, _), (.add, .list, _), (.add, .tuple, _):
      if integer(b) != nil || number(b) != nil || b.typeName != a.typeName {
        if case .instance = b { throw unsupported(op.symbol, a, b) }
        throw PythonError.type(
          "can only concatenate \(a.typeName) (not \"\(b.typeName)\") to \(a.typeName)")
      }
      throw unsupported(op.symbol, a, b)
    case (.mult, .str, _), (.mult, _, .str), (.mult, .list, _), (.mult, _, .list),
      (.mult, .tuple, _), (.mult, _, .tuple):
      return try repeatSequence(a, b, limit: elementLimit)
    case (.mod, .str(let format), _):
      return .str(try PercentFormat.format(format, b))
    case (.bitOr, .dict(let x), .dict(let y)):
      let merged = DictObject()
      for (k, v) in zip(x.keys, x.values) { merged.set(k, try HashKey(k), v) }
      for (k, v) in zip(y.keys, y.values) { merged.set(k, try HashKey(k), v) }
      return .dict(merged)
    case (.bitOr, .set(let x), .set(let y)), (.bitAnd, .set(let x), .set(let y)),
      (.sub, .set(let x), .set(let y)), (.bitXor, .set(let x), .set(let y)):
      return .set(try setOperation(op, x, y))
    default:
      throw unsupported(op.symbol, a, b)
    }
  }

  static func inPlace(
    _ op: BinaryOperator, _ a: Value, _ b: Value, elementLimit: Int = defaultElementLimit
  ) throws(PythonError) -> Value {
    if a.unverifiableReason != nil || b.unverifiableReason != nil {
      let result = try inPlace(op, a.unmarked, b.unmarked, elementLimit: elementLimit)
      return Value.marking(result, from: [a, b])
    }
    if ArrayValues.isNumPy(a) || ArrayValues.isNumPy(b) {
      return try NumPyOperators.inPlace(op, a, b)
    }
    if case .add = op, case .list(let list) = a {
      guard case .list(let other) = b else {
        if case .tuple(let items) = b {
          list.items += items
          return a
        }
        throw PythonError.type("can only concatenate list (not \"\(b.typeName)\") to list")
      }
      list.items += other.items
      return a
    }
    return try binary(op, a, b, elementLimit: elementLimit)
  }

  static func setOperation(_ op: BinaryOperator, _ x: SetObject, _ y: SetObject)
    throws(PythonError) -> SetObject
  {
    let result = SetObject()
    switch op {
    case .bitOr:
      for item in x.items + y.items { result.insert(item, try HashKey(item)) }
    case .bitAnd:
      for item in x.items where y.contains(try HashKey(item)) {
        result.insert(item, try HashKey(item))
      }
    case .sub:
      for item in x.items where !y.contains(try HashKey(item)) {
        result.insert(item, try HashKey(item))
      }
    default:
      for item in x.items where !y.contains(try HashKey(item)) {
        result.insert(item, try HashKey(item))
      }
      for item in y.items where !x.contains(try HashKey(item)) {
        result.insert(item, try HashKey(item))
      }
    }
    return result
  }

  /// The longest string, list or tuple a repetition makes, unless the interpreter's limits say.
  static let defaultElementLimit = 50_000_000

  static func repeatSequence(_ a: Value, _ b: Value, limit: Int) throws(PythonError) -> Value {
    let (sequence, times): (Value, Int64)
    if let count = integer(b) {
      (sequence, times) = (a, count)
    } else if let count = integer(a) {
      (sequence, times) = (b, count)
    } else {
      throw PythonError.type("can't multiply sequence by non-int of type '\(b.typeName)'")
    }
    let n = Int(clamping: max(0, times))
    func fits(_ count: Int, _ what: String) throws(PythonError) {
      let (total, overflow) = count.multipliedReportingOverflow(by: n)
      guard !overflow && total <= limit else {
        let shown = FormatSpec.group(String(limit), by: 3, with: ",")
        throw PythonError(
          refusal: "a \(what) of more than \(shown) \(what == "string" ? "characters" : "items")")
      }
    }
    switch sequence {
    case .str(let text):
      try fits(text.count, "string")
      return .str(String(repeating: text, count: n))
    case .list(let list):
      try fits(list.items.count, "list")
      return .list(ListObject(Array([[Value]](repeating: list.items, count: n).joined())))
    case .tuple(let items):
      try fits(items.count, "tuple")
      return .tuple(Array([[Value]](repeating: items, count: n).joined()))
    default:
      throw unsupported("*", a, b)
    }
  }

  static func integers(_ op: BinaryOperator, _ x: Int64, _ y: Int64, _ a: Value, _ b: Value)
    throws(PythonError) -> Value
  {
    func checked(
      _ result: (partialValue: Int64, overflow: Bool), _ what: @autoclosure () -> String
    ) throws(PythonError) -> Value {
      if result.overflow { throw refuseOverflow(what()) }
      return .int(result.partialValue)
    }
    switch op {
    case .add: return try checked(x.addingReportingOverflow(y), "\(x) + \(y)")
    case .sub: return try checked(x.subtractingReportingOverflow(y), "\(x) - \(y)")
    case .mult: return try checked(x.multipliedReportingOverflow(by: y), "\(x) * \(y)")
    case .div:
      if y == 0 { throw PythonError.zeroDivision("division by zero") }
      return .float(Double(x) / Double(y))
    case .floorDiv:
      if y == 0 { throw PythonError.zeroDivision("integer division or modulo by zero") }
      if x == .min && y == -1 { throw refuseOverflow("\(x) // -1") }
      var quotient = x / y
      if (x % y != 0) && ((x < 0) != (y < 0)) { quotient -= 1 }
      return .int(quotient)
    case .mod:
      if y == 0 { throw PythonError.zeroDivision("integer modulo by zero") }
      if y == -1 { return .int(0) }
      var remainder = x % y
      if remainder != 0 && ((remainder < 0) != (y < 0)) { remainder += y }
      return .int(remainder)
    case .pow:
      if y < 0 {
        if x == 0 {
          throw PythonError.zeroDivision("0.0 cannot be raised to a negative power")
        }
        return .float(Foundation.pow(Double(x), Double(y)))
      }
      var result: Int64 = 1
      var base = x
      var exponent = y
      while exponent > 0 {
        if exponent & 1 == 1 {
          let (value, overflow) = result.multipliedReportingOverflow(by: base)
          if overflow { throw refuseOverflow("\(x) ** \(y)") }
          result = value
        }
        exponent >>= 1
        if exponent > 0 {
          let (square, overflow) = base.multipliedReportingOverflow(by: base)
          if overflow { throw refuseOverflow("\(x) ** \(y)") }
          base = square
        }
      }
      return .int(result)
    case .lShift:
      if y < 0 { throw PythonError.value("negative shift count") }
      if y >= 63 || (x != 0 && (x.magnitude.leadingZeroBitCount - 1) < Int(y)) {
        if x == 0 { return .int(0) }
        throw refuseOverflow("\(x) << \(y)")
      }
      return .int(x << y)
    case .rShift:
      if y < 0 { throw PythonError.value("negative shift count") }
      return .int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y)
    case .bitAnd:
      if case .bool(let p) = a, case .bool(let q) = b { return .bool(p && q) }
      return .int(x & y)
    case .bitOr:
      if case .bool(let p) = a, case .bool(let q) = b { return .bool(p || q) }
      return .int(x | y)
    case .bitXor:
      if case .bool(let p) = a, case .bool(let q) = b { return .bool(p != q) }
      return .int(x ^ y)
    case .matMult:
      throw unsupported("@", a, b)
    }
  }

  static func floats(_ op: BinaryOperator, _ x: Double, _ y: Double, _ a: Value, _ b: Value)
    throws(PythonError) -> Value
  {
    switch op {
    case .add: return .float(x + y)
    case .sub: return .float(x - y)
    case .mult: return .float(x * y)
    case .div:
      if y == 0 { throw PythonError.zeroDivision("float division by zero") }
      return .float(x / y)
    case .floorDiv:
      if y == 0 { throw PythonError.zeroDivision("float floor division by zero") }
      return .float(divmod(x, y).0)
    case .mod:
      if y == 0 { throw PythonError.zeroDivision("float modulo") }
      return .float(divmod(x, y).1)
    case .pow:
      if x == 0 && y < 0 {
        throw PythonError.zeroDivision("0.0 cannot be raised to a negative power")
      }
      if x < 0 && y != y.rounded() {
        throw PythonError(
          refusal: "retrace does not run complex numbers (a negative number to a fractional power)")
      }
      return .float(Foundation.pow(x, y))
    default:
      throw unsupported(op.symbol, a, b)
    }
  }

  /// CPython's `float_divmod` (NumPy's `npy_divmod` is the same algorithm; the caller has
  /// refused a zero divisor).
  static func divmod(_ vx: Double, _ wx: Double) -> (Double, Double) {
    let result = StridedArray.divmod(vx, wx)
    return (result.quotient, result.remainder)
  }

  static func unary(_ op: UnaryOperator, _ value: Value, truth: (Value) throws(PythonError) -> Bool)
    throws(PythonError) -> Value
  {
    if value.unverifiableReason != nil {
      return Value.marking(try unary(op, value.unmarked, truth: truth), from: [value])
    }
    switch op {
    case .not: return .bool(!(try truth(value)))
    case .uSub:
      if let x = integer(value) {
        if x == .min { throw refuseOverflow("-(\(x))") }
        return .int(-x)
      }
      if case .float(let x) = value { return .float(-x) }
    case .uAdd:
      if let x = integer(value) { return .int(x) }
      if case .float = value { return value }
    case .invert:
      if let x = integer(value) { return .int(~x) }
    }
    let symbol = op == .uSub ? "-" : (op == .uAdd ? "+" : "~")
    throw PythonError.type("bad operand type for unary \(symbol): '\(value.typeName)'")
  }

  static func equalScalars(_ a: Value, _ b: Value) -> Bool {
    let a = a.unmarked
    let b = b.unmarked
    if let x = integer(a), let y = integer(b) { return x == y }
    if let x = number(a), let y = number(b) { return x == y }
    switch (a, b) {
    case (.none, .none): return true
    case (.str(let x), .str(let y)): return x == y
    case (.range(let a1, let b1, let c1), .range(let a2, let b2, let c2)):
      // Ranges are equal as the sequences they stand for.
      let n1 = Ranges.count(a1, b1, c1)
      let n2 = Ranges.count(a2, b2, c2)
      if n1 != n2 { return false }
      if n1 == 0 { return true }
      if a1 != a2 { return false }
      return n1 == 1 || c1 == c2
    default: return identical(a, b)
    }
  }

  static func identical(_ a: Value, _ b: Value) -> Bool {
    switch (a.unmarked, b.unmarked) {
    case (.none, .none): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y && (-5...256).contains(x)
    case (.str(let x), .str(let y)): return x == y
    case (.list(let x), .list(let y)): return x === y
    case (.dict(let x), .dict(let y)): return x === y
    case (.set(let x), .set(let y)): return x === y
    case (.function(let x), .function(let y)): return x === y
    case (.classObject(let x), .classObject(let y)): return x === y
    case (.instance(let x), .instance(let y)): return x === y
    case (.module(let x), .module(let y)): return x === y
    case (.exceptionType(let x), .exceptionType(let y)): return x == y
    case (.builtin(let x), .builtin(let y)): return x.name == y.name
    case (.array(let x), .array(let y)): return x === y
    case (.native(let x), .native(let y)): return x === y
    case (.ellipsis, .ellipsis): return true
    default: return false
    }
  }

  static func order(_ op: ComparisonOperator, _ a: Value, _ b: Value) throws(PythonError) -> Bool {
    let symbols: [ComparisonOperator: String] = [.lt: "<", .ltE: "<=", .gt: ">", .gtE: ">="]
    func result(_ ordering: Int) -> Bool {
      switch op {
      case .lt: return ordering < 0
      case .ltE: return ordering <= 0
      case .gt: return ordering > 0
      default: return ordering >= 0
      }
    }
    if let x = integer(a), let y = integer(b) { return result(x < y ? -1 : (x == y ? 0 : 1)) }
    if let x = number(a), let y = number(b) {
      switch op {
      case .lt: return x < y
      case .ltE: return x <= y
      case .gt: return x > y
      default: return x >= y
      }
    }
    switch (a, b) {
    case (.str(let x), .str(let y)):
      let left = Array(x.unicodeScalars.map(\.value))
      let right = Array(y.unicodeScalars.map(\.value))
      return result(left.lexicographicallyPrecedes(right) ? -1 : (left == right ? 0 : 1))
    case (.set(let x), .set(let y)):
      var subset = true
      for item in x.items where !y.contains(try HashKey(item)) { subset = false }
      var superset = true
      for item in y.items where !x.contains(try HashKey(item)) { superset = false }
      switch op {
      case .ltE: return subset
      case .lt: return subset && x.items.count < y.items.count
      case .gtE: return superset
      default: return superset && x.items.count > y.items.count
      }
    case (.list(let x), .list(let y)):
      return try sequenceOrder(op, x.items, y.items)
    case (.tuple(let x), .tuple(let y)):
      return try sequenceOrder(op, x, y)
    default:
      throw PythonError.type(
        "'\(symbols[op] ?? "<")' not supported between instances of '\(a.typeName)' and '\(b.typeName)'"
      )
    }
  }

  static func sequenceOrder(_ op: ComparisonOperator, _ x: [Value], _ y: [Value])
    throws(PythonError) -> Bool
  {
    for (p, q) in zip(x, y) where !equalScalars(p, q) {
      return try order(op, p, q)
    }
    switch op {
    case .lt: return x.count < y.count
    case .ltE: return x.count <= y.count
    case .gt: return x.count > y.count
    default: return x.count >= y.count
    }
  }
}

/// `range` arithmetic.
enum Ranges {
  static func count(_ start: Int64, _ stop: Int64, _ step: Int64) -> Int64 {
    if step > 0 { return start < stop ? (stop - start - 1) / step + 1 : 0 }
    return start > stop ? (start - stop - 1) / (-step) + 1 : 0
  }

  static func contains(_ start: Int64, _ stop: Int64, _ step: Int64, _ value: Int64) -> Bool {
    if step > 0 {
      guard value >= start && value < stop else { return false }
    } else {
      guard value <= start && value > stop else { return false }
    }
    return (value - start) % step == 0
  }
}
