import NumPyKit

/// NumPy functions that cut, flip, search and compare arrays: `split`, `array_split`, `flip`,
/// `ascontiguousarray`, `searchsorted`, `heaviside`, `diff`, `inner`, `vdot`, and the orders of
/// `linalg.norm`. Each follows NumPy's definition in terms of operations NumPyKit has, so the
/// bits are those operations' (checked by `Fixtures/numpy/operations`).
extension NumPyModule {
  /// `np.r_` and `np.c_`: objects whose subscript concatenates (see `concatenated`).
  static let concatenators: [String: Value] = [
    "r_": .native(
      NativeObject(typeName: "RClass", repr: "<numpy.lib._index_tricks_impl.RClass object>")),
    "c_": .native(
      NativeObject(typeName: "CClass", repr: "<numpy.lib._index_tricks_impl.CClass object>")),
  ]

  /// `np.r_[...]` (rows: items as 1-d arrays, slices as `arange`, joined along the first
  /// axis) and `np.c_[...]` (columns: 1-d items as columns, joined along the last axis), for
  /// the simple forms; string directives and complex steps are refused.
  static func concatenated(_ key: Value, columns: Bool) throws(PythonError) -> Value {
    let items: [Value]
    if case .tuple(let parts) = key { items = parts } else { items = [key] }
    var pieces: [StridedArray] = []
    for item in items {
      var piece: StridedArray
      switch item {
      case .str:
        throw PythonError(refusal: "retrace does not model np.r_/np.c_ string directives")
      case .slice(let start, let stop, let step):
        guard Operators.number(stop) != nil || Operators.integer(stop) != nil else {
          throw PythonError(refusal: "retrace models np.r_ slices with a stop")
        }
        var arguments: [Value] = []
        if case .none = start { arguments.append(.int(0)) } else { arguments.append(start) }
        arguments.append(stop)
        if case .none = step {} else { arguments.append(step) }
        guard case .array(let object) = try arange(CallArguments("arange", arguments, [])) else {
          continue
        }
        piece = object.array
      default:
        piece = try ArrayValues.array(item)
      }
      if piece.ndim == 0 {
        let single = piece
        piece = try wrapError { () throws(ArrayError) in try single.reshaped([1]) }
      }
      if columns && piece.ndim == 1 {
        let column = piece
        piece = try wrapError { () throws(ArrayError) in try column.reshaped([column.count, 1]) }
      }
      pieces.append(piece)
    }
    guard !pieces.isEmpty else { return ArrayValues.wrapArray(StridedArray(shape: [0], reals: [])) }
    let joined = pieces
    return ArrayValues.wrapArray(
      try wrapError { () throws(ArrayError) in
        try StridedArray.concatenate(joined, axis: columns ? joined[0].ndim - 1 : 0)
      })
  }

  /// `np.nditer(a, flags=...)` over one C-contiguous operand: its elements as 0-d views in
  /// memory order, with `multi_index`, `index`, `finished`, `iternext()` and `it[0]`
  /// (`while not it.finished: ... it.iternext()`, or a `for` loop).
  static func nditer(_ call: CallArguments) throws(PythonError) -> Value {
    let a = try call.array(0, "op")
    guard a.isContiguous else {
      throw PythonError(refusal: "retrace models np.nditer over C-contiguous arrays only")
    }
    if let order = call.string(nil, "order"), order != "K", order != "C" {
      throw PythonError(refusal: "retrace models np.nditer in C and K order only")
    }
    let items: [Value] = (0..<a.count).map { k in
      .array(
        ArrayObject(
          StridedArray(
            storage: a.storage, dtype: a.dtype, shape: [], strides: [], offset: a.offset + k)))
    }
    let iterator = IteratorObject(items)
    iterator.shape = a.shape
    return .iterator(iterator)
  }

  static func nditerAttribute(_ iterator: IteratorObject, _ name: String) throws(PythonError)
    -> Value
  {
    let count = iterator.items.count
    switch name {
    case "multi_index":
      guard iterator.current < count, let shape = iterator.shape else {
        throw PythonError.value("Iterator is past the end")
      }
      var rest = iterator.current
      var index = [Value](repeating: .int(0), count: shape.count)
      for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
        index[axis] = .int(Int64(rest % shape[axis]))
        rest /= shape[axis]
      }
      return .tuple(index)
    case "index", "iterindex": return .int(Int64(iterator.current))
    case "finished": return .bool(iterator.current >= count)
    case "itersize": return .int(Int64(count))
    case "iternext":
      return .builtin(
        BuiltinFunction(name: "iternext") { _, _, _ throws(PythonError) in
          iterator.current += 1
          iterator.position = iterator.current
          return .bool(iterator.current < count)
        })
    default:
      throw PythonError.attribute("'numpy.nditer' object has no attribute '\(name)'")
    }
  }

  /// numpy.pad(array, pad_width, mode='constant', constant_values=0).
  static func pad(_ call: CallArguments) throws(PythonError) -> Value {
    let a = try call.array(0, "array")
    let widthValue = try call.required(1, "pad_width")
    if let mode = call.string(2, "mode"), mode != "constant" {
      throw PythonError(refusal: "retrace models np.pad in 'constant' mode only")
    }
    let widths = try ArrayValues.array(widthValue).integerValues().map(Int.init)
    var before = [Int](repeating: 0, count: a.ndim)
    var after = before
    for axis in 0..<a.ndim {
      switch widths.count {
      case 1: (before[axis], after[axis]) = (widths[0], widths[0])
      case 2: (before[axis], after[axis]) = (widths[0], widths[1])
      case 2 * a.ndim: (before[axis], after[axis]) = (widths[2 * axis], widths[2 * axis + 1])
      default:
        throw PythonError.value("operands could not be broadcast together with remapped shapes")
      }
    }
    if before.contains(where: { $0 < 0 }) || after.contains(where: { $0 < 0 }) {
      throw PythonError.value("index can't contain negative values")
    }
    let fill = try call.optionalArray(nil, "constant_values", beside: a.dtype)?.onlyElement
    let shape = (0..<a.ndim).map { a.shape[$0] + before[$0] + after[$0] }
    try ArrayValues.checkBudget(shape)
    let out = filledUnchecked(shape, fill ?? .int64(0), dtype: a.dtype)
    let inner = (0..<a.ndim).map { ArrayIndex.slice(before[$0], before[$0] + a.shape[$0], nil) }
    try wrapError { () throws(ArrayError) in try StridedArray.write(a, into: try out.select(inner))
    }
    return ArrayValues.wrapArray(out)
  }

  /// numpy.convolve(a, v, mode): each output the dot product of `v` reversed with a window of
  /// `a` (NumPy's correlate over the dtype's dot, one product at a time and in order).
  static func convolve(_ call: CallArguments) throws(PythonError) -> Value {
    var a = try call.array(0, "a").ravel()
    var v = try call.array(1, "v").ravel()
    let mode = call.string(2, "mode") ?? "full"
    guard a.count > 0 else { throw PythonError.value("a cannot be empty") }
    guard v.count > 0 else { throw PythonError.value("v cannot be empty") }
    if v.count > a.count { swap(&a, &v) }
    let dtype = DType.promoted(a.dtype, v.dtype)
    guard dtype == .float64 || dtype.isInteger else {
      throw PythonError(refusal: "retrace models np.convolve of numbers only")
    }
    let (n, m) = (a.count, v.count)
    let (low, high): (Int, Int)
    switch mode {
    case "full": (low, high) = (-(m - 1), n - 1)
    case "same": (low, high) = (-((m - 1) / 2), n - 1 - (m - 1) / 2)
    case "valid": (low, high) = (0, n - m)
    default:
      throw PythonError.value("mode must be one of 'valid', 'same', or 'full' (got '\(mode)')")
    }
    let kernelReal = v.converted(to: .float64).realValues().reversed().map { $0 }
    let signalReal = a.converted(to: .float64).realValues()
    let kernelInt = v.integerValues().reversed().map { $0 }
    let signalInt = a.integerValues()
    var reals: [Double] = []
    var ints: [Int64] = []
    for start in low...max(low, high) where high >= low {
      // The window a[start ..< start + m], clipped to a.
      if dtype.isInteger {
        var acc: Int64 = 0
        for j in 0..<m where start + j >= 0 && start + j < n {
          acc = acc &+ signalInt[start + j] &* kernelInt[j]
        }
        ints.append(dtype.wrap(acc))
      } else {
        var acc = 0.0
        var first = true
        for j in 0..<m where start + j >= 0 && start + j < n {
          let product = signalReal[start + j] * kernelReal[j]
          acc = first ? product : acc + product
          first = false
        }
        reals.append(acc)
      }
    }
    if dtype.isInteger {
      return ArrayValues.wrapArray(StridedArray(shape: [ints.count], integers: ints, dtype: dtype))
    }
    return ArrayValues.wrapArray(StridedArray(shape: [reals.count], reals: reals))
  }

  /// numpy.lib.stride_tricks.sliding_window_view(x, window_shape, axis=None): a read-only
  /// view whose last axes run over each window.
  static func slidingWindowView(_ call: CallArguments) throws(PythonError) -> Value {
    let x = try call.array(0, "x")
    let window = try ArrayValues.shape(try call.required(1, "window_shape"))
    let axes = try call.axes(2) ?? Array(0..<x.ndim)
    guard window.count == axes.count else {
      throw PythonError.value(
        "Since axis is `None`, must provide window_shape for all dimensions of `x`; got "
          + "\(window.count) window_shape elements and `x.ndim` is \(x.ndim).")
    }
    var shape = x.shape
    for (k, axis) in axes.enumerated() {
      let along = axis < 0 ? axis + x.ndim : axis
      guard window[k] >= 0 else {
        throw PythonError.value("`window_shape` cannot contain negative values")
      }
      guard shape[along] >= window[k] else {
        throw PythonError.value("window shape cannot be larger than input array shape")
      }
      shape[along] -= window[k] - 1
    }
    let strides = x.strides + axes.map { x.strides[$0 < 0 ? $0 + x.ndim : $0] }
    return ArrayValues.wrapArray(
      StridedArray(
        storage: x.storage, dtype: x.dtype, shape: shape + window, strides: strides,
        offset: x.offset))
  }

  /// numpy.einsum(subscripts, *operands) with `optimize=False` (its default): NumPy 2.4.6's
  /// `c_einsum`, in its own summation order for float64 and float32 (see
  /// `StridedArray.einsum`), exact for integers and bools, a view when one operand is only
  /// relabelled. Refused: the sublist form, `optimize` (a contraction path through
  /// np.tensordot and BLAS), `out`, `dtype`, `order` and `casting`.
  static func einsum(_ call: CallArguments) throws(PythonError) -> Value {
    guard case .str(let spec)? = call.positional.first else {
      throw PythonError(refusal: "retrace models np.einsum with a subscripts string")
    }
    for (name, value) in call.keywords {
      if name == "optimize", case .bool(false) = value { continue }
      if name != "optimize", case .none = value { continue }
      throw PythonError(
        refusal: name == "optimize"
          ? "retrace models np.einsum with optimize=False (its default; an optimized path "
            + "contracts through np.tensordot and BLAS)"
          : "retrace models np.einsum without '\(name)='")
    }
    let operands = try call.positional.dropFirst().map {
      (value) throws(PythonError) in try ArrayValues.array(value)
    }
    return ArrayValues.wrap(
      try wrapError { () throws(ArrayError) in try StridedArray.einsum(spec, Array(operands)) })
  }

  /// `np.array([...])` of Python strs: a str array (a copy of a str array's positions).
  static func strArray(_ source: Value, _ call: CallArguments) throws(PythonError) -> Value? {
    guard let (positions, table) = try ArrayValues.strings(source) else { return nil }
    if let dtype = call.value(1, "dtype") {
      guard case .builtin(let builtin) = dtype, builtin.name == "str" else {
        throw PythonError(refusal: ArrayValues.strArrayRefusal)
      }
    }
    return .array(ArrayObject(positions.copy(), strings: table))
  }

  /// `a.name` of a str array: its shape and dtype, `.T`, `copy()` and `tolist()`.
  static func strArrayAttribute(_ object: ArrayObject, _ table: StringTable, _ name: String)
    throws(PythonError) -> Value
  {
    let positions = object.array
    switch name {
    case "shape": return .tuple(positions.shape.map { .int(Int64($0)) })
    case "ndim": return .int(Int64(positions.ndim))
    case "size": return .int(Int64(positions.count))
    case "dtype":
      let dtype = NativeObject(typeName: "dtype", repr: "dtype('\(table.dtypeName)')")
      dtype.strText = table.dtypeName
      return .native(dtype)
    case "T":
      return .array(
        ArrayObject(
          try wrapError { () throws(ArrayError) in try positions.transposed() }, strings: table))
    case "copy":
      return .builtin(
        BuiltinFunction(name: "copy") { _, _, _ throws(PythonError) in
          .array(ArrayObject(positions.copy(), strings: table))
        })
    case "tolist":
      return .builtin(
        BuiltinFunction(name: "tolist") { _, _, _ throws(PythonError) in
          func nest(_ texts: ArraySlice<String>, _ shape: ArraySlice<Int>) -> Value {
            guard let extent = shape.first else { return .str(texts.first ?? "") }
            let step = shape.dropFirst().reduce(1, *)
            return .list(
              ListObject(
                (0..<extent).map { k in
                  nest(
                    texts[(texts.startIndex + k * step)..<(texts.startIndex + (k + 1) * step)],
                    shape.dropFirst())
                }))
          }
          return nest(table.texts(of: positions)[...], positions.shape[...])
        })
    default:
      throw PythonError(refusal: ArrayValues.strArrayRefusal)
    }
  }

  /// `a == b` / `a != b` where one side is a str array: elementwise, against a str or a
  /// str array (broadcast); nil for other operators (refused by the caller).
  static func strCompare(_ equal: Bool, _ a: Value, _ b: Value) throws(PythonError) -> Value? {
    func texts(_ value: Value) throws(PythonError) -> (StridedArray, [String])? {
      if case .str(let text) = value {
        return (StridedArray(shape: [], integers: [0]), [text])
      }
      guard let (positions, table) = try ArrayValues.strings(value) else { return nil }
      return (positions, table.texts)
    }
    guard let (p, left) = try texts(a), let (q, right) = try texts(b) else {
      // A str array against a number: NumPy compares no element equal.
      let (strings, _) = try ArrayValues.strings(a) != nil ? (a, b) : (b, a)
      guard let (positions, _) = try ArrayValues.strings(strings) else { return nil }
      return ArrayValues.wrap(
        StridedArray(
          shape: positions.shape, reals: [Double](repeating: equal ? 0 : 1, count: positions.count),
          dtype: .bool))
    }
    return ArrayValues.wrap(
      try wrapError { () throws(ArrayError) in
        let shape = try Shape.broadcast(p.shape, q.shape)
        let x = p.broadcast(to: shape).integerValues()
        let y = q.broadcast(to: shape).integerValues()
        let flags = zip(x, y).map { i, j -> Double in
          (left[Int(i)] == right[Int(j)]) == equal ? 1 : 0
        }
        return StridedArray(shape: shape, reals: flags, dtype: .bool)
      })
  }

  /// numpy.unique of a str array: the distinct texts in code-point order, with
  /// `return_index`, `return_inverse` and `return_counts`.
  static func strUnique(_ positions: StridedArray, _ table: StringTable, _ call: CallArguments)
    throws(PythonError) -> Value
  {
    let texts = table.texts(of: positions)
    let order = texts.indices.sorted { i, j in
      let (a, b) = (texts[i].unicodeScalars, texts[j].unicodeScalars)
      if a.elementsEqual(b) { return i < j }
      return a.lexicographicallyPrecedes(b) { $0.value < $1.value }
    }
    var unique: [String] = []
    var first: [Int64] = []
    var counts: [Int64] = []
    var inverse = [Int64](repeating: 0, count: texts.count)
    for position in order {
      if unique.last != texts[position] {
        unique.append(texts[position])
        first.append(Int64(position))
        counts.append(0)
      }
      counts[counts.count - 1] += 1
      inverse[position] = Int64(unique.count - 1)
    }
    let values = Value.array(
      ArrayObject(
        StridedArray(shape: [unique.count], integers: (0..<unique.count).map { Int64($0) }),
        strings: StringTable(unique)))
    var outputs = [values]
    if try call.bool(nil, "return_index", default: false) {
      outputs.append(ArrayValues.wrapArray(StridedArray(shape: [first.count], integers: first)))
    }
    if try call.bool(nil, "return_inverse", default: false) {
      outputs.append(ArrayValues.wrapArray(StridedArray(shape: positions.shape, integers: inverse)))
    }
    if try call.bool(nil, "return_counts", default: false) {
      outputs.append(ArrayValues.wrapArray(StridedArray(shape: [counts.count], integers: counts)))
    }
    return outputs.count == 1 ? values : .tuple(outputs)
  }

  /// numpy.select(condlist, choicelist, default=0): each element from the first choice whose
  /// condition holds there, else the default; the dtype NumPy's result_type gives the choices
  /// and the default (Python numbers weak), or a str array when they are all strs.
  static func select(_ call: CallArguments) throws(PythonError) -> Value {
    let conditions = try iterableItems(try call.required(0, "condlist"))
    let choices = try iterableItems(try call.required(1, "choicelist"))
    let fallback = call.value(2, "default", noneIsAbsent: false) ?? .int(0)
    guard conditions.count == choices.count else {
      throw PythonError.value("list of cases must be same length as list of conditions")
    }
    guard !choices.isEmpty else {
      throw PythonError.value("select with an empty condition list is not possible")
    }
    var masks: [StridedArray] = []
    for (k, condition) in conditions.enumerated() {
      let mask = try ArrayValues.array(condition)
      guard mask.dtype == .bool else {
        throw PythonError.type("invalid entry \(k) in condlist: should be boolean ndarray")
      }
      masks.append(mask)
    }
    // All strs: a str array over the choices' texts and the default's.
    let options = choices + [fallback]
    if options.allSatisfy({ if case .str = $0 { return true } else { return false } }) {
      let texts = options.map { value -> String in
        if case .str(let text) = value { return text }
        return ""
      }
      var shape: [Int] = []
      for mask in masks {
        shape = try wrapError { () throws(ArrayError) in try Shape.broadcast(shape, mask.shape) }
      }
      let flags = masks.map { $0.broadcast(to: shape).realValues() }
      let count = shape.reduce(1, *)
      let picks = (0..<count).map { e -> Int64 in
        Int64(flags.firstIndex { $0[e] != 0 } ?? choices.count)
      }
      return .array(
        ArrayObject(StridedArray(shape: shape, integers: picks), strings: StringTable(texts)))
    }
    // The result dtype: the strong dtypes promoted, then the Python numbers (weak).
    var strong: DType?
    var weakest: WeakNumber?
    for option in options {
      if let kind = ArrayValues.weakNumber(option.unmarked) {
        if kind == .float || (kind == .int && weakest != .float) || weakest == nil {
          weakest = kind
        }
      } else {
        let dtype = try ArrayValues.array(option).dtype
        strong = strong.map { DType.promoted($0, dtype) } ?? dtype
      }
    }
    let dtype: DType
    if let strong {
      dtype =
        weakest.map { strong.weakPartner(for: $0) }.map { DType.promoted(strong, $0) } ?? strong
    } else {
      dtype = weakest == .float ? .float64 : (weakest == .int ? .int64 : .bool)
    }
    var arrays: [StridedArray] = []
    for option in options {
      let array = try ArrayValues.array(option)
      arrays.append(array.dtype == dtype ? array : array.converted(to: dtype))
    }
    return ArrayValues.wrap(
      try wrapError { () throws(ArrayError) in
        var shape: [Int] = []
        for item in masks.map(\.shape) + arrays.map(\.shape) {
          shape = try Shape.broadcast(shape, item)
        }
        let flags = masks.map { $0.broadcast(to: shape).realValues() }
        let values = arrays.map { $0.broadcast(to: shape).elements() }
        let result = filledUnchecked(shape, .int64(0), dtype: dtype)
        for e in 0..<shape.reduce(1, *) {
          let pick = flags.firstIndex { $0[e] != 0 } ?? choices.count
          result.setElement(values[pick][e], at: e)
        }
        return result
      })
  }

  /// The items of a list or tuple argument (condlist, choicelist).
  private static func iterableItems(_ value: Value) throws(PythonError) -> [Value] {
    switch value {
    case .list(let list): return list.items
    case .tuple(let items): return items
    case .array(let object): return ArrayValues.rows(object.array)
    default: throw PythonError.type("'\(value.typeName)' object is not iterable")
    }
  }

  static func addPieces(_ add: (String, @escaping Body) -> Void) {
    add("select") { _, call throws(PythonError) in try select(call) }
    addStatistics(add)
    add("einsum") { _, call throws(PythonError) in try einsum(call) }
    add("nditer") { _, call throws(PythonError) in try nditer(call) }
    add("pad") { _, call throws(PythonError) in try pad(call) }
    add("convolve") { _, call throws(PythonError) in try convolve(call) }
    add("vander") { _, call throws(PythonError) in
      let x = try call.array(0, "x").ravel()
      let n = try call.int(1, "N") ?? x.count
      let increasing = try call.bool(2, "increasing", default: false)
      guard n >= 0 else { throw PythonError.value("negative dimensions are not allowed") }
      // NumPy: ones in the first column, then cumulative products of x (multiply.accumulate).
      var columns: [StridedArray] = []
      var power = try wrapError { () throws(ArrayError) in
        try StridedArray.apply(.multiply, x, .scalar(.int64(0)))
      }
      power = try wrapError { () throws(ArrayError) in
        try StridedArray.apply(.add, power, .scalar(.int64(1)))
      }
      for k in 0..<n {
        columns.append(power)
        if k + 1 < n {
          let previous = power
          power = try wrapError { () throws(ArrayError) in
            try StridedArray.apply(.multiply, previous, x)
          }
        }
      }
      if !increasing { columns.reverse() }
      if n == 0 { return ArrayValues.wrapArray(StridedArray(shape: [x.count, 0], reals: [])) }
      let stacked = try wrapError { () throws(ArrayError) in
        var reshaped: [StridedArray] = []
        for column in columns { reshaped.append(try column.reshaped([x.count, 1])) }
        return try StridedArray.concatenate(reshaped, axis: 1)
      }
      return ArrayValues.wrapArray(stacked)
    }
    add("insert") { _, call throws(PythonError) in
      let a = try call.array(0, "arr")
      guard a.ndim == 1, call.value(3, "axis") == nil else {
        throw PythonError(refusal: "retrace models np.insert into 1-d arrays without axis only")
      }
      let position = try call.int(1, "obj") ?? 0
      let at = position < 0 ? position + a.count : position
      guard at >= 0 && at <= a.count else {
        throw PythonError.index(
          "index \(position) is out of bounds for axis 0 with size \(a.count)")
      }
      let values = try ArrayValues.array(try call.required(2, "values")).converted(to: a.dtype)
      let head = StridedArray.read(
        try wrapError { () throws(ArrayError) in try a.select([.slice(nil, at, nil)]) })
      let tail = StridedArray.read(
        try wrapError { () throws(ArrayError) in try a.select([.slice(at, nil, nil)]) })
      return ArrayValues.wrapArray(
        try wrapError { () throws(ArrayError) in
          try StridedArray.concatenate([head, try values.reshaped([-1]), tail], axis: 0)
        })
    }
    add("split") { _, call throws(PythonError) in try split(call, even: true) }
    add("array_split") { _, call throws(PythonError) in try split(call, even: false) }
    add("flip") { _, call throws(PythonError) in
      let a = try call.array(0, "m")
      let requested = try call.axes(1)
      let axes = try wrapError { () throws(ArrayError) in try a.reductionAxes(requested) }
      var index = [ArrayIndex](repeating: .slice(nil, nil, nil), count: a.ndim)
      for axis in axes { index[axis] = .slice(nil, nil, -1) }
      return ArrayValues.wrapArray(
        StridedArray.read(try wrapError { () throws(ArrayError) in try a.select(index) }))
    }
    add("ascontiguousarray") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      var result = a.isContiguous ? a : a.copy()
      if let dtype = try call.dtype(1), dtype != result.dtype {
        result = result.converted(to: dtype)
      }
      if result.ndim == 0 {
        result = try wrapError { () throws(ArrayError) in try result.reshaped([1]) }
      }
      return ArrayValues.wrapArray(result)
    }
    add("searchsorted") { _, call throws(PythonError) in try searchSorted(call) }
    add("heaviside") { _, call throws(PythonError) in
      let (x, h) = try ArrayValues.ufuncOperands(
        try call.required(0, "x1"), try call.required(1, "x2"), for: .arctan2)
      return ArrayValues.wrap(
        try wrapError { () throws(ArrayError) in
          // The result type of a float loop on the pair (arctan2's rule), then
          // 0 below zero, x2 at zero, 1 above, NaN for NaN.
          _ = try StridedArray.apply(.arctan2, x, h)
          let shape = try Shape.broadcast(x.shape, h.shape)
          let xs = x.broadcast(to: shape).realValues()
          let hs = h.broadcast(to: shape).realValues()
          let values = zip(xs, hs).map { v, at -> Double in
            v.isNaN ? v : (v < 0 ? 0 : (v > 0 ? 1 : at))
          }
          return StridedArray(shape: shape, reals: values)
        })
    }
    add("diff") { _, call throws(PythonError) in
      var a = try call.array(0, "a")
      let n = try call.int(1, "n") ?? 1
      let axis = try call.int(2, "axis") ?? -1
      guard n >= 0 else {
        throw PythonError.value("order must be non-negative but got \(n)")
      }
      guard a.ndim > 0 else {
        throw PythonError.value("diff requires input that is at least one dimensional")
      }
      let along = try wrapError { () throws(ArrayError) in try a.reductionAxes([axis])[0] }
      for _ in 0..<n {
        var head = [ArrayIndex](repeating: .slice(nil, nil, nil), count: a.ndim)
        var tail = head
        head[along] = .slice(1, nil, nil)
        tail[along] = .slice(nil, -1, nil)
        let current = a
        a = try wrapError { () throws(ArrayError) in
          let op: BinaryUfunc = current.dtype == .bool ? .notEqual : .subtract
          return try StridedArray.apply(
            op, StridedArray.read(try current.select(head)),
            StridedArray.read(try current.select(tail)))
        }
      }
      return ArrayValues.wrapArray(a)
    }
    add("inner") { _, call throws(PythonError) in
      let a = try call.array(0, "a")
      let b = try call.array(1, "b")
      return ArrayValues.wrap(
        try wrapError { () throws(ArrayError) in
          if a.ndim == 0 || b.ndim == 0 { return try StridedArray.apply(.multiply, a, b) }
          guard a.ndim <= 2, b.ndim <= 2 else {
            throw ArrayError("retrace models numpy.inner of 1-d and 2-d arrays", kind: .unmodelled)
          }
          guard a.shape[a.ndim - 1] == b.shape[b.ndim - 1] else {
            throw ArrayError(
              "shapes \(Shape.text(a.shape)) and \(Shape.text(b.shape)) not aligned: \(a.shape[a.ndim - 1]) (dim \(a.ndim - 1)) != \(b.shape[b.ndim - 1]) (dim \(b.ndim - 1))"
            )
          }
          return try StridedArray.dot(a, b.ndim == 2 ? try b.transposed() : b)
        })
    }
    add("array_repr") { interpreter, call throws(PythonError) in
      let a = try call.array(0, "arr")
      return .str(ArrayFormatter(options: interpreter.printOptions).repr(a.ndarray()))
    }
    add("array_str") { interpreter, call throws(PythonError) in
      let a = try call.array(0, "a")
      return .str(ArrayFormatter(options: interpreter.printOptions).string(a.ndarray()))
    }
    add("vdot") { _, call throws(PythonError) in
      let a = try call.array(0, "a").ravel()
      let b = try call.array(1, "b").ravel()
      return ArrayValues.wrap(try wrapError { () throws(ArrayError) in try StridedArray.dot(a, b) })
    }
  }

  /// `a @ b` / numpy.matmul with stacks: the leading axes broadcast and each pair of
  /// matrices is one product (the same kernel, so the same bits, as a single product).
  static func stackedMatmul(_ a: StridedArray, _ b: StridedArray) throws(PythonError)
    -> StridedArray
  {
    try wrapError { () throws(ArrayError) in
      guard a.ndim > 2 || b.ndim > 2, a.ndim >= 1, b.ndim >= 1 else {
        return try StridedArray.dot(a, b, matmul: true)
      }
      // Vectors take part as a row (first operand) or a column (second), dropped after.
      let left = a.ndim == 1 ? try a.reshaped([1, a.shape[0]]) : a
      let right = b.ndim == 1 ? try b.reshaped([b.shape[0], 1]) : b
      let (n, k) = (left.shape[left.ndim - 2], left.shape[left.ndim - 1])
      let (kb, m) = (right.shape[right.ndim - 2], right.shape[right.ndim - 1])
      guard k == kb else {
        throw ArrayError(
          "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
            + "(n?,k),(k,m?)->(n?,m?) (size \(kb) is different from \(k))")
      }
      let batch = try Shape.broadcast(
        Array(left.shape.dropLast(2)), Array(right.shape.dropLast(2)))
      let x = left.broadcast(to: batch + [n, k])
      let y = right.broadcast(to: batch + [k, m])
      let count = batch.reduce(1, *)
      var products: [StridedArray] = []
      var index = [Int](repeating: 0, count: batch.count)
      for _ in 0..<count {
        let items = index.map { ArrayIndex.integer($0) }
        let p = StridedArray.read(try x.select(items))
        let q = StridedArray.read(try y.select(items))
        products.append(try StridedArray.dot(p, q, matmul: true).reshaped([1, n, m]))
        var axis = batch.count - 1
        while axis >= 0 {
          index[axis] += 1
          if index[axis] < batch[axis] { break }
          index[axis] = 0
          axis -= 1
        }
      }
      var result =
        products.isEmpty
        ? StridedArray(shape: [0, n, m], reals: [])
        : try StridedArray.concatenate(products, axis: 0)
      var shape = batch + [n, m]
      if a.ndim == 1 { shape.remove(at: shape.count - 2) }
      if b.ndim == 1 { shape.removeLast() }
      result = try result.reshaped(shape)
      return result
    }
  }

  /// numpy.split / numpy.array_split: views along `axis` at the given indices, or in
  /// `sections` parts (equal for split, the first `count % sections` one longer for
  /// array_split).
  static func split(_ call: CallArguments, even: Bool) throws(PythonError) -> Value {
    let a = try call.array(0, "ary")
    let cuts = try call.required(1, "indices_or_sections")
    let axis = try call.int(2, "axis") ?? 0
    guard axis >= -a.ndim && axis < a.ndim else {
      throw PythonError.index("tuple index out of range")
    }
    let along = axis < 0 ? axis + a.ndim : axis
    let length = a.shape[along]
    var bounds: [Int] = [0]
    if let sections = Operators.integer(cuts) {
      guard sections > 0 else { throw PythonError.value("number sections must be larger than 0.") }
      let n = Int(sections)
      if even && length % n != 0 {
        throw PythonError.value("array split does not result in an equal division")
      }
      let (size, extra) = (length / n, length % n)
      for k in 0..<n { bounds.append(bounds[k] + size + (k < extra ? 1 : 0)) }
    } else {
      let indices = try ArrayValues.array(cuts).integerValues()
      for index in indices {
        let i = Int(index)
        bounds.append(i < 0 ? Swift.max(i + length, 0) : i)
      }
      bounds.append(length)
    }
    var pieces: [Value] = []
    for k in 0..<(bounds.count - 1) {
      var index = [ArrayIndex](repeating: .slice(nil, nil, nil), count: a.ndim)
      index[along] = .slice(bounds[k], Swift.max(bounds[k], bounds[k + 1]), nil)
      let piece = StridedArray.read(try wrapError { () throws(ArrayError) in try a.select(index) })
      pieces.append(ArrayValues.wrapArray(piece))
    }
    return .list(ListObject(pieces))
  }

  /// numpy.searchsorted(a, v, side): where each of `v` would go in the sorted `a` (the first
  /// such place for 'left', the last for 'right'), in the dtype NumPy compares them in.
  static func searchSorted(_ call: CallArguments) throws(PythonError) -> Value {
    let a = try call.array(0, "a")
    let vValue = try call.required(1, "v")
    let v = try ArrayValues.array(vValue)
    let side = call.string(2, "side") ?? "left"
    guard side == "left" || side == "right" else {
      throw PythonError.value("side must be 'left' or 'right' (got '\(side)')")
    }
    guard a.ndim == 1 else { throw PythonError.value("object too deep for desired array") }
    let common = DType.promoted(a.dtype, v.dtype)
    let useIntegers = common.isInteger && common != .uint64
    let keysI = useIntegers ? a.integerValues() : []
    let keysR = useIntegers ? [] : a.realValues()
    let valuesI = useIntegers ? v.integerValues() : []
    let valuesR = useIntegers ? [] : v.realValues()
    let right = side == "right"
    func place(_ k: Int) -> Int64 {
      var (low, high) = (0, a.count)
      while low < high {
        let mid = (low + high) / 2
        let goesRight: Bool
        if useIntegers {
          goesRight = right ? keysI[mid] <= valuesI[k] : keysI[mid] < valuesI[k]
        } else {
          // NaN sorts last, as in NumPy.
          let (key, value) = (keysR[mid], valuesR[k])
          let less = value.isNaN ? !key.isNaN : key < value
          goesRight = right ? (less || key == value || (key.isNaN && value.isNaN)) : less
        }
        if goesRight { low = mid + 1 } else { high = mid }
      }
      return Int64(low)
    }
    let places = (0..<v.count).map(place)
    if v.ndim == 0 { return .npScalar(.int64(places[0])) }
    return ArrayValues.wrapArray(StridedArray(shape: v.shape, integers: places))
  }

  /// numpy.linalg.norm's orders, as NumPy computes them: vectors (`ord` 1, 2, inf, -inf, 0
  /// or another p) and matrices ('fro', 1, -1, inf, -inf, each over the given axes).
  static func norm(_ x: StridedArray, order: Value, axes: [Int]?, keepDims: Bool)
    throws(PythonError) -> Value
  {
    let vectorAxes: [Int]? = axes ?? (x.ndim == 1 ? [0] : nil)
    func reduce(_ r: Reduction, _ a: StridedArray, _ over: [Int]?) throws(PythonError)
      -> StridedArray
    {
      try wrapError { () throws(ArrayError) in try a.reduce(r, axes: over, keepDims: keepDims) }
    }
    func apply(_ op: UnaryUfunc, _ a: StridedArray) throws(PythonError) -> StridedArray {
      try wrapError { () throws(ArrayError) in try StridedArray.apply(op, a) }
    }
    let absolute = try apply(.absolute, x)
    if let vectorAxes, vectorAxes.count == 1 {
      let p: Double
      if case .str = order {
        throw PythonError.value("Invalid norm order '\(Printer.str(order))' for vectors")
      }
      guard let number = Operators.number(order) ?? scalarOrder(order) else {
        throw PythonError.type("ord must be a number")
      }
      p = number
      switch p {
      case .infinity: return ArrayValues.wrap(try reduce(.max, absolute, vectorAxes))
      case -.infinity: return ArrayValues.wrap(try reduce(.min, absolute, vectorAxes))
      case 0:
        let nonzero = try wrapError { () throws(ArrayError) in
          try StridedArray.apply(.notEqual, x, .scalar(.float64(0))).converted(to: .float64)
        }
        return ArrayValues.wrap(try reduce(.sum, nonzero, vectorAxes))
      case 1: return ArrayValues.wrap(try reduce(.sum, absolute, vectorAxes))
      case 2:
        let squares = try wrapError { () throws(ArrayError) in
          try StridedArray.apply(.multiply, x, x)
        }
        return ArrayValues.wrap(try apply(.sqrt, try reduce(.sum, squares, vectorAxes)))
      default:
        let powered = try wrapError { () throws(ArrayError) in
          try StridedArray.apply(.power, absolute, .scalar(.float64(p)))
        }
        let total = try reduce(.sum, powered, vectorAxes)
        return ArrayValues.wrap(
          try wrapError { () throws(ArrayError) in
            try StridedArray.apply(.power, total, .scalar(.float64(1 / p)))
          })
      }
    }
    // Matrix norms over two axes (the last two of a 2-d array when none are given).
    let pair = axes ?? [0, 1]
    guard pair.count == 2 else { throw PythonError.value("Improper number of dimensions to norm.") }
    if case .str(let name) = order, name == "fro" {
      let squares = try wrapError { () throws(ArrayError) in try StridedArray.apply(.multiply, x, x)
      }
      return ArrayValues.wrap(try apply(.sqrt, try reduce(.sum, squares, pair)))
    }
    guard let p = Operators.number(order) ?? scalarOrder(order), p.isInfinite || Swift.abs(p) == 1
    else {
      throw PythonError(refusal: "retrace models the matrix norms 'fro', 1, -1, inf and -inf")
    }
    // NumPy: ord=±1 sums down the rows (axis 0) and takes the max/min over columns; ±inf the
    // other way round.
    let (rowAxis, columnAxis) = (
      pair[0] < 0 ? pair[0] + x.ndim : pair[0], pair[1] < 0 ? pair[1] + x.ndim : pair[1]
    )
    let sumAxis = p.isInfinite ? columnAxis : rowAxis
    var otherAxis = p.isInfinite ? rowAxis : columnAxis
    if !keepDims && otherAxis > sumAxis { otherAxis -= 1 }
    let sums = try wrapError { () throws(ArrayError) in
      try absolute.reduce(.sum, axes: [sumAxis], keepDims: keepDims)
    }
    let r: Reduction = p > 0 ? .max : .min
    return ArrayValues.wrap(
      try wrapError { () throws(ArrayError) in
        try sums.reduce(r, axes: [otherAxis], keepDims: keepDims)
      })
  }

  private static func scalarOrder(_ value: Value) -> Double? {
    if case .npScalar(let scalar) = value { return scalar.real }
    return nil
  }
}
