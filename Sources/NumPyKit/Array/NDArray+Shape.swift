// Shape manipulation: reshape, transpose, flatten, and element access by index tuple.
// NDArray stores its elements contiguously in C order, so reshape is free and transpose
// copies.

extension NDArray {
  /// The same elements in a new shape (numpy.reshape / ndarray.reshape, C order); one axis
  /// may be -1 (any negative, as NumPy 2.4 accepts) and is inferred.
  ///
  /// - Throws: "cannot reshape array of size 12 into shape (5,newaxis)" or
  ///   "can only specify one unknown dimension", NumPy's words.
  public func reshaped(_ newShape: [Int]) throws(ArrayError) -> NDArray {
    let unknown = newShape.indices.filter { newShape[$0] < 0 }
    guard unknown.count <= 1 else { throw ArrayError("can only specify one unknown dimension") }
    var shape = newShape
    let known = newShape.filter { $0 >= 0 }.reduce(1, *)
    let failure = ArrayError(
      "cannot reshape array of size \(count) into shape "
        + Shape.text(newShape).replacingNegatives())
    if let axis = unknown.first {
      guard known != 0, count % known == 0 else { throw failure }
      shape[axis] = count / known
    } else if known != count {
      throw failure
    }
    return NDArray(unchecked: shape, scalars: scalars, dtype: dtype)
  }

  /// `numpy.reshape(a, shape)` with the shape as a variadic list: `try a.reshaped(4, 1)`.
  public func reshaped(_ newShape: Int...) throws(ArrayError) -> NDArray {
    try reshaped(newShape)
  }

  /// The array with its axes reversed (ndarray.T / numpy.transpose): `(4,3)` becomes `(3,4)`,
  /// `(2,3,4)` becomes `(4,3,2)`; 0-d and 1-d arrays are unchanged.
  public func transposed() -> NDArray {
    if ndim < 2 { return self }
    let newShape = Array(shape.reversed())
    let sourceStrides = Array(Shape.strides(shape).reversed())
    var out = [Double]()
    out.reserveCapacity(count)
    var index = [Int](repeating: 0, count: ndim)
    var offset = 0
    for _ in 0..<count {
      out.append(scalars[offset])
      var axis = ndim - 1
      while axis >= 0 {
        index[axis] += 1
        offset += sourceStrides[axis]
        if index[axis] < newShape[axis] { break }
        offset -= sourceStrides[axis] * newShape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return NDArray(unchecked: newShape, scalars: out, dtype: dtype)
  }

  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// The transpose, spelled as NumPy spells it (ndarray.T); see `transposed()`.
  public var T: NDArray { transposed() }

  /// A 1-d copy of the elements in C order (ndarray.flatten()).
  public func flatten() -> NDArray {
    NDArray(unchecked: [count], scalars: scalars, dtype: dtype)
  }

  /// The element at an index tuple (`a[i, j]`); negative indices count from the end as in
  /// NumPy. Traps when the tuple's length or an index is out of range (NumPy's IndexError).
  public subscript(_ index: Int...) -> Double {
    get { scalars[offset(of: index)] }
    set { scalars[offset(of: index)] = newValue }
  }

  /// The element at an index tuple given as an array (`a[tuple(index)]`).
  public subscript(index index: [Int]) -> Double {
    get { scalars[offset(of: index)] }
    set { scalars[offset(of: index)] = newValue }
  }

  /// The C-order offset of an index tuple.
  private func offset(of index: [Int]) -> Int {
    precondition(index.count == ndim, "expected \(ndim) indices, got \(index.count)")
    var offset = 0
    for axis in 0..<ndim {
      var i = index[axis]
      if i < 0 { i += shape[axis] }
      precondition(i >= 0 && i < shape[axis], "index \(index[axis]) is out of bounds for axis")
      offset = offset * shape[axis] + i
    }
    return offset
  }
}

extension String {
  /// NumPy prints an unknown (-1) axis as `newaxis` in reshape errors.
  fileprivate func replacingNegatives() -> String {
    var out = ""
    var token = ""
    for character in self {
      if character == "-" || character.isNumber {
        token.append(character)
        continue
      }
      out += token.hasPrefix("-") ? "newaxis" : token
      token = ""
      out.append(character)
    }
    return out + token
  }
}
