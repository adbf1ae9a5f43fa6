import CNumKernels

// numpy.dot and numpy.outer.
//
// NumPy hands float64 dot products to OpenBLAS, whose summation order depends on the operand
// shapes; `SummationOrder.openBLAS` (the default) reproduces it bit for bit for the small
// operands of notebooks (see its documentation), which is what reproduces printed output.
// A BLAS on another CPU may differ in the last bits; the other orders bound that noise.

extension NDArray {
  /// The dot product (numpy.dot) for 0-d, 1-d and 2-d operands: 1-d·1-d gives a 0-d array,
  /// 2-d·1-d a vector (`W1 @ X`), 1-d·2-d a vector, 2-d·2-d a matrix; a 0-d operand scales.
  ///
  /// - Parameter order: how each output's products are summed; `.openBLAS` is NumPy's.
  /// - Throws: "shapes (4,3) and (4,) not aligned: 3 (dim 1) != 4 (dim 0)" (NumPy's words),
  ///   or an error for operands of more than 2 dimensions, which retrace does not need.
  public static func dot(
    _ a: NDArray, _ b: NDArray, order: SummationOrder = .openBLAS
  ) throws(ArrayError) -> NDArray {
    if a.ndim == 0 || b.ndim == 0 { return try a.multiplying(b) }
    guard a.ndim <= 2, b.ndim <= 2 else {
      throw ArrayError(
        "dot of arrays with more than 2 dimensions is not supported: shapes "
          + "\(Shape.text(a.shape)) and \(Shape.text(b.shape))")
    }
    let k = a.shape[a.ndim - 1]
    guard k == b.shape[0] else {
      throw ArrayError(
        "shapes \(Shape.text(a.shape)) and \(Shape.text(b.shape)) not aligned: "
          + "\(k) (dim \(a.ndim - 1)) != \(b.shape[0]) (dim 0)")
    }
    let n = a.ndim == 2 ? a.shape[0] : 1
    let m = b.ndim == 2 ? b.shape[1] : 1
    var shape: [Int] = []
    if a.ndim == 2 { shape.append(n) }
    if b.ndim == 2 { shape.append(m) }
    let dtype = DType.promoted(a.dtype, b.dtype)
    let kind = Kind(a: a.ndim, b: b.ndim, n: n, m: m)
    let out = a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        [Double](unsafeUninitializedCapacity: n * m) { buffer, initialized in
          guard let baseA = pa.baseAddress, let baseB = pb.baseAddress else {
            for r in 0..<(n * m) { buffer.initializeElement(at: r, to: 0) }
            initialized = n * m
            return
          }
          if order == .openBLAS, kind.isMatrixProduct {
            // gemm: every element one FMA chain, computed a row at a time in C.
            retrace_gemm_fma(baseA, k, 1, baseB, m, buffer.baseAddress!, n, m, k)
            initialized = n * m
            return
          }
          for i in 0..<n {
            for j in 0..<m {
              let run = ProductRun(
                a: baseA + i * k, strideA: 1, b: baseB + j, strideB: m, count: k)
              buffer.initializeElement(at: i * m + j, to: kind.sum(run, i: i, j: j, order))
            }
          }
          initialized = n * m
        }
      }
    }
    var result = NDArray(unchecked: shape, scalars: out, dtype: dtype)
    if dtype == .bool { result.normalizeBool() }
    return result
  }

  /// `a.dot(b)` (numpy.ndarray.dot); see `NDArray.dot(_:_:order:)`.
  public func dot(_ other: NDArray, order: SummationOrder = .openBLAS) throws(ArrayError)
    -> NDArray
  {
    try NDArray.dot(self, other, order: order)
  }

  /// The outer product (numpy.outer): both operands are flattened; `result[i, j] = a[i] * b[j]`
  /// (one rounded product each, so bit for bit), shape `(a.count, b.count)`.
  public static func outer(_ a: NDArray, _ b: NDArray) -> NDArray {
    let dtype = DType.promoted(a.dtype, b.dtype)
    var out = [Double]()
    out.reserveCapacity(a.count * b.count)
    for x in a.scalars {
      for y in b.scalars {
        out.append(dtype == .bool ? (x != 0 && y != 0 ? 1 : 0) : x * y)
      }
    }
    return NDArray(unchecked: [a.count, b.count], scalars: out, dtype: dtype)
  }

  /// Which OpenBLAS routine NumPy reaches for a pair of operand shapes, and the output
  /// extents the routine's blocking depends on.
  private struct Kind {
    enum Routine { case ddot, gemvT, gemvN }
    let routine: Routine
    /// 1-d·1-d: a length-1 contraction is one product there (NumPy's scalar path).
    let isVectorDot: Bool
    /// 2-d·2-d reaching dgemm: each element `0.0 + ` the FMA chain of its products.
    var isMatrixProduct: Bool { routine == .ddot && !isVectorDot }
    let n: Int
    let m: Int

    init(a: Int, b: Int, n: Int, m: Int) {
      self.n = n
      self.m = m
      isVectorDot = a == 1 && b == 1
      switch (a, b) {
      case (1, 1): routine = .ddot
      case (2, 1): routine = n == 1 ? .ddot : .gemvT
      case (1, 2): routine = m == 1 ? .ddot : .gemvN
      default:
        // A (1,k) or (k,1) matrix is treated as a vector, as NumPy's cblasfuncs does.
        if n == 1 {
          routine = m == 1 ? .ddot : .gemvN
        } else {
          routine = m == 1 ? .gemvT : .ddot
        }
      }
    }

    @inline(__always)
    func sum(_ run: ProductRun, i: Int, j: Int, _ order: SummationOrder) -> Double {
      guard order == .openBLAS else { return run.sum(order) }
      if run.count == 0 { return 0 }
      switch routine {
      case .ddot: return isVectorDot && run.count == 1 ? run.product(0) : run.ddot()
      case .gemvT: return run.gemvT(output: i, of: n)
      case .gemvN: return run.gemvN(output: j, of: m)
      }
    }
  }
}
