import CNumKernels

// numpy.einsum with `optimize=False` (its default), as NumPy 2.4.6's `c_einsum` evaluates it
// (numpy/_core/src/multiarray/einsum.cpp, `PyArray_EinsteinSum`); with `optimize=False`
// numpy/_core/einsumfunc.py hands the call straight to it: no BLAS, no tensordot.
//
// 1. The subscripts are parsed as `parse_operand_subscripts` / `parse_output_subscripts` do
//    (NumPy's messages); an ellipsis stands for broadcast axes (label 0). Implicit output:
//    the broadcast axes, then the labels seen once, in ASCII order.
// 2. One operand and no summed label: a view (`get_single_op_view`; `'ij->ji'`, `'ii->i'`).
// 3. A label repeated in one operand becomes one axis whose stride is the sum of the strides
//    (`get_combined_dims_view`: the diagonal).
// 4. The iterator's axes are the output labels, then every other label in ASCII order;
//    `NpyIter_AdvancedNew` (EXTERNAL_LOOP | BUFFERED | DELAY_BUFALLOC, order 'K', the output
//    allocated, the summed axes its reduction axes) then
//    - sorts the axes by the operands' strides (`npyiter_find_best_axis_ordering`: a stable
//      insertion sort from the innermost axis; an axis moves inside another when the first
//      operand striding along both has the smaller stride there and no other such operand
//      has a larger one: C order wins ties and conflicts),
//    - allocates the output with its axes laid out in that order (`npyiter_new_temp_array`:
//      so the result's strides follow the operands' memory order),
//    - merges neighbouring axes every operand steps through evenly (`npyiter_coalesce_axes`).
// 5. With no operand to cast (every dtype the common one), one or two operands and 2 or 3
//    axes left, einsum runs its own loops (`unbuffered_loop_nop{1,2}_ndim{2,3}`): one inner
//    call per row of the innermost axis, the outer axes innermost first. Otherwise it runs
//    the buffered iterator: `npyiter_find_buffering_setup` picks a core and outer axis by its
//    cost estimate (and whether the output is iterated as a reduction), each call covers at
//    most 8192 elements (NPY_BUFSIZE; GROWINNER is off), never past the outer axis, a
//    reduction's calls one core each; an operand that is cast, or not one stride across a
//    call, is read from a buffer (stride 1, or 0 for one value).
// 6. Each call is one `sum_of_products` loop, chosen once from the inner strides
//    (`get_sum_of_products_function`), which sets the order of the float sums (see
//    numpy_einsum.h: pairwise lanes for contiguous reductions and dot products, a running
//    sum from 0 for other reductions, `product + out` element by element otherwise). The
//    output starts at 0.
//
// Verified against NumPy 2.4.6 on this machine (x86-64 with AVX2+FMA, which einsum does not
// use): all 1,490 cases of Fixtures/numpy/einsum/cases.json (Scripts/fixtures/einsum.py, run
// by Tests/InterpreterTests/EinsumTests.swift) give NumPy's element bits, kind, dtype, shape
// and strides, or its error message: every named pattern (matrix products and their
// transposes, dot products, row, column and full sums, traces, outer products, batched and
// ellipsis products, sliding-window convolutions, 3 and 4 operands) at extents around each
// vector width and unroll and past the 8192-element buffer, on transposed, stepped and
// reversed views; int, bool and float32 operands cast to float64; float32, integer and bool
// results; and 400 random subscripts over random views and dtypes.

extension StridedArray {
  /// numpy.einsum(subscripts, *operands) (`optimize=False`, no `out`, `dtype`, `order` or
  /// `casting`): NumPy 2.4.6's result, bit for bit (see the notes at the top of this file),
  /// in the operands' common dtype (float64, float32, an integer dtype wrapping at its width,
  /// or bool: any of the ands). A view when one operand is only relabelled.
  ///
  /// - Throws: NumPy's ValueErrors for malformed subscripts and mismatched shapes; an
  ///   `.unmodelled` error for a non-ASCII subscripts string.
  public static func einsum(_ subscripts: String, _ operands: [StridedArray]) throws(ArrayError)
    -> StridedArray
  {
    guard !operands.isEmpty else {
      throw ArrayError(
        "must specify the einstein sum subscripts string and at least one operand")
    }
    guard operands.count < 64 else { throw ArrayError("too many operands") }
    let parsed = try EinsumSubscripts(subscripts, ndims: operands.map(\.ndim))
    if operands.count == 1,
      let view = try singleOperandView(operands[0], parsed.operandLabels[0], parsed.output)
    {
      return view
    }
    var views: [StridedArray] = []
    var labels: [[Int]] = []
    for (iop, operand) in operands.enumerated() {
      let (view, combined) = try diagonalView(operand, iop, parsed.operandLabels[iop])
      views.append(view)
      labels.append(combined)
    }
    let dtype = views.dropFirst().reduce(views[0].dtype) { DType.promoted($0, $1.dtype) }
    let iteration = try EinsumIteration(
      views, labels: labels, output: parsed.output, iteratorLabels: parsed.iteratorLabels,
      dtype: dtype)
    try Shape.checkBudget(iteration.outputShape)
    return iteration.run(views, dtype: dtype)
  }

  /// `get_single_op_view`: the operand's axes placed at their output labels (strides of a
  /// repeated label added), or nil when a label is summed.
  static func singleOperandView(_ operand: StridedArray, _ labels: [Int], _ output: [Int])
    throws(ArrayError) -> StridedArray?
  {
    var shape = [Int](repeating: 0, count: output.count)
    var strides = [Int](repeating: 0, count: output.count)
    var broadcast = 0
    for axis in 0..<operand.ndim {
      let label = labels[axis]
      if label == 0 {
        while broadcast < output.count && output[broadcast] != 0 { broadcast += 1 }
        guard broadcast < output.count else {
          throw ArrayError("output had too few broadcast dimensions")
        }
        shape[broadcast] = operand.shape[axis]
        strides[broadcast] = operand.strides[axis]
        broadcast += 1
      } else {
        guard let i = output.firstIndex(of: label) else { return nil }
        if shape[i] != 0 && shape[i] != operand.shape[axis] {
          throw ArrayError(
            "dimensions in single operand for collapsing index '\(EinsumSubscripts.text(label))' "
              + "don't match (\(shape[i]) != \(operand.shape[axis]))")
        }
        shape[i] = operand.shape[axis]
        strides[i] += operand.strides[axis]
      }
    }
    return StridedArray(
      storage: operand.storage, dtype: operand.dtype, shape: shape, strides: strides,
      offset: operand.offset)
  }

  /// `get_combined_dims_view`: each repeated label's axes as one axis (its diagonal), and the
  /// labels of the view's axes.
  static func diagonalView(_ operand: StridedArray, _ iop: Int, _ labels: [Int])
    throws(ArrayError) -> (StridedArray, [Int])
  {
    var shape: [Int] = []
    var strides: [Int] = []
    var kept: [Int] = []
    for axis in 0..<operand.ndim {
      let label = labels[axis]
      if label != 0, let i = kept.firstIndex(of: label) {
        guard shape[i] == operand.shape[axis] else {
          throw ArrayError(
            "dimensions in operand \(iop) for collapsing index '\(EinsumSubscripts.text(label))' "
              + "don't match (\(shape[i]) != \(operand.shape[axis]))")
        }
        strides[i] += operand.strides[axis]
      } else {
        kept.append(label)
        shape.append(operand.shape[axis])
        strides.append(operand.strides[axis])
      }
    }
    if kept.count == operand.ndim { return (operand, labels) }
    let view = StridedArray(
      storage: operand.storage, dtype: operand.dtype, shape: shape, strides: strides,
      offset: operand.offset)
    return (view, kept)
  }
}

/// An einsum subscripts string as `PyArray_EinsteinSum` parses it: each operand's axis labels
/// (the ASCII code of a letter, 0 for an axis the ellipsis stands for) and the output's.
struct EinsumSubscripts {
  var operandLabels: [[Int]] = []
  var output: [Int] = []
  /// How often each label appears over the operands.
  var counts = [Int](repeating: 0, count: 128)

  /// The iterator's axes: the output's, then each other label in ASCII order.
  var iteratorLabels: [Int] {
    output + (0..<128).filter { counts[$0] > 0 && !output.contains($0) }
  }

  static func text(_ label: Int) -> String { String(UnicodeScalar(UInt8(label))) }

  static func isLetter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }

  init(_ subscripts: String, ndims: [Int]) throws(ArrayError) {
    let bytes = Array(subscripts.utf8)
    guard bytes.allSatisfy({ $0 < 128 }) else {
      throw ArrayError(
        "retrace models np.einsum subscripts of ASCII characters (NumPy raises "
          + "UnicodeEncodeError)", kind: .unmodelled)
    }
    let nop = ndims.count
    var start = 0
    for iop in 0..<nop {
      var end = start
      while end < bytes.count && bytes[end] != UInt8(ascii: ",") && bytes[end] != UInt8(ascii: "-")
      {
        end += 1
      }
      let comma = end < bytes.count && bytes[end] == UInt8(ascii: ",")
      if iop == nop - 1 && comma {
        throw ArrayError(
          "more operands provided to einstein sum function than specified in the subscripts "
            + "string")
      }
      if iop < nop - 1 && !comma {
        throw ArrayError(
          "fewer operands provided to einstein sum function than specified in the subscripts "
            + "string")
      }
      operandLabels.append(try operand(bytes[start..<end], ndim: ndims[iop], iop: iop))
      start = iop < nop - 1 ? end + 1 : end
    }
    let broadcast = operandLabels.map { $0.filter { $0 == 0 }.count }.max() ?? 0
    let rest = bytes[start...]
    if rest.isEmpty {
      output = [Int](repeating: 0, count: broadcast) + (0..<128).filter { counts[$0] == 1 }
      return
    }
    guard rest.count >= 2, rest[start] == UInt8(ascii: "-"), rest[start + 1] == UInt8(ascii: ">")
    else {
      throw ArrayError(
        "einstein sum subscript string does not contain proper '->' output specified")
    }
    output = try outputLabels(Array(rest.dropFirst(2)), broadcast: broadcast)
  }

  /// `parse_operand_subscripts` for one operand.
  mutating func operand(_ part: ArraySlice<UInt8>, ndim: Int, iop: Int) throws(ArrayError) -> [Int]
  {
    let characters = Array(part)
    var labels: [Int] = []
    var ellipsis = -1
    var i = 0
    while i < characters.count {
      let c = characters[i]
      if Self.isLetter(c) {
        guard labels.count < ndim else {
          throw ArrayError(
            "einstein sum subscripts string contains too many subscripts for operand \(iop)")
        }
        labels.append(Int(c))
        counts[Int(c)] += 1
      } else if c == UInt8(ascii: ".") {
        guard ellipsis == -1, i + 2 < characters.count, characters[i + 1] == c,
          characters[i + 2] == c
        else {
          throw ArrayError(
            "einstein sum subscripts string contains a '.' that is not part of an ellipsis "
              + "('...') in operand \(iop)")
        }
        i += 2
        ellipsis = labels.count
      } else if c != UInt8(ascii: " ") {
        throw ArrayError(
          "invalid subscript '\(Self.text(Int(c)))' in einstein sum subscripts string, "
            + "subscripts must be letters")
      }
      i += 1
    }
    if ellipsis == -1 {
      guard labels.count == ndim else {
        throw ArrayError(
          "operand has more dimensions than subscripts given in einstein sum, but no '...' "
            + "ellipsis provided to broadcast the extra dimensions.")
      }
    } else if labels.count < ndim {
      labels.insert(contentsOf: [Int](repeating: 0, count: ndim - labels.count), at: ellipsis)
    }
    return labels
  }

  /// `parse_output_subscripts`.
  func outputLabels(_ characters: [UInt8], broadcast: Int) throws(ArrayError) -> [Int] {
    var labels: [Int] = []
    var ellipsis = false
    var i = 0
    while i < characters.count {
      let c = characters[i]
      if Self.isLetter(c) {
        if characters[(i + 1)...].contains(c) {
          throw ArrayError(
            "einstein sum subscripts string includes output subscript '\(Self.text(Int(c)))' "
              + "multiple times")
        }
        if counts[Int(c)] == 0 {
          throw ArrayError(
            "einstein sum subscripts string included output subscript '\(Self.text(Int(c)))' "
              + "which never appeared in an input")
        }
        labels.append(Int(c))
      } else if c == UInt8(ascii: ".") {
        guard !ellipsis, i + 2 < characters.count, characters[i + 1] == c,
          characters[i + 2] == c
        else {
          throw ArrayError(
            "einstein sum subscripts string contains a '.' that is not part of an ellipsis "
              + "('...') in the output")
        }
        i += 2
        ellipsis = true
        labels += [Int](repeating: 0, count: broadcast)
      } else if c != UInt8(ascii: " ") {
        throw ArrayError(
          "invalid subscript '\(Self.text(Int(c)))' in einstein sum subscripts string, "
            + "subscripts must be letters")
      }
      i += 1
    }
    if !ellipsis && broadcast > 0 {
      throw ArrayError(
        "output has more dimensions than subscripts given in einstein sum, but no '...' "
          + "ellipsis provided to broadcast the extra dimensions.")
    }
    return labels
  }
}

/// NumPy's nditer for one einsum, reduced to what sets the order of the sums: the axes left
/// after sorting and coalescing (innermost first), each operand's strides along them (the
/// output last), the result's layout, and how the loop is split into inner calls.
struct EinsumIteration {
  /// Input operands (the output is operand `nop`).
  let nop: Int
  /// The coalesced axes' extents, innermost first (one axis of extent 1 for a 0-d loop).
  var shape: [Int] = []
  /// `strides[op][axis]` in elements.
  var strides: [[Int]] = []
  /// Each input's first element; the output's is 0.
  var offsets: [Int] = []
  /// The result's shape and strides (elements), as `npyiter_new_temp_array` lays it out.
  var outputShape: [Int] = []
  var outputStrides: [Int] = []
  var outputCount = 1
  /// Whether einsum's own unbuffered loops run (one call per innermost row).
  var unbuffered = false
  /// The inner strides of every call (the output last), which pick the loop.
  var inner: [Int] = []
  /// Operands read through a buffer in the buffered loop (the output included).
  var buffered: [Bool] = []
  /// The buffered loop's core (elements of the axes inside the outer one), outer axis,
  /// buffer size (elements a call covers at most) and whether it iterates a reduction.
  var coreSize = 1
  var outerAxis = 0
  var bufferSize = 1
  var reduce = false

  var iterationSize: Int { shape.reduce(1, *) }

  /// Sets up the iteration of `views` (their repeated labels combined) as
  /// `PyArray_EinsteinSum` and `NpyIter_AdvancedNew` do.
  init(
    _ views: [StridedArray], labels: [[Int]], output: [Int], iteratorLabels: [Int], dtype: DType
  ) throws(ArrayError) {
    nop = views.count
    let ndim = iteratorLabels.count
    let all = nop + 1
    // prepare_op_axes: each iterator axis's axis of each operand (-1: none); the broadcast
    // axes matched from the right.
    var opAxes: [[Int]] = []
    for (view, labels) in zip(views, labels) {
      var axes = [Int](repeating: -1, count: ndim)
      var next = view.ndim - 1
      for i in stride(from: ndim - 1, through: 0, by: -1) {
        let label = iteratorLabels[i]
        if label == 0 {
          while next >= 0 && labels[next] != 0 { next -= 1 }
          if next >= 0 {
            axes[i] = next
            next -= 1
          }
        } else {
          axes[i] = labels.firstIndex(of: label) ?? -1
        }
      }
      opAxes.append(axes)
    }
    // npyiter_fill_axisdata: the broadcast extents.
    var extents = [Int](repeating: 1, count: ndim)
    for (view, axes) in zip(views, opAxes) {
      for d in 0..<ndim where axes[d] >= 0 {
        let extent = view.shape[axes[d]]
        if extents[d] == 1 {
          extents[d] = extent
        } else if extent != 1 && extent != extents[d] {
          throw Self.broadcastError(views, opAxes)
        }
      }
    }
    // The axis data, innermost (the last iterator axis) first; the output's strides are 0
    // until it is allocated.
    var axisShape: [Int] = []
    var axisStrides: [[Int]] = []
    var axisLabel: [Int] = []  // the iterator axis each entry is
    for k in 0..<ndim {
      let d = ndim - 1 - k
      var entry = [Int](repeating: 0, count: all)
      for (iop, view) in views.enumerated() {
        let i = opAxes[iop][d]
        if extents[d] != 1 && i >= 0 && view.shape[i] != 1 { entry[iop] = view.strides[i] }
      }
      axisShape.append(extents[d])
      axisStrides.append(entry)
      axisLabel.append(d)
    }
    // npyiter_find_best_axis_ordering.
    var perm = Array(0..<ndim)
    if ndim > 1 {
      for i0 in 1..<ndim {
        var position = i0
        let j0 = perm[i0]
        let strides0 = axisStrides[j0]
        for i1 in stride(from: i0 - 1, through: 0, by: -1) {
          var ambiguous = true
          var swap = false
          let strides1 = axisStrides[perm[i1]]
          for iop in 0..<all where strides0[iop] != 0 && strides1[iop] != 0 {
            if abs(strides1[iop]) <= abs(strides0[iop]) {
              swap = false
            } else if ambiguous {
              swap = true
            }
            ambiguous = false
          }
          if !ambiguous {
            if swap { position = i1 } else { break }
          }
        }
        if position != i0 {
          perm.remove(at: i0)
          perm.insert(j0, at: position)
        }
      }
    }
    axisShape = perm.map { axisShape[$0] }
    axisStrides = perm.map { axisStrides[$0] }
    axisLabel = perm.map { axisLabel[$0] }
    // npyiter_new_temp_array: the output's axes get strides in iteration order.
    let outputRank = output.count
    outputShape = [Int](repeating: 1, count: outputRank)
    outputStrides = [Int](repeating: 0, count: outputRank)
    var running = 1
    for k in 0..<ndim where axisLabel[k] < outputRank {
      outputStrides[axisLabel[k]] = running
      outputShape[axisLabel[k]] = axisShape[k]
      running *= axisShape[k]
    }
    outputCount = running
    if running == 0 {
      // PyArray_NewFromDescr gives an array of no elements strides of 0.
      outputStrides = [Int](repeating: 0, count: outputRank)
    }
    for k in 0..<ndim where axisLabel[k] < outputRank && axisShape[k] != 1 {
      axisStrides[k][nop] = outputStrides[axisLabel[k]]
    }
    // npyiter_coalesce_axes.
    if ndim == 0 {
      shape = [1]
      strides = [[Int]](repeating: [0], count: all)
    } else {
      var mergedShape = [axisShape[0]]
      var merged = [axisStrides[0]]
      for k in 1..<ndim {
        let last = merged.count - 1
        let (shape0, shape1) = (mergedShape[last], axisShape[k])
        var fits = true
        for iop in 0..<all {
          let (s0, s1) = (merged[last][iop], axisStrides[k][iop])
          if !((shape0 == 1 && s0 == 0) || (shape1 == 1 && s1 == 0)) && s0 * shape0 != s1 {
            fits = false
            break
          }
        }
        if fits {
          mergedShape[last] = shape0 * shape1
          for iop in 0..<all where merged[last][iop] == 0 {
            merged[last][iop] = axisStrides[k][iop]
          }
        } else {
          mergedShape.append(shape1)
          merged.append(axisStrides[k])
        }
      }
      shape = mergedShape
      strides = (0..<all).map { iop in merged.map { $0[iop] } }
    }
    offsets = views.map(\.offset) + [0]
    // A 0-d operand to cast is copied to the common dtype once; any other needs a buffer.
    let cast = views.map { $0.dtype != dtype && $0.ndim > 0 } + [false]
    if !cast.contains(true) && (nop == 1 || nop == 2) && (shape.count == 2 || shape.count == 3) {
      unbuffered = true
      inner = (0..<all).map { strides[$0][0] }
      buffered = [Bool](repeating: false, count: all)
    } else {
      setUpBuffering(cast: cast, reduction: ndim > outputRank)
    }
  }

  /// `npyiter_find_buffering_setup` (NumPy 2.3 on) with the default buffer size and without
  /// GROWINNER: the core and outer axis, the buffer size, whether the loop is a reduction,
  /// which operands are buffered and the inner strides.
  mutating func setUpBuffering(cast: [Bool], reduction: Bool) {
    let all = nop + 1
    let ndim = shape.count
    let maximum = 8192
    var cost = 1 + cast.filter { $0 }.count
    var singleStride = [Int](repeating: 1, count: all)
    var reduceOuter = [Int](repeating: 0, count: all)
    let reduceOperand = (0..<all).map { $0 == nop && reduction }
    var outerReduceAxis = 0
    var size = shape[0]
    var bestAxis = 0
    var bestCost = cost
    var bestSize = size
    var bestCore = 1
    var idim = 1
    while idim < ndim {
      if outerReduceAxis != 0 || size >= maximum { break }
      for iop in 0..<all {
        if singleStride[iop] == idim {
          if strides[iop][idim - 1] * shape[idim - 1] == strides[iop][idim] {
            singleStride[iop] += 1
            continue
          }
          if !cast[iop] { cost += 1 }
        }
        if reduceOperand[iop] && (strides[iop][idim] == 0 || strides[iop][idim - 1] == 0) {
          reduceOuter[iop] = idim
          outerReduceAxis = idim
        }
      }
      let core = size
      size *= shape[idim]
      if size == 0 { break }
      let limited = size > maximum ? maximum : size
      if Double(cost) * Double(bestSize) <= Double(bestCost) * Double(limited) {
        bestCost = cost
        bestCore = core
        bestSize = size
        bestAxis = idim
      }
      idim += 1
    }
    reduce = outerReduceAxis != 0 && bestAxis == outerReduceAxis
    inner = []
    buffered = []
    for iop in 0..<all {
      var isBuffered = cast[iop]
      let isReduce: Bool
      if !reduce {
        isReduce = false
      } else if reduceOuter[iop] == bestAxis {
        isReduce = true
      } else if singleStride[iop] == bestAxis && !isBuffered {
        isReduce = true
      } else if strides[iop][outerReduceAxis] == 0 && singleStride[iop] <= bestAxis {
        isReduce = true
      } else {
        isReduce = false
      }
      let single = singleStride[iop] + (isReduce ? 1 : 0) > bestAxis
      if !single { isBuffered = true }
      if isBuffered {
        if isReduce {
          inner.append(strides[iop][outerReduceAxis] == 0 ? 1 : 0)
        } else {
          inner.append(single && strides[iop][0] == 0 ? 0 : 1)
        }
      } else {
        inner.append(strides[iop][0])
      }
      buffered.append(isBuffered)
    }
    if maximum < bestSize { bestSize = bestCore * (maximum / bestCore) }
    coreSize = bestCore
    outerAxis = bestAxis
    bufferSize = bestSize
  }

  /// The inner calls, as (first iteration index, element count), in order: einsum's
  /// unbuffered loops call once per innermost row; the buffered iterator covers up to the
  /// buffer size, never past the end of the outer axis, one core a call in a reduction.
  func forEachCall(_ body: (Int, Int) -> Void) {
    let total = iterationSize
    guard total > 0 else { return }
    if unbuffered {
      for start in stride(from: 0, to: total, by: shape[0]) { body(start, shape[0]) }
      return
    }
    let outerExtent = shape[outerAxis]
    var index = 0
    while index < total {
      let remaining = outerExtent - (index / coreSize) % outerExtent
      let transfer = Swift.min(bufferSize, coreSize * remaining, total - index)
      if reduce && transfer / coreSize > 1 {
        for k in 0..<(transfer / coreSize) { body(index + k * coreSize, coreSize) }
      } else {
        body(index, transfer)
      }
      index += transfer
    }
  }

  /// The storage position of `op`'s element at iteration index `index`.
  func position(_ op: Int, _ index: Int) -> Int {
    var rest = index
    var position = offsets[op]
    for axis in 0..<shape.count {
      position += (rest % shape[axis]) * strides[op][axis]
      rest /= shape[axis]
    }
    return position
  }

  /// Writes the storage positions of `op`'s elements at iteration indices `start ..< start +
  /// count` (as NumPy's buffer copy walks them).
  func positions(_ op: Int, _ start: Int, _ count: Int, into out: UnsafeMutablePointer<Int>) {
    let rank = shape.count
    var index = [Int](repeating: 0, count: rank)
    var rest = start
    for axis in 0..<rank {
      index[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    var position = self.position(op, start)
    let opStrides = strides[op]
    for k in 0..<count {
      out[k] = position
      var axis = 0
      while axis < rank {
        index[axis] += 1
        position += opStrides[axis]
        if index[axis] < shape[axis] { break }
        position -= opStrides[axis] * shape[axis]
        index[axis] = 0
        axis += 1
      }
    }
  }

  /// The result: every call of the chosen loop over the operands (cast to `dtype` where they
  /// are buffered) into a zeroed output.
  func run(_ views: [StridedArray], dtype: DType) -> StridedArray {
    let result: ArrayStorage
    switch dtype {
    case .float64, .float32, .bool:
      let sources = views.enumerated().map { iop, view in
        direct(iop, view, dtype) ? view.storage.reals : nil
      }
      let values = evaluate(sources, zero: 0.0) { iop, position in
        let view = views[iop]
        let value =
          view.dtype.isInteger
          ? view.dtype.real(view.storage.integers[position]) : view.storage.reals[position]
        return dtype == .float32 ? Double(Float(value)) : value
      } kernel: { nop, pointers, out, strides, count in
        switch dtype {
        case .float64: retrace_einsum_sop_f64(nop, pointers, out, strides, count)
        case .float32: retrace_einsum_sop_f32(nop, pointers, out, strides, count)
        default: retrace_einsum_sop_bool(nop, pointers, out, strides, count)
        }
      }
      result = ArrayStorage(reals: values)
    default:
      let sources = views.enumerated().map { iop, view in
        direct(iop, view, dtype) ? view.storage.integers : nil
      }
      let values = evaluate(sources, zero: Int64(0)) { iop, position in
        let view = views[iop]
        if view.dtype == .bool { return view.storage.reals[position] != 0 ? 1 : 0 }
        return view.storage.integers[position]
      } kernel: { nop, pointers, out, strides, count in
        retrace_einsum_sop_i64(nop, pointers, out, strides, count)
      }
      result = ArrayStorage(integers: values.map(dtype.wrap))
    }
    return StridedArray(
      storage: result, dtype: dtype, shape: outputShape, strides: outputStrides, offset: 0)
  }

  /// Whether operand `iop` is read in place: not buffered and already of the common dtype (a
  /// 0-d operand of another dtype is read once, cast, as NumPy copies it first).
  func direct(_ iop: Int, _ view: StridedArray, _ dtype: DType) -> Bool {
    !buffered[iop] && view.dtype == dtype
  }

  /// Runs every call: direct operands are read in place at their inner stride; buffered ones
  /// are gathered (with `read`, which casts) into a contiguous buffer first, and a buffered
  /// output written back after the call.
  func evaluate<Element: Numeric>(
    _ sources: [[Element]?], zero: Element, read: (Int, Int) -> Element,
    kernel: (
      Int, UnsafePointer<UnsafePointer<Element>?>, UnsafeMutablePointer<Element>,
      UnsafePointer<Int>, Int
    ) -> Void
  ) -> [Element] {
    var output = [Element](repeating: zero, count: outputCount)
    let capacity = Swift.max(bufferSize, 1)
    let buffers = (0...nop).map { iop -> UnsafeMutablePointer<Element>? in
      let needed = iop == nop ? buffered[nop] : sources[iop] == nil
      return needed ? UnsafeMutablePointer<Element>.allocate(capacity: capacity) : nil
    }
    let spots = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    let pointers = UnsafeMutablePointer<UnsafePointer<Element>?>.allocate(capacity: nop)
    defer {
      for buffer in buffers { buffer?.deallocate() }
      spots.deallocate()
      pointers.deallocate()
    }
    let inner = self.inner
    withBases(sources) { bases in
      output.withUnsafeMutableBufferPointer { out in
        guard let out = out.baseAddress else { return }
        inner.withUnsafeBufferPointer { inner in
          guard let strides = inner.baseAddress else { return }
          forEachCall { start, count in
            for iop in 0..<nop {
              if let base = bases[iop] {
                pointers[iop] = base + position(iop, start)
              } else if let buffer = buffers[iop] {
                let n = inner[iop] == 0 ? 1 : count
                positions(iop, start, n, into: spots)
                for k in 0..<n { buffer[k] = read(iop, spots[k]) }
                pointers[iop] = UnsafePointer(buffer)
              }
            }
            guard buffered[nop], let buffer = buffers[nop] else {
              kernel(nop, pointers, out + position(nop, start), strides, count)
              return
            }
            let n = inner[nop] == 0 ? 1 : count
            positions(nop, start, n, into: spots)
            for k in 0..<n { buffer[k] = out[spots[k]] }
            kernel(nop, pointers, buffer, strides, count)
            for k in 0..<n { out[spots[k]] = buffer[k] }
          }
        }
      }
    }
    return output
  }

  /// Calls `body` with the base address of each array (nil for a missing one).
  func withBases<Element>(_ arrays: [[Element]?], _ body: ([UnsafePointer<Element>?]) -> Void) {
    var bases: [UnsafePointer<Element>?] = []
    func step(_ k: Int) {
      if k == arrays.count { return body(bases) }
      guard let array = arrays[k] else {
        bases.append(nil)
        return step(k + 1)
      }
      array.withUnsafeBufferPointer { buffer in
        bases.append(buffer.baseAddress)
        step(k + 1)
      }
    }
    step(0)
  }

  /// The iterator's broadcast error: each operand's shape and its shape over the iterator's
  /// axes (`newaxis` where it has none).
  static func broadcastError(_ views: [StridedArray], _ opAxes: [[Int]]) -> ArrayError {
    func text(_ values: [Int], _ ending: String) -> String {
      guard let first = values.firstIndex(where: { $0 >= 0 }) else { return "()" + ending }
      let items =
        [String(values[first])]
        + values[(first + 1)...].map { $0 < 0 ? "newaxis" : String($0) }
      return (values.count == 1 ? "(\(items[0]),)" : "(\(items.joined(separator: ",")))")
        + ending
    }
    var message = ""
    for (view, axes) in zip(views, opAxes) {
      message += text(view.shape, "->")
      message += text(axes.map { $0 >= 0 ? view.shape[$0] : -1 }, " ")
    }
    return ArrayError(
      "operands could not be broadcast together with remapped shapes [original->remapped]: "
        + message)
  }
}
