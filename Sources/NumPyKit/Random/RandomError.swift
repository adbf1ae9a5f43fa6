/// An error raised by NumPyKit's random streams, worded exactly as NumPy words the
/// exception (numpy.random raises `ValueError`, `OverflowError`, `TypeError` or `AxisError`).
///
/// `message` is NumPy's text, e.g. `Seed must be between 0 and 2**32 - 1` or `scale < 0`;
/// `description` prefixes the Python exception name (`ValueError: scale < 0`).
public struct RandomError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The Python exception class NumPy raises for this error.
  public enum Kind: String, Sendable, Hashable {
    /// Python's `ValueError`.
    case valueError = "ValueError"
    /// Python's `OverflowError`.
    case overflowError = "OverflowError"
    /// Python's `TypeError`.
    case typeError = "TypeError"
    /// NumPy's `AxisError` (a `ValueError`).
    case axisError = "AxisError"
  }

  /// The Python exception class NumPy raises.
  public var kind: Kind
  /// NumPy's message, word for word.
  public var message: String

  /// Makes an error of `kind` with NumPy's `message`.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// `ValueError: <message>`, as Python prints the exception's last line.
  public var description: String { "\(kind.rawValue): \(message)" }

  static let seedRange = RandomError(.valueError, "Seed must be between 0 and 2**32 - 1")
  static let emptySeed = RandomError(.valueError, "Seed must be non-empty")
  static let negativeDimensions = RandomError(.valueError, "negative dimensions are not allowed")
  static let arrayTooBig = RandomError(
    .valueError,
    "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.")
  static let negativeEntropy = RandomError(.valueError, "expected non-negative integer")
}

/// The element count of a NumPy `size` tuple (numpy.prod(size)); throws NumPy's
/// `negative dimensions are not allowed` for a negative extent.
func elementCount(_ shape: [Int]) throws(RandomError) -> Int {
  var count = 1
  for extent in shape {
    guard extent >= 0 else { throw RandomError.negativeDimensions }
    let (product, overflow) = count.multipliedReportingOverflow(by: extent)
    guard !overflow, product <= Int.max / 8 else { throw RandomError.arrayTooBig }
    count = product
  }
  return count
}

/// The smallest all-ones bit mask covering `max` (NumPy's `gen_mask`).
@inline(__always)
func bitMask(covering max: UInt64) -> UInt64 {
  var mask = max
  mask |= mask >> 1
  mask |= mask >> 2
  mask |= mask >> 4
  mask |= mask >> 8
  mask |= mask >> 16
  mask |= mask >> 32
  return mask
}
