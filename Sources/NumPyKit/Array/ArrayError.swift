/// An operation NumPy would reject, with NumPy's own message (the `str()` of its exception).
///
/// The one error type of `NumPyKit/Array`. `message` is NumPy's text byte for byte, including
/// the trailing space of "operands could not be broadcast together with shapes (4,3) (5,) ".
public struct ArrayError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The Python exception class NumPy raises for this failure.
  public enum Kind: String, Sendable, Equatable {
    case valueError = "ValueError"
    case indexError = "IndexError"
    case typeError = "TypeError"
    /// numpy.exceptions UFuncTypeError (a TypeError): no loop, or an output cast refused.
    case ufuncTypeError = "UFuncTypeError"
    /// numpy.exceptions AxisError (a ValueError and an IndexError).
    case axisError = "AxisError"
    case overflowError = "OverflowError"
    /// Not NumPy's: a result beyond retrace's element budget (`Shape.elementBudget`), which
    /// the interpreter reports as a refusal, before anything is allocated.
    case budget = "budget"
    /// Not NumPy's: something NumPy does that retrace does not model (a float16 or float32
    /// result, say), which the interpreter reports as a refusal rather than guess.
    case unmodelled = "unmodelled"
  }

  /// NumPy's message for the same failure (ValueError / TypeError / UFuncTypeError text).
  public let message: String
  /// Which exception NumPy raises (ValueError unless said otherwise).
  public let kind: Kind

  /// Makes an error carrying NumPy's message.
  public init(_ message: String, kind: Kind = .valueError) {
    self.message = message
    self.kind = kind
  }

  /// The message, as NumPy's `str(e)` prints it.
  public var description: String { message }

  /// A result of `shape` beyond retrace's element budget.
  static func overBudget(_ shape: [Int]) -> ArrayError {
    ArrayError(
      "an array of shape \(StridedArray.shapeTuple(shape)) is beyond retrace's element budget "
        + "(\(Shape.elementBudget) elements)", kind: .budget)
  }

  /// NumPy's float result of a ufunc on small integers or bools: float16 from bool, int8 and
  /// uint8, float32 from int16 and uint16 (the smallest float that holds them), which retrace
  /// does not model.
  static func smallFloatResult(_ ufunc: String, _ input: DType) -> ArrayError {
    let result = input.itemSize == 1 ? "float16" : "float32"
    return ArrayError(
      "retrace does not model numpy.\(ufunc) of \(input.rawValue) arrays (NumPy gives \(result), "
        + "which retrace does not model); cast to float64 first", kind: .unmodelled)
  }

  /// "operands could not be broadcast together with shapes (4,3) (5,) " (numpy ValueError).
  static func notBroadcastable(_ shapes: [[Int]]) -> ArrayError {
    let listed = shapes.map { Shape.text($0) + " " }.joined()
    return ArrayError("operands could not be broadcast together with shapes \(listed)")
  }

  /// "non-broadcastable output operand with shape (3,) doesn't match the broadcast shape (4,3)".
  static func nonBroadcastableOutput(_ output: [Int], _ broadcast: [Int]) -> ArrayError {
    ArrayError(
      "non-broadcastable output operand with shape \(Shape.text(output)) "
        + "doesn't match the broadcast shape \(Shape.text(broadcast))")
  }
}
