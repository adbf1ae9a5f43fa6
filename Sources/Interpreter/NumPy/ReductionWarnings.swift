import NumPyKit

/// The warnings of NumPy's reductions, which NumPy computes in Python (`numpy/_core/
/// _methods.py`) and so issues from its own lines: `np.sum` from `fromnumeric.py`, `a.sum()`
/// from `_methods.py`, `np.mean` of an empty array "Mean of empty slice" and then an invalid
/// `scalar divide`, `np.var` step by step (the sum for the mean, its division, the deviations,
/// their squares, their sum, the division by the degrees of freedom), `np.std` its square root
/// too.
///
/// The steps are re-run only when NumPy would warn: when the result holds an infinity or a
/// NaN, or the reduction is over no elements, or the degrees of freedom are not positive. (A
/// non-finite step always leaves a non-finite result in these reductions, so a finite result
/// means no step raised a flag.)
enum ReductionWarnings {
  static func report(
    _ reduction: Reduction, _ a: StridedArray, axes: [Int]?, keepDims: Bool,
    result: StridedArray, method: Bool
  ) throws(PythonError) {
    switch reduction {
    case .sum, .prod:
      let site: NumPySite =
        !method ? .fromnumericReduce : reduction == .sum ? .methodsSum : .methodsProd
      try FloatErrorSink.report(
        FloatStatus.ofReduction(
          [a], result: result,
          recompute: { try? $0[0].reduce(reduction, axes: axes, keepDims: keepDims) }),
        "reduce", site: site)
    case .mean:
      let count = reducedCount(a, axes)
      guard count == 0 || FloatStatus.hasNonFinite(result) else { return }
      if count == 0 {
        try FloatErrorSink.warn("Mean of empty slice", site: method ? nil : .fromnumericMean)
      }
      let total = try sum(a, axes: axes, keepDims: keepDims)
      try FloatErrorSink.report(
        FloatStatus.ofReduction([a], result: total, recompute: summed(axes, keepDims)), "reduce",
        site: .meanSum)
      try divide(total, by: count, scalarSite: .meanScalarDivide, arraySite: .meanDivide)
    case .variance(let ddof), .standardDeviation(let ddof):
      let isStd: Bool
      if case .standardDeviation = reduction { isStd = true } else { isStd = false }
      let count = reducedCount(a, axes)
      guard count <= ddof || FloatStatus.hasNonFinite(result) else { return }
      if ddof >= count {
        let site: NumPySite? = isStd ? .stdVar : method ? nil : .fromnumericVar
        try FloatErrorSink.warn("Degrees of freedom <= 0 for slice", site: site)
      }
      let x = a.dtype.isFloat ? a : a.converted(to: .float64)
      let total = try sum(x, axes: axes, keepDims: true)
      try FloatErrorSink.report(
        FloatStatus.ofReduction([x], result: total, recompute: summed(axes, true)), "reduce",
        site: .varSum)
      let mean = try apply(.trueDivide, total, .scalar(.float64(Double(count))))
      try FloatErrorSink.report(
        FloatStatus.of(.trueDivide, total, .scalar(.float64(Double(count))), result: mean),
        "divide", site: .varMeanDivide)
      let deviations = try apply(.subtract, x, mean)
      try FloatErrorSink.report(
        FloatStatus.of(.subtract, x, mean, result: deviations), "subtract", site: .varSubtract)
      let squares = try NumPyModule.wrapError { () throws(ArrayError) in
        try StridedArray.apply(.square, deviations)
      }
      try FloatErrorSink.report(
        FloatStatus.of(.square, deviations, result: squares), "square", site: .varSquare)
      let squaresSum = try sum(squares, axes: axes, keepDims: keepDims)
      try FloatErrorSink.report(
        FloatStatus.ofReduction(
          [squares], result: squaresSum, recompute: summed(axes, keepDims)),
        "reduce", site: .varSquaresSum)
      let variance = try divide(
        squaresSum, by: max(count - ddof, 0), scalarSite: .varScalarDivide,
        arraySite: .varDivide)
      if isStd {
        let root = try NumPyModule.wrapError { () throws(ArrayError) in
          try StridedArray.apply(.sqrt, variance)
        }
        try FloatErrorSink.report(
          FloatStatus.of(.sqrt, variance, result: root), "sqrt",
          site: variance.ndim == 0 ? .stdScalarSqrt : .stdSqrt)
      }
    default:
      return
    }
  }

  /// The sum that `FloatStatus.ofReduction` re-runs over the finite part of its input.
  static func summed(_ axes: [Int]?, _ keepDims: Bool) -> ([StridedArray]) -> StridedArray? {
    { try? $0[0].reduce(.sum, axes: axes, keepDims: keepDims) }
  }

  /// How many elements each output element reduces.
  static func reducedCount(_ a: StridedArray, _ axes: [Int]?) -> Int {
    guard let axes else { return a.count }
    return axes.reduce(1) { product, axis in
      let k = axis < 0 ? axis + a.ndim : axis
      return product * (a.shape.indices.contains(k) ? a.shape[k] : 1)
    }
  }

  static func sum(_ a: StridedArray, axes: [Int]?, keepDims: Bool) throws(PythonError)
    -> StridedArray
  {
    try NumPyModule.wrapError { () throws(ArrayError) in
      try a.reduce(.sum, axes: axes, keepDims: keepDims)
    }
  }

  static func apply(_ ufunc: BinaryUfunc, _ x: StridedArray, _ y: StridedArray)
    throws(PythonError) -> StridedArray
  {
    try NumPyModule.wrapError { () throws(ArrayError) in try StridedArray.apply(ufunc, x, y) }
  }

  /// `total / count` as `_methods.py` divides: a NumPy scalar by `ret.dtype.type(ret /
  /// rcount)` (a `scalar divide`), an array by `um.true_divide`.
  @discardableResult
  static func divide(
    _ total: StridedArray, by count: Int, scalarSite: NumPySite, arraySite: NumPySite
  ) throws(PythonError) -> StridedArray {
    let divisor = StridedArray.scalar(.float64(Double(count)))
    let quotient = try apply(.trueDivide, total, divisor)
    let scalar = total.ndim == 0
    try FloatErrorSink.report(
      FloatStatus.of(.trueDivide, total, divisor, result: quotient),
      scalar ? "scalar divide" : "divide", site: scalar ? scalarSite : arraySite)
    return quotient
  }
}
