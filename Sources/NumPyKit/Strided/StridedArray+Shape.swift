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
      // A matrix's through array literals (whose storage metadata is cached; see
      // `Shape.strides`).
      if ndim == 2 {
        return StridedArray(
          storage: storage, dtype: dtype, shape: [shape[1], shape[0]],
          strides: [strides[1], strides[0]], offset: offset)
      }
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
    for axis in axes { result.append(try normalizedAxis(axis)) }
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
}
