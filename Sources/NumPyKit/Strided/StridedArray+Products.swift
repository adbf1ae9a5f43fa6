import CNumKernels

// numpy.dot, numpy.matmul (`@`) and numpy.outer.
//
// For float64 the bits depend on which BLAS routine NumPy 2.4.6 calls, on which memory, and
// on that routine's summation order (`BLASOrder`). NumPy decides in three places, modelled
// here one function each:
// - numpy/_core/src/common/cblasfuncs.c, `cblas_matrixproduct` (np.dot of operands of up to
//   2 dimensions): operands with a negative stride, or a zero stride on an axis longer than 1,
//   are copied to C order first; then by the operands' shapes (a size-1 array or a 0-d one is
//   a scalar, a (k,) or (k, 1) one a column, a (1, k) one a row): scalar → elementwise
//   product (daxpy: `0 + x * s`, the bare product when there is one element); row or vector
//   times column → `DOUBLE_dot` (ddot); matrix times vector → dgemv, transposed for a C-order
//   matrix (a matrix in neither C nor F order is copied to C); vector times matrix → dgemv,
//   transposed for an F-order matrix; otherwise dgemm, or dsyrk when the operands are one
//   buffer and its transpose (`a @ a.T`, `a.T @ a`), an operand in neither order copied to C.
// - multiarraymodule.c, `PyArray_MatrixProduct2` (np.dot with more than 2 dimensions): every
//   output element is `DOUBLE_dot` of a row of `a` and a column of `b`, in place: ddot when
//   both strides are positive, NumPy's own rounded-product loop otherwise.
// - umath/matmul.c.src (matmul per pair of matrices of a stack, 1-d operands as a row or a
//   column): a 1×k by k×1 → `DOUBLE_dot`; a contraction or both outputs of length 1 → the
//   loop; a row times a matrix BLAS can read (unit stride along one axis, the other stride at
//   least that extent) → dgemv, transposed for an F-like matrix; a matrix times a column
//   likewise, transposed for a C-like matrix; other shapes with a 1 → the loop; otherwise
//   dgemm or dsyrk (the same buffer, transposed strides), operands BLAS cannot read copied
//   to the order their strides suggest.
// A non-float64 operand is cast first: np.dot keeps an F-order matrix in F order, matmul
// casts to C order.

extension StridedArray {
  // MARK: - Products

  /// numpy.dot, or numpy.matmul / `@` with `matmul` (0-d operands refused, a stack of
  /// matrices times a matrix or vector): float64 in the summation order of `blas` (by default
  /// this machine's: NumPy 2.4.6's OpenBLAS on Haswell kernels with 2 threads, bit for bit;
  /// see `BLASOrder`), int64 exact with wrapping.
  ///
  /// - Throws: NumPy's errors for misaligned shapes and 0-d matmul operands; an `.unmodelled`
  ///   error for matmul of stacks on both sides (the interpreter loops over those itself) and
  ///   for non-float64 products of more than 2 dimensions other than a stack times a matrix.
  public static func dot(
    _ a: StridedArray, _ b: StridedArray, matmul: Bool = false, blas: BLASOrder = .current
  ) throws(ArrayError) -> StridedArray {
    if matmul && (a.ndim == 0 || b.ndim == 0) {
      throw ArrayError(
        "matmul: Input operand \(a.ndim == 0 ? 0 : 1) does not have enough dimensions (has 0, "
          + "gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)")
    }
    let dtype = DType.promoted(a.dtype, b.dtype)
    if dtype == .float32, a.ndim > 0, b.ndim > 0 {
      // OpenBLAS's sdot / sgemv / sgemm kernels, whose order retrace does not model.
      throw ArrayError(
        "retrace does not model NumPy's float32 \(matmul ? "matmul" : "dot") (OpenBLAS's "
          + "single-precision kernels)", kind: .unmodelled)
    }
    if dtype == .float64 && blas.kernels.simpleOrder == nil {
      // NumPy's dispatch, with the routines of the Haswell or the SkylakeX build.
      return try haswellProduct(a, b, matmul: matmul, blas: blas)
    }
    if a.ndim == 0 || b.ndim == 0 { return try apply(.multiply, a, b) }
    if a.ndim > 2 && b.ndim <= 2 && a.shape[a.ndim - 1] == b.shape[0] {
      // A stack of matrices times one matrix or vector (dot and matmul agree here): each
      // row of the stack is a row of one product, so the stack is one tall matrix.
      let rows = try a.reshaped([-1, a.shape[a.ndim - 1]])
      let product = try dot(rows, b, matmul: matmul, blas: blas)
      return try product.reshaped(Array(a.shape.dropLast()) + Array(b.shape.dropFirst()))
    }
    if a.ndim > 2 || b.ndim > 2 {
      throw ArrayError(
        "retrace models dot and matmul of arrays of up to 2 dimensions, not shapes "
          + "\(Shape.text(a.shape)) and \(Shape.text(b.shape))")
    }
    let k = a.shape[a.ndim - 1]
    try checkAligned(a, b, axis: 0, matmul: matmul)
    try Shape.checkBudget([a.ndim == 2 ? a.shape[0] : 1, b.ndim == 2 ? b.shape[1] : 1])
    if dtype == .float64, let order = blas.kernels.simpleOrder {
      let x = a.dtype == .float64 ? a : a.converted(to: .float64)
      let y = b.dtype == .float64 ? b : b.converted(to: .float64)
      return StridedArray(try NDArray.dot(x.ndarray(), y.ndarray(), order: order))
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

  /// NumPy's error when `a`'s last extent is not `b`'s extent along `axis`.
  private static func checkAligned(
    _ a: StridedArray, _ b: StridedArray, axis: Int, matmul: Bool
  ) throws(ArrayError) {
    let k = a.shape[a.ndim - 1]
    let kb = b.shape[axis]
    guard k != kb else { return }
    if matmul {
      throw ArrayError(
        "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
          + "(n?,k),(k,m?)->(n?,m?) (size \(kb) is different from \(k))")
    }
    throw ArrayError(
      "shapes \(Shape.text(a.shape)) and \(Shape.text(b.shape)) not aligned: "
        + "\(k) (dim \(a.ndim - 1)) != \(kb) (dim \(axis))")
  }

  // MARK: - NumPy's dispatch to its BLAS

  /// The float64 product through NumPy's three dispatchers (see the top of this file).
  private static func haswellProduct(
    _ a: StridedArray, _ b: StridedArray, matmul: Bool, blas: BLASOrder
  ) throws(ArrayError) -> StridedArray {
    if a.ndim == 0 || b.ndim == 0 {
      // np.dot with a 0-d operand: cblas_matrixproduct's daxpy over the other one.
      let product = try apply(.multiply, a, b)
      return product.count > 1 ? try apply(.add, product, .scalar(.float64(0))) : product
    }
    let matchAxis = b.ndim >= 2 ? b.ndim - 2 : 0
    try checkAligned(a, b, axis: matchAxis, matmul: matmul)
    // Two float64 matrices (a training loop's every product): matmul as one pair, np.dot
    // straight to cblas_matrixproduct, without the stack's bookkeeping arrays.
    if a.ndim == 2, b.ndim == 2, a.dtype == .float64, b.dtype == .float64 {
      let (rows, cols) = (a.shape[0], b.shape[1])
      try Shape.checkBudget([rows, cols])
      if !matmul { return cblasMatrixProduct(a, b, blas: blas) }
      return StridedArray(shape: [rows, cols], reals: matmulPair(a, b, blas: blas))
    }
    let outer = Array(a.shape.dropLast())
    let rest = b.ndim >= 2 ? Array(b.shape[..<matchAxis]) + [b.shape[b.ndim - 1]] : []
    try Shape.checkBudget(outer + rest)
    if matmul {
      let x = a.dtype == .float64 ? a : a.converted(to: .float64)
      let y = b.dtype == .float64 ? b : b.converted(to: .float64)
      if y.ndim > 2 {
        throw ArrayError(
          "retrace models matmul of a stack by a matrix or a vector here, not shapes "
            + "\(Shape.text(a.shape)) and \(Shape.text(b.shape))", kind: .unmodelled)
      }
      return stackedProduct(x, y, blas: blas)
    }
    let x = a.dtype == .float64 ? a : a.castKeepingOrder()
    let y = b.dtype == .float64 ? b : b.castKeepingOrder()
    if x.ndim > 2 || y.ndim > 2 { return elementwiseDots(x, y, blas: blas) }
    return cblasMatrixProduct(x, y, blas: blas)
  }

  /// numpy.dot of float64 operands of up to 2 dimensions (cblas_matrixproduct).
  private static func cblasMatrixProduct(
    _ a0: StridedArray, _ b0: StridedArray, blas: BLASOrder
  ) -> StridedArray {
    // Two matrices that BLAS reads in place (`x.dot(w)`, `h.T.dot(g)`): the dgemm below
    // without the operand copies and closures around it (the same call, the same bits).
    if a0.ndim == 2, b0.ndim == 2, a0.shape[0] > 1, a0.shape[1] > 1, b0.shape[0] > 1,
      b0.shape[1] > 1, a0.strides[0] > 0, a0.strides[1] > 0, b0.strides[0] > 0,
      b0.strides[1] == 1, a0.isContiguous || a0.isFortranContiguous, b0.isContiguous
    {
      let (rows, k, cols) = (a0.shape[0], a0.shape[1], b0.shape[1])
      let symmetric = isTransposePair(a0, b0)
      let (ars, acs, brs) = (a0.strides[0], a0.strides[1], b0.strides[0])
      let (aOffset, bOffset) = (a0.offset, b0.offset)
      let values = a0.storage.reals.withUnsafeBufferPointer { x in
        b0.storage.reals.withUnsafeBufferPointer { y in
          makeReals(count: rows * cols) { out in
            blas.dgemm(
              rows: rows, cols: cols, k: k, x.baseAddress! + aOffset, rowStride: ars,
              columnStride: acs, y.baseAddress! + bOffset, rowStride: brs, columnStride: 1,
              into: out.baseAddress!, symmetric: symmetric)
          }
        }
      }
      return StridedArray(shape: [rows, cols], reals: values)
    }
    let a = a0.hasBadBLASStrides ? a0.copy() : a0
    let b = b0.hasBadBLASStrides ? b0.copy() : b0
    // Two matrices (a training loop's `x.dot(w)`): the shape as a literal (see
    // `Shape.strides`).
    let shape =
      a.ndim == 2 && b.ndim == 2
      ? [a.shape[0], b.shape[1]] : Array(a.shape.dropLast()) + Array(b.shape.dropFirst())
    let count = shape.reduce(1, *)
    let k = a.shape[a.ndim - 1]
    if count == 0 || k == 0 {
      return StridedArray(shape: shape, reals: Array(repeating: 0, count: count))
    }
    let left = MatrixKind(a)
    let right = MatrixKind(b)
    if left == .scalar || right == .scalar {
      // daxpy over the other operand: `0 + x * s` (the bare product for one element).
      let (scalar, other) = left == .scalar ? (a, b) : (b, a)
      let s = scalar.realValues()[0]
      let values = other.realValues()
      let out = count == 1 ? values.map { $0 * s } : values.map { $0 * s + 0.0 }
      return StridedArray(shape: shape, reals: out)
    }
    if right == .column && left != .matrix {
      let incx = a.ndim == 1 ? a.strides[0] : a.strides[1]
      let incy = b.strides[0]
      let value = computeReals(a, b, count: 1) { x, y, out in
        out[0] = blas.ddot(k, x, incx, y, incy)
      }
      return StridedArray(shape: shape, reals: value)
    }
    if left == .matrix && right != .matrix {
      let matrix = a.isContiguous || a.isFortranContiguous ? a : a.copy()
      let rows = matrix.shape[0]
      let (cOrder, incx) = (matrix.isContiguous, b.strides[0])
      let values = computeReals(matrix, b, count: rows) { x, v, out in
        if cOrder {
          blas.dgemv(transposed: true, m: k, n: rows, x, lda: k, v, incx: incx, into: out)
        } else {
          blas.dgemv(transposed: false, m: rows, n: k, x, lda: rows, v, incx: incx, into: out)
        }
      }
      return StridedArray(shape: shape, reals: values)
    }
    if left != .matrix && right == .matrix {
      let matrix = b.isContiguous || b.isFortranContiguous ? b : b.copy()
      let cols = matrix.shape[1]
      let incx = a.ndim == 1 ? a.strides[0] : a.strides[1]
      let cOrder = matrix.isContiguous
      let values = computeReals(a, matrix, count: cols) { v, y, out in
        if cOrder {
          blas.dgemv(transposed: false, m: cols, n: k, y, lda: cols, v, incx: incx, into: out)
        } else {
          blas.dgemv(transposed: true, m: k, n: cols, y, lda: k, v, incx: incx, into: out)
        }
      }
      return StridedArray(shape: shape, reals: values)
    }
    let x = a.isContiguous || a.isFortranContiguous ? a : a.copy()
    let y = b.isContiguous || b.isFortranContiguous ? b : b.copy()
    return StridedArray(
      shape: shape, reals: gemm(x, y, symmetric: isTransposePair(x, y), blas: blas))
  }

  /// Whether two matrices are one array and its transpose, laid out so that cblas_dgemm's
  /// caller takes dsyrk (`a @ a.T`, `a.T.dot(a)`).
  private static func isTransposePair(_ x: StridedArray, _ y: StridedArray) -> Bool {
    x.storage === y.storage && x.offset == y.offset && x.shape[0] == y.shape[1]
      && x.shape[1] == y.shape[0] && x.strides[0] == y.strides[1] && x.strides[1] == y.strides[0]
      && x.isFortranContiguous != y.isFortranContiguous
  }

  /// numpy.dot with an operand of more than 2 dimensions (PyArray_MatrixProduct2): each
  /// element `DOUBLE_dot` of a row of `a` and a column of `b` along its second-to-last axis.
  private static func elementwiseDots(
    _ a: StridedArray, _ b: StridedArray, blas: BLASOrder
  ) -> StridedArray {
    let k = a.shape[a.ndim - 1]
    let matchAxis = b.ndim >= 2 ? b.ndim - 2 : 0
    let rows = a.droppingAxis(a.ndim - 1)
    let columns = b.droppingAxis(matchAxis)
    let shape = rows.shape + columns.shape
    let count = shape.reduce(1, *)
    if count == 0 { return StridedArray(shape: shape, reals: []) }
    let (rowStarts, columnStarts) = (rows.offsets(), columns.offsets())
    let (is1, is2) = (a.strides[a.ndim - 1], b.strides[matchAxis])
    let values = a.storage.reals.withUnsafeBufferPointer { x in
      b.storage.reals.withUnsafeBufferPointer { y in
        makeReals(count: count) { out in
          guard let xb = x.baseAddress, let yb = y.baseAddress else {
            for r in 0..<count { out[r] = 0 }
            return
          }
          var r = 0
          for i in rowStarts {
            for j in columnStarts {
              out[r] =
                is1 > 0 && is2 > 0
                ? blas.ddot(k, xb + i, is1, yb + j, is2)
                : BLASOrder.sequentialDot(k, xb + i, is1, yb + j, is2)
              r += 1
            }
          }
        }
      }
    }
    return StridedArray(shape: shape, reals: values)
  }

  /// numpy.matmul of float64 operands: `a` of any rank ≥ 1, `b` of rank 1 or 2 (the stack's
  /// leading axes are `a`'s); each pair of matrices through `matmulPair`.
  private static func stackedProduct(
    _ a: StridedArray, _ b: StridedArray, blas: BLASOrder
  ) -> StridedArray {
    let left = a.ndim == 1 ? a.matrixView(rows: 1) : a
    let right = b.ndim == 1 ? b.matrixView(rows: b.shape[0]) : b
    let batch = Array(left.shape.dropLast(2))
    let (dm, dp) = (left.shape[left.ndim - 2], right.shape[1])
    var values: [Double] = []
    values.reserveCapacity(batch.reduce(1, *) * dm * dp)
    for start in left.batchOffsets() {
      let pair = StridedArray(
        storage: left.storage, dtype: .float64, shape: Array(left.shape.suffix(2)),
        strides: Array(left.strides.suffix(2)), offset: start)
      values += matmulPair(pair, right, blas: blas)
    }
    var shape = batch
    if a.ndim > 1 { shape.append(dm) }
    if b.ndim > 1 { shape.append(dp) }
    return StridedArray(shape: shape, reals: values)
  }

  /// matmul.c.src's inner loop for one (dm×dn)·(dn×dp) pair of float64 views.
  private static func matmulPair(_ a: StridedArray, _ b: StridedArray, blas: BLASOrder)
    -> [Double]
  {
    let (dm, dn, dp) = (a.shape[0], a.shape[1], b.shape[1])
    if dm == 0 || dp == 0 { return [] }
    if dn == 0 { return Array(repeating: 0, count: dm * dp) }
    let (is1m, is1n, is2n, is2p) = (a.strides[0], a.strides[1], b.strides[0], b.strides[1])
    // is_blasable2d: unit stride along the fast axis, the slow stride at least its extent.
    func blasable(_ slow: Int, _ fast: Int, _ extent: Int) -> Bool {
      fast == 1 && slow >= extent
    }
    let aIsC = blasable(is1m, is1n, dn)
    let aIsF = blasable(is1n, is1m, dm)
    let bIsC = blasable(is2n, is2p, dp)
    let bIsF = blasable(is2p, is2n, dn)
    if dm == 1 || dn == 1 || dp == 1 {
      if dm == 1 && dp == 1 {
        return computeReals(a, b, count: 1) { x, y, out in
          out[0] =
            is1n > 0 && is2n > 0
            ? blas.ddot(dn, x, is1n, y, is2n) : BLASOrder.sequentialDot(dn, x, is1n, y, is2n)
        }
      }
      if dn != 1 && dm == 1 && (bIsC || bIsF) && is1n >= 1 {
        return computeReals(a, b, count: dp) { x, y, out in
          if bIsF {
            blas.dgemv(transposed: true, m: dn, n: dp, y, lda: is2p, x, incx: is1n, into: out)
          } else {
            blas.dgemv(transposed: false, m: dp, n: dn, y, lda: is2n, x, incx: is1n, into: out)
          }
        }
      }
      if dn != 1 && dp == 1 && (aIsC || aIsF) && is2n >= 1 {
        return computeReals(a, b, count: dm) { x, y, out in
          if aIsC {
            blas.dgemv(transposed: true, m: dn, n: dm, x, lda: is1m, y, incx: is2n, into: out)
          } else {
            blas.dgemv(transposed: false, m: dm, n: dn, x, lda: is1n, y, incx: is2n, into: out)
          }
        }
      }
      return computeReals(a, b, count: dm * dp) { x, y, out in
        for i in 0..<dm {
          for j in 0..<dp {
            out[i * dp + j] = BLASOrder.sequentialDot(dn, x + i * is1m, is1n, y + j * is2p, is2n)
          }
        }
      }
    }
    let x = aIsC || aIsF ? a : (abs(is1m) < abs(is1n) ? a.fortranCopy() : a.copy())
    let y = bIsC || bIsF ? b : (abs(is2n) < abs(is2p) ? b.fortranCopy() : b.copy())
    let symmetric =
      x.storage === y.storage && x.offset == y.offset && dm == dp && x.strides[0] == y.strides[1]
      && x.strides[1] == y.strides[0]
      && blasable(x.strides[0], x.strides[1], dn) != blasable(y.strides[0], y.strides[1], dp)
    return gemm(x, y, symmetric: symmetric, blas: blas)
  }

  /// dgemm (or dsyrk) of two 2-d float64 views: C-order rows×cols values.
  private static func gemm(_ a: StridedArray, _ b: StridedArray, symmetric: Bool, blas: BLASOrder)
    -> [Double]
  {
    let (rows, k, cols) = (a.shape[0], a.shape[1], b.shape[1])
    // cblas_dgemm reads `b` in C order or transposed (F order): the SkylakeX kernels depend on
    // which; the Haswell ones sum a C-order copy alike.
    let keepsOrder = b.strides[1] == 1 || (blas.kernels == .skylakeX && b.strides[0] == 1)
    let right = keepsOrder ? b : b.copy()
    let (ars, acs) = (a.strides[0], a.strides[1])
    let (brs, bcs) = (right.strides[0], right.strides[1])
    return computeReals(a, right, count: rows * cols) { x, y, c in
      blas.dgemm(
        rows: rows, cols: cols, k: k, x, rowStride: ars, columnStride: acs, y, rowStride: brs,
        columnStride: bcs, into: c, symmetric: symmetric)
    }
  }

  /// `count` doubles that `body` writes, given pointers to the first elements of `a` and `b`.
  private static func computeReals(
    _ a: StridedArray, _ b: StridedArray, count: Int,
    _ body: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
  ) -> [Double] {
    // Every body writes all `count` outputs (the BLAS calls start from zero themselves).
    a.storage.reals.withUnsafeBufferPointer { x in
      b.storage.reals.withUnsafeBufferPointer { y in
        makeReals(count: count) { o in
          guard let xb = x.baseAddress, let yb = y.baseAddress, let ob = o.baseAddress else {
            o.initialize(repeating: 0)
            return
          }
          body(xb + a.offset, yb + b.offset, ob)
        }
      }
    }
  }
}

/// cblasfuncs.c's `_select_matrix_shape`: how np.dot sees an operand of up to 2 dimensions.
private enum MatrixKind {
  case scalar, column, row, matrix

  init(_ array: StridedArray) {
    switch array.ndim {
    case 0: self = .scalar
    case 1: self = array.shape[0] > 1 ? .column : .scalar
    default:
      if array.shape[0] > 1 {
        self = array.shape[1] == 1 ? .column : .matrix
      } else {
        self = array.shape[1] == 1 ? .scalar : .row
      }
    }
  }
}

extension StridedArray {
  /// cblasfuncs.c's `_bad_strides`: a negative stride, or a zero one on an axis longer than 1.
  fileprivate var hasBadBLASStrides: Bool {
    zip(strides, shape).contains { stride, extent in stride < 0 || (stride == 0 && extent > 1) }
  }

  /// A float64 copy in the memory order NumPy's cast keeps (np.dot's `PyArray_FromAny`): F
  /// order for a 2-d array whose first stride is the smaller, C order otherwise.
  fileprivate func castKeepingOrder() -> StridedArray {
    if ndim == 2 && abs(strides[0]) < abs(strides[1]) && shape[0] > 1 && shape[1] > 1 {
      return transposedView().converted(to: .float64).transposedView()
    }
    return converted(to: .float64)
  }

  /// A float64 copy of a 2-d array in F order.
  fileprivate func fortranCopy() -> StridedArray {
    transposedView().copy().transposedView()
  }

  /// The transpose of a 2-d array, as a view.
  fileprivate func transposedView() -> StridedArray {
    StridedArray(
      storage: storage, dtype: dtype, shape: [shape[1], shape[0]],
      strides: [strides[1], strides[0]], offset: offset)
  }

  /// A 1-d array as a matrix view: one row (`rows` 1) or one column.
  fileprivate func matrixView(rows: Int) -> StridedArray {
    rows == 1
      ? StridedArray(
        storage: storage, dtype: dtype, shape: [1, shape[0]], strides: [0, strides[0]],
        offset: offset)
      : StridedArray(
        storage: storage, dtype: dtype, shape: [shape[0], 1], strides: [strides[0], 0],
        offset: offset)
  }

  /// The view without one axis (its index fixed at 0).
  fileprivate func droppingAxis(_ axis: Int) -> StridedArray {
    var (newShape, newStrides) = (shape, strides)
    newShape.remove(at: axis)
    newStrides.remove(at: axis)
    return StridedArray(
      storage: storage, dtype: dtype, shape: newShape, strides: newStrides, offset: offset)
  }

  /// The storage offsets of the matrices of a stack (all axes but the last two), in C order.
  fileprivate func batchOffsets() -> [Int] {
    StridedArray(
      storage: storage, dtype: dtype, shape: Array(shape.dropLast(2)),
      strides: Array(strides.dropLast(2)), offset: offset
    ).offsets()
  }
}
