import CNumKernels

extension StridedArray {
  // MARK: - Views

  /// numpy.reshape: `-1` infers one extent; a view when the array is C-contiguous (as NumPy),
  /// otherwise a copy.
  public func reshaped(_ requested: [Int]) throws(ArrayError) -> StridedArray {
    var newShape = requested
    let unknown = newShape.indices.filter { newShape[$0] == -1 }
    if unknown.count > 1 { throw ArrayError("can only specify one unknown dimension") }
    if newShape.contains(where: { $0 < -1 }) {
      throw ArrayError("negative dimensions not allowed")
    }
    if let position = unknown.first {
      let known = newShape.enumerated().filter { $0.offset != position }.reduce(1) {
        $0 * $1.element
      }
      if known == 0 || count % known != 0 {
        throw ArrayError(
          "cannot reshape array of size \(count) into shape \(StridedArray.requestedShape(requested))"
        )
      }
      newShape[position] = count / known
    }
    guard newShape.reduce(1, *) == count else {
      throw ArrayError(
        "cannot reshape array of size \(count) into shape \(StridedArray.requestedShape(requested))"
      )
    }
    return (isContiguous ? self : copy()).reshapedView(newShape)
  }

  /// A C-order view with another shape of the same size (the array must be contiguous).
  func reshapedView(_ newShape: [Int]) -> StridedArray {
    StridedArray(
      storage: storage, dtype: dtype, shape: newShape, strides: Shape.strides(newShape),
      offset: offset)
  }

  /// A requested shape as NumPy's reshape error spells it: `(4,2)`, `(4,newaxis)`.
  static func requestedShape(_ shape: [Int]) -> String {
    let items = shape.map { $0 == -1 ? "newaxis" : String($0) }
    return items.count == 1 ? "(\(items[0]),)" : "(" + items.joined(separator: ",") + ")"
  }

  /// NumPy's spelling of a requested shape in messages: `(4,)`, `(2, 3)`.
  public static func shapeTuple(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  /// numpy.transpose / `.T` (axes reversed, or permuted as given): always a view.
  public func transposed(_ axes: [Int]? = nil) throws(ArrayError) -> StridedArray {
    let order: [Int]
    if let axes {
      guard axes.count == ndim else { throw ArrayError("axes don't match array") }
      order = axes.map { $0 < 0 ? $0 + ndim : $0 }
      guard Set(order).count == ndim, order.allSatisfy({ $0 >= 0 && $0 < ndim }) else {
        throw ArrayError("axes don't match array")
      }
    } else {
      // `.T`: the axes reversed (a 0-d or 1-d array's own shape and strides, shared).
      if ndim < 2 { return self }
      // Arrays made from reversed collections (not `map`, which grows its result through
      // the standard library's unspecialized buffer code).
      return StridedArray(
        storage: storage, dtype: dtype, shape: Array(shape.reversed()),
        strides: Array(strides.reversed()), offset: offset)
    }
    return StridedArray(
      storage: storage, dtype: dtype, shape: order.map { shape[$0] },
      strides: order.map { strides[$0] }, offset: offset)
  }

  /// numpy.swapaxes: a view.
  public func swappingAxes(_ a: Int, _ b: Int) throws(ArrayError) -> StridedArray {
    let axes = try reductionAxesAllowingRepeats([a, b])
    var order = Array(0..<ndim)
    order.swapAt(axes[0], axes[1])
    return try transposed(order)
  }

  func reductionAxesAllowingRepeats(_ axes: [Int]) throws(ArrayError) -> [Int] {
    var result: [Int] = []
    for axis in axes {
      let adjusted = axis < 0 ? axis + ndim : axis
      guard adjusted >= 0 && adjusted < ndim else {
        throw ArrayError(
          "axis \(axis) is out of bounds for array of dimension \(ndim)", kind: .axisError)
      }
      result.append(adjusted)
    }
    return result
  }

  /// numpy.ravel: a view when contiguous, else a C-order copy.
  public func ravel() -> StridedArray {
    (isContiguous ? self : copy()).reshapedView([count])
  }

  /// numpy.squeeze: drops axes of extent 1 (all, or the ones named).
  public func squeezed(_ axes: [Int]? = nil) throws(ArrayError) -> StridedArray {
    let drop: [Int]
    if let axes {
      drop = try reductionAxesAllowingRepeats(axes)
      for axis in drop where shape[axis] != 1 {
        throw ArrayError("cannot select an axis to squeeze out which has size not equal to one")
      }
    } else {
      drop = (0..<ndim).filter { shape[$0] == 1 }
    }
    let keep = (0..<ndim).filter { !drop.contains($0) }
    return StridedArray(
      storage: storage, dtype: dtype, shape: keep.map { shape[$0] },
      strides: keep.map { strides[$0] }, offset: offset)
  }

  /// numpy.expand_dims: a new axis of extent 1 at `axis`.
  public func expandingDims(_ axis: Int) throws(ArrayError) -> StridedArray {
    let position = axis < 0 ? axis + ndim + 1 : axis
    guard position >= 0 && position <= ndim else {
      throw ArrayError(
        "axis \(axis) is out of bounds for array of dimension \(ndim + 1)", kind: .axisError)
    }
    var newShape = shape
    var newStrides = strides
    newShape.insert(1, at: position)
    newStrides.insert(0, at: position)
    return StridedArray(
      storage: storage, dtype: dtype, shape: newShape, strides: newStrides, offset: offset)
  }

  /// The view with `axis` moved to the end.
  func movingAxisLast(_ axis: Int) -> StridedArray {
    var order = Array(0..<ndim)
    order.remove(at: axis)
    order.append(axis)
    return StridedArray(
      storage: storage, dtype: dtype, shape: order.map { shape[$0] },
      strides: order.map { strides[$0] }, offset: offset)
  }

  /// The view with the last axis moved to `axis`.
  func movingLastAxis(to axis: Int) -> StridedArray {
    var order = Array(0..<(ndim - 1))
    order.insert(ndim - 1, at: axis)
    return StridedArray(
      storage: storage, dtype: dtype, shape: order.map { shape[$0] },
      strides: order.map { strides[$0] }, offset: offset)
  }

  // MARK: - Copies

  /// numpy.concatenate along `axis` (nil: the arrays flattened); dtypes promote.
  public static func concatenate(_ arrays: [StridedArray], axis: Int?) throws(ArrayError)
    -> StridedArray
  {
    guard let first = arrays.first else {
      throw ArrayError("need at least one array to concatenate")
    }
    let parts = axis == nil ? arrays.map { $0.ravel() } : arrays
    let rank = parts[0].ndim
    guard rank > 0 else {
      throw ArrayError("zero-dimensional arrays cannot be concatenated")
    }
    let along = (axis ?? 0) < 0 ? (axis ?? 0) + rank : (axis ?? 0)
    guard along >= 0 && along < rank else {
      throw ArrayError(
        "axis \(axis ?? 0) is out of bounds for array of dimension \(rank)", kind: .axisError)
    }
    for (k, part) in parts.enumerated() {
      guard part.ndim == rank else {
        throw ArrayError(
          "all the input array dimensions except for the concatenation axis must match exactly, "
            + "but along dimension 0, the array at index 0 has \(rank) dimension(s) and the array "
            + "at index \(k) has \(part.ndim) dimension(s)")
      }
      for d in 0..<rank where d != along && part.shape[d] != parts[0].shape[d] {
        throw ArrayError(
          "all the input array dimensions except for the concatenation axis must match exactly, "
            + "but along dimension \(d), the array at index 0 has size \(parts[0].shape[d]) and "
            + "the array at index \(k) has size \(part.shape[d])")
      }
    }
    let dtype = parts.dropFirst().reduce(first.dtype) { DType.promoted($0, $1.dtype) }
    var shape = parts[0].shape
    shape[along] = parts.reduce(0) { $0 + $1.shape[along] }
    let outer = shape[..<along].reduce(1, *)
    let blocks = parts.map { $0.converted(to: dtype) }
    let blockSizes = blocks.map { $0.shape[along...].reduce(1, *) }
    if dtype.isInteger {
      let values = blocks.map { $0.integerValues() }
      var out: [Int64] = []
      out.reserveCapacity(shape.reduce(1, *))
      for o in 0..<outer {
        for (k, block) in values.enumerated() {
          out.append(contentsOf: block[(o * blockSizes[k])..<((o + 1) * blockSizes[k])])
        }
      }
      return StridedArray(shape: shape, integers: out, dtype: dtype)
    }
    let values = blocks.map { $0.realValues() }
    var out: [Double] = []
    out.reserveCapacity(shape.reduce(1, *))
    for o in 0..<outer {
      for (k, block) in values.enumerated() {
        out.append(contentsOf: block[(o * blockSizes[k])..<((o + 1) * blockSizes[k])])
      }
    }
    return StridedArray(shape: shape, reals: out, dtype: dtype)
  }

  /// numpy.stack: the arrays (all of one shape) joined along a new axis.
  public static func stack(_ arrays: [StridedArray], axis: Int) throws(ArrayError)
    -> StridedArray
  {
    guard let first = arrays.first else { throw ArrayError("need at least one array to stack") }
    for array in arrays where array.shape != first.shape {
      throw ArrayError("all input arrays must have the same shape")
    }
    let expanded = try arrays.map { (array) throws(ArrayError) in
      try array.expandingDims(axis)
    }
    let position = axis < 0 ? axis + first.ndim + 1 : axis
    return try concatenate(expanded, axis: position)
  }

  /// numpy.repeat(a, n, axis): each element (or slice along `axis`) `n` times.
  public func repeated(_ times: [Int], axis: Int?) throws(ArrayError) -> StridedArray {
    let source = axis == nil ? ravel() : self
    let along = axis == nil ? 0 : try source.reductionAxesAllowingRepeats([axis!])[0]
    let length = source.shape[along]
    let counts = times.count == 1 ? [Int](repeating: times[0], count: length) : times
    guard counts.count == length else {
      throw ArrayError(
        "operands could not be broadcast together with shape (\(length),) (\(times.count),)")
    }
    if counts.contains(where: { $0 < 0 }) {
      throw ArrayError("repeats may not contain negative values.")
    }
    var total = 0
    for count in counts {
      let (sum, overflow) = total.addingReportingOverflow(count)
      if overflow { throw .overBudget(source.shape) }
      total = sum
    }
    var resultShape = source.shape
    resultShape[along] = total
    try Shape.checkBudget(resultShape)
    var pieces: [StridedArray] = []
    for i in 0..<length {
      let slice = try StridedArray.read(
        source.select(
          Array(repeating: ArrayIndex.slice(nil, nil, nil), count: along) + [.slice(i, i + 1, 1)]))
      for _ in 0..<counts[i] { pieces.append(slice) }
    }
    if pieces.isEmpty {
      var shape = source.shape
      shape[along] = 0
      return source.dtype.isInteger
        ? StridedArray(shape: shape, integers: [], dtype: source.dtype)
        : StridedArray(shape: shape, reals: [], dtype: source.dtype)
    }
    return try StridedArray.concatenate(pieces, axis: along)
  }

  /// numpy.tile(a, reps).
  public func tiled(_ reps: [Int]) throws(ArrayError) -> StridedArray {
    let rank = Swift.max(ndim, reps.count)
    var source = self
    while source.ndim < rank { source = try source.expandingDims(0) }
    let repeats = [Int](repeating: 1, count: rank - reps.count) + reps
    var resultShape: [Int] = []
    for axis in 0..<rank {
      let (extent, overflow) = source.shape[axis].multipliedReportingOverflow(by: repeats[axis])
      if overflow { throw .overBudget(source.shape) }
      resultShape.append(extent)
    }
    try Shape.checkBudget(resultShape)
    for axis in 0..<rank where repeats[axis] != 1 {
      source = try StridedArray.concatenate(
        Array(repeating: source, count: repeats[axis]), axis: axis)
    }
    return source.isContiguous && source.storage !== storage ? source : source.copy()
  }

  // MARK: - Products

  /// A float64 matrix times a float64 matrix (both at least 2 wide where they are not
  /// contracted): OpenBLAS's dgemm order, each element one FMA chain over the contracted
  /// axis (see `NDArray.dot`), read in place from `a` whatever its strides and from `b`
  /// when its rows are contiguous (else from a C-order copy of `b`).
  static func matrixProduct(_ a: StridedArray, _ b: StridedArray) -> StridedArray {
    let (n, k, m) = (a.shape[0], a.shape[1], b.shape[1])
    let right = b.strides[1] == 1 ? b : StridedArray(shape: b.shape, reals: b.realValues())
    let out = a.storage.reals.withUnsafeBufferPointer { x in
      right.storage.reals.withUnsafeBufferPointer { y in
        makeReals(count: n * m) { c in
          retrace_gemm_fma(
            x.baseAddress! + a.offset, a.strides[0], a.strides[1],
            y.baseAddress! + right.offset, right.strides[0], c.baseAddress!, n, m, k)
        }
      }
    }
    return StridedArray(shape: [n, m], reals: out)
  }

  /// numpy.dot / `@` for 0-, 1- and 2-d operands: float64 in OpenBLAS's summation order
  /// (see `SummationOrder.openBLAS`), int64 exact with wrapping.
  public static func dot(_ a: StridedArray, _ b: StridedArray, matmul: Bool = false)
    throws(ArrayError) -> StridedArray
  {
    if matmul && (a.ndim == 0 || b.ndim == 0) {
      throw ArrayError(
        "matmul: Input operand \(a.ndim == 0 ? 0 : 1) does not have enough dimensions (has 0, "
          + "gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)")
    }
    if a.ndim == 0 || b.ndim == 0 { return try apply(.multiply, a, b) }
    if a.ndim > 2 && b.ndim <= 2 && a.shape[a.ndim - 1] == b.shape[0] {
      // A stack of matrices times one matrix or vector (dot and matmul agree here): each
      // row of the stack is a row of one product, so the stack is one tall matrix.
      let rows = try a.reshaped([-1, a.shape[a.ndim - 1]])
      let product = try dot(rows, b, matmul: matmul)
      return try product.reshaped(Array(a.shape.dropLast()) + Array(b.shape.dropFirst()))
    }
    if a.ndim > 2 || b.ndim > 2 {
      throw ArrayError(
        "retrace models dot and matmul of arrays of up to 2 dimensions, not shapes "
          + "\(Shape.text(a.shape)) and \(Shape.text(b.shape))")
    }
    let k = a.shape[a.ndim - 1]
    let kb = b.shape[0]
    guard k == kb else {
      if matmul {
        throw ArrayError(
          "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
            + "(n?,k),(k,m?)->(n?,m?) (size \(kb) is different from \(k))")
      }
      throw ArrayError(
        "shapes \(Shape.text(a.shape)) and \(Shape.text(b.shape)) not aligned: "
          + "\(k) (dim \(a.ndim - 1)) != \(kb) (dim 0)")
    }
    try Shape.checkBudget([a.ndim == 2 ? a.shape[0] : 1, b.ndim == 2 ? b.shape[1] : 1])
    let dtype = DType.promoted(a.dtype, b.dtype)
    if a.dtype == .float64, b.dtype == .float64, a.ndim == 2, b.ndim == 2, a.shape[0] > 1,
      b.shape[1] > 1, k > 0
    {
      return matrixProduct(a, b)
    }
    if dtype == .float64 {
      return StridedArray(try NDArray.dot(a.ndarray(), b.ndarray()))
    }
    let n = a.ndim == 2 ? a.shape[0] : 1
    let m = b.ndim == 2 ? b.shape[1] : 1
    var shape: [Int] = []
    if a.ndim == 2 { shape.append(n) }
    if b.ndim == 2 { shape.append(m) }
    let x = a.integerValues()
    let y = b.integerValues()
    var out = [Int64](repeating: 0, count: n * m)
    for i in 0..<n {
      for j in 0..<m {
        var acc: Int64 = 0
        for p in 0..<k { acc = acc &+ x[i * k + p] &* y[p * m + j] }
        out[i * m + j] = dtype.wrap(acc)
      }
    }
    if dtype == .bool {
      return StridedArray(shape: shape, reals: out.map { $0 != 0 ? 1 : 0 }, dtype: .bool)
    }
    return StridedArray(shape: shape, integers: out, dtype: dtype)
  }

  /// numpy.outer: `result[i, j] = a[i] * b[j]` over the flattened operands.
  public static func outer(_ a: StridedArray, _ b: StridedArray) throws(ArrayError)
    -> StridedArray
  {
    let column = try a.ravel().reshaped([a.count, 1])
    let row = try b.ravel().reshaped([1, b.count])
    return try apply(.multiply, column, row)
  }
}
