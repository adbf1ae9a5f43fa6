/// The element type of an `NDArray` (numpy.dtype): float64, or the bool arrays that
/// comparisons give, or int64. Every element is stored as a `Double`; bool is 0/1 and int64
/// values are exact up to 2^53 in magnitude.
public enum DType: String, Sendable, Hashable, CaseIterable {
  /// numpy.float64
  case float64
  /// numpy.float32. A `StridedArray` keeps its elements as doubles that are exactly float32
  /// values (each result rounded to float32 once, which for `+ - * /` and `sqrt` is the
  /// correctly rounded float32 result, as NumPy's float loops give: 53 ≥ 2·24 + 2 bits).
  case float32
  /// numpy.bool_ (stored as 0.0 / 1.0, so that `False * -1.2` is `-0.0` as in NumPy)
  case bool
  /// numpy.int64 (in `StridedArray`, exact over its whole range; in `NDArray`, exact while
  /// |value| ≤ 2^53)
  case int64
  /// The narrower and the unsigned integers. A `StridedArray` keeps their elements as int64
  /// values wrapped to the type's width (uint64 as its bit pattern), so its arithmetic wraps
  /// as NumPy's does; see `DType.wrap`.
  case int8, int16, int32
  case uint8, uint16, uint32, uint64
}

/// An n-dimensional array in C (row-major) order, with NumPy's semantics (numpy.ndarray).
///
/// A value type: copies are independent (copy on write). NumPy's in-place updates of a
/// caller's array (`W1 -= lr * g` inside a function) are modelled by `inout` parameters.
public struct NDArray: Sendable, Hashable {
  /// The extent of each axis (numpy.ndarray.shape); empty for a 0-d array.
  public var shape: [Int]
  /// The elements in C order; `scalars.count` is the product of `shape`.
  public var scalars: [Double]
  /// The element type (numpy.ndarray.dtype).
  public var dtype: DType
  /// The exact elements of an integer dtype in C order, where the array was made from them
  /// (a `StridedArray`'s); the printer prints these rather than `scalars`, which round beyond
  /// 2^53. Nil for every other array.
  public var integers: [Int64]? = nil

  /// Makes an array from its shape and C-order elements; `nil` when the count does not fit.
  public init?(shape: [Int], scalars: [Double], dtype: DType = .float64) {
    guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == scalars.count else { return nil }
    self.shape = shape
    self.scalars = scalars
    self.dtype = dtype
  }

  /// Makes an array whose count is known to fit its shape (checked in debug builds).
  public init(unchecked shape: [Int], scalars: [Double], dtype: DType = .float64) {
    assert(shape.reduce(1, *) == scalars.count, "shape \(shape) does not fit \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
    self.dtype = dtype
  }

  /// A 1-d float64 array (numpy.array([...])).
  public init(_ values: [Double]) {
    self.init(unchecked: [values.count], scalars: values)
  }

  /// A 0-d float64 array holding one value.
  public init(scalar: Double) {
    self.init(unchecked: [], scalars: [scalar])
  }

  /// The number of axes (numpy.ndarray.ndim).
  public var ndim: Int { shape.count }

  /// The number of elements (numpy.ndarray.size).
  public var count: Int { scalars.count }
}
