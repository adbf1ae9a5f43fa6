import Foundation
import NumPyKit

/// The `numpy` module as notebooks use it, over NumPyKit. Each function reads its arguments
/// as NumPy's signature names them and raises NumPy's exception where NumPy does.
enum NumPyModule {
  typealias Body = (PythonInterpreter, CallArguments) throws(PythonError) -> Value

  static func make(for interpreter: PythonInterpreter) -> ModuleObject {
    var attributes: [String: Value] = [
      "pi": .float(Double.pi), "e": .float(M_E), "inf": .float(.infinity),
      "nan": .float(.nan), "newaxis": .none, "euler_gamma": .float(0.5772156649015329),
      "__version__": .str("2.4.6"),
    ]
    func add(_ name: String, _ body: @escaping Body) {
      let compound = unmodelledWarnings.contains(name)
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { interpreter, positional, keywords throws(PythonError) in
          let result = try body(interpreter, CallArguments(name, positional, keywords))
          if compound {
            try FloatErrorSink.unmodelled(
              result, inputs: positional + keywords.map(\.1), name: "np.\(name)")
          }
          return result
        })
    }
    for (name, dtype) in [
      ("float64", DType.float64), ("float32", .float32), ("single", .float32), ("int64", .int64),
      ("bool_", .bool), ("bool", .bool),
      ("double", .float64), ("int_", .int64), ("intp", .int64), ("int8", .int8),
      ("int16", .int16), ("int32", .int32), ("uint8", .uint8), ("uint16", .uint16),
      ("uint32", .uint32), ("uint64", .uint64), ("byte", .int8), ("ubyte", .uint8),
      ("short", .int16), ("ushort", .uint16), ("intc", .int32), ("uintc", .uint32),
      ("uint", .uint64), ("uintp", .uint64), ("longlong", .int64), ("ulonglong", .uint64),
    ] {
      attributes[name] = dtypeObject(dtype, name: name == "bool_" ? "bool" : name)
    }
    attributes["ndarray"] = ndarrayType
    attributes.merge(interpreter.floatErrorFunctions()) { _, new in new }

    // MARK: Creation
    add("array") { _, call throws(PythonError) in
      let source = try call.required(0, "object")
      if let made = try strArray(source, call) { return made }
      var array = try ArrayValues.array(source, dtype: try call.dtype(1))
      if case .array(let object) = source, array.storage === object.array.storage {
        array = array.copy()
      }
      if let ndmin = try call.int(nil, "ndmin") {
        while array.ndim < ndmin {
          array = try wrapError { () throws(ArrayError) in try array.expandingDims(0) }
        }
      }
      return ArrayValues.wrapArray(array)
    }
    add("asarray") { _, call throws(PythonError) in
      let source = try call.required(0, "a")
      if case .array(let object) = source, object.strings != nil { return source }
      if let made = try strArray(source, call) { return made }
      let dtype = try call.dtype(1)
      // An array of the asked dtype is returned as it is (the same object).
      if case .array(let object) = source, dtype == nil || dtype == object.array.dtype {
        return source
      }
      return ArrayValues.wrapArray(try ArrayValues.array(source, dtype: dtype))
    }
    add("copy") { _, call throws(PythonError) in
      ArrayValues.wrapArray(try call.array(0, "a").copy())
    }
    for (name, fill) in [("zeros", 0.0), ("ones", 1.0), ("empty", 0.0)] {
      add(name) { _, call throws(PythonError) in
        let shape = try ArrayValues.shape(try call.required(0, "shape"))
        return ArrayValues.wrapArray(
          try filled(shape, .float64(fill), dtype: try call.dtype(1) ?? .float64))
      }
      add(name + "_like") { _, call throws(PythonError) in
        let model = try call.array(0, "a")
        return ArrayValues.wrapArray(
          try filled(model.shape, .float64(fill), dtype: try call.dtype(1) ?? model.dtype))
      }
    }
    add("full") { _, call throws(PythonError) in
      let shape = try ArrayValues.shape(try call.required(0, "shape"))
      let fill = try call.required(1, "fill_value")
      let dtype = try call.dtype(2)
      if let dtype, dtype.isInteger { try ArrayValues.checkPythonIntegers(fill, fit: dtype) }
      let scalar = try ArrayValues.array(fill).onlyElement ?? .float64(0)
      return ArrayValues.wrapArray(try filled(shape, scalar, dtype: dtype ?? scalar.dtype))
    }
    add("full_like") { _, call throws(PythonError) in
      let model = try call.array(0, "a")
      let scalar = try call.array(1, "fill_value").onlyElement ?? .float64(0)
      return ArrayValues.wrapArray(
        try filled(model.shape, scalar, dtype: try call.dtype(2) ?? model.dtype))
    }
    add("arange") { _, call throws(PythonError) in try arange(call) }
    add("linspace") { _, call throws(PythonError) in try linspace(call) }
    add("eye") { _, call throws(PythonError) in
      let n = try call.int(0, "N") ?? 0
      let m = try call.int(1, "M") ?? n
      let k = try call.int(2, "k") ?? 0
      var values = [Double](repeating: 0, count: n * m)
      for i in 0..<n where i + k >= 0 && i + k < m { values[i * m + i + k] = 1 }
      let array = StridedArray(shape: [n, m], reals: values)
      return ArrayValues.wrapArray(array.converted(to: try call.dtype(3) ?? .float64))
    }
    add("identity") { _, call throws(PythonError) in
      let n = try call.int(0, "n") ?? 0
      var values = [Double](repeating: 0, count: n * n)
      for i in 0..<n { values[i * n + i] = 1 }
      return ArrayValues.wrapArray(
        StridedArray(shape: [n, n], reals: values).converted(to: try call.dtype(1) ?? .float64))
    }
    add("diag") { _, call throws(PythonError) in
      let v = try call.array(0, "v")
      let k = try call.int(1, "k") ?? 0
      if v.ndim == 1 {
        let n = v.count + Swift.abs(k)
        let zero = filledUnchecked([n, n], .int64(0), dtype: v.dtype)
        let items = v.elements()
        for (i, item) in items.enumerated() {
          let row = k >= 0 ? i : i - k
          let column = k >= 0 ? i + k : i
          zero.setElement(item, at: row * n + column)
        }
        return ArrayValues.wrapArray(zero)
      }
      guard v.ndim == 2 else { throw PythonError.value("Input must be 1- or 2-d.") }
      return ArrayValues.wrapArray(diagonal(v, k))
    }

    // MARK: Elementwise
    for op in UnaryUfunc.allCases {
      add(op.rawValue) { _, call throws(PythonError) in
        let x = try call.array(0, "x")
        let result = try wrapError { () throws(ArrayError) in try StridedArray.apply(op, x) }
        try FloatErrorSink.report(FloatStatus.of(op, x, result: result), op.rawValue)
        return ArrayValues.wrap(result)
      }
    }
    for (alias, op) in [
      ("abs", UnaryUfunc.absolute), ("fabs", .absolute), ("conjugate", .positive),
    ] {
      attributes[alias] = attributes[op.rawValue]
    }
    for op in BinaryUfunc.allCases {
      attributes[op.rawValue] = ufuncObject(op)
    }
    for (alias, op) in [
      ("divide", BinaryUfunc.trueDivide), ("mod", .remainder), ("fmax", .maximum),
      ("fmin", .minimum),
    ] {
      attributes[alias] = attributes[op.rawValue]
    }
    add("round") { _, call throws(PythonError) in
      let x = try call.array(0, "a")
      return ArrayValues.wrap(x.rounded(decimals: try call.int(1, "decimals") ?? 0))
    }
    attributes["around"] = attributes["round"]
    add("clip") { _, call throws(PythonError) in
      let x = try call.array(0, "a")
      let low = try call.optionalArray(1, "a_min", beside: x.dtype)
      let high = try call.optionalArray(2, "a_max", beside: x.dtype)
      return ArrayValues.wrap(try wrapError { () throws(ArrayError) in try x.clipped(low, high) })
    }
    add("where") { _, call throws(PythonError) in
      let condition = try call.array(0, "condition")
      guard let xValue = try? call.required(1, "x"), let yValue = try? call.required(2, "y")
      else {
        return .tuple(
          condition.nonzero().map {
            ArrayValues.wrapArray(StridedArray(shape: [$0.count], integers: $0))
          })
      }
      let (x, y) = try ArrayValues.ufuncOperands(xValue, yValue)
      return ArrayValues.wrap(
        try wrapError { () throws(ArrayError) in try select(condition, x, y) })
    }

    // MARK: Reductions
    let reductions: [(String, Reduction)] = [
      ("sum", .sum), ("prod", .prod), ("mean", .mean), ("max", .max), ("min", .min),
      ("amax", .max), ("amin", .min), ("argmax", .argmax), ("argmin", .argmin), ("all", .all),
      ("any", .any),
    ]
    for (name, reduction) in reductions {
      add(name) { _, call throws(PythonError) in
        try reduce(reduction, try call.array(0, "a"), call, axisIndex: 1, method: false)
      }
    }
    add("std") { _, call throws(PythonError) in
      try reduce(
        .standardDeviation(ddof: try call.int(nil, "ddof") ?? 0), try call.array(0, "a"), call,
        axisIndex: 1, method: false)
    }
    add("var") { _, call throws(PythonError) in
      try reduce(
        .variance(ddof: try call.int(nil, "ddof") ?? 0), try call.array(0, "a"), call, axisIndex: 1,
        method: false)
    }
    add("cumsum") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let axis = try call.int(1, "axis")
      let result = try wrapError { () throws(ArrayError) in
        try a.accumulate(product: false, axis: axis)
      }
      try FloatErrorSink.report(
        FloatStatus.ofReduction(
          [a], result: result, recompute: { try? $0[0].accumulate(product: false, axis: axis) }),
        "accumulate", site: .fromnumericWrap)
      return ArrayValues.wrapArray(result)
    }
    add("cumprod") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let axis = try call.int(1, "axis")
      let result = try wrapError { () throws(ArrayError) in
        try a.accumulate(product: true, axis: axis)
      }
      try FloatErrorSink.report(
        FloatStatus.ofReduction(
          [a], result: result, recompute: { try? $0[0].accumulate(product: true, axis: axis) }),
        "accumulate", site: .fromnumericWrap)
      return ArrayValues.wrapArray(result)
    }
    add("count_nonzero") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      guard let axes = try call.axes(1) else {
        return .npScalar(.int64(Int64(a.elements().filter(\.isTrue).count)))
      }
      let flags = a.converted(to: .bool)
      return ArrayValues.wrap(
        try wrapError { () throws(ArrayError) in try flags.reduce(.sum, axes: axes) })
    }

    // MARK: Shape
    add("reshape") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let shape = try ArrayValues.shape(try call.required(1, "shape"))
      return ArrayValues.wrapArray(try wrapError { () throws(ArrayError) in try a.reshaped(shape) })
    }
    add("transpose") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let axes = try call.value(1, "axes").map(ArrayValues.shape)
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in try a.transposed(axes) })
    }
    add("ravel") { _, call throws(PythonError) in
      ArrayValues.wrapArray(try call.array(0, "a").ravel())
    }
    add("squeeze") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let axes = try call.axes(1)
      return ArrayValues.wrapArray(try wrapError { () throws(ArrayError) in try a.squeezed(axes) })
    }
    add("expand_dims") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let axes = try call.axes(1) ?? [0]
      // NumPy places each new axis in the result's numbering, lowest position first.
      let rank = a.ndim + axes.count
      var positions: [Int] = []
      for axis in axes {
        let position = axis < 0 ? axis + rank : axis
        guard position >= 0 && position < rank else {
          throw PythonError.raise(
            "AxisError", "axis \(axis) is out of bounds for array of dimension \(rank)")
        }
        if positions.contains(position) { throw PythonError.value("repeated axis") }
        positions.append(position)
      }
      var result = a
      for position in positions.sorted() {
        let current = result
        result = try wrapError { () throws(ArrayError) in try current.expandingDims(position) }
      }
      return ArrayValues.wrapArray(result)
    }
    add("swapaxes") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let first = try call.int(1, "axis1") ?? 0
      let second = try call.int(2, "axis2") ?? 0
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in try a.swappingAxes(first, second) })
    }
    add("concatenate") { interpreter, call throws(PythonError) in
      let arrays = try sequenceOfArrays(interpreter, try call.required(0, "arrays"))
      let axis: Int?
      if let value = call.value(1, "axis", noneIsAbsent: false), case .none = value {
        axis = nil
      } else {
        axis = try call.int(1, "axis") ?? 0
      }
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in try StridedArray.concatenate(arrays, axis: axis) })
    }
    add("stack") { interpreter, call throws(PythonError) in
      let arrays = try sequenceOfArrays(interpreter, try call.required(0, "arrays"))
      let axis = try call.int(1, "axis") ?? 0
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in try StridedArray.stack(arrays, axis: axis) })
    }
    add("vstack") { interpreter, call throws(PythonError) in
      let arrays = try sequenceOfArrays(interpreter, try call.required(0, "tup")).map {
        (array) throws(PythonError) in
        array.ndim >= 2
          ? array : try wrapError { () throws(ArrayError) in try array.reshaped([1, array.count]) }
      }
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in try StridedArray.concatenate(arrays, axis: 0) })
    }
    add("hstack") { interpreter, call throws(PythonError) in
      let arrays = try sequenceOfArrays(interpreter, try call.required(0, "tup")).map {
        (array) throws(PythonError) in
        array.ndim >= 1 ? array : try wrapError { () throws(ArrayError) in try array.reshaped([1]) }
      }
      let axis = arrays.first?.ndim == 1 ? 0 : 1
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in try StridedArray.concatenate(arrays, axis: axis) })
    }
    add("column_stack") { interpreter, call throws(PythonError) in
      let arrays = try sequenceOfArrays(interpreter, try call.required(0, "tup")).map {
        (array) throws(PythonError) in
        array.ndim >= 2
          ? array : try wrapError { () throws(ArrayError) in try array.reshaped([array.count, 1]) }
      }
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in try StridedArray.concatenate(arrays, axis: 1) })
    }
    add("repeat") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let repeats = try call.array(1, "repeats").integerValues().map { Int($0) }
      let axis = try call.int(2, "axis")
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in try a.repeated(repeats, axis: axis) })
    }
    add("tile") { _, call throws(PythonError) in
      let a = try call.array(0, "A")
      let reps = try ArrayValues.shape(try call.required(1, "reps"))
      return ArrayValues.wrapArray(try wrapError { () throws(ArrayError) in try a.tiled(reps) })
    }
    add("shape") { _, call throws(PythonError) in
      .tuple(try call.array(0, "a").shape.map { .int(Int64($0)) })
    }
    add("ndim") { _, call throws(PythonError) in .int(Int64(try call.array(0, "a").ndim)) }
    add("size") { _, call throws(PythonError) in .int(Int64(try call.array(0, "a").count)) }

    // MARK: Products
    add("dot") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let b = try call.array(1, "b")
      let result = try wrapError { () throws(ArrayError) in try StridedArray.dot(a, b) }
      try FloatErrorSink.report(
        FloatStatus.ofReduction(
          [a, b], result: result, recompute: { try? StridedArray.dot($0[0], $0[1]) }), "dot")
      return ArrayValues.wrap(result)
    }
    add("matmul") { _, call throws(PythonError) in
      let a = try call.array(0, "x1")
      let b = try call.array(1, "x2")
      let result = try stackedMatmul(a, b)
      try FloatErrorSink.report(
        FloatStatus.ofReduction(
          [a, b], result: result, recompute: { try? stackedMatmul($0[0], $0[1]) }), "matmul")
      return ArrayValues.wrap(result)
    }
    add("outer") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let b = try call.array(1, "b")
      let result = try wrapError { () throws(ArrayError) in try StridedArray.outer(a, b) }
      try FloatErrorSink.report(
        FloatStatus.ofReduction(
          [a, b], result: result, recompute: { try? StridedArray.outer($0[0], $0[1]) }),
        "multiply", site: .outerMultiply)
      return ArrayValues.wrapArray(result)
    }
    add("median") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      guard call.value(1, "axis") == nil else {
        throw PythonError(refusal: "retrace models np.median over the whole array only")
      }
      let values = try sorted(a.ravel(), axis: -1).realValues()
      guard !values.isEmpty else { return .npScalar(.float64(.nan)) }
      let n = values.count
      if let nan = values.last, nan.isNaN { return .npScalar(.float64(.nan)) }
      // NumPy takes the mean of the one or two middle values.
      let middle = n % 2 == 1 ? [values[n / 2]] : [values[n / 2 - 1], values[n / 2]]
      let pair = StridedArray(shape: [middle.count], reals: middle)
      return ArrayValues.wrap(
        try wrapError { () throws(ArrayError) in try pair.reduce(.mean, axes: nil) })
    }
    add("trace") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let d = diagonal(a, try call.int(1, "offset") ?? 0)
      return ArrayValues.wrap(
        try wrapError { () throws(ArrayError) in try d.reduce(.sum, axes: nil) })
    }

    // MARK: Comparison, sorting, counting
    add("array_equal") { _, call throws(PythonError) in
      let a = try call.array(0, "a1")
      let b = try call.array(1, "a2")
      guard a.shape == b.shape else { return .bool(false) }
      let equal = try wrapError { () throws(ArrayError) in try StridedArray.apply(.equal, a, b) }
      return .bool(equal.elements().allSatisfy(\.isTrue))
    }
    add("isclose") { _, call throws(PythonError) in
      ArrayValues.wrap(try isClose(call))
    }
    add("allclose") { _, call throws(PythonError) in
      .bool(try isClose(call).elements().allSatisfy(\.isTrue))
    }
    add("sort") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let axis: Int?
      if let value = call.value(1, "axis", noneIsAbsent: false), case .none = value {
        axis = nil
      } else {
        axis = try call.int(1, "axis") ?? -1
      }
      return ArrayValues.wrapArray(
        try sorted(a, axis: axis, stable: try stableKind(call.value(2, "kind"))))
    }
    add("argsort") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      return ArrayValues.wrapArray(
        try argsort(
          a, axis: try call.int(1, "axis") ?? -1, stable: try stableKind(call.value(2, "kind"))))
    }
    add("partition") { _, call throws(PythonError) in
      ArrayValues.wrapArray(try partitioned(call, indices: false))
    }
    add("argpartition") { _, call throws(PythonError) in
      ArrayValues.wrapArray(try partitioned(call, indices: true))
    }
    add("lexsort") { _, call throws(PythonError) in try lexsort(call) }
    add("unique") { _, call throws(PythonError) in try unique(call) }
    add("intersect1d") { _, call throws(PythonError) in
      let a = try sorted(try call.array(0, "ar1").ravel(), axis: nil).elements()
      let b = Set(try call.array(1, "ar2").ravel().elements())
      var common: [ArrayScalar] = []
      for item in a where b.contains(item) && common.last != item { common.append(item) }
      let dtype = DType.promoted(try call.array(0, "ar1").dtype, try call.array(1, "ar2").dtype)
      let result = filledUnchecked([common.count], .int64(0), dtype: dtype)
      for (k, item) in common.enumerated() { result.setElement(item, at: k) }
      return ArrayValues.wrapArray(result)
    }
    add("cross") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let b = try call.array(1, "b")
      guard a.shape == [3], b.shape == [3] else {
        throw PythonError(refusal: "retrace models np.cross of two 3-vectors only")
      }
      // NumPy: cp0 = a1*b2; cp0 -= a2*b1 (and so on), in the operands' promoted dtype.
      let x = a.elements()
      let y = b.elements()
      func term(_ i: Int, _ j: Int) throws(PythonError) -> StridedArray {
        try wrapError { () throws(ArrayError) in
          let first = try StridedArray.apply(.multiply, .scalar(x[i]), .scalar(y[j]))
          let second = try StridedArray.apply(.multiply, .scalar(x[j]), .scalar(y[i]))
          return try StridedArray.apply(.subtract, first, second)
        }
      }
      let parts = [try term(1, 2), try term(2, 0), try term(0, 1)]
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in try StridedArray.stack(parts, axis: 0) })
    }
    add("histogram") { _, call throws(PythonError) in try histogram(call) }
    add("percentile") { _, call throws(PythonError) in try quantile(call, scale: 100) }
    add("quantile") { _, call throws(PythonError) in try quantile(call, scale: 1) }
    add("meshgrid") { _, call throws(PythonError) in
      guard call.positional.count == 2 else {
        throw PythonError(refusal: "retrace models np.meshgrid of two vectors only")
      }
      let x = try call.array(0, "x").ravel()
      let y = try call.array(1, "y").ravel()
      let ij = call.string(nil, "indexing") == "ij"
      let shape = ij ? [x.count, y.count] : [y.count, x.count]
      try ArrayValues.checkBudget(shape)
      // Copies, as NumPy's default copy=True gives.
      let first =
        (ij ? try wrapError { () throws(ArrayError) in try x.reshaped([x.count, 1]) } : x)
        .broadcast(to: shape).copy()
      let second =
        (ij ? y : try wrapError { () throws(ArrayError) in try y.reshaped([y.count, 1]) })
        .broadcast(to: shape).copy()
      return .tuple([ArrayValues.wrapArray(first), ArrayValues.wrapArray(second)])
    }
    add("broadcast_shapes") { _, call throws(PythonError) in
      var shape: [Int] = []
      for value in call.positional {
        let next = try ArrayValues.shape(value)
        shape = try wrapError { () throws(ArrayError) in try Shape.broadcast(shape, next) }
      }
      return .tuple(shape.map { .int(Int64($0)) })
    }
    add("broadcast_to") { _, call throws(PythonError) in
      let a = try call.array(0, "array")
      let shape = try ArrayValues.shape(try call.required(1, "shape"))
      guard let merged = Shape.broadcastIfCompatible(a.shape, shape), merged == shape else {
        throw PythonError.value(
          "operands could not be broadcast together with remapped shapes [original->remapped]: "
            + "\(Shape.text(a.shape))  and requested shape \(Shape.text(shape))")
      }
      return ArrayValues.wrapArray(a.broadcast(to: shape))
    }
    add("bincount") { _, call throws(PythonError) in try bincount(call) }
    add("nonzero") { _, call throws(PythonError) in
      .tuple(
        try call.array(0, "a").nonzero().map {
          ArrayValues.wrapArray(StridedArray(shape: [$0.count], integers: $0))
        })
    }
    add("flatnonzero") { _, call throws(PythonError) in
      let flat = try call.array(0, "a").ravel()
      let indices = flat.nonzero()[0]
      return ArrayValues.wrapArray(StridedArray(shape: [indices.count], integers: indices))
    }
    add("unravel_index") { _, call throws(PythonError) in try unravelIndex(call) }
    add("roll") { _, call throws(PythonError) in try roll(call) }
    addPieces { name, body in add(name, body) }
    for (name, value) in concatenators { attributes[name] = value }
    let strideTricks = Value.module(
      ModuleObject(
        name: "numpy.lib.stride_tricks",
        attributes: [
          "sliding_window_view": .builtin(
            BuiltinFunction(name: "sliding_window_view") {
              _, positional, keywords throws(PythonError) in
              try slidingWindowView(CallArguments("sliding_window_view", positional, keywords))
            })
        ]))
    attributes["lib"] = .module(
      ModuleObject(name: "numpy.lib", attributes: ["stride_tricks": strideTricks]))
    // `import numpy.lib.stride_tricks` / `from numpy.lib.stride_tricks import ...`
    attributes["lib.stride_tricks"] = strideTricks

    // MARK: Printing
    add("set_printoptions") { interpreter, call throws(PythonError) in
      interpreter.printOptions = try printOptions(interpreter, call)
      return .none
    }
    add("printoptions") { interpreter, call throws(PythonError) in
      let manager = NativeObject(
        typeName: "_GeneratorContextManager",
        repr: "<contextlib._GeneratorContextManager object>")
      manager.printOptions = try printOptions(interpreter, call)
      return .native(manager)
    }
    add("array2string") { interpreter, call throws(PythonError) in
      let a = try call.array(0, "a")
      var options = interpreter.printOptions
      if let precision = try call.int(nil, "precision") { options.precision = precision }
      if let suppress = call.value(nil, "suppress_small") {
        options.suppress = try interpreter.truth(suppress)
      }
      let separator = call.string(nil, "separator") ?? " "
      return .str(ArrayFormatter(options: options).array2string(a.ndarray(), separator: separator))
    }

    attributes["random"] = .module(NumPyRandom.module(for: interpreter))
    attributes["linalg"] = .module(linearAlgebra())
    return ModuleObject(name: "numpy", attributes: attributes)
  }

  // MARK: - Helpers

  /// The functions whose warnings come from NumPy code retrace does not model (C loops with
  /// their own names, Python code with its own lines): an infinity or NaN they make from
  /// finite inputs is marked, and the saved output's warnings in that cell are not checked.
  static let unmodelledWarnings: Set<String> = [
    "einsum", "convolve", "diff", "inner", "vdot", "cov", "corrcoef", "median", "cross",
    "percentile", "quantile", "trace", "histogram", "heaviside", "vander",
  ]

  /// A binary ufunc as NumPy has it: callable, with `outer`, `reduce`, `accumulate` and `at`.
  static func ufuncObject(_ op: BinaryUfunc) -> Value {
    func method(_ name: String, _ body: @escaping (CallArguments) throws(PythonError) -> Value)
      -> Value
    {
      .builtin(
        BuiltinFunction(name: name) { _, positional, keywords throws(PythonError) in
          try body(CallArguments(name, positional, keywords))
        })
    }
    let call = method(op.rawValue) { call throws(PythonError) in
      let (x, y) = try ArrayValues.ufuncOperands(
        try call.required(0, "x1"), try call.required(1, "x2"), for: op)
      let result = try wrapError { () throws(ArrayError) in try StridedArray.apply(op, x, y) }
      try FloatErrorSink.report(FloatStatus.of(op, x, y, result: result), NumPyOperators.name(op))
      return ArrayValues.wrap(result)
    }
    let outer = method("outer") { call throws(PythonError) in
      let a = try call.array(0, "A")
      let b = try call.array(1, "B")
      return ArrayValues.wrap(
        try wrapError { () throws(ArrayError) in
          let column = try a.reshaped(a.shape + [Int](repeating: 1, count: b.ndim))
          return try StridedArray.apply(op, column, b)
        })
    }
    let reduce = method("reduce") { call throws(PythonError) in
      let a = try call.array(0, "array")
      let axis: [Int]?
      if let value = call.value(1, "axis", noneIsAbsent: false), case .none = value {
        axis = nil
      } else {
        axis = try call.axes(1) ?? [0]
      }
      let reductions: [BinaryUfunc: Reduction] = [
        .add: .sum, .multiply: .prod, .maximum: .max, .minimum: .min, .logicalAnd: .all,
        .logicalOr: .any,
      ]
      guard let reduction = reductions[op] else {
        throw PythonError(refusal: "retrace does not model np.\(op.rawValue).reduce yet")
      }
      let result = try wrapError { () throws(ArrayError) in try a.reduce(reduction, axes: axis) }
      try FloatErrorSink.report(
        FloatStatus.ofReduction(
          [a], result: result, recompute: { try? $0[0].reduce(reduction, axes: axis) }),
        "reduce")
      return ArrayValues.wrap(result)
    }
    let accumulate = method("accumulate") { call throws(PythonError) in
      let a = try call.array(0, "array")
      let axis = try call.int(1, "axis") ?? 0
      guard op == .add || op == .multiply else {
        throw PythonError(refusal: "retrace does not model np.\(op.rawValue).accumulate yet")
      }
      let result = try wrapError { () throws(ArrayError) in
        try a.accumulate(product: op == .multiply, axis: axis)
      }
      try FloatErrorSink.report(
        FloatStatus.ofReduction(
          [a], result: result,
          recompute: { try? $0[0].accumulate(product: op == .multiply, axis: axis) }),
        "accumulate")
      return ArrayValues.wrapArray(result)
    }
    let at = method("at") { call throws(PythonError) in
      // Unbuffered in place: each index in turn, repeated indices applied again.
      guard case .array(let object) = try call.required(0, "a").unmarked else {
        throw PythonError.type("ufunc.at() requires an array as its first argument")
      }
      let target = object.array
      let items = try NumPyOperators.index(try call.required(1, "indices"))
      let selection = try wrapError { () throws(ArrayError) in try target.select(items) }
      let shape: [Int]
      let offsets: [Int]
      switch selection {
      case .view(let view):
        shape = view.shape
        offsets = view.offsets()
      case .gathered(_, let gatheredShape, let gatheredOffsets):
        shape = gatheredShape
        offsets = gatheredOffsets
      }
      let operand = try call.optionalArray(2, "b") ?? .scalar(.int64(0))
      guard let broadcast = Shape.broadcastIfCompatible(operand.shape, shape), broadcast == shape
      else {
        throw PythonError.value(
          "array is not broadcastable to correct shape")
      }
      let values = operand.broadcast(to: shape).elements()
      for (k, position) in offsets.enumerated() {
        let current = StridedArray.scalar(target.element(at: position))
        let result = try wrapError { () throws(ArrayError) in
          try StridedArray.apply(op, current, .scalar(values[k]))
        }
        if let element = result.onlyElement { target.setElement(element, at: position) }
      }
      return .none
    }
    return .native(
      NativeObject(
        typeName: "numpy.ufunc", repr: "<ufunc '\(op.rawValue)'>",
        attributes: [
          "__call__": call, "outer": outer, "reduce": reduce, "accumulate": accumulate, "at": at,
          "__name__": .str(op.rawValue),
        ]))
  }

  static func wrapError<T>(_ body: () throws(ArrayError) -> T) throws(PythonError) -> T {
    do {
      return try body()
    } catch {
      throw ArrayValues.error(error)
    }
  }

  /// `np.ndarray`, as `type(a)` and `isinstance(a, np.ndarray)` see it.
  static let ndarrayType = Value.native(
    NativeObject(
      typeName: "type", repr: "<class 'numpy.ndarray'>", attributes: ["__name__": .str("ndarray")]))

  static func dtypeObject(_ dtype: DType, name: String) -> Value {
    .native(
      NativeObject(
        typeName: "type", repr: "<class 'numpy.\(name)'>",
        attributes: [
          "__name__": .str(name),
          "__call__": .builtin(
            BuiltinFunction(name: name) { _, arguments, _ throws(PythonError) in
              let value = arguments.first ?? .int(0)
              let array = try ArrayValues.array(value, dtype: dtype)
              if dtype == .float32, FloatStatus.hasNonFinite(array) {
                // np.float32(1e300): "overflow encountered in cast".
                let source = try ArrayValues.array(value)
                try FloatErrorSink.report(FloatStatus.ofCast(source, to: dtype), "cast")
              }
              if array.ndim == 0, let scalar = array.onlyElement { return .npScalar(scalar) }
              return ArrayValues.wrapArray(array)
            }),
        ], dtype: dtype))
  }

  static func filled(_ shape: [Int], _ value: ArrayScalar, dtype: DType) throws(PythonError)
    -> StridedArray
  {
    if shape.contains(where: { $0 < 0 }) {
      throw PythonError.value("negative dimensions are not allowed")
    }
    try ArrayValues.checkBudget(shape)
    return filledUnchecked(shape, value, dtype: dtype)
  }

  static func filledUnchecked(_ shape: [Int], _ value: ArrayScalar, dtype: DType) -> StridedArray {
    let count = shape.reduce(1, *)
    switch dtype {
    case let type where type.isInteger:
      let element = value.dtype.isInteger ? type.wrap(value.integer) : type.cast(value.real)
      return StridedArray(
        shape: shape, integers: [Int64](repeating: element, count: count), dtype: type)
    case .bool:
      return StridedArray(
        shape: shape, reals: [Double](repeating: value.isTrue ? 1 : 0, count: count), dtype: .bool)
    default:
      return StridedArray(
        shape: shape, reals: [Double](repeating: dtype.rounded(value.real), count: count),
        dtype: dtype)
    }
  }

  /// numpy.arange: `ceil((stop - start) / step)` elements, `start + i * step` each (int64 when
  /// every argument is an int).
  static func arange(_ call: CallArguments) throws(PythonError) -> Value {
    var values: [Value] = call.positional
    for name in ["start", "stop", "step"] {
      if let value = call.keywords.first(where: { $0.0 == name })?.1 { values.append(value) }
    }
    let numbers = try values.map { (value) throws(PythonError) in try ArrayValues.array(value) }
    let allIntegers = numbers.allSatisfy { !$0.dtype.isFloat }
    let dtype = try call.dtype(nil) ?? (allIntegers ? .int64 : .float64)
    let reals = numbers.map { $0.onlyElement?.real ?? 0 }
    let (start, stop, step): (Double, Double, Double) =
      reals.count == 1 ? (0, reals[0], 1) : (reals[0], reals[1], reals.count > 2 ? reals[2] : 1)
    if step == 0 { throw PythonError.raise("ZeroDivisionError", "division by zero") }
    if allIntegers && dtype.isInteger {
      let ints = numbers.map { $0.onlyElement?.integer ?? 0 }
      let (a, b, s): (Int64, Int64, Int64) =
        ints.count == 1 ? (0, ints[0], 1) : (ints[0], ints[1], ints.count > 2 ? ints[2] : 1)
      let count = max(0, Int(Ranges.count(a, b, s)))
      guard count <= Operators.defaultElementLimit else {
        throw PythonError(refusal: "np.arange of \(count) elements is beyond retrace's budget")
      }
      let sequence = StridedArray(shape: [count], integers: (0..<count).map { a + Int64($0) * s })
      return ArrayValues.wrapArray(dtype == .int64 ? sequence : sequence.converted(to: dtype))
    }
    let length = Foundation.ceil((stop - start) / step)
    guard length.isFinite, length < Double(Operators.defaultElementLimit) else {
      throw PythonError(refusal: "np.arange of \(length) elements is beyond retrace's budget")
    }
    let count = max(0, Int(length))
    // NumPy fills the first two values and then adds their difference (its `fill` loop).
    var out = [Double](repeating: 0, count: count)
    if dtype == .float32 {
      // The two values cast to float32 first, then float32's fill loop (in float32).
      let first = Float(start)
      let delta = Float(start + step) - first
      for i in 0..<count {
        out[i] = Double(i == 1 ? Float(start + step) : first + Float(i) * delta)
      }
      return ArrayValues.wrapArray(StridedArray(shape: [count], reals: out, dtype: .float32))
    }
    if count > 0 { out[0] = start }
    if count > 1 {
      let next = start + step
      let delta = next - start
      out[1] = next
      for i in 2..<count { out[i] = start + Double(i) * delta }
    }
    return ArrayValues.wrapArray(StridedArray(shape: [count], reals: out).converted(to: dtype))
  }

  /// numpy.linspace with NumPy's formula: `step = (stop - start) / div`, values
  /// `arange(num) * step + start`, and the last value set to `stop` when `endpoint`.
  static func linspace(_ call: CallArguments) throws(PythonError) -> Value {
    let start = try call.double(0, "start") ?? 0
    let stop = try call.double(1, "stop") ?? 0
    let num = try call.int(2, "num") ?? 50
    if num < 0 {
      throw PythonError.value("Number of samples, \(num), must be non-negative.")
    }
    let endpoint = try call.bool(3, "endpoint", default: true)
    let retstep = try call.bool(4, "retstep", default: false)
    let (values, step) = linspaceValues(start, stop, num, endpoint: endpoint)
    var array = StridedArray(shape: [num], reals: values)
    if let dtype = try call.dtype(5) { array = array.converted(to: dtype) }
    let result = ArrayValues.wrapArray(array)
    return retstep ? .tuple([result, .npScalar(.float64(step))]) : result
  }

  /// numpy.linspace's values and step.
  static func linspaceValues(_ start: Double, _ stop: Double, _ num: Int, endpoint: Bool)
    -> (values: [Double], step: Double)
  {
    let div = endpoint ? num - 1 : num
    let delta = stop - start
    var values = (0..<num).map { Double($0) }
    let step: Double
    if div > 0 {
      step = delta / Double(div)
      if step == 0 {
        values = values.map { ($0 / Double(div)) * delta + start }
      } else {
        values = values.map { $0 * step + start }
      }
    } else {
      step = .nan
      values = values.map { $0 * delta + start }
    }
    if endpoint && num > 1 { values[num - 1] = stop }
    return (values, step)
  }

  static func diagonal(_ a: StridedArray, _ k: Int) -> StridedArray {
    guard a.ndim == 2 else { return a }
    let rows = a.shape[0]
    let columns = a.shape[1]
    let count = max(0, k >= 0 ? min(rows, columns - k) : min(rows + k, columns))
    let start = k >= 0 ? a.offset + k * a.strides[1] : a.offset - k * a.strides[0]
    return StridedArray(
      storage: a.storage, dtype: a.dtype, shape: [count], strides: [a.strides[0] + a.strides[1]],
      offset: start)
  }

  /// numpy.unravel_index(indices, shape) in C order: one int64 array (NumPy scalars for a
  /// scalar index) per axis.
  static func unravelIndex(_ call: CallArguments) throws(PythonError) -> Value {
    let indices = try call.array(0, "indices")
    let shape = try ArrayValues.shape(try call.required(1, "shape"))
    if let order = call.string(2, "order"), order != "C" {
      throw PythonError(refusal: "retrace models numpy.unravel_index in C order only")
    }
    guard indices.dtype.isInteger || indices.count == 0 else {
      throw PythonError.type("only int indices permitted")
    }
    let size = shape.reduce(1, *)
    let flat = indices.integerValues()
    var coordinates = [[Int64]](repeating: [], count: shape.count)
    for index in flat {
      guard index >= 0 && index < Int64(size) else {
        throw PythonError.value("index \(index) is out of bounds for array with size \(size)")
      }
      var rest = index
      for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        let extent = Int64(shape[axis])
        coordinates[axis].append(rest % extent)
        rest /= extent
      }
    }
    return .tuple(
      coordinates.map { values in
        indices.ndim == 0
          ? .npScalar(.int64(values[0]))
          : ArrayValues.wrapArray(StridedArray(shape: indices.shape, integers: values))
      })
  }

  static func select(_ condition: StridedArray, _ x: StridedArray, _ y: StridedArray)
    throws(ArrayError) -> StridedArray
  {
    let shape = try Shape.broadcast(try Shape.broadcast(condition.shape, x.shape), y.shape)
    let flags = condition.broadcast(to: shape).elements()
    let dtype = DType.promoted(x.dtype, y.dtype)
    let xs = x.converted(to: dtype).broadcast(to: shape).elements()
    let ys = y.converted(to: dtype).broadcast(to: shape).elements()
    let out = filledUnchecked(shape, .int64(0), dtype: dtype)
    for k in 0..<flags.count { out.setElement(flags[k].isTrue ? xs[k] : ys[k], at: k) }
    return out
  }

  /// A reduction's call: `axis`, `keepdims`, and NumPy scalars for full reductions.
  /// `np.sum(a)` (`method: false`) or `a.sum()` (`method: true`) and the other reductions,
  /// with the warnings NumPy gives from its own code (`overflow encountered in reduce`).
  static func reduce(
    _ reduction: Reduction, _ a: StridedArray, _ call: CallArguments, axisIndex: Int,
    method: Bool
  )
    throws(PythonError) -> Value
  {
    let axes = try call.axes(axisIndex)
    let keepDims = try call.bool(nil, "keepdims", default: false)
    var result = try wrapError { () throws(ArrayError) in
      try a.reduce(reduction, axes: axes, keepDims: keepDims)
    }
    try ReductionWarnings.report(
      reduction, a, axes: axes, keepDims: keepDims, result: result, method: method)
    if let dtype = try call.dtype(nil) { result = result.converted(to: dtype) }
    return ArrayValues.wrap(result)
  }

  static func sequenceOfArrays(_ interpreter: PythonInterpreter, _ value: Value)
    throws(PythonError) -> [StridedArray]
  {
    var arrays: [StridedArray] = []
    for item in try interpreter.iterate(value) { arrays.append(try ArrayValues.array(item)) }
    return arrays
  }

  static func isClose(_ call: CallArguments) throws(PythonError) -> StridedArray {
    let a = try call.array(0, "a").converted(to: .float64)
    let b = try call.array(1, "b").converted(to: .float64)
    let rtol = try call.double(2, "rtol") ?? 1e-05
    let atol = try call.double(3, "atol") ?? 1e-08
    let equalNaN = try call.bool(4, "equal_nan", default: false)
    let shape = try wrapError { () throws(ArrayError) in try Shape.broadcast(a.shape, b.shape) }
    let xs = a.broadcast(to: shape).realValues()
    let ys = b.broadcast(to: shape).realValues()
    let flags = zip(xs, ys).map { x, y -> Double in
      if x.isNaN || y.isNaN { return equalNaN && x.isNaN && y.isNaN ? 1 : 0 }
      if x == y { return 1 }
      // NumPy's rule: within tolerance only between finite values (inf is close only to
      // itself, never to a finite value within an infinite tolerance).
      guard x.isFinite && y.isFinite else { return 0 }
      return Swift.abs(x - y) <= atol + rtol * Swift.abs(y) ? 1 : 0
    }
    return StridedArray(shape: shape, reals: flags, dtype: .bool)
  }

  /// `body` applied to a C-order copy of `a` with `axis` moved last (so that each run along
  /// the axis is contiguous), its result's last axis moved back to `axis`.
  static func alongAxis(
    _ a: StridedArray, _ axis: Int,
    _ body: (StridedArray, Int) throws(PythonError) -> StridedArray
  ) throws(PythonError) -> StridedArray {
    let along = axis < 0 ? axis + a.ndim : axis
    guard along >= 0 && along < a.ndim else {
      throw PythonError.raise(
        "AxisError", "axis \(axis) is out of bounds for array of dimension \(a.ndim)")
    }
    var order = Array(0..<a.ndim)
    order.remove(at: along)
    order.append(along)
    let moved = try wrapError { () throws(ArrayError) in try a.transposed(order).copy() }
    let result = try body(moved, max(moved.shape.last ?? 1, 1))
    var inverse = [Int](repeating: 0, count: order.count)
    for (position, axis) in order.enumerated() { inverse[axis] = position }
    return try wrapError { () throws(ArrayError) in try result.transposed(inverse).copy() }
  }

  /// numpy.lexsort(keys) of 1-d keys (numbers or str arrays): the indices that sort by the
  /// last key, ties by the one before, and so on — NumPy's stable indirect sort by each key
  /// in turn from the first, so the order is the one stable order. Str keys compare by code
  /// point, as NumPy's unicode comparison does.
  static func lexsort(_ call: CallArguments) throws(PythonError) -> Value {
    let keys: [Value]
    switch try call.required(0, "keys").unmarked {
    case .tuple(let items): keys = items
    case .list(let list): keys = list.items
    case .array(let object) where object.strings == nil && object.array.ndim == 2:
      keys = ArrayValues.rows(object.array)
    case let other: keys = [other]
    }
    if call.value(1, "axis") != nil {
      throw PythonError(refusal: "retrace models np.lexsort of 1-d keys, without axis")
    }
    enum Key {
      case numbers([Double])
      case integers([Int64])
      case texts([[UInt32]])
    }
    var columns: [Key] = []
    var count: Int?
    for key in keys {
      let column: Key
      let length: Int
      if let (positions, table) = try ArrayValues.strings(key) {
        guard positions.ndim == 1 else {
          throw PythonError(refusal: "retrace models np.lexsort of 1-d keys only")
        }
        let texts = table.texts(of: positions).map { $0.unicodeScalars.map(\.value) }
        column = .texts(texts)
        length = texts.count
      } else {
        let array = try ArrayValues.array(key)
        guard array.ndim == 1 else {
          throw PythonError(refusal: "retrace models np.lexsort of 1-d keys only")
        }
        if array.dtype.isInteger && array.dtype != .uint64 {
          column = .integers(array.integerValues())
        } else {
          column = .numbers(array.realValues())
        }
        length = array.count
      }
      if let count, count != length {
        throw PythonError.value("all keys need to be the same shape")
      }
      count = length
      columns.append(column)
    }
    var order = Array(0..<(count ?? 0))
    for column in columns {
      // A stable merge sort by this key (Swift's sort is not documented as stable).
      func less(_ i: Int, _ j: Int) -> Bool {
        switch column {
        case .numbers(let x):
          let (p, q) = (x[i], x[j])
          if p.isNaN { return false }
          return q.isNaN || p < q
        case .integers(let x): return x[i] < x[j]
        case .texts(let x): return x[i].lexicographicallyPrecedes(x[j])
        }
      }
      order = order.enumerated().sorted { first, second in
        if less(first.element, second.element) { return true }
        if less(second.element, first.element) { return false }
        return first.offset < second.offset
      }.map(\.element)
    }
    return ArrayValues.wrapArray(
      StridedArray(shape: [order.count], integers: order.map { Int64($0) }))
  }

  /// numpy.partition / numpy.argpartition(a, kth, axis=-1): each lane along `axis` (None:
  /// the flattened array) as NumPy's introselect leaves it (`NumPySort`: x86-simd-sort's
  /// qselect / argselect for one kth, NumPy's own introselect for several), for float64,
  /// float32, int64 and int32; other dtypes are refused.
  static func partitioned(_ call: CallArguments, indices: Bool, array given: StridedArray? = nil)
    throws(PythonError) -> StridedArray
  {
    let offset = given == nil ? 0 : -1
    let a: StridedArray
    if let given { a = given } else { a = try call.array(0, "a") }
    let kthValue = try call.required(1 + offset, "kth")
    var kth: [Int] = []
    if let k = Operators.integer(kthValue) {
      kth = [Int(k)]
    } else {
      let items = try ArrayValues.array(kthValue)
      guard items.dtype.isInteger || items.count == 0 && items.dtype == .int64 else {
        throw PythonError.type("Partition index must be integer")
      }
      kth = items.integerValues().map { Int($0) }
    }
    let axis: Int?
    if let value = call.value(2 + offset, "axis", noneIsAbsent: false), case .none = value {
      axis = nil
    } else {
      axis = try call.int(2 + offset, "axis") ?? -1
    }
    let source = axis == nil || a.ndim == 0 ? a.ravel() : a
    if source.count == 0 { return indices ? source.converted(to: .int64) : source.copy() }
    let dtype = source.dtype
    guard [.float64, .float32, .int64, .int32].contains(dtype) else {
      throw PythonError(
        refusal: "retrace models np.partition and np.argpartition of float64, float32, int64 "
          + "and int32 arrays, not \(dtype.rawValue)")
    }
    return try alongAxis(source, axis ?? 0) { (moved, length) throws(PythonError) in
      var out: [Int64] = []
      var reals: [Double] = []
      var ints: [Int64] = []
      let values = dtype.isFloat ? [] : moved.integerValues()
      let doubles = dtype.isFloat ? moved.realValues() : []
      var k = 0
      while k < moved.count {
        let lane = k..<(k + length)
        try wrapError { () throws(ArrayError) in
          switch dtype {
          case .float64:
            let x = Array(doubles[lane])
            if indices {
              out += try NumPySort.argpartition(x, kth: kth).map { Int64($0) }
            } else {
              reals += try NumPySort.partition(x, kth: kth)
            }
          case .float32:
            let x = doubles[lane].map { Float($0) }
            if indices {
              out += try NumPySort.argpartition(x, kth: kth).map { Int64($0) }
            } else {
              reals += try NumPySort.partition(x, kth: kth).map { Double($0) }
            }
          case .int32:
            let x = values[lane].map { Int32(truncatingIfNeeded: $0) }
            if indices {
              out += try NumPySort.argpartition(x, kth: kth).map { Int64($0) }
            } else {
              ints += try NumPySort.partition(x, kth: kth).map { Int64($0) }
            }
          default:
            let x = Array(values[lane])
            if indices {
              out += try NumPySort.argpartition(x, kth: kth).map { Int64($0) }
            } else {
              ints += try NumPySort.partition(x, kth: kth)
            }
          }
        }
        k += length
      }
      if indices { return StridedArray(shape: moved.shape, integers: out) }
      if dtype.isFloat { return StridedArray(shape: moved.shape, reals: reals, dtype: dtype) }
      return StridedArray(shape: moved.shape, integers: ints, dtype: dtype)
    }
  }

  /// Whether a `kind=` argument asks for a stable sort ('stable', 'mergesort'); None,
  /// 'quicksort' and 'heapsort' give NumPy's default (on this machine all the same code).
  static func stableKind(_ kind: Value?) throws(PythonError) -> Bool {
    guard let kind, case .str(let name) = kind.unmarked else { return false }
    switch name.lowercased().first {
    case "s", "m": return true
    case "q", "h": return false
    default:
      throw PythonError.value(
        "sort kind must be one of 'quick', 'heap', or 'stable' (got '\(name)')")
    }
  }

  /// Sorted values along `axis` (nil: the flattened array), NaN last, as NumPy sorts: by
  /// default in the order of NumPy's x86-simd-sort path (`NumPySort`, which decides the signs
  /// of equal zeros and writes NaNs as the default quiet NaN), stably when asked.
  static func sorted(_ a: StridedArray, axis: Int?, stable: Bool = false) throws(PythonError)
    -> StridedArray
  {
    let source = axis == nil || a.ndim == 0 ? a.ravel() : a
    return try alongAxis(source, axis ?? 0) { (moved, length) throws(PythonError) in
      if !stable, moved.dtype.isFloat {
        var values = moved.realValues()
        var k = 0
        while k < values.count {
          let lane = Array(values[k..<(k + length)])
          let result: [Double] =
            moved.dtype == .float32
            ? NumPySort.sort(lane.map { Float($0) }).map { Double($0) } : NumPySort.sort(lane)
          values.replaceSubrange(k..<(k + length), with: result)
          k += length
        }
        return StridedArray(shape: moved.shape, reals: values, dtype: moved.dtype)
      }
      if moved.dtype.isInteger {
        var values = moved.integerValues()
        let unsigned = moved.dtype == .uint64
        var k = 0
        while k < values.count {
          if unsigned {
            values[k..<(k + length)].sort { UInt64(bitPattern: $0) < UInt64(bitPattern: $1) }
          } else {
            values[k..<(k + length)].sort()
          }
          k += length
        }
        return StridedArray(shape: moved.shape, integers: values, dtype: moved.dtype)
      }
      var values = moved.realValues()
      var k = 0
      while k < values.count {
        values[k..<(k + length)].sort { x, y in y.isNaN ? !x.isNaN : x < y }
        k += length
      }
      return StridedArray(shape: moved.shape, reals: values, dtype: moved.dtype)
    }
  }

  /// Indices that sort along `axis`: by default NumPy's order, ties included (x86-simd-sort's
  /// for float64, float32, int64 and int32, through `NumPySort`); `stable`: ties keep their
  /// order (kind='stable', and what `np.unique` uses for its indices). For the other dtypes
  /// NumPy's default is its own unstable introsort, which retrace does not model: a lane with
  /// equal keys is refused there (without ties every sort gives the one order).
  static func argsort(_ a: StridedArray, axis: Int = -1, stable: Bool = false) throws(PythonError)
    -> StridedArray
  {
    if a.ndim > 1 {
      return try alongAxis(a, axis) { (moved, length) throws(PythonError) in
        var indices: [Int64] = []
        let rows = try wrapError { () throws(ArrayError) in
          try moved.reshaped([moved.count / length, length])
        }
        for row in ArrayValues.rows(rows) {
          guard case .array(let object) = row else { continue }
          indices += try argsort(object.array, stable: stable).integerValues()
        }
        return StridedArray(shape: moved.shape, integers: indices)
      }
    }
    if !stable {
      let order: [Int]?
      switch a.dtype {
      case .float64: order = NumPySort.argsort(a.realValues())
      case .float32: order = NumPySort.argsort(a.realValues().map { Float($0) })
      case .int64: order = NumPySort.argsort(a.integerValues())
      case .int32:
        order = NumPySort.argsort(a.integerValues().map { Int32(truncatingIfNeeded: $0) })
      default: order = nil
      }
      if let order {
        return StridedArray(shape: [order.count], integers: order.map { Int64($0) })
      }
    }
    let order: [Int]
    if a.dtype.isInteger {
      let values = a.integerValues()
      let unsigned = a.dtype == .uint64
      order = values.indices.sorted { i, j in
        let (x, y) = (values[i], values[j])
        if x == y { return i < j }
        return unsigned ? UInt64(bitPattern: x) < UInt64(bitPattern: y) : x < y
      }
      if !stable, !stableIsDefault(a.dtype, values.count),
        zip(order, order.dropFirst()).contains(where: { values[$0] == values[$1] })
      {
        throw unmodelledTies(a.dtype)
      }
    } else {
      let values = a.realValues()
      order = values.indices.sorted { i, j in
        let x = values[i]
        let y = values[j]
        if x == y || (x.isNaN && y.isNaN) { return i < j }
        return y.isNaN ? true : (x.isNaN ? false : x < y)
      }
      if !stable, !stableIsDefault(a.dtype, values.count),
        zip(order, order.dropFirst()).contains(where: { values[$0] == values[$1] })
      {
        throw unmodelledTies(a.dtype)
      }
    }
    return StridedArray(shape: [order.count], integers: order.map { Int64($0) })
  }

  /// Whether NumPy's default argsort of a lane is stable: its own introsort (bool and the 8-
  /// and 16-bit integers) sorts a lane of up to 17 elements by insertion, which keeps ties in
  /// order; uint32 and uint64 go to x86-simd-sort, whose tie order retrace has only for the
  /// signed and float types.
  private static func stableIsDefault(_ dtype: DType, _ count: Int) -> Bool {
    if dtype == .uint32 || dtype == .uint64 { return count <= 1 }
    return count <= 17
  }

  private static func unmodelledTies(_ dtype: DType) -> PythonError {
    PythonError(
      refusal: "retrace does not model the order of equal keys in NumPy's default argsort of "
        + "\(dtype.rawValue) beyond 17 elements; kind='stable' is modelled")
  }

  static func unique(_ call: CallArguments) throws(PythonError) -> Value {
    if let (positions, table) = try ArrayValues.strings(try call.required(0, "ar")) {
      return try strUnique(positions, table, call)
    }
    let a = try call.array(0, "ar").ravel()
    let sortedValues = try sorted(a, axis: -1)
    let items = sortedValues.elements()
    var values: [ArrayScalar] = []
    var counts: [Int64] = []
    for item in items {
      if let last = values.last, last == item {
        counts[counts.count - 1] += 1
      } else {
        values.append(item)
        counts.append(1)
      }
    }
    let result = filledUnchecked([values.count], .int64(0), dtype: a.dtype)
    for (k, value) in values.enumerated() { result.setElement(value, at: k) }
    let uniques = ArrayValues.wrapArray(result)
    var outputs: [Value] = [uniques]
    let wantIndex = try call.bool(nil, "return_index", default: false)
    let wantInverse = try call.bool(nil, "return_inverse", default: false)
    if wantIndex || wantInverse {
      // Each element's unique value, by a stable order of the flattened input (NumPy sorts
      // with mergesort when indices are asked for, so the first occurrence is the index).
      let flat = a.elements()
      let order = try argsort(a, axis: -1, stable: true).integerValues().map(Int.init)
      var first = [Int64](repeating: 0, count: values.count)
      var inverse = [Int64](repeating: 0, count: flat.count)
      var group = -1
      var previous: ArrayScalar?
      for position in order {
        if previous != flat[position] {
          group += 1
          previous = flat[position]
          first[group] = Int64(position)
        }
        inverse[position] = Int64(group)
      }
      if wantIndex {
        outputs.append(ArrayValues.wrapArray(StridedArray(shape: [first.count], integers: first)))
      }
      if wantInverse {
        let shape = try call.array(0, "ar").shape
        outputs.append(ArrayValues.wrapArray(StridedArray(shape: shape, integers: inverse)))
      }
    }
    if try call.bool(nil, "return_counts", default: false) {
      outputs.append(ArrayValues.wrapArray(StridedArray(shape: [counts.count], integers: counts)))
    }
    return outputs.count == 1 ? uniques : .tuple(outputs)
  }

  /// numpy.histogram with `bins` equal bins over `range` (default: the data's min and max), as
  /// NumPy computes the bin of each value (scaled index, then a one-step correction against
  /// the edges).
  static func histogram(_ call: CallArguments) throws(PythonError) -> Value {
    let a = try call.array(0, "a").ravel().converted(to: .float64).realValues()
    if let given = call.value(1, "bins"), Operators.integer(given) == nil {
      // Explicit edges: NumPy's searchsorted(edges, a, 'right'), the last edge closed.
      let edgeArray = try ArrayValues.array(given)
      let edges = edgeArray.converted(to: .float64).realValues()
      guard edgeArray.ndim == 1, edges.count >= 1 else {
        throw PythonError.value("`bins` must be 1d, when an array")
      }
      for k in 1..<max(edges.count, 1) where edges[k] < edges[k - 1] {
        throw PythonError.value("`bins` must increase monotonically, when an array")
      }
      var counts = [Int64](repeating: 0, count: max(edges.count - 1, 0))
      for x in a where !counts.isEmpty && x >= edges[0] && x <= edges[edges.count - 1] {
        var low = 0
        var high = edges.count
        while low < high {
          let mid = (low + high) / 2
          if edges[mid] <= x { low = mid + 1 } else { high = mid }
        }
        counts[min(low - 1, counts.count - 1)] += 1
      }
      return .tuple([
        ArrayValues.wrapArray(StridedArray(shape: [counts.count], integers: counts)),
        ArrayValues.wrapArray(edgeArray.copy()),
      ])
    }
    let bins = try call.int(1, "bins") ?? 10
    guard bins > 0 else { throw PythonError.value("`bins` must be positive, when an integer") }
    var first = a.min() ?? 0
    var last = a.max() ?? 1
    if let range = call.value(2, "range"), case .tuple(let bounds) = range, bounds.count == 2,
      let low = Operators.number(bounds[0]), let high = Operators.number(bounds[1])
    {
      first = low
      last = high
    }
    if first == last {
      first -= 0.5
      last += 0.5
    }
    let edges = linspaceValues(first, last, bins + 1, endpoint: true).values
    let norm = Double(bins) / (last - first)
    var counts = [Int64](repeating: 0, count: bins)
    for x in a where x >= first && x <= last {
      var index = Int(((x - first) * norm).rounded(.towardZero))
      if index == bins { index -= 1 }
      if x < edges[index] { index -= 1 }
      if index != bins - 1 && x >= edges[index + 1] { index += 1 }
      counts[index] += 1
    }
    return .tuple([
      ArrayValues.wrapArray(StridedArray(shape: [bins], integers: counts)),
      ArrayValues.wrapArray(StridedArray(shape: [bins + 1], reals: edges)),
    ])
  }

  /// numpy.percentile / numpy.quantile with the default 'linear' method, as `_quantile`
  /// computes it: virtual index `(n - 1) * q`, the neighbours in sorted order, and NumPy's
  /// `_lerp` (`a + (b - a) * t`, or `b - (b - a) * (1 - t)` where `t >= 0.5`).
  static func quantile(_ call: CallArguments, scale: Double) throws(PythonError) -> Value {
    let a = try call.array(0, "a").converted(to: .float64)
    let qArray = try call.array(1, "q").converted(to: .float64)
    if call.value(nil, "method") != nil || call.value(nil, "interpolation") != nil {
      throw PythonError(refusal: "retrace models the default 'linear' quantile method only")
    }
    let axis = try call.int(2, "axis")
    let source = axis == nil ? a.ravel() : a
    let along = axis.map { $0 < 0 ? $0 + source.ndim : $0 } ?? 0
    guard along >= 0 && along < source.ndim else {
      throw PythonError.raise(
        "AxisError", "axis \(axis ?? 0) is out of bounds for array of dimension \(a.ndim)")
    }
    // Sorted along the axis, the axis moved first: rows are the order statistics.
    var order = Array(0..<source.ndim)
    order.remove(at: along)
    order.insert(along, at: 0)
    let sortedValues = try sorted(source, axis: along)
    let moved = try wrapError { () throws(ArrayError) in try sortedValues.transposed(order).copy() }
    let n = moved.shape[0]
    let rest = Array(moved.shape.dropFirst())
    let width = rest.reduce(1, *)
    let values = moved.realValues()
    var out: [Double] = []
    for qValue in qArray.realValues() {
      let q = qValue / scale
      guard q >= 0 && q <= 1 else {
        throw PythonError.value(
          scale == 100
            ? "Percentiles must be in the range [0, 100]" : "Quantiles must be in the range [0, 1]")
      }
      let virtual = Double(n - 1) * q
      var previous = Foundation.floor(virtual)
      var next = previous + 1
      if virtual >= Double(n - 1) {
        previous = -1
        next = -1
      } else if virtual < 0 {
        previous = 0
        next = 0
      }
      let gamma = virtual - previous
      let p = Int(previous) < 0 ? n + Int(previous) : Int(previous)
      let m = Int(next) < 0 ? n + Int(next) : Int(next)
      for j in 0..<width {
        let low = values[p * width + j]
        let high = values[m * width + j]
        let difference = high - low
        out.append(gamma >= 0.5 ? high - difference * (1 - gamma) : low + difference * gamma)
      }
    }
    let shape = qArray.shape + rest
    return ArrayValues.wrap(StridedArray(shape: shape, reals: out))
  }

  static func bincount(_ call: CallArguments) throws(PythonError) -> Value {
    let x = try call.array(0, "x")
    guard x.ndim == 1, !x.dtype.isFloat else {
      throw PythonError.type(
        "Cannot cast array data from dtype('float64') to dtype('int64') according to the rule 'safe'"
      )
    }
    let indices = x.integerValues()
    if indices.contains(where: { $0 < 0 }) {
      throw PythonError.value("'list' argument must have no negative elements")
    }
    let minLength = try call.int(2, "minlength") ?? 0
    let length = max(Int(indices.max() ?? -1) + 1, minLength)
    if let weights = try call.optionalArray(1, "weights") {
      let w = weights.realValues()
      var out = [Double](repeating: 0, count: length)
      for (k, i) in indices.enumerated() { out[Int(i)] += w[k] }
      return ArrayValues.wrapArray(StridedArray(shape: [length], reals: out))
    }
    var out = [Int64](repeating: 0, count: length)
    for i in indices { out[Int(i)] += 1 }
    return ArrayValues.wrapArray(StridedArray(shape: [length], integers: out))
  }

  static func roll(_ call: CallArguments) throws(PythonError) -> Value {
    let a = try call.array(0, "a")
    let shift = try call.int(1, "shift") ?? 0
    let axis = try call.int(2, "axis")
    let source = axis == nil ? a.ravel() : a
    let along = axis.map { $0 < 0 ? $0 + a.ndim : $0 } ?? 0
    guard along >= 0 && along < source.ndim else {
      throw PythonError.value("axis \(axis ?? 0) is out of bounds for array of dimension \(a.ndim)")
    }
    let n = source.shape[along]
    guard n > 0 else { return ArrayValues.wrapArray(a.copy()) }
    let s = ((shift % n) + n) % n
    let prefix = Array(repeating: ArrayIndex.slice(nil, nil, nil), count: along)
    let tail = StridedArray.read(
      try wrapError { () throws(ArrayError) in try source.select(prefix + [.slice(n - s, nil, nil)])
      })
    let head = StridedArray.read(
      try wrapError { () throws(ArrayError) in try source.select(prefix + [.slice(nil, n - s, nil)])
      })
    var result = try wrapError { () throws(ArrayError) in
      try StridedArray.concatenate([tail, head], axis: along)
    }
    if axis == nil {
      result = try wrapError { () throws(ArrayError) in try result.reshaped(a.shape) }
    }
    return ArrayValues.wrapArray(result)
  }

  /// The print options `np.set_printoptions(...)` / `np.printoptions(...)` set, over the
  /// current ones (NumPy's TypeErrors for options of the wrong type).
  static func printOptions(_ interpreter: PythonInterpreter, _ call: CallArguments)
    throws(PythonError) -> PrintOptions
  {
    for (index, name) in [(0, "precision"), (1, "threshold"), (2, "edgeitems"), (3, "linewidth")] {
      guard let value = call.value(index, name) else { continue }
      if Operators.integer(value) == nil {
        if name == "precision" { throw PythonError.type("precision must be an integer") }
        if Operators.number(value) == nil { throw PythonError.type("\(name) must be numeric") }
        throw PythonError(refusal: "retrace models \(name) as an int only")
      }
    }
    var options = interpreter.printOptions
    if let precision = try call.int(0, "precision") { options.precision = precision }
    if let threshold = try call.int(1, "threshold") { options.threshold = threshold }
    if let edge = try call.int(2, "edgeitems") { options.edgeItems = edge }
    if let width = try call.int(3, "linewidth") { options.lineWidth = width }
    if let suppress = call.value(4, "suppress") {
      options.suppress = try interpreter.truth(suppress)
    }
    if let nan = call.string(5, "nanstr") { options.nanString = nan }
    if let inf = call.string(6, "infstr") { options.infString = inf }
    if let sign = call.string(8, "sign") {
      guard let parsed = PrintOptions.Sign(rawValue: sign) else {
        throw PythonError.value("sign option must be one of ' ', '+', or '-'")
      }
      options.sign = parsed
    }
    if let mode = call.string(nil, "floatmode") {
      guard let parsed = PrintOptions.FloatMode(rawValue: mode) else {
        throw PythonError.value(
          "floatmode option must be one of 'fixed', 'unique', 'maxprec', 'maxprec_equal'")
      }
      options.floatMode = parsed
    }
    if let legacy = call.value(nil, "legacy") {
      if case .str("1.13") = legacy {
        options.legacy113 = true
      } else if case .bool(false) = legacy {
        options.legacy113 = false
      } else {
        throw PythonError(refusal: "retrace models legacy='1.13' and legacy=False only")
      }
    }
    if call.value(nil, "formatter") != nil {
      throw PythonError(refusal: "retrace does not model np.set_printoptions(formatter=...)")
    }
    return options
  }

  static func linearAlgebra() -> ModuleObject {
    var attributes: [String: Value] = [:]
    attributes["norm"] = .builtin(
      BuiltinFunction(name: "norm") { _, positional, keywords throws(PythonError) in
        let call = CallArguments("norm", positional, keywords)
        let x = try call.array(0, "x").converted(to: .float64)
        if let order = call.value(1, "ord") {
          let result = try norm(
            x, order: order, axes: try call.axes(2),
            keepDims: try call.bool(3, "keepdims", default: false))
          try FloatErrorSink.unmodelled(
            result, inputs: [.array(ArrayObject(x))], name: "np.linalg.norm")
          return result
        }
        if let axes = try call.axes(2) {
          let squares = try wrapError { () throws(ArrayError) in
            try StridedArray.apply(.multiply, x, x)
          }
          let keepDims = try call.bool(3, "keepdims", default: false)
          let total = try wrapError { () throws(ArrayError) in
            try squares.reduce(.sum, axes: axes, keepDims: keepDims)
          }
          let result = ArrayValues.wrap(
            try wrapError { () throws(ArrayError) in try StridedArray.apply(.sqrt, total) })
          try FloatErrorSink.unmodelled(
            result, inputs: [.array(ArrayObject(x))], name: "np.linalg.norm")
          return result
        }
        let flat = x.ravel()
        let sumOfSquares = try wrapError { () throws(ArrayError) in try StridedArray.dot(flat, flat)
        }
        try FloatErrorSink.report(
          FloatStatus.ofReduction(
            [flat], result: sumOfSquares, recompute: { try? StridedArray.dot($0[0], $0[0]) }),
          "dot", site: .normDot)
        return .npScalar(.float64((sumOfSquares.onlyElement?.real ?? 0).squareRoot()))
      })
    attributes["matrix_power"] = .builtin(
      BuiltinFunction(name: "matrix_power") { _, positional, keywords throws(PythonError) in
        let call = CallArguments("matrix_power", positional, keywords)
        let a = try call.array(0, "a")
        guard var n = try call.int(1, "n"), n >= 0 else {
          throw PythonError(refusal: "retrace models matrix_power with n >= 0 only")
        }
        guard a.ndim == 2, a.shape[0] == a.shape[1] else {
          throw PythonError.raise(
            "LinAlgError", "Last 2 dimensions of the array must be square")
        }
        func product(_ x: StridedArray, _ y: StridedArray) throws(PythonError) -> StridedArray {
          try wrapError { () throws(ArrayError) in try StridedArray.dot(x, y, matmul: true) }
        }
        if n == 0 {
          var values = [Double](repeating: 0, count: a.count)
          for i in 0..<a.shape[0] { values[i * a.shape[0] + i] = 1 }
          return ArrayValues.wrapArray(
            StridedArray(shape: a.shape, reals: values).converted(to: a.dtype))
        }
        if n == 1 { return ArrayValues.wrapArray(a.copy()) }
        if n == 2 { return ArrayValues.wrapArray(try product(a, a)) }
        if n == 3 { return ArrayValues.wrapArray(try product(try product(a, a), a)) }
        // NumPy's binary decomposition: z squares, result collects the set bits.
        var z: StridedArray?
        var result: StridedArray?
        while n > 0 {
          z = try z.map { (z) throws(PythonError) in try product(z, z) } ?? a
          let bit = n % 2
          n /= 2
          if bit == 1, let z {
            result = try result.map { (result) throws(PythonError) in try product(result, z) } ?? z
          }
        }
        return ArrayValues.wrapArray(result ?? a)
      })
    // Every function but the default norm computes in code whose warnings retrace does not
    // model.
    for (name, value) in attributes {
      guard case .builtin(let function) = value, name != "norm" else { continue }
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { interpreter, positional, keywords throws(PythonError) in
          let result = try function.body(interpreter, positional, keywords)
          try FloatErrorSink.unmodelled(
            result, inputs: positional + keywords.map(\.1), name: "np.linalg.\(name)")
          return result
        })
    }
    return ModuleObject(name: "numpy.linalg", attributes: attributes)
  }
}

extension NumPyNames {
  /// Whether NumPy's module `module` (`numpy`, `numpy.random`, `numpy.linalg`) has `name`.
  static func has(_ module: String, _ name: String) -> Bool {
    switch module {
    case "numpy": numpy.contains(name)
    case "numpy.random": random.contains(name)
    case "numpy.linalg": linalg.contains(name)
    default: false
    }
  }
}
