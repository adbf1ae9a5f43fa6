/// The elements that an array and all its views share (numpy.ndarray's data buffer).
///
/// float64 and bool elements live in `reals` (bool as 0/1, as `NDArray` keeps them), int64
/// elements in `integers`, exact over their whole range. Exactly one of the two is used. A
/// reference type on purpose: NumPy's views and aliases write to the same memory.
public final class ArrayStorage: @unchecked Sendable {
  /// float64 and bool elements. (Both element arrays skip the runtime's dynamic exclusivity
  /// checks, which cost more than a small array's arithmetic; NumPyKit never holds overlapping
  /// accesses to them.)
  @exclusivity(unchecked) public var reals: [Double]
  /// Integer elements (int64, and the narrower and unsigned types wrapped to their width).
  @exclusivity(unchecked) public var integers: [Int64]
  /// The ledger this storage is counted on, and how many bytes.
  private let ledger: MemoryLedger?
  private let bytes: Int

  /// Storage for float64 or bool elements.
  public init(reals: [Double]) {
    self.reals = reals
    self.integers = []
    ledger = MemoryLedger.current
    bytes = reals.count * MemoryLayout<Double>.stride
    ledger?.add(bytes)
  }

  /// Storage for the elements of an integer dtype (each wrapped to its width; see
  /// `DType.wrap`).
  public init(integers: [Int64]) {
    self.reals = []
    self.integers = integers
    ledger = MemoryLedger.current
    bytes = integers.count * MemoryLayout<Int64>.stride
    ledger?.add(bytes)
  }

  deinit { ledger?.remove(bytes) }
}

/// A NumPy array as NumPy holds one: a dtype, a shape, strides (in elements) and an offset
/// into shared storage. Slices, `.T`, `reshape` (where NumPy returns a view) and row
/// iteration make new `StridedArray`s over the same `ArrayStorage`, so a write through any
/// of them is seen by all, as in NumPy.
public struct StridedArray: @unchecked Sendable {
  public let storage: ArrayStorage
  public let dtype: DType
  public let shape: [Int]
  /// The step between neighbours along each axis, in elements (may be 0 or negative).
  public let strides: [Int]
  public let offset: Int

  /// A view over `storage`.
  public init(storage: ArrayStorage, dtype: DType, shape: [Int], strides: [Int], offset: Int) {
    self.storage = storage
    self.dtype = dtype
    self.shape = shape
    self.strides = strides
    self.offset = offset
  }

  /// A new C-contiguous float64 or bool array.
  public init(shape: [Int], reals: [Double], dtype: DType = .float64) {
    precondition(!dtype.isInteger && shape.reduce(1, *) == reals.count)
    self.init(
      storage: ArrayStorage(reals: reals), dtype: dtype, shape: shape,
      strides: shape.isEmpty ? [] : Shape.strides(shape), offset: 0)
  }

  /// A new C-contiguous float64 or bool array of `template`'s shape, sharing its shape and
  /// strides arrays when they are C order's (no allocation for them).
  init(like template: StridedArray, reals: [Double], dtype: DType = .float64) {
    precondition(!dtype.isInteger && template.count == reals.count)
    let strides = template.hasCStrides ? template.strides : Shape.strides(template.shape)
    self.init(
      storage: ArrayStorage(reals: reals), dtype: dtype, shape: template.shape, strides: strides,
      offset: 0)
  }

  /// The storage range of an array whose elements fill it without gaps in some axis order
  /// with positive strides (a C-contiguous array, its transpose, any permutation of its
  /// axes), nil otherwise.
  var denseBlock: Range<Int>? {
    let n = count
    guard n > 0 else { return nil }
    var axes = (0..<shape.count).filter { shape[$0] != 1 }
    axes.sort { strides[$0] > strides[$1] }
    var expected = 1
    for axis in axes.reversed() {
      if strides[axis] != expected { return nil }
      expected *= shape[axis]
    }
    return offset..<(offset + n)
  }

  /// A new array of this shape whose storage holds `reals` in this array's memory order
  /// (for a `denseBlock` array: the same strides, offset 0).
  func sameLayout(reals: [Double]) -> StridedArray {
    StridedArray(
      storage: ArrayStorage(reals: reals), dtype: .float64, shape: shape, strides: strides,
      offset: 0)
  }

  /// Whether the strides are exactly C order's for the shape (size-1 axes included).
  var hasCStrides: Bool {
    var expected = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      if strides[axis] != expected { return false }
      expected *= shape[axis]
    }
    return true
  }

  /// A new C-contiguous array of an integer dtype (int64 by default) whose elements are
  /// `integers`, already wrapped to the dtype's width.
  public init(shape: [Int], integers: [Int64], dtype: DType = .int64) {
    precondition(dtype.isInteger && shape.reduce(1, *) == integers.count)
    self.init(
      storage: ArrayStorage(integers: integers), dtype: dtype, shape: shape,
      strides: Shape.strides(shape), offset: 0)
  }

  /// A copy of an `NDArray` (int64 elements converted exactly from their doubles).
  public init(_ array: NDArray) {
    if array.dtype.isInteger {
      self.init(
        shape: array.shape, integers: array.scalars.map { Int64($0) }, dtype: array.dtype)
    } else {
      self.init(shape: array.shape, reals: array.scalars, dtype: array.dtype)
    }
  }

  /// A 0-d array of one value.
  public static func scalar(_ value: ArrayScalar) -> StridedArray {
    switch value {
    case .float64(let x): StridedArray(shape: [], reals: [x])
    case .float32(let x): StridedArray(shape: [], reals: [Double(x)], dtype: .float32)
    case .bool(let flag): StridedArray(shape: [], reals: [flag ? 1 : 0], dtype: .bool)
    case .int64(let n): StridedArray(shape: [], integers: [n])
    case .integer(let n, let dtype): StridedArray(shape: [], integers: [n], dtype: dtype)
    }
  }

  /// numpy.ndarray.ndim.
  public var ndim: Int { shape.count }
  /// numpy.ndarray.size.
  public var count: Int { shape.reduce(1, *) }

  /// Whether the elements are in C order without gaps (numpy's C_CONTIGUOUS flag).
  public var isContiguous: Bool {
    var expected = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
      if strides[axis] != expected { return false }
      expected *= shape[axis]
    }
    return true
  }

  /// Whether the elements are in Fortran order without gaps (numpy's F_CONTIGUOUS flag).
  public var isFortranContiguous: Bool {
    var expected = 1
    for axis in 0..<shape.count where shape[axis] != 1 {
      if strides[axis] != expected { return false }
      expected *= shape[axis]
    }
    return true
  }

  // MARK: - Element order

  /// The storage offsets of the elements in C order.
  public func offsets() -> [Int] {
    let n = count
    if n == 0 { return [] }
    if isContiguous { return Array(offset..<(offset + n)) }
    var result = [Int](repeating: 0, count: n)
    var index = [Int](repeating: 0, count: shape.count)
    var position = offset
    let rank = shape.count
    for k in 0..<n {
      result[k] = position
      var axis = rank - 1
      while axis >= 0 {
        index[axis] += 1
        position += strides[axis]
        if index[axis] < shape[axis] { break }
        position -= strides[axis] * shape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }

  /// The elements in C order, as doubles (int64 rounded to the nearest double, as NumPy casts).
  public func realValues() -> [Double] {
    if dtype.isInteger {
      let values = storage.integers
      let type = dtype
      if isContiguous { return values[offset..<(offset + count)].map { type.real($0) } }
      return offsets().map { type.real(values[$0]) }
    }
    if isContiguous {
      if offset == 0 && count == storage.reals.count { return storage.reals }
      return Array(storage.reals[offset..<(offset + count)])
    }
    if shape.count == 2 {
      // A transpose or a column slice: one pass over the rows, no offset list.
      let (rows, columns) = (shape[0], shape[1])
      let (rowStride, columnStride) = (strides[0], strides[1])
      let start = offset
      return storage.reals.withUnsafeBufferPointer { values in
        Self.makeReals(count: rows * columns) { out in
          var k = 0
          for i in 0..<rows {
            var position = start + i * rowStride
            for _ in 0..<columns {
              out[k] = values[position]
              position += columnStride
              k += 1
            }
          }
        }
      }
    }
    let values = storage.reals
    return offsets().map { values[$0] }
  }

  /// A new array of `count` doubles that `fill` writes (every one of them).
  ///
  /// Up to 512 elements, they are written to the stack and the array is made from them:
  /// `Array(unsafeUninitializedCapacity:)` allocates through the standard library's
  /// unspecialized `_allocateBufferUninitialized`, whose generic metadata lookup costs more
  /// than a small array's arithmetic (about 40 ns against 25 here), while making an array
  /// from a buffer allocates through code specialized for `Double`.
  @inline(__always)
  static func makeReals(count: Int, _ fill: (UnsafeMutableBufferPointer<Double>) -> Void)
    -> [Double]
  {
    if count <= 512 {
      return withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { buffer in
        fill(buffer)
        return Array(UnsafeBufferPointer(buffer))
      }
    }
    // From 4 MiB on, backed by huge pages where Linux has them, as NumPy's data is.
    return [Double](hugePageAdvisedCount: count, initializingWith: fill)
  }

  /// The elements in C order, as int64 (floats truncated toward zero, as `astype(int)`).
  public func integerValues() -> [Int64] {
    if dtype.isInteger {
      if isContiguous {
        if offset == 0 && count == storage.integers.count { return storage.integers }
        return Array(storage.integers[offset..<(offset + count)])
      }
      let values = storage.integers
      return offsets().map { values[$0] }
    }
    return realValues().map(ArrayScalar.truncatedInteger)
  }

  /// The element at a storage offset.
  public func element(at position: Int) -> ArrayScalar {
    switch dtype {
    case .float64: .float64(storage.reals[position])
    case .float32: .float32(Float(storage.reals[position]))
    case .bool: .bool(storage.reals[position] != 0)
    default: .of(storage.integers[position], dtype)
    }
  }

  /// The elements in C order.
  public func elements() -> [ArrayScalar] { offsets().map(element(at:)) }

  /// Writes a value (cast to this array's dtype) at a storage offset.
  public func setElement(_ value: ArrayScalar, at position: Int) {
    switch dtype {
    case .float64: storage.reals[position] = value.real
    case .float32: storage.reals[position] = Double(Float(value.real))
    case .bool: storage.reals[position] = value.isTrue ? 1 : 0
    default: storage.integers[position] = dtype.wrap(value.integer)
    }
  }

  /// A C-contiguous copy in new storage (numpy.ndarray.copy).
  public func copy() -> StridedArray {
    if dtype.isInteger {
      return StridedArray(shape: shape, integers: integerValues(), dtype: dtype)
    }
    return StridedArray(shape: shape, reals: realValues(), dtype: dtype)
  }

  /// The same elements as an `NDArray` (for the formatter and the BLAS-order kernels).
  public func ndarray() -> NDArray {
    var array = NDArray(unchecked: shape, scalars: realValues(), dtype: dtype)
    if dtype.isInteger { array.integers = integerValues() }
    return array
  }

  /// A copy converted to another dtype (numpy.ndarray.astype).
  public func converted(to target: DType) -> StridedArray {
    if target == dtype { return copy() }
    switch target {
    case .float64: return StridedArray(shape: shape, reals: realValues())
    case .float32:
      // From an integer or float64, the nearest float32 (int64 beyond 2^53 through its
      // exact value, which `Float(Int64)` rounds once, as NumPy's cast does).
      if dtype.isInteger {
        let type = dtype
        let values = integerValues().map { n in
          Double(type == .uint64 ? Float(UInt64(bitPattern: n)) : Float(n))
        }
        return StridedArray(shape: shape, reals: values, dtype: .float32)
      }
      return StridedArray(
        shape: shape, reals: realValues().map { Double(Float($0)) }, dtype: .float32)
    case .bool:
      let flags: [Double] =
        dtype.isInteger
        ? integerValues().map { $0 != 0 ? 1 : 0 } : realValues().map { $0 != 0 ? 1 : 0 }
      return StridedArray(shape: shape, reals: flags, dtype: .bool)
    default:
      if !dtype.isInteger {
        return StridedArray(shape: shape, integers: realValues().map(target.cast), dtype: target)
      }
      let values = integerValues()
      if target == .int64 || target == .uint64 {
        return StridedArray(shape: shape, integers: values, dtype: target)
      }
      return StridedArray(shape: shape, integers: values.map(target.wrap), dtype: target)
    }
  }

  /// The one element of a size-1 array (`float(a)`, `a.item()`), or nil.
  public var onlyElement: ArrayScalar? {
    guard count == 1 else { return nil }
    return element(at: offsets()[0])
  }
}

/// One element, as a NumPy scalar holds it (np.float64, np.int64, np.bool_, np.uint8 …).
public enum ArrayScalar: Sendable, Hashable {
  case float64(Double)
  case float32(Float)
  case int64(Int64)
  case bool(Bool)
  /// An element of an integer dtype other than int64, wrapped to its width (uint64 as its
  /// bit pattern); made through `of(_:_:)`, which keeps int64 as `.int64`.
  case integer(Int64, DType)

  /// The scalar of an integer dtype holding `value` (wrapped to the dtype's width).
  public static func of(_ value: Int64, _ dtype: DType) -> ArrayScalar {
    dtype == .int64 ? .int64(value) : .integer(dtype.wrap(value), dtype)
  }

  public var dtype: DType {
    switch self {
    case .float64: .float64
    case .float32: .float32
    case .int64: .int64
    case .bool: .bool
    case .integer(_, let dtype): dtype
    }
  }

  /// The value as a double (int64 rounded to nearest).
  public var real: Double {
    switch self {
    case .float64(let x): x
    case .float32(let x): Double(x)
    case .int64(let n): Double(n)
    case .bool(let flag): flag ? 1 : 0
    case .integer(let n, let dtype): dtype.real(n)
    }
  }

  /// The value as an int64 (a float truncated toward zero; NaN and out-of-range floats give
  /// NumPy's x86-64 result, Int64.min).
  public var integer: Int64 {
    switch self {
    case .float64(let x): ArrayScalar.truncatedInteger(x)
    case .float32(let x): ArrayScalar.truncatedInteger(Double(x))
    case .int64(let n), .integer(let n, _): n
    case .bool(let flag): flag ? 1 : 0
    }
  }

  /// Non-zero.
  public var isTrue: Bool {
    switch self {
    case .float64(let x): x != 0
    case .float32(let x): x != 0
    case .int64(let n), .integer(let n, _): n != 0
    case .bool(let flag): flag
    }
  }

  /// `float → int64` as NumPy's cast does on x86-64 (cvttsd2si: Int64.min when out of range).
  static func truncatedInteger(_ x: Double) -> Int64 {
    guard x.isFinite, x > -9_223_372_036_854_775_809.0, x < 9_223_372_036_854_775_808.0 else {
      return Int64.min
    }
    return Int64(x.rounded(.towardZero))
  }
}

extension Array {
  /// `Array(repeating: value, count: count)`, made for a small count from a buffer on the
  /// stack: `Array(repeating:count:)` allocates through the standard library's unspecialized
  /// `_allocateBufferUninitialized`, whose generic metadata lookup costs more than the
  /// allocation (see `StridedArray.makeReals`).
  @inlinable
  public static func filled(with value: Element, count: Int) -> [Element] {
    guard count <= 64 else { return Array(repeating: value, count: count) }
    return withUnsafeTemporaryAllocation(of: Element.self, capacity: count) { buffer in
      buffer.initialize(repeating: value)
      defer { buffer.deinitialize() }
      return Array(UnsafeBufferPointer(buffer))
    }
  }
}
