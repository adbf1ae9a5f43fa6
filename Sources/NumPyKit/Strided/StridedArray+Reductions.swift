import CNumKernels
import Foundation

/// NumPy's reductions (`a.sum(axis=…)`, `np.mean`, `np.argmax` …).
public enum Reduction: Sendable, Equatable {
  case sum, prod, max, min, mean, argmax, argmin, all, any
  /// var / std with NumPy's `ddof`.
  case variance(ddof: Int)
  case standardDeviation(ddof: Int)

  var name: String {
    switch self {
    case .sum: "sum"
    case .prod: "prod"
    case .max: "maximum"
    case .min: "minimum"
    case .mean: "mean"
    case .argmax: "argmax"
    case .argmin: "argmin"
    case .all: "all"
    case .any: "any"
    case .variance: "var"
    case .standardDeviation: "std"
    }
  }
}

extension StridedArray {
  /// Normalised reduction axes (NumPy's AxisError for an axis out of range).
  public func reductionAxes(_ axes: [Int]?) throws(ArrayError) -> [Int] {
    // The usual cases as array literals (see `Shape.strides`).
    guard let axes else {
      switch ndim {
      case 0: return []
      case 1: return [0]
      case 2: return [0, 1]
      default: return Array(0..<ndim)
      }
    }
    if axes.count == 1 { return [try normalizedAxis(axes[0])] }
    var result: [Int] = []
    for axis in axes {
      let adjusted = try normalizedAxis(axis)
      if result.contains(adjusted) { throw ArrayError("duplicate value in 'axis'") }
      result.append(adjusted)
    }
    return result.sorted()
  }

  /// The shape a reduction over `reduced` (sorted) leaves: the reduced extents 1 with
  /// `keepDims`, gone without. Matrices and vectors through array literals (see
  /// `Shape.strides`).
  static func reducedShape(_ shape: [Int], _ reduced: [Int], keepDims: Bool) -> [Int] {
    if shape.count <= 2 {
      switch (shape.count, reduced.count, keepDims) {
      case (_, 0, _): return shape
      case (let n, let r, false) where r == n: return []
      case (let n, let r, true) where r == n: return n == 1 ? [1] : [1, 1]
      case (2, 1, false): return [shape[1 - reduced[0]]]
      case (2, 1, true): return reduced[0] == 0 ? [1, shape[1]] : [shape[0], 1]
      default: break
      }
    }
    return keepDims
      ? shape.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element }
      : shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
  }

  /// `axis` counted from 0 (a negative one from the end), or NumPy's AxisError.
  func normalizedAxis(_ axis: Int) throws(ArrayError) -> Int {
    let adjusted = axis < 0 ? axis + ndim : axis
    guard adjusted >= 0 && adjusted < ndim else {
      throw ArrayError(
        "axis \(axis) is out of bounds for array of dimension \(ndim)", kind: .axisError)
    }
    return adjusted
  }

  /// `a.<reduction>(axis=axes, keepdims=…)`; a full reduction gives a 0-d array.
  public func reduce(_ reduction: Reduction, axes: [Int]?, keepDims: Bool = false)
    throws(ArrayError) -> StridedArray
  {
    if case .argmax = reduction { return try argReduce(maximum: true, axes: axes) }
    if case .argmin = reduction { return try argReduce(maximum: false, axes: axes) }
    let reduced = try reductionAxes(axes)
    let outputShape = Self.reducedShape(shape, reduced, keepDims: keepDims)
    // The index lists, built only by the reductions that walk them.
    var groups: [[Int]] { reductionGroups(reduced) }
    let n = reduced.reduce(1) { $0 * shape[$1] }
    switch reduction {
    case .variance(let ddof), .standardDeviation(let ddof):
      if reduced.count == ndim, ndim > 1, !isContiguous, let block = denseBlock {
        // Over every axis of a transpose-like view NumPy's loops walk the elements in
        // memory order: the same as reducing the storage block, flat.
        let flat =
          dtype.isInteger
          ? StridedArray(
            shape: [count], integers: Array(storage.integers[block]), dtype: dtype)
          : StridedArray(shape: [count], reals: Array(storage.reals[block]), dtype: dtype)
        let total = try flat.reduce(reduction, axes: [0])
        return keepDims ? try total.reshaped(outputShape) : total
      }
      let meanKept = try reduce(.mean, axes: reduced, keepDims: true)
      let centred = try StridedArray.apply(
        .subtract, dtype.isFloat ? self : converted(to: .float64), meanKept)
      let squares = try StridedArray.apply(.multiply, centred, centred)
      let total = try squares.reduce(.sum, axes: reduced, keepDims: keepDims)
      let divisor = Double(Swift.max(n - ddof, 0))
      // float32 divides and takes the root in float32 (each correctly rounded from float64).
      let type: DType = dtype == .float32 ? .float32 : .float64
      var values = total.realValues().map { type.rounded($0 / divisor) }
      if case .standardDeviation = reduction {
        values = values.map { type.rounded($0.squareRoot()) }
      }
      return StridedArray(shape: outputShape, reals: values, dtype: type)
    case .all, .any:
      let wantAll = reduction == .all
      let values = groups.map { group -> Double in
        let hit = group.contains { position in element(at: position).isTrue != wantAll }
        return (hit ? !wantAll : wantAll) ? 1 : 0
      }
      return StridedArray(shape: outputShape, reals: values, dtype: .bool)
    case .max, .min:
      if n == 0 {
        throw ArrayError(
          "zero-size array to reduction operation \(reduction.name) which has no identity")
      }
      let isMax = reduction == .max
      if dtype.isInteger {
        let unsigned = dtype == .uint64
        let values = groups.map { group -> Int64 in
          let items = group.map { storage.integers[$0] }
          if unsigned {
            let magnitudes = items.map { UInt64(bitPattern: $0) }
            return Int64(bitPattern: isMax ? magnitudes.max()! : magnitudes.min()!)
          }
          return isMax ? items.max()! : items.min()!
        }
        return StridedArray(shape: outputShape, integers: values, dtype: dtype)
      }
      if dtype == .float64, let runs = regularGroups(reduced), runs.elementStep == 1 {
        // Each group one contiguous run, through NumPy's vectorised reduce loop.
        let values = storage.reals.withUnsafeBufferPointer { buffer in
          (0..<runs.outputs).map { o in
            StridedArray.extreme(
              buffer.baseAddress! + offset + o * runs.outputStep, runs.length, maximum: isMax)
          }
        }
        return StridedArray(shape: outputShape, reals: values, dtype: dtype)
      }
      if let runs = regularGroups(reduced) {
        // The same walk over each group, without index lists.
        let reals = storage.reals
        let values = (0..<runs.outputs).map { o -> Double in
          let base = offset + o * runs.outputStep
          var acc = reals[base]
          for r in 1..<runs.length {
            let x = reals[base + r * runs.elementStep]
            if acc.isNaN { break }
            if isMax ? !(acc > x) : !(acc < x) { acc = x }
          }
          return acc
        }
        return StridedArray(shape: outputShape, reals: values, dtype: dtype)
      }
      let values = groups.map { group -> Double in
        var acc = storage.reals[group[0]]
        for position in group.dropFirst() {
          let x = storage.reals[position]
          if acc.isNaN { break }
          if isMax ? !(acc > x) : !(acc < x) { acc = x }
        }
        return acc
      }
      return StridedArray(shape: outputShape, reals: values, dtype: dtype)
    case .sum, .prod:
      if dtype.isInteger || dtype == .bool {
        // Summed in the accumulated type (int64, or uint64 for the unsigned), wrapping.
        let isInteger = dtype.isInteger
        let values = groups.map { group -> Int64 in
          var acc: Int64 = reduction == .sum ? 0 : 1
          for position in group {
            let x = isInteger ? storage.integers[position] : Int64(storage.reals[position])
            acc = reduction == .sum ? acc &+ x : acc &* x
          }
          return acc
        }
        return StridedArray(shape: outputShape, integers: values, dtype: dtype.accumulated)
      }
      let type = dtype
      if reduction == .prod {
        let values = groups.map { group -> Double in
          var acc = 1.0
          for position in group { acc = type.rounded(acc * storage.reals[position]) }
          return acc
        }
        return StridedArray(shape: outputShape, reals: values, dtype: type)
      }
      return StridedArray(
        shape: outputShape, reals: pairwiseSums(reduced, casting: false), dtype: type)
    case .mean:
      // float32 sums in float32 and divides in float32; everything else in float64.
      let type: DType = dtype == .float32 ? .float32 : .float64
      let sums = pairwiseSums(reduced, casting: !dtype.isFloat)
      let divisor = Double(n)
      return StridedArray(
        shape: outputShape, reals: sums.map { type.rounded($0 / divisor) }, dtype: type)
    case .argmax, .argmin:
      return self
    }
  }

  /// For each output element (C order), the storage offsets of its inputs in the order
  /// NumPy's iterator visits them.
  func reductionGroups(_ reduced: [Int]) -> [[Int]] {
    let kept = (0..<ndim).filter { !reduced.contains($0) }
    let keptView = StridedArray(
      storage: storage, dtype: dtype, shape: kept.map { shape[$0] },
      strides: kept.map { strides[$0] }, offset: offset)
    let order = memoryOrder(reduced)
    let innerView = StridedArray(
      storage: storage, dtype: dtype, shape: order.map { shape[$0] },
      strides: order.map { strides[$0] }, offset: 0)
    let inner = innerView.offsets()
    return keptView.offsets().map { base in inner.map { base + $0 } }
  }

  /// For a C-contiguous float64 or bool array reduced over its trailing or its leading axes:
  /// output `o`'s group (as `reductionGroups` orders it) is the `length` elements at
  /// `offset + o * outputStep + r * elementStep`, r = 0, 1, ... Nil otherwise, or when empty.
  /// Whether `reduced` is exactly the axes `first ..< first + reduced.count` in order (no
  /// array made for the comparison).
  static func isAxisRun(_ reduced: [Int], from first: Int) -> Bool {
    for (k, axis) in reduced.enumerated() where axis != first + k { return false }
    return true
  }

  func regularGroups(_ reduced: [Int]) -> (
    outputs: Int, length: Int, outputStep: Int, elementStep: Int
  )? {
    guard !dtype.isInteger, isContiguous, !reduced.isEmpty, count > 0 else { return nil }
    let length = reduced.reduce(1) { $0 * shape[$1] }
    let outputs = count / length
    if Self.isAxisRun(reduced, from: ndim - reduced.count) {
      return (outputs, length, length, 1)
    }
    if Self.isAxisRun(reduced, from: 0) {
      return (outputs, length, 1, outputs)
    }
    return nil
  }

  /// The reduced axes, outermost first, in the order of their strides (NumPy's K order).
  func memoryOrder(_ reduced: [Int]) -> [Int] {
    reduced.enumerated().sorted { first, second in
      let a = Swift.abs(strides[first.element])
      let b = Swift.abs(strides[second.element])
      return a != b ? a > b : first.offset < second.offset
    }.map(\.element)
  }

  /// float64 sums in NumPy's order: each output starts at 0 and adds, one run at a time, the
  /// pairwise sum (NumPy's `pairwise_sum`, 8 accumulators, blocks of 128) of its innermost
  /// run when the innermost axis in memory is reduced, element by element otherwise. With
  /// `casting` (int or bool input summed as float64) runs are cut at NumPy's buffer size.
  func pairwiseSums(_ reduced: [Int], casting: Bool) -> [Double] {
    // A C-contiguous float64 array reduced over its trailing axes: each output is one pairwise
    // run over consecutive storage (NumPy's coalesced inner loop), no index lists needed.
    if dtype == .float32 { return pairwiseSums32(reduced) }
    // So is one whose kept axes all have extent 1 (a (4, 1) array summed over axis 0): one
    // output, its elements one run (NumPy's iterator drops the extent-1 axes).
    if !casting, !dtype.isInteger, isContiguous, !reduced.isEmpty, count > 0,
      shape.indices.allSatisfy({ reduced.contains($0) || shape[$0] == 1 })
    {
      return storage.reals.withUnsafeBufferPointer { buffer in
        [0.0 + StridedArray.pairwiseSum(buffer.baseAddress! + offset, count)]
      }
    }
    if !casting, !dtype.isInteger, isContiguous, !reduced.isEmpty,
      Self.isAxisRun(reduced, from: ndim - reduced.count)
    {
      let runLength = reduced.reduce(1) { $0 * shape[$1] }
      let outputs =
        runLength == 0 ? shape.prefix(ndim - reduced.count).reduce(1, *) : count / runLength
      return storage.reals.withUnsafeBufferPointer { buffer in
        (0..<outputs).map { o in
          guard runLength > 0, let base = buffer.baseAddress else { return 0.0 }
          return 0.0 + StridedArray.pairwiseSum(base + offset + o * runLength, runLength)
        }
      }
    }
    // Reduced over leading axes with more than one output per row: the innermost axis in
    // memory is kept, so every input is its own run and each output is `0.0 + x0 + x1 + ...`
    // over the reduced rows in order.
    if !casting, let runs = regularGroups(reduced), runs.elementStep > 1 {
      return storage.reals.withUnsafeBufferPointer { buffer in
        var sums = [Double](repeating: 0.0, count: runs.outputs)
        for r in 0..<runs.length {
          let row = offset + r * runs.elementStep
          for o in 0..<runs.outputs { sums[o] += buffer[row + o] }
        }
        return sums
      }
    }
    let runLength = innermostRunLength(reduced)
    let groups = reductionGroups(reduced)
    let reals = storage.reals
    let integers = storage.integers
    let isInteger = dtype.isInteger
    let type = dtype
    let limit = casting ? 8192 : Int.max
    var scratch = [Double](repeating: 0, count: runLength)
    return groups.map { group -> Double in
      var acc = 0.0
      var start = 0
      while start < group.count {
        let end = start + runLength
        var chunk = start
        while chunk < end {
          let chunkEnd = end - chunk <= limit ? end : chunk + limit
          let length = chunkEnd - chunk
          for k in 0..<length {
            let position = group[chunk + k]
            scratch[k] = isInteger ? type.real(integers[position]) : reals[position]
          }
          acc += scratch.withUnsafeBufferPointer {
            StridedArray.pairwiseSum($0.baseAddress!, length)
          }
          chunk = chunkEnd
        }
        start = end
      }
      return acc
    }
  }

  /// The max (or min) of `n ≥ 1` contiguous float64 elements as NumPy's reduce loop gives
  /// it on AVX2 (`retrace_extreme`: four lanes from the first element, which of equal zeros
  /// survives and the canonical NaN included).
  static func extreme(_ p: UnsafePointer<Double>, _ n: Int, maximum: Bool) -> Double {
    retrace_extreme(p, n, maximum ? 1 : 0)
  }

  /// The number of elements NumPy sums as one pairwise run: the reduced axes that merge with
  /// the innermost axis in memory into one evenly strided run (1 when that axis is kept).
  func innermostRunLength(_ reduced: [Int]) -> Int {
    let order = memoryOrder(reduced)
    let smallestStrideAxis = (0..<ndim).filter { shape[$0] != 1 }.min {
      Swift.abs(strides[$0]) < Swift.abs(strides[$1])
    }
    guard let innermost = smallestStrideAxis, order.last == innermost else { return 1 }
    var runAxes = [innermost]
    var k = order.count - 2
    while k >= 0 {
      let axis = order[k]
      let next = runAxes[0]
      guard strides[axis] == strides[next] * shape[next] else { break }
      runAxes.insert(axis, at: 0)
      k -= 1
    }
    return runAxes.reduce(1) { $0 * shape[$1] }
  }

  /// `pairwiseSums` of a float32 array, in float32 (NumPy's FLOAT_pairwise_sum, the same
  /// blocking as float64's, every addition rounded to float32), returned as doubles.
  func pairwiseSums32(_ reduced: [Int]) -> [Double] {
    let runLength = Swift.max(innermostRunLength(reduced), 1)
    let reals = storage.reals
    var scratch = [Float](repeating: 0, count: runLength)
    return reductionGroups(reduced).map { group -> Double in
      var acc: Float = 0
      var start = 0
      while start < group.count {
        let length = Swift.min(runLength, group.count - start)
        for k in 0..<length { scratch[k] = Float(reals[group[start + k]]) }
        acc += scratch.withUnsafeBufferPointer {
          StridedArray.pairwiseSum($0.baseAddress!, length)
        }
        start += length
      }
      return Double(acc)
    }
  }

  /// NumPy's `pairwise_sum` (numpy/_core/src/umath/loops_utils.h.src), in the precision of
  /// its elements (float64, or float32 for FLOAT_pairwise_sum).
  static func pairwise<T: BinaryFloatingPoint>(_ a: UnsafePointer<T>, _ n: Int) -> T {
    if n < 8 {
      var res: T = -0.0
      for i in 0..<n { res += a[i] }
      return res
    }
    if n <= 128 {
      var r0 = a[0]
      var r1 = a[1]
      var r2 = a[2]
      var r3 = a[3]
      var r4 = a[4]
      var r5 = a[5]
      var r6 = a[6]
      var r7 = a[7]
      var i = 8
      while i < n - (n % 8) {
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
        i += 8
      }
      var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
      while i < n {
        res += a[i]
        i += 1
      }
      return res
    }
    var n2 = n / 2
    n2 -= n2 % 8
    return pairwise(a, n2) + pairwise(a + n2, n - n2)
  }

  /// NumPy's float64 `pairwise_sum`.
  static func pairwiseSum(_ a: UnsafePointer<Double>, _ n: Int) -> Double { pairwise(a, n) }

  /// NumPy's float32 `pairwise_sum` (FLOAT_pairwise_sum), in float32.
  static func pairwiseSum(_ a: UnsafePointer<Float>, _ n: Int) -> Float { pairwise(a, n) }

  /// argmax / argmin: the first extreme (the first NaN, where there is one), as an index into
  /// the flattened array (axis None) or along one axis.
  func argReduce(maximum: Bool, axes: [Int]?) throws(ArrayError) -> StridedArray {
    let name = maximum ? "argmax" : "argmin"
    let source: StridedArray
    let axis: Int
    if let axes {
      source = self
      axis = try reductionAxes(axes)[0]
    } else {
      source = ravel()
      axis = 0
    }
    guard source.shape[axis] > 0 else {
      throw ArrayError("attempt to get \(name) of an empty sequence")
    }
    let groups = source.reductionGroups([axis])
    let outputShape = source.shape.enumerated().filter { $0.offset != axis }.map(\.element)
    let indices = groups.map { group -> Int64 in
      var best = 0
      if source.dtype.isInteger {
        let unsigned = source.dtype == .uint64
        let values = group.map {
          unsigned ? source.storage.integers[$0] ^ Int64.min : source.storage.integers[$0]
        }
        for k in 1..<values.count
        where maximum ? values[k] > values[best] : values[k] < values[best] {
          best = k
        }
        return Int64(best)
      }
      let values = group.map { source.storage.reals[$0] }
      if values[0].isNaN { return 0 }
      for k in 1..<values.count {
        if values[k].isNaN { return Int64(k) }
        if maximum ? values[k] > values[best] : values[k] < values[best] { best = k }
      }
      return Int64(best)
    }
    return StridedArray(shape: outputShape, integers: indices)
  }

  /// numpy.cumsum / numpy.cumprod along an axis (None: the flattened array), left to right.
  public func accumulate(product: Bool, axis: Int?) throws(ArrayError) -> StridedArray {
    let source = axis == nil ? ravel() : self
    let along = try source.reductionAxes([axis ?? 0])[0]
    let moved = source.movingAxisLast(along)
    let length = source.shape[along]
    if source.dtype.isFloat {
      let type = source.dtype
      var values = moved.realValues()
      var k = 0
      while k < values.count {
        for j in 1..<Swift.max(length, 1) where j < length {
          values[k + j] = type.rounded(
            product ? values[k + j - 1] * values[k + j] : values[k + j - 1] + values[k + j])
        }
        k += Swift.max(length, 1)
      }
      let result = StridedArray(shape: moved.shape, reals: values, dtype: type)
      return result.movingLastAxis(to: along).copy()
    }
    var values = moved.integerValues()
    var k = 0
    while k < values.count {
      for j in 1..<Swift.max(length, 1) where j < length {
        values[k + j] =
          product ? values[k + j - 1] &* values[k + j] : values[k + j - 1] &+ values[k + j]
      }
      k += Swift.max(length, 1)
    }
    let type = source.dtype.accumulated
    return StridedArray(shape: moved.shape, integers: values, dtype: type)
      .movingLastAxis(to: along).copy()
  }
}
