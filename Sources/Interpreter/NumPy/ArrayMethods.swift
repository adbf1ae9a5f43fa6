import NumPyKit

/// The attributes and methods of `numpy.ndarray` and of NumPy scalars.
enum ArrayMethods {
  /// The reductions that are methods of arrays.
  static let reductions: [String: Reduction] = [
    "sum": .sum, "prod": .prod, "mean": .mean, "max": .max, "min": .min, "argmax": .argmax,
    "argmin": .argmin, "all": .all, "any": .any,
  ]

  /// The methods a call can reach without first making a bound method object (the
  /// interpreter calls these directly on `a.dot(b)`, `a.sum(axis=0)`), nil for the others.
  static func direct(_ name: String) -> (
    (StridedArray, CallArguments) throws(PythonError) -> Value
  )? {
    if let reduction = reductions[name] {
      return { array, call throws(PythonError) in
        try NumPyModule.reduce(reduction, array, call, axisIndex: 0, method: true)
      }
    }
    switch name {
    case "dot":
      return { array, call throws(PythonError) in
        let other = try call.array(0, "b")
        let result = try NumPyModule.wrapError { () throws(ArrayError) in
          try StridedArray.dot(array, other)
        }
        try FloatErrorSink.report(
          FloatStatus.ofReduction(
            [array, other], result: result, recompute: { try? StridedArray.dot($0[0], $0[1]) }),
          "dot")
        return ArrayValues.wrap(result)
      }
    case "copy":
      return { array, _ in ArrayValues.wrapArray(array.copy()) }
    default:
      return nil
    }
  }

  /// `a.name`: a property's value, or a method bound to `a`.
  static func attribute(_ value: Value, _ name: String) throws(PythonError) -> Value? {
    let array: StridedArray
    switch value {
    case .array(let held):
      array = held.array
    case .npScalar(let scalar):
      array = .scalar(scalar)
      switch name {
      case "real": return value
      case "imag": return .npScalar(ArrayScalar.float64(0))
      case "item": return method(name) { _ in ArrayValues.python(scalar) }
      case "is_integer":
        return method(name) { _ in .bool(scalar.real.rounded(.towardZero) == scalar.real) }
      default: break
      }
    default: return nil
    }
    switch name {
    case "shape": return .tuple(array.shape.map { .int(Int64($0)) })
    case "ndim": return .int(Int64(array.ndim))
    case "size": return .int(Int64(array.count))
    case "dtype":
      return NumPyModule.dtypeObjectInstance(array.dtype)
    case "T":
      return ArrayValues.wrapArray(
        try NumPyModule.wrapError { () throws(ArrayError) in try array.transposed() })
    case "itemsize", "nbytes":
      let size = Int64(array.dtype.itemSize)
      return .int(name == "itemsize" ? size : size * Int64(array.count))
    case "strides":
      let size = array.dtype.itemSize
      return .tuple(array.strides.map { .int(Int64($0 * size)) })
    case "flat":
      return ArrayValues.wrapArray(array.ravel())
    case "flags":
      // numpy.ndarray.flags, for the flags notebooks test (`a.flags["C_CONTIGUOUS"]`,
      // `a.flags.f_contiguous`). OWNDATA is not modelled (retrace does not record which
      // array made a storage), so it is absent rather than guessed.
      return .native(
        NativeObject(
          typeName: "flagsobj", repr: "<flags of a numpy.ndarray (OWNDATA not modelled)>",
          attributes: [
            "c_contiguous": .bool(array.isContiguous),
            "f_contiguous": .bool(array.isFortranContiguous), "writeable": .bool(true),
            "aligned": .bool(true),
          ]))
    default: break
    }
    if let body = direct(name) {
      return method(name) { call throws(PythonError) in try body(array, call) }
    }
    switch name {
    case "std", "var":
      return method(name) { call throws(PythonError) in
        let ddof = try call.int(nil, "ddof") ?? 0
        return try NumPyModule.reduce(
          name == "std" ? .standardDeviation(ddof: ddof) : .variance(ddof: ddof), array, call,
          axisIndex: 0, method: true)
      }
    case "cumsum", "cumprod":
      return method(name) { call throws(PythonError) in
        let axis = try call.int(0, "axis")
        let result = try NumPyModule.wrapError { () throws(ArrayError) in
          try array.accumulate(product: name == "cumprod", axis: axis)
        }
        try FloatErrorSink.report(
          FloatStatus.ofReduction(
            [array], result: result,
            recompute: { try? $0[0].accumulate(product: name == "cumprod", axis: axis) }),
          "accumulate")
        return ArrayValues.wrapArray(result)
      }
    case "reshape":
      return method(name) { call throws(PythonError) in
        let shape = try call.variadicShape()
        return ArrayValues.wrapArray(
          try NumPyModule.wrapError { () throws(ArrayError) in try array.reshaped(shape) })
      }
    case "transpose":
      return method(name) { call throws(PythonError) in
        let axes = call.positional.isEmpty ? nil : try call.variadicShape()
        return ArrayValues.wrapArray(
          try NumPyModule.wrapError { () throws(ArrayError) in try array.transposed(axes) })
      }
    case "flatten": return method(name) { _ in ArrayValues.wrapArray(array.copy().ravel()) }
    case "ravel": return method(name) { _ in ArrayValues.wrapArray(array.ravel()) }
    case "squeeze":
      return method(name) { call throws(PythonError) in
        let axes = try call.axes(0)
        return ArrayValues.wrapArray(
          try NumPyModule.wrapError { () throws(ArrayError) in try array.squeezed(axes) })
      }
    case "astype":
      // A NumPy scalar's astype gives a NumPy scalar; an array's, an array.
      let isScalar: Bool
      if case .npScalar = value { isScalar = true } else { isScalar = false }
      return method(name) { call throws(PythonError) in
        guard let dtype = try call.dtype(0) else { return ArrayValues.wrapArray(array.copy()) }
        let converted = array.converted(to: dtype)
        try FloatErrorSink.report(FloatStatus.ofCast(array, to: dtype), "cast")
        return isScalar ? ArrayValues.wrap(converted) : ArrayValues.wrapArray(converted)
      }
    case "tolist":
      return method(name) { _ in tolist(array) }
    case "item":
      return method(name) { call throws(PythonError) in
        if let index = try call.int(0, "index") {
          let flat = array.ravel()
          let n = flat.count
          let adjusted = index < 0 ? index + n : index
          guard adjusted >= 0 && adjusted < n else {
            throw PythonError.index("index \(index) is out of bounds for size \(n)")
          }
          return ArrayValues.python(flat.element(at: flat.offset + adjusted))
        }
        guard let only = array.onlyElement else {
          throw PythonError.value("can only convert an array of size 1 to a Python scalar")
        }
        return ArrayValues.python(only)
      }
    case "round":
      return method(name) { call throws(PythonError) in
        ArrayValues.wrap(array.rounded(decimals: try call.int(0, "decimals") ?? 0))
      }
    case "clip":
      return method(name) { call throws(PythonError) in
        let low = try call.optionalArray(0, "min")
        let high = try call.optionalArray(1, "max")
        return ArrayValues.wrap(
          try NumPyModule.wrapError { () throws(ArrayError) in try array.clipped(low, high) })
      }
    case "fill":
      return method(name) { call throws(PythonError) in
        let value = try call.array(0, "value")
        try NumPyModule.wrapError { () throws(ArrayError) in
          try StridedArray.write(value, into: .view(array))
        }
        return .none
      }
    case "sort":
      return method(name) { call throws(PythonError) in
        let sorted = try NumPyModule.sorted(
          array, axis: try call.int(0, "axis") ?? -1,
          stable: try NumPyModule.stableKind(call.value(1, "kind")))
        try NumPyModule.wrapError { () throws(ArrayError) in
          try StridedArray.write(sorted, into: .view(array))
        }
        return .none
      }
    case "argpartition":
      return method(name) { call throws(PythonError) in
        ArrayValues.wrapArray(try NumPyModule.partitioned(call, indices: true, array: array))
      }
    case "partition":
      return method(name) { call throws(PythonError) in
        let result = try NumPyModule.partitioned(call, indices: false, array: array)
        try NumPyModule.wrapError { () throws(ArrayError) in
          try StridedArray.write(result, into: .view(array))
        }
        return .none
      }
    case "argsort":
      return method(name) { call throws(PythonError) in
        ArrayValues.wrapArray(
          try NumPyModule.argsort(
            array, axis: try call.int(0, "axis") ?? -1,
            stable: try NumPyModule.stableKind(call.value(1, "kind"))))
      }
    case "nonzero":
      return method(name) { _ in
        .tuple(
          array.nonzero().map {
            ArrayValues.wrapArray(StridedArray(shape: [$0.count], integers: $0))
          })
      }
    case "repeat":
      return method(name) { call throws(PythonError) in
        let repeats = try call.array(0, "repeats").integerValues().map { Int($0) }
        let axis = try call.int(1, "axis")
        return ArrayValues.wrapArray(
          try NumPyModule.wrapError { () throws(ArrayError) in
            try array.repeated(repeats, axis: axis)
          })
      }
    case "swapaxes":
      return method(name) { call throws(PythonError) in
        let first = try call.int(0, "axis1") ?? 0
        let second = try call.int(1, "axis2") ?? 0
        return ArrayValues.wrapArray(
          try NumPyModule.wrapError { () throws(ArrayError) in try array.swappingAxes(first, second)
          })
      }
    case "trace":
      return method(name) { call throws(PythonError) in
        let diagonal = NumPyModule.diagonal(array, try call.int(0, "offset") ?? 0)
        return ArrayValues.wrap(
          try NumPyModule.wrapError { () throws(ArrayError) in try diagonal.reduce(.sum, axes: nil)
          })
      }
    case "diagonal":
      return method(name) { call throws(PythonError) in
        ArrayValues.wrapArray(NumPyModule.diagonal(array, try call.int(0, "offset") ?? 0))
      }
    default:
      return nil
    }
  }

  static func method(_ name: String, _ body: @escaping (CallArguments) throws(PythonError) -> Value)
    -> Value
  {
    .builtin(
      BuiltinFunction(name: name) { _, positional, keywords throws(PythonError) in
        try body(CallArguments(name, positional, keywords))
      })
  }

  /// numpy.ndarray.tolist: nested lists of Python numbers.
  static func tolist(_ array: StridedArray) -> Value {
    if array.ndim == 0 { return ArrayValues.python(array.onlyElement ?? .float64(0)) }
    return .list(
      ListObject(
        ArrayValues.rows(array).map { row in
          switch row {
          case .array(let object): return tolist(object.array)
          case .npScalar(let scalar): return ArrayValues.python(scalar)
          default: return row
          }
        }))
  }
}

extension NumPyModule {
  /// `a.dtype`: prints as `float64`, compares equal to `np.float64` and `'float64'`.
  static func dtypeObjectInstance(_ dtype: DType) -> Value {
    .native(
      NativeObject(
        typeName: "dtype", repr: "dtype('\(dtype.rawValue)')",
        attributes: [
          "name": .str(dtype.rawValue), "itemsize": .int(Int64(dtype.itemSize)),
          "kind": .str(
            dtype.isFloat ? "f" : dtype == .bool ? "b" : dtype.isUnsigned ? "u" : "i"),
        ], dtype: dtype))
  }
}
