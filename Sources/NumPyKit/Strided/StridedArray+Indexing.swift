/// One item of a NumPy index expression (`a[1, :, None, ..., idx]`).
public enum ArrayIndex: Sendable {
  case integer(Int)
  /// start, stop, step as written (nil where omitted).
  case slice(Int?, Int?, Int?)
  case newAxis
  case ellipsis
  /// An integer array (fancy indexing) or a boolean mask.
  case array(StridedArray)
}

/// What an index selects: a view (basic indexing) or a gathered set of elements (advanced).
public enum Selection {
  case view(StridedArray)
  /// The result's shape and, in C order, the storage offsets of its elements in `source`.
  case gathered(source: StridedArray, shape: [Int], offsets: [Int])
}

extension StridedArray {
  /// `a[index]`: a view for basic indexing, a new array for advanced indexing (NumPy's rules,
  /// NumPy's IndexError messages).
  public func select(_ index: [ArrayIndex]) throws(ArrayError) -> Selection {
    var items = index
    // Boolean masks become one integer array per axis they cover (numpy.nonzero).
    var expanded: [ArrayIndex] = []
    var axisCursor = 0
    let consumed = items.reduce(0) { total, item in
      switch item {
      case .integer, .slice: return total + 1
      case .array(let array): return total + (array.dtype == .bool ? max(array.ndim, 0) : 1)
      case .newAxis, .ellipsis: return total
      }
    }
    let ellipses = items.filter { if case .ellipsis = $0 { return true } else { return false } }
    if ellipses.count > 1 {
      throw ArrayError("an index can only have a single ellipsis ('...')", kind: .indexError)
    }
    if consumed > ndim {
      throw ArrayError(
        "too many indices for array: array is \(ndim)-dimensional, but \(consumed) were indexed",
        kind: .indexError)
    }
    if ellipses.isEmpty { items.append(.ellipsis) }
    for item in items {
      switch item {
      case .ellipsis:
        let fill = ndim - consumed
        for _ in 0..<fill { expanded.append(.slice(nil, nil, nil)) }
        axisCursor += fill
      case .array(let mask) where mask.dtype == .bool:
        if mask.ndim == 0 {
          throw ArrayError(
            "retrace does not model indexing with a 0-d boolean", kind: .indexError)
        }
        for (k, extent) in mask.shape.enumerated() where axisCursor + k < ndim {
          if shape[axisCursor + k] != extent {
            throw ArrayError(
              "boolean index did not match indexed array along axis \(axisCursor + k); size of "
                + "axis is \(shape[axisCursor + k]) but size of corresponding boolean axis is "
                + "\(extent)", kind: .indexError)
          }
        }
        for coordinates in mask.nonzero() {
          expanded.append(.array(StridedArray(shape: [coordinates.count], integers: coordinates)))
        }
        axisCursor += mask.ndim
      case .integer, .slice, .array:
        expanded.append(item)
        axisCursor += 1
      case .newAxis:
        expanded.append(item)
      }
    }

    // Basic indexing first; advanced items keep their axis (a full slice) for the gather.
    var newShape: [Int] = []
    var newStrides: [Int] = []
    var newOffset = offset
    var axis = 0
    var advanced: [(axis: Int, index: StridedArray)] = []
    for item in expanded {
      switch item {
      case .integer(let i):
        let extent = shape[axis]
        let adjusted = i < 0 ? i + extent : i
        guard adjusted >= 0 && adjusted < extent else {
          throw ArrayError(
            "index \(i) is out of bounds for axis \(axis) with size \(extent)", kind: .indexError)
        }
        newOffset += adjusted * strides[axis]
        axis += 1
      case .slice(let start, let stop, let step):
        let (first, length, stepValue) = try StridedArray.sliceRange(
          start, stop, step, extent: shape[axis])
        newOffset += first * strides[axis]
        newShape.append(length)
        newStrides.append(strides[axis] * stepValue)
        axis += 1
      case .newAxis:
        newShape.append(1)
        newStrides.append(0)
      case .array(let indices):
        guard indices.dtype.isInteger || indices.count == 0 else {
          throw ArrayError(
            "arrays used as indices must be of integer (or boolean) type", kind: .indexError)
        }
        advanced.append((newShape.count, indices))
        newShape.append(shape[axis])
        newStrides.append(strides[axis])
        axis += 1
      case .ellipsis:
        break
      }
    }
    let view = StridedArray(
      storage: storage, dtype: dtype, shape: newShape, strides: newStrides, offset: newOffset)
    if advanced.isEmpty { return .view(view) }
    return try view.gather(advanced)
  }

  /// The elements an advanced index picks out of this (already basic-indexed) view.
  private func gather(_ advanced: [(axis: Int, index: StridedArray)]) throws(ArrayError)
    -> Selection
  {
    var broadcastShape = advanced[0].index.shape
    for item in advanced.dropFirst() {
      guard let shape = Shape.broadcastIfPossible(broadcastShape, item.index.shape) else {
        let listed = advanced.map { Shape.text($0.index.shape) }.joined(separator: " ")
        throw ArrayError(
          "shape mismatch: indexing arrays could not be broadcast together with shapes \(listed) ",
          kind: .indexError)
      }
      broadcastShape = shape
    }
    let indexCount = broadcastShape.reduce(1, *)
    // Each index array's values, broadcast, validated and turned into storage steps.
    var steps = [Int](repeating: 0, count: indexCount)
    for item in advanced {
      let extent = shape[item.axis]
      let values = item.index.broadcastValues(to: broadcastShape)
      for k in 0..<indexCount {
        let i = Int(values[k])
        let adjusted = i < 0 ? i + extent : i
        guard adjusted >= 0 && adjusted < extent else {
          throw ArrayError(
            "index \(i) is out of bounds for axis \(item.axis) with size \(extent)",
            kind: .indexError)
        }
        steps[k] += adjusted * strides[item.axis]
      }
    }
    let advancedAxes = advanced.map(\.axis)
    let adjacent = zip(advancedAxes, advancedAxes.dropFirst()).allSatisfy { $1 == $0 + 1 }
    let rest = (0..<ndim).filter { !advancedAxes.contains($0) }
    // The result's axes: the index's broadcast axes (at the first advanced axis when the
    // advanced items are adjacent, else first), then the remaining axes of the view.
    let insertAt = adjacent ? rest.filter { $0 < advancedAxes[0] }.count : 0
    var resultShape = rest.map { shape[$0] }
    resultShape.insert(contentsOf: broadcastShape, at: insertAt)
    let restShape = rest.map { shape[$0] }
    let restStrides = rest.map { strides[$0] }
    let restView = StridedArray(
      storage: storage, dtype: dtype, shape: restShape, strides: restStrides, offset: offset)
    let restOffsets = restView.offsets()
    let before = restShape[..<insertAt].reduce(1, *)
    let after = restOffsets.count / max(before, 1)
    var offsets: [Int] = []
    offsets.reserveCapacity(before * indexCount * after)
    if restOffsets.isEmpty && restShape.reduce(1, *) != 0 {
      offsets = steps.map { offset + $0 }
    } else {
      for b in 0..<before {
        for k in 0..<indexCount {
          for a in 0..<after { offsets.append(restOffsets[b * after + a] + steps[k]) }
        }
      }
    }
    return .gathered(source: self, shape: resultShape, offsets: offsets)
  }

  /// Integer values of this array broadcast to `target` (C order).
  func broadcastValues(to target: [Int]) -> [Int64] {
    let view = broadcast(to: target)
    return view.integerValues()
  }

  /// A read-only broadcast view (0 strides on stretched axes); `target` must be compatible.
  public func broadcast(to target: [Int]) -> StridedArray {
    let extra = target.count - ndim
    var newStrides = [Int](repeating: 0, count: target.count)
    for axis in 0..<ndim where shape[axis] != 1 || target[axis + extra] == 1 {
      newStrides[axis + extra] = shape[axis] == 1 ? 0 : strides[axis]
    }
    return StridedArray(
      storage: storage, dtype: dtype, shape: target, strides: newStrides, offset: offset)
  }

  /// `a[mask] = value` for a float64 array and a bool mask of its shape, both C-contiguous, in
  /// one pass; false (nothing written) for any other operands, which take `select` and
  /// `write`.
  public func fill(_ value: Double, where mask: StridedArray) -> Bool {
    guard dtype == .float64, mask.dtype == .bool, mask.shape == shape, isContiguous,
      mask.isContiguous
    else { return false }
    let flags = mask.storage.reals
    for k in 0..<count where flags[mask.offset + k] != 0 { storage.reals[offset + k] = value }
    return true
  }

  /// The coordinates of the non-zero elements, one array per axis (numpy.nonzero).
  public func nonzero() -> [[Int64]] {
    var result = [[Int64]](repeating: [], count: max(ndim, 1))
    let positions = offsets()
    var index = [Int](repeating: 0, count: ndim)
    for position in positions {
      if element(at: position).isTrue {
        for axis in 0..<ndim { result[axis].append(Int64(index[axis])) }
        if ndim == 0 { result[0].append(0) }
      }
      var axis = ndim - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < shape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }

  /// A slice's start, stop and step over `extent` items, as CPython's `PySlice_AdjustIndices`
  /// (and `slice.indices`) gives them; NumPy uses the same.
  public static func adjustedSlice(_ start: Int?, _ stop: Int?, _ step: Int?, extent: Int)
    throws(ArrayError) -> (start: Int, stop: Int, step: Int)
  {
    let stepValue = step ?? 1
    if stepValue == 0 { throw ArrayError("slice step cannot be zero") }
    func adjust(_ value: Int?, _ fallback: Int) -> Int {
      guard var value else { return fallback }
      if value < 0 {
        value += extent
        if value < 0 { value = stepValue < 0 ? -1 : 0 }
      } else if value >= extent {
        value = stepValue < 0 ? extent - 1 : extent
      }
      return value
    }
    return (
      adjust(start, stepValue < 0 ? extent - 1 : 0), adjust(stop, stepValue < 0 ? -1 : extent),
      stepValue
    )
  }

  /// A slice's first index, length and step over an axis of `extent`.
  public static func sliceRange(_ start: Int?, _ stop: Int?, _ step: Int?, extent: Int)
    throws(ArrayError) -> (first: Int, count: Int, step: Int)
  {
    let (first, last, stepValue) = try adjustedSlice(start, stop, step, extent: extent)
    var count = 0
    if stepValue < 0 {
      if last < first { count = (first - last - 1) / (-stepValue) + 1 }
    } else if first < last {
      count = (last - first - 1) / stepValue + 1
    }
    return (first, count, stepValue)
  }

  /// The elements a selection picks, as a new array (or the view itself).
  public static func read(_ selection: Selection) -> StridedArray {
    switch selection {
    case .view(let view): return view
    case .gathered(let source, let shape, let offsets):
      if source.dtype.isInteger {
        let values = source.storage.integers
        return StridedArray(shape: shape, integers: offsets.map { values[$0] }, dtype: source.dtype)
      }
      let values = source.storage.reals
      return StridedArray(shape: shape, reals: offsets.map { values[$0] }, dtype: source.dtype)
    }
  }

  /// `a[index] = value`: `value` broadcast to the selection's shape and cast to `a`'s dtype
  /// (NumPy's unsafe casting for assignment: floats truncate into int arrays).
  public static func write(_ value: StridedArray, into selection: Selection) throws(ArrayError) {
    let target: StridedArray
    let shape: [Int]
    let offsets: [Int]
    switch selection {
    case .view(let view):
      target = view
      shape = view.shape
      offsets = view.offsets()
    case .gathered(let source, let gatheredShape, let gatheredOffsets):
      target = source
      shape = gatheredShape
      offsets = gatheredOffsets
    }
    guard let broadcast = Shape.broadcastIfPossible(value.shape, shape), broadcast == shape
    else {
      throw ArrayError(
        "could not broadcast input array from shape \(Shape.text(value.shape)) into shape "
          + Shape.text(shape))
    }
    let source = value.broadcast(to: shape)
    switch target.dtype {
    case let type where type.isInteger:
      let values =
        source.dtype == type ? source.integerValues() : source.converted(to: type).integerValues()
      for (k, position) in offsets.enumerated() { target.storage.integers[position] = values[k] }
    case .float64:
      let values = source.realValues()
      for (k, position) in offsets.enumerated() { target.storage.reals[position] = values[k] }
    case .float32:
      let values = source.realValues()
      for (k, position) in offsets.enumerated() {
        target.storage.reals[position] = Double(Float(values[k]))
      }
    default:
      let values = source.converted(to: .bool).realValues()
      for (k, position) in offsets.enumerated() { target.storage.reals[position] = values[k] }
    }
  }
}
