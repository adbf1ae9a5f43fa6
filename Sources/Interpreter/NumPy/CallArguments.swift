import NumPyKit

/// The arguments of one call to a NumPy function or method, read by position or keyword as
/// NumPy's signatures name them.
struct CallArguments {
  let function: String
  let positional: [Value]
  let keywords: [(String, Value)]

  init(_ function: String, _ positional: [Value], _ keywords: [(String, Value)]) {
    self.function = function
    self.positional = positional
    self.keywords = keywords
  }

  /// The argument at `index` or named `name`; nil when absent (or None, with `noneIsAbsent`).
  func value(_ index: Int?, _ name: String, noneIsAbsent: Bool = true) -> Value? {
    var found: Value?
    if let index, index < positional.count {
      found = positional[index]
    } else {
      found = keywords.first { $0.0 == name }?.1
    }
    if noneIsAbsent, case .none? = found { return nil }
    return found
  }

  func required(_ index: Int?, _ name: String) throws(PythonError) -> Value {
    guard let value = value(index, name, noneIsAbsent: false) else {
      throw PythonError.type(
        "\(function)() missing required argument '\(name)' (pos \((index ?? 0) + 1))")
    }
    return value
  }

  func array(_ index: Int?, _ name: String) throws(PythonError) -> StridedArray {
    try ArrayValues.array(try required(index, name))
  }

  func optionalArray(_ index: Int?, _ name: String) throws(PythonError) -> StridedArray? {
    guard let value = value(index, name) else { return nil }
    return try ArrayValues.array(value)
  }

  /// An optional operand of a ufunc beside an array of `partner`: a Python number is weak
  /// (NEP 50), so it takes the partner's dtype where it can.
  func optionalArray(_ index: Int?, _ name: String, beside partner: DType) throws(PythonError)
    -> StridedArray?
  {
    guard let value = value(index, name) else { return nil }
    return try ArrayValues.weak(value.unmarked, beside: partner)
  }

  func int(_ index: Int?, _ name: String) throws(PythonError) -> Int? {
    guard let value = value(index, name) else { return nil }
    if let n = Operators.integer(value) { return Int(n) }
    if case .npScalar(let scalar) = value, scalar.dtype.isInteger { return Int(scalar.integer) }
    throw PythonError.type("'\(value.typeName)' object cannot be interpreted as an integer")
  }

  func double(_ index: Int?, _ name: String) throws(PythonError) -> Double? {
    guard let value = value(index, name) else { return nil }
    if let x = Operators.number(value) { return x }
    if case .npScalar(let scalar) = value { return scalar.real }
    if case .array(let object) = value, let only = object.array.onlyElement { return only.real }
    throw PythonError.type("must be real number, not \(value.typeName)")
  }

  func bool(_ index: Int?, _ name: String, default fallback: Bool) throws(PythonError) -> Bool {
    guard let value = value(index, name) else { return fallback }
    switch value {
    case .bool(let flag): return flag
    case .int(let n): return n != 0
    case .npScalar(let scalar): return scalar.isTrue
    default: return true
    }
  }

  func string(_ index: Int?, _ name: String) -> String? {
    guard case .str(let text)? = value(index, name) else { return nil }
    return text
  }

  /// `axis=`: None (all axes), an int, or a tuple of ints.
  func axes(_ index: Int?, _ name: String = "axis") throws(PythonError) -> [Int]? {
    guard let value = value(index, name) else { return nil }
    if case .tuple(let items) = value {
      var axes: [Int] = []
      for item in items {
        guard let n = Operators.integer(item) else {
          throw PythonError.type("'\(item.typeName)' object cannot be interpreted as an integer")
        }
        axes.append(Int(n))
      }
      return axes
    }
    guard let n = try int(index, name) else { return nil }
    return [n]
  }

  func dtype(_ index: Int?, _ name: String = "dtype") throws(PythonError) -> DType? {
    guard let value = value(index, name) else { return nil }
    return try ArrayValues.dtype(value)
  }

  /// A `size=`/`shape=` argument: None (nil), an int or a tuple.
  func shape(_ index: Int?, _ name: String) throws(PythonError) -> [Int]? {
    guard let value = value(index, name) else { return nil }
    return try ArrayValues.shape(value)
  }

  /// Shape given as separate ints (`rand(2, 3)`, `reshape(2, 3)`) or one tuple.
  func variadicShape(from start: Int = 0) throws(PythonError) -> [Int] {
    guard start < positional.count else { return try ArrayValues.shape(.tuple([])) }
    if positional.count - start == 1 {
      switch positional[start] {
      case .tuple, .list: return try ArrayValues.shape(positional[start])
      default: break
      }
    }
    // The ints themselves (what `ArrayValues.shape` of their tuple reads, without the tuple).
    var shape: [Int] = []
    shape.reserveCapacity(positional.count - start)
    for item in positional[start...] {
      guard let n = Operators.integer(item) else {
        throw PythonError.type("'\(item.typeName)' object cannot be interpreted as an integer")
      }
      shape.append(Int(n))
    }
    try ArrayValues.checkBudget(shape)
    return shape
  }
}
