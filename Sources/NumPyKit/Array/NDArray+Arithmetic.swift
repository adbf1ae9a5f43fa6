// Elementwise arithmetic with NumPy's broadcasting and type promotion.
//
// Operators between two arrays throw (`ArrayError`, NumPy's message) because NumPy rejects
// shapes that do not broadcast; one `try` covers a whole notebook expression:
//
//     let w1Grad = try yDiff * W3 * (Z2 > 0) * W2.T * (Z1.reshaped([4, 1]) > 0) * X
//
// A `Double` operand acts as a Python float (NumPy 2's weak scalar): the result is float64,
// and those operators never throw. bool arrays hold 0/1, so `False * -1.2` is `-0.0`.

import Foundation

extension NDArray {
  // MARK: - Methods

  /// Elementwise sum with broadcasting (numpy.add, `a + b`); bool + bool is logical or.
  public func adding(_ other: NDArray) throws(ArrayError) -> NDArray {
    let dtype = DType.promoted(self.dtype, other.dtype)
    if dtype == .bool {
      return try NDArray.broadcasting(self, other, dtype: .bool) { $0 != 0 || $1 != 0 ? 1 : 0 }
    }
    return try NDArray.broadcasting(self, other, dtype: dtype) { $0 + $1 }
  }

  /// Elementwise difference with broadcasting (numpy.subtract, `a - b`).
  ///
  /// - Throws: NumPy's TypeError text for bool - bool, or a broadcast error.
  public func subtracting(_ other: NDArray) throws(ArrayError) -> NDArray {
    let dtype = DType.promoted(self.dtype, other.dtype)
    if dtype == .bool { throw .booleanSubtract }
    return try NDArray.broadcasting(self, other, dtype: dtype) { $0 - $1 }
  }

  /// Elementwise product with broadcasting (numpy.multiply, `a * b`); bool * bool is
  /// logical and; bool * float64 multiplies 0.0/1.0, so a False times a negative is -0.0.
  public func multiplying(_ other: NDArray) throws(ArrayError) -> NDArray {
    let dtype = DType.promoted(self.dtype, other.dtype)
    if dtype == .bool {
      return try NDArray.broadcasting(self, other, dtype: .bool) { $0 != 0 && $1 != 0 ? 1 : 0 }
    }
    if dtype == .int64 {
      // Integers have no -0: `0 * -5` is 0.
      return try NDArray.broadcasting(self, other, dtype: .int64) { $0 * $1 + 0 }
    }
    return try NDArray.broadcasting(self, other, dtype: dtype) { $0 * $1 }
  }

  /// Elementwise true division with broadcasting (numpy.true_divide, `a / b`); always float64.
  public func dividing(by other: NDArray) throws(ArrayError) -> NDArray {
    try NDArray.broadcasting(self, other, dtype: .float64) { $0 / $1 }
  }

  /// Elementwise negation (numpy.negative, `-a`).
  ///
  /// - Throws: NumPy's TypeError text for a bool array.
  public func negated() throws(ArrayError) -> NDArray {
    if dtype == .bool { throw .booleanNegative }
    return dtype == .int64 ? mapped(dtype: .int64) { 0 - $0 } : mapped(dtype: dtype) { -$0 }
  }

  /// `a ** 2` (numpy.square): NumPy computes `x * x`, and so does this, bit for bit.
  ///
  /// bool arrays give int64 here where NumPy gives int8 (values 0 and 1 either way).
  public func squared() -> NDArray {
    mapped(dtype: dtype == .float64 ? .float64 : .int64) { $0 * $0 }
  }

  /// `a ** exponent` for the exponents NumPy special-cases bit for bit (numpy.power with a
  /// scalar): 2 is `x * x` (numpy.square), 1 is a copy, 0 is ones; others use `pow`.
  public func power(_ exponent: Int) -> NDArray {
    switch exponent {
    case 2: return squared()
    case 1: return mapped(dtype: dtype == .float64 ? .float64 : .int64) { $0 }
    case 0: return mapped(dtype: dtype == .float64 ? .float64 : .int64) { _ in 1 }
    default:
      let e = Double(exponent)
      return mapped(dtype: .float64) { Foundation.pow($0, e) }
    }
  }

  /// Elementwise maximum with broadcasting (numpy.maximum): a NaN in either operand
  /// propagates (the first one wins); when the two compare equal (0.0 and -0.0) the second
  /// operand is returned, so `maximum(0, -0.0)` is -0.0 and `maximum(-0.0, 0)` is 0.0.
  public static func maximum(_ a: NDArray, _ b: NDArray) throws(ArrayError) -> NDArray {
    try broadcasting(a, b, dtype: DType.promoted(a.dtype, b.dtype)) { maximumScalar($0, $1) }
  }

  /// numpy.maximum of a Python float and an array (e.g. the notebook's `np.maximum(0, a)`).
  public static func maximum(_ a: Double, _ b: NDArray) -> NDArray {
    b.mapped(dtype: .float64) { maximumScalar(a, $0) }
  }

  /// numpy.maximum of an array and a Python float.
  public static func maximum(_ a: NDArray, _ b: Double) -> NDArray {
    a.mapped(dtype: .float64) { maximumScalar($0, b) }
  }

  /// NumPy's scalar maximum: NaN propagates, ties (signed zeros) give the second operand.
  @inline(__always)
  static func maximumScalar(_ a: Double, _ b: Double) -> Double {
    if a.isNaN { return a }
    if b.isNaN { return b }
    return a > b ? a : b
  }

  // MARK: - Operators between arrays (throwing)

  /// `a + b` (numpy.add); see `adding(_:)`.
  public static func + (a: NDArray, b: NDArray) throws(ArrayError) -> NDArray {
    try a.adding(b)
  }

  /// `a - b` (numpy.subtract); see `subtracting(_:)`.
  public static func - (a: NDArray, b: NDArray) throws(ArrayError) -> NDArray {
    try a.subtracting(b)
  }

  /// `a * b` (numpy.multiply); see `multiplying(_:)`.
  public static func * (a: NDArray, b: NDArray) throws(ArrayError) -> NDArray {
    try a.multiplying(b)
  }

  /// `a / b` (numpy.true_divide); see `dividing(by:)`.
  public static func / (a: NDArray, b: NDArray) throws(ArrayError) -> NDArray {
    try a.dividing(by: b)
  }

  /// `-a` (numpy.negative); throws for bool arrays as NumPy does.
  public static prefix func - (a: NDArray) throws(ArrayError) -> NDArray {
    try a.negated()
  }

  // MARK: - Operators with a Python float (never throw; float64 result)

  /// `a + x` with a Python float x (numpy.add; float64). Computed as `x + a`, as NumPy's
  /// loop does: when both are NaN, the scalar's NaN is the one kept.
  public static func + (a: NDArray, x: Double) -> NDArray { a.mapped(dtype: .float64) { x + $0 } }
  /// `x + a` with a Python float x (numpy.add; float64).
  public static func + (x: Double, a: NDArray) -> NDArray { a.mapped(dtype: .float64) { x + $0 } }
  /// `a - x` with a Python float x (numpy.subtract; float64).
  public static func - (a: NDArray, x: Double) -> NDArray { a.mapped(dtype: .float64) { $0 - x } }
  /// `x - a` with a Python float x (numpy.subtract; float64).
  public static func - (x: Double, a: NDArray) -> NDArray { a.mapped(dtype: .float64) { x - $0 } }
  /// `a * x` with a Python float x (numpy.multiply; float64). Computed as `x * a`, as NumPy's
  /// loop does: when both are NaN, the scalar's NaN is the one kept.
  public static func * (a: NDArray, x: Double) -> NDArray { a.mapped(dtype: .float64) { x * $0 } }
  /// `x * a` with a Python float x (numpy.multiply; float64).
  public static func * (x: Double, a: NDArray) -> NDArray { a.mapped(dtype: .float64) { x * $0 } }
  /// `a / x` with a Python float x (numpy.true_divide; float64).
  public static func / (a: NDArray, x: Double) -> NDArray { a.mapped(dtype: .float64) { $0 / x } }
  /// `x / a` with a Python float x (numpy.true_divide; float64).
  public static func / (x: Double, a: NDArray) -> NDArray { a.mapped(dtype: .float64) { x / $0 } }

  // MARK: - In-place operators (mutate; the left operand never grows)

  /// `a += b` (numpy.add with out=a): `b` broadcasts to `a`'s shape, never the reverse.
  ///
  /// - Throws: "non-broadcastable output operand with shape (3,) doesn't match the broadcast
  ///   shape (4,3)", NumPy's broadcast error, or its same_kind casting error.
  public static func += (a: inout NDArray, b: NDArray) throws(ArrayError) {
    let type = DType.promoted(a.dtype, b.dtype)
    try a.updateInPlace(b, ufunc: "add", resultType: type) { $0 + $1 }
  }

  /// `a -= b` (numpy.subtract with out=a); the notebook's `W1 -= lr * W1_grad`.
  public static func -= (a: inout NDArray, b: NDArray) throws(ArrayError) {
    let type = DType.promoted(a.dtype, b.dtype)
    if type == .bool { throw .booleanSubtract }
    try a.updateInPlace(b, ufunc: "subtract", resultType: type) { $0 - $1 }
  }

  /// `a -= x * b` (a Python float times an array, subtracted in place: the SGD step
  /// `W1 -= lr * W1_grad`) without the temporary `x * b`. Each element is rounded twice, the
  /// product and then the difference, exactly as NumPy's two ufuncs round it.
  public mutating func subtract(_ x: Double, times b: NDArray) throws(ArrayError) {
    let type = DType.promoted(dtype, .float64)
    if b.dtype == .bool || dtype == .bool || b.shape != shape {
      try self -= x * b
      return
    }
    try updateInPlace(b, ufunc: "subtract", resultType: type) { $0 - x * $1 }
  }

  /// `a *= b` (numpy.multiply with out=a).
  public static func *= (a: inout NDArray, b: NDArray) throws(ArrayError) {
    let type = DType.promoted(a.dtype, b.dtype)
    if type == .int64 {
      try a.updateInPlace(b, ufunc: "multiply", resultType: type) { $0 * $1 + 0 }
    } else {
      try a.updateInPlace(b, ufunc: "multiply", resultType: type) { $0 * $1 }
    }
  }

  /// `a /= b` (numpy.true_divide with out=a); only float64 arrays can hold the result.
  public static func /= (a: inout NDArray, b: NDArray) throws(ArrayError) {
    try a.updateInPlace(b, ufunc: "divide", resultType: .float64) { $0 / $1 }
  }

  /// `a += x` with a Python float x.
  public static func += (a: inout NDArray, x: Double) throws(ArrayError) {
    try a += NDArray(scalar: x)
  }

  /// `a -= x` with a Python float x.
  public static func -= (a: inout NDArray, x: Double) throws(ArrayError) {
    try a -= NDArray(scalar: x)
  }

  /// `a *= x` with a Python float x.
  public static func *= (a: inout NDArray, x: Double) throws(ArrayError) {
    try a *= NDArray(scalar: x)
  }
}

extension ArrayError {
  /// NumPy's TypeError for `bool - bool`.
  static let booleanSubtract = ArrayError(
    "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, "
      + "the `^` operator, or the logical_xor function instead.")

  /// NumPy's TypeError for `-bool`.
  static let booleanNegative = ArrayError(
    "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator "
      + "or the logical_not function instead.")
}
