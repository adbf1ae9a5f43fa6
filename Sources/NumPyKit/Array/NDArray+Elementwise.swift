extension NDArray {
  /// Applies `op` element by element after NumPy broadcasting (the core of every binary ufunc).
  ///
  /// Fast paths: equal shapes (one contiguous loop), and an operand of one element whose
  /// broadcast leaves the other's shape unchanged (a scalar loop). Otherwise one odometer walk
  /// with 0-strides on the stretched axes. No per-element allocation.
  @inline(__always)
  static func broadcasting(
    _ a: NDArray, _ b: NDArray, dtype: DType, _ op: (Double, Double) -> Double
  ) throws(ArrayError) -> NDArray {
    if a.shape == b.shape {
      let out = zip(a.scalars, b.scalars).map { op($0, $1) }
      return NDArray(unchecked: a.shape, scalars: out, dtype: dtype)
    }
    let shape = try Shape.broadcast(a.shape, b.shape)
    if b.scalars.count == 1, shape == a.shape {
      let y = b.scalars[0]
      return NDArray(unchecked: shape, scalars: a.scalars.map { op($0, y) }, dtype: dtype)
    }
    if a.scalars.count == 1, shape == b.shape {
      let x = a.scalars[0]
      return NDArray(unchecked: shape, scalars: b.scalars.map { op(x, $0) }, dtype: dtype)
    }
    let out = walk(shape, a, b, op)
    return NDArray(unchecked: shape, scalars: out, dtype: dtype)
  }

  /// The general broadcast loop: the last axis runs innermost with fixed strides.
  @inline(__always)
  private static func walk(
    _ shape: [Int], _ a: NDArray, _ b: NDArray, _ op: (Double, Double) -> Double
  ) -> [Double] {
    let count = shape.reduce(1, *)
    if count == 0 { return [] }
    if shape.count <= 2 { return walkMatrix(shape, a, b, op) }
    let sa = Shape.broadcastStrides(a.shape, to: shape)
    let sb = Shape.broadcastStrides(b.shape, to: shape)
    let rank = shape.count
    let inner = shape[rank - 1]
    let ia = sa[rank - 1]
    let ib = sb[rank - 1]
    return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
      a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
          var index = [Int](repeating: 0, count: rank)
          var offsetA = 0
          var offsetB = 0
          var written = 0
          while written < count {
            var ka = offsetA
            var kb = offsetB
            for _ in 0..<inner {
              (buffer.baseAddress.unsafelyUnwrapped + written).initialize(to: op(pa[ka], pb[kb]))
              written += 1
              ka += ia
              kb += ib
            }
            // Advance the odometer over the outer axes.
            var axis = rank - 2
            while axis >= 0 {
              index[axis] += 1
              offsetA += sa[axis]
              offsetB += sb[axis]
              if index[axis] < shape[axis] { break }
              offsetA -= sa[axis] * shape[axis]
              offsetB -= sb[axis] * shape[axis]
              index[axis] = 0
              axis -= 1
            }
          }
          initialized = written
        }
      }
    }
  }

  /// `walk` for results of rank 0, 1 or 2 (every array of the notebooks replayed): the same
  /// C-order loop with each operand's two broadcast strides kept in registers, not in the
  /// three small arrays (two stride arrays and an index) the general walk allocates.
  @inline(__always)
  private static func walkMatrix(
    _ shape: [Int], _ a: NDArray, _ b: NDArray, _ op: (Double, Double) -> Double
  ) -> [Double] {
    let rank = shape.count
    let rows = rank == 2 ? shape[0] : 1
    let columns = rank >= 1 ? shape[rank - 1] : 1
    /// The row and column strides of an operand read with the result's shape: 0 on the
    /// stretched and the prepended axes.
    func strides(_ own: [Int]) -> (row: Int, column: Int) {
      let column = own.count >= 1 && own[own.count - 1] != 1 ? 1 : 0
      let row = rank == 2 && own.count == 2 && own[0] != 1 ? own[1] : 0
      return (row, column)
    }
    let (rowA, columnA) = strides(a.shape)
    let (rowB, columnB) = strides(b.shape)
    let count = rows * columns
    return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
      a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
          var written = 0
          for row in 0..<rows {
            var ka = row * rowA
            var kb = row * rowB
            for _ in 0..<columns {
              buffer.initializeElement(at: written, to: op(pa[ka], pb[kb]))
              written += 1
              ka += columnA
              kb += columnB
            }
          }
        }
      }
      initialized = count
    }
  }

  /// Applies `op` to every element (a unary ufunc).
  @inline(__always)
  func mapped(dtype: DType, _ op: (Double) -> Double) -> NDArray {
    NDArray(unchecked: shape, scalars: scalars.map(op), dtype: dtype)
  }

  /// NumPy's in-place ufunc (`a -= b`): `b` may broadcast to `a`'s shape but `a` may not grow,
  /// and the result must cast to `a`'s dtype under 'same_kind'.
  @inline(__always)
  mutating func updateInPlace(
    _ b: NDArray, ufunc: String, resultType: DType, _ op: (Double, Double) -> Double
  ) throws(ArrayError) {
    guard let broadcast = Shape.broadcastIfPossible(shape, b.shape) else {
      throw .notBroadcastable([shape, b.shape, shape])
    }
    guard broadcast == shape else { throw .nonBroadcastableOutput(shape, broadcast) }
    guard resultType.canCastSameKind(to: dtype) else {
      throw ArrayError(
        "Cannot cast ufunc '\(ufunc)' output from \(resultType.numpyName) to "
          + "\(dtype.numpyName) with casting rule 'same_kind'")
    }
    if b.shape == shape {
      b.scalars.withUnsafeBufferPointer { pb in
        scalars.withUnsafeMutableBufferPointer { pa in
          for i in pa.indices { pa[i] = op(pa[i], pb[i]) }
        }
      }
    } else if b.scalars.count == 1 {
      let y = b.scalars[0]
      scalars.withUnsafeMutableBufferPointer { pa in
        for i in pa.indices { pa[i] = op(pa[i], y) }
      }
    } else {
      scalars = NDArray.walk(shape, self, b, op)
    }
    if dtype == .bool { normalizeBool() }
  }

  /// Maps every nonzero to 1 (NumPy's cast to bool).
  mutating func normalizeBool() {
    scalars.withUnsafeMutableBufferPointer { p in
      for i in p.indices { p[i] = p[i] != 0 ? 1 : 0 }
    }
  }
}
