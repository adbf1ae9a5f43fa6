import NumPyKit

// numpy.cov and numpy.corrcoef, as numpy/lib/_function_base_impl.py computes them, step by
// step (so each rounding is NumPy's): the rows centred on their means, the product of the
// centred rows with a conjugated copy of their transpose (a dgemm in this machine's OpenBLAS
// order), scaled by `1 / (n - ddof)`; corrcoef then divides by the standard deviations, first
// along the rows and then along the columns, and clips to [-1, 1].

extension NumPyModule {
  static func addStatistics(_ add: (String, @escaping Body) -> Void) {
    add("cov") { _, call throws(PythonError) in
      try refuseWeights(call, "cov")
      let bias = try call.bool(3, "bias", default: false)
      let ddof = try call.int(4, "ddof")
      // `c.squeeze()`: a 0-d array for one variable, not a scalar.
      return ArrayValues.wrapArray(try covariance(call, bias: bias, ddof: ddof))
    }
    add("corrcoef") { _, call throws(PythonError) in
      let c = try covariance(call, bias: false, ddof: nil)
      return ArrayValues.wrap(
        try wrapError { () throws(ArrayError) in
          guard c.ndim == 2 else {
            // One variable: NumPy's `c / c`.
            return try StridedArray.apply(.trueDivide, c, c)
          }
          let n = c.shape[0]
          var d: [Double] = []
          for i in 0..<n {
            d.append(c.element(at: c.offset + i * (c.strides[0] + c.strides[1])).real)
          }
          let stddev = StridedArray(shape: [n], reals: d.map { $0.squareRoot() })
          var result = try StridedArray.apply(.trueDivide, c, try stddev.reshaped([n, 1]))
          result = try StridedArray.apply(.trueDivide, result, try stddev.reshaped([1, n]))
          return try result.clipped(.scalar(.float64(-1)), .scalar(.float64(1)))
        })
    }
  }

  private static func refuseWeights(_ call: CallArguments, _ name: String) throws(PythonError) {
    for weight in ["fweights", "aweights"] where call.value(nil, weight) != nil {
      throw PythonError(refusal: "retrace does not model np.\(name) with \(weight)")
    }
    if call.value(nil, "dtype") != nil {
      throw PythonError(refusal: "retrace does not model np.\(name) with dtype=")
    }
  }

  /// numpy.cov(m, y=None, rowvar=True, bias=False, ddof=None) (and corrcoef's first step).
  private static func covariance(_ call: CallArguments, bias: Bool, ddof: Int?)
    throws(PythonError) -> StridedArray
  {
    let rowvar = try call.bool(2, "rowvar", default: true)
    func rows(_ value: StridedArray) throws(PythonError) -> StridedArray {
      if value.dtype == .float32 || value.ndim > 2 {
        throw PythonError(refusal: "retrace models np.cov of 1-d and 2-d float64 data only")
      }
      var x = value.converted(to: .float64)
      if x.ndim < 2 { x = try wrapError { () throws(ArrayError) in try x.reshaped([1, x.count]) } }
      if !rowvar && x.shape[0] != 1 {
        x = try wrapError { () throws(ArrayError) in try x.transposed().copy() }
      }
      return x
    }
    var x = try rows(try call.array(0, "m"))
    if call.value(1, "y") != nil {
      let y = try rows(try call.array(1, "y"))
      x = try wrapError { () throws(ArrayError) in try StridedArray.concatenate([x, y], axis: 0) }
    }
    let (variables, observations) = (x.shape[0], x.shape[1])
    if variables == 0 || observations == 0 {
      throw PythonError(refusal: "retrace does not model np.cov of empty data")
    }
    let delta = ddof ?? (bias ? 0 : 1)
    let fact = observations - delta
    guard fact > 0 else {
      throw PythonError(
        refusal: "retrace does not model np.cov's warning for degrees of freedom <= 0")
    }
    let centred = x
    return try wrapError { () throws(ArrayError) in
      let average = try centred.reduce(.mean, axes: [1]).reshaped([variables, 1])
      let deviations = try StridedArray.apply(.subtract, centred, average)
      // `dot(X, X.T.conj())`: conj of a real array is a copy (F-ordered, as X.T is), so the
      // product is a dgemm of two operands, not a dsyrk.
      let conjugated = try deviations.copy().transposed()
      let product = try StridedArray.dot(deviations, conjugated)
      let scaled = try StridedArray.apply(.multiply, product, .scalar(.float64(1.0 / Double(fact))))
      return try scaled.squeezed()
    }
  }
}
