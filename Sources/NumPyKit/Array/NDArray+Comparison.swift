// Elementwise comparisons (numpy.greater, less, ...): the result is a bool array holding
// 0/1, which multiplies as 0.0/1.0 (so `(Z2 > 0) * -1.2` gives -0.0 where false, as NumPy).
// NaN compares false (and `!=` true), as IEEE 754 and NumPy do.

extension NDArray {
  /// A bool array from a comparison, broadcasting as NumPy does.
  @inline(__always)
  private static func compare(
    _ a: NDArray, _ b: NDArray, _ test: (Double, Double) -> Bool
  ) throws(ArrayError) -> NDArray {
    try broadcasting(a, b, dtype: .bool) { test($0, $1) ? 1 : 0 }
  }

  /// `a > b` (numpy.greater) with broadcasting.
  public static func > (a: NDArray, b: NDArray) throws(ArrayError) -> NDArray {
    try compare(a, b) { $0 > $1 }
  }
  /// `a < b` (numpy.less) with broadcasting.
  public static func < (a: NDArray, b: NDArray) throws(ArrayError) -> NDArray {
    try compare(a, b) { $0 < $1 }
  }
  /// `a >= b` (numpy.greater_equal) with broadcasting.
  public static func >= (a: NDArray, b: NDArray) throws(ArrayError) -> NDArray {
    try compare(a, b) { $0 >= $1 }
  }
  /// `a <= b` (numpy.less_equal) with broadcasting.
  public static func <= (a: NDArray, b: NDArray) throws(ArrayError) -> NDArray {
    try compare(a, b) { $0 <= $1 }
  }
  /// Elementwise `a == b` (numpy.equal); named so because `==` is value equality in Swift.
  public func elementwiseEqual(_ other: NDArray) throws(ArrayError) -> NDArray {
    try NDArray.compare(self, other) { $0 == $1 }
  }
  /// Elementwise `a != b` (numpy.not_equal).
  public func elementwiseNotEqual(_ other: NDArray) throws(ArrayError) -> NDArray {
    try NDArray.compare(self, other) { $0 != $1 }
  }

  /// `a > x` with a Python number x (numpy.greater); the notebook's `Z2 > 0`.
  public static func > (a: NDArray, x: Double) -> NDArray {
    a.mapped(dtype: .bool) { $0 > x ? 1 : 0 }
  }
  /// `a < x` with a Python number x (numpy.less).
  public static func < (a: NDArray, x: Double) -> NDArray {
    a.mapped(dtype: .bool) { $0 < x ? 1 : 0 }
  }
  /// `a >= x` with a Python number x (numpy.greater_equal).
  public static func >= (a: NDArray, x: Double) -> NDArray {
    a.mapped(dtype: .bool) { $0 >= x ? 1 : 0 }
  }
  /// `a <= x` with a Python number x (numpy.less_equal).
  public static func <= (a: NDArray, x: Double) -> NDArray {
    a.mapped(dtype: .bool) { $0 <= x ? 1 : 0 }
  }
  /// Elementwise `a == x` with a Python number x (numpy.equal).
  public func elementwiseEqual(_ x: Double) -> NDArray {
    mapped(dtype: .bool) { $0 == x ? 1 : 0 }
  }
}
