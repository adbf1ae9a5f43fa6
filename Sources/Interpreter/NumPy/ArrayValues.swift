import NumPyKit

/// A NumPy array as Python holds it: one object (so `b = a` aliases and `a is b` holds) whose
/// view shares storage with every other view of the same data.
public final class ArrayObject {
  @exclusivity(unchecked) public var array: StridedArray
  /// For a NumPy str array (dtype `<U…`): the texts its elements are. `array` then holds,
  /// for each element, the position of its text here (int64), so views, indexing, reshapes
  /// and draws work on the positions; an operation that would read them as numbers is
  /// refused (`ArrayValues.array`).
  public let strings: StringTable?
  public init(_ array: StridedArray, strings: StringTable? = nil) {
    self.array = array
    self.strings = strings
  }
}

/// The texts of a NumPy str array (see `ArrayObject.strings`), shared by its views.
public final class StringTable {
  public let texts: [String]
  /// The dtype's width, in characters (`<U6`): the longest text's.
  public let width: Int
  init(_ texts: [String]) {
    self.texts = texts
    self.width = max(texts.map(\.unicodeScalars.count).max() ?? 0, 1)
  }

  /// The dtype's name, `<U6`.
  public var dtypeName: String { "<U\(width)" }

  /// The texts of a positions array, in C order.
  func texts(of positions: StridedArray) -> [String] {
    positions.integerValues().map { texts[Int($0)] }
  }
}

/// A native object retrace models (a `RandomState`, a `Generator`, a dtype, a plotting sink):
/// a Python type name, a repr, and attributes (its methods are built-ins closing over state).
public final class NativeObject {
  public let typeName: String
  let reprText: String
  var attributes: [String: Value]
  /// A dtype object's dtype (`np.float64`, `a.dtype`), for `dtype=` arguments.
  let dtype: DType?
  /// A plotting sink's name: any attribute and any call give another sink.
  let sink: String?
  /// What iterating it gives (a tqdm bar's items).
  let items: [Value]?
  /// `str()` where it differs from the repr.
  var strText: String?
  /// The state its methods share (a RandomState's or a Generator's), for snapshots.
  var state: SnapshotState?
  /// `np.printoptions(...)`: the options its `with` block prints under, and the ones it
  /// puts back.
  var printOptions: PrintOptions?
  var savedPrintOptions: PrintOptions?
  /// A context manager's `__enter__` and `__exit__` (`np.errstate`, `warnings.catch_warnings`).
  var enter: ((PythonInterpreter) throws(PythonError) -> Value)?
  var exit: ((PythonInterpreter) -> Void)?

  init(
    typeName: String, repr: String, attributes: [String: Value] = [:], dtype: DType? = nil,
    sink: String? = nil, items: [Value]? = nil
  ) {
    self.typeName = typeName
    self.reprText = repr
    self.attributes = attributes
    self.dtype = dtype
    self.sink = sink
    self.items = items
  }
}

/// Conversions between Python values and NumPyKit arrays.
enum ArrayValues {
  static func error(_ error: ArrayError) -> PythonError {
    if error.kind == .budget || error.kind == .unmodelled {
      return PythonError(refusal: error.message)
    }
    return PythonError.raise(error.kind.rawValue, error.message)
  }

  static func error(_ error: RandomError) -> PythonError {
    PythonError.raise(error.kind.rawValue, error.message)
  }

  /// Whether a value takes part in NumPy's arithmetic (an array or a NumPy scalar).
  static func isNumPy(_ value: Value) -> Bool {
    switch value.unmarked {
    case .array, .npScalar: true
    default: false
    }
  }

  /// A Python value as an array (numpy.asarray): arrays as they are (no copy), scalars as
  /// 0-d arrays, nested lists and tuples with NumPy's dtype inference.
  static func array(_ value: Value, dtype: DType? = nil) throws(PythonError) -> StridedArray {
    let base: StridedArray
    switch value.unmarked {
    case .array(let object) where object.strings != nil:
      throw PythonError(refusal: strArrayRefusal)
    case .array(let object): base = object.array
    case .npScalar(let scalar): base = .scalar(scalar)
    case .bool(let flag): base = .scalar(.bool(flag))
    case .int(let number): base = .scalar(.int64(number))
    case .float(let number): base = .scalar(.float64(number))
    case .list, .tuple, .range:
      base = try nested(value)
    default:
      throw PythonError(
        refusal: "retrace does not model NumPy arrays of '\(value.typeName)' objects")
    }
    if let dtype, dtype != base.dtype {
      if dtype.isInteger, dtype != .int64 { try checkPythonIntegers(value, fit: dtype) }
      return base.converted(to: dtype)
    }
    return base
  }

  /// A Python bool, int or float's kind, or nil for any other value (NumPy scalars included).
  static func weakNumber(_ value: Value) -> WeakNumber? {
    switch value {
    case .bool: .bool
    case .int: .int
    case .float: .float
    default: nil
    }
  }

  /// A Python number as a 0-d array of the dtype NumPy 2 gives it beside an operand of
  /// `partner` (NEP 50: Python numbers are weak); an int that the dtype cannot hold raises
  /// NumPy's OverflowError.
  ///
  /// Where the ufunc's loop is not the integer type's own — a comparison (NumPy 2 compares a
  /// Python int with any integer array exactly) or a float loop (true_divide, arctan2,
  /// hypot) — the int is not cast to the array's type, and need not fit it.
  static func weak(_ value: Value, beside partner: DType, for ufunc: BinaryUfunc? = nil)
    throws(PythonError) -> StridedArray
  {
    guard let kind = weakNumber(value) else { return try array(value) }
    if case .int(let number) = value, partner.isInteger, let ufunc,
      ufunc.isComparison || ufunc == .trueDivide || ufunc == .arctan2 || ufunc == .hypot
    {
      // The partner's type where the int fits it (so the float loop is the one NumPy picks
      // for that type), int64 otherwise.
      // (For arctan2 and hypot beside a small integer type NumPy's loop is float16 or float32
      // whatever the int: float32 takes the int as a float32; float16, which retrace refuses,
      // the partner's type then, wrapped or not.)
      let fits = partner == .uint64 ? number >= 0 : partner.integerBounds.contains(number)
      let small = (ufunc == .arctan2 || ufunc == .hypot) && partner.itemSize < 4
      if small && partner.itemSize == 2 { return .scalar(.float32(Float(number))) }
      if small { return .scalar(.of(number, partner)) }
      return try array(value, dtype: fits && !ufunc.isComparison ? partner : nil)
    }
    let target = partner.weakPartner(for: kind)
    if case .int(let number) = value, target.isInteger, target != .int64 {
      let fits = target == .uint64 ? number >= 0 : target.integerBounds.contains(number)
      guard fits else {
        throw PythonError.raise(
          "OverflowError", "Python integer \(number) out of bounds for \(target.rawValue)")
      }
    }
    return try array(value, dtype: target)
  }

  /// The two operands of a binary ufunc, a Python number beside a NumPy array or scalar
  /// taking the other's dtype as NumPy 2 gives it (see `weak(_:beside:)`).
  static func ufuncOperands(_ a: Value, _ b: Value, for ufunc: BinaryUfunc? = nil)
    throws(PythonError) -> (StridedArray, StridedArray)
  {
    // Two arrays (the common case in a training loop): no conversion to decide.
    if case .array(let x) = a, case .array(let y) = b, x.strings == nil, y.strings == nil {
      return (x.array, y.array)
    }
    let (p, q) = (a.unmarked, b.unmarked)
    if weakNumber(p) != nil, weakNumber(q) == nil {
      let y = try array(q)
      return (try weak(p, beside: y.dtype, for: ufunc), y)
    }
    if weakNumber(q) != nil, weakNumber(p) == nil {
      let x = try array(p)
      return (x, try weak(q, beside: x.dtype, for: ufunc))
    }
    return (try array(p), try array(q))
  }

  static let strArrayRefusal =
    "retrace models NumPy str arrays for making, printing, indexing, iterating, == and !=, "
    + "np.unique and random choice only"

  /// A str array from nested lists or tuples of Python strs (or a str array itself): the
  /// positions array and the texts; nil when the value is not one.
  static func strings(_ value: Value) throws(PythonError) -> (StridedArray, StringTable)? {
    switch value.unmarked {
    case .array(let object):
      guard let table = object.strings else { return nil }
      return (object.array, table)
    case .list, .tuple:
      func items(_ node: Value) -> [Value]? {
        switch node {
        case .list(let list): return list.items
        case .tuple(let items): return items
        default: return nil
        }
      }
      // The shape, read down the first items; every node must then agree with it.
      var shape: [Int] = []
      var cursor = value.unmarked
      while let children = items(cursor) {
        shape.append(children.count)
        guard let first = children.first else { return nil }
        cursor = first
      }
      guard case .str = cursor else { return nil }
      var texts: [String] = []
      func visit(_ node: Value, _ depth: Int) throws(PythonError) -> Bool {
        if depth == shape.count {
          guard case .str(let text) = node else { return false }
          texts.append(text)
          return true
        }
        guard let children = items(node), children.count == shape[depth] else {
          throw inhomogeneous(depth, shape)
        }
        for child in children where !(try visit(child, depth + 1)) { return false }
        return true
      }
      guard try visit(value.unmarked, 0) else { return nil }
      return (
        StridedArray(shape: shape, integers: (0..<texts.count).map { Int64($0) }),
        StringTable(texts)
      )
    default:
      return nil
    }
  }

  /// An element or a selection of a str array as Python sees it: a str for one element,
  /// a str array otherwise.
  static func wrapStrings(_ picked: Value, _ table: StringTable) -> Value {
    switch picked {
    case .npScalar(let scalar): return .str(table.texts[Int(scalar.integer)])
    case .array(let object): return .array(ArrayObject(object.array, strings: table))
    default: return picked
    }
  }

  /// Nested sequences as an array: their shape must be rectangular (NumPy's ValueError
  /// otherwise), the dtype is the widest of the leaves (bool < int64 < float64).
  static func nested(_ value: Value) throws(PythonError) -> StridedArray {
    var leaves: [ArrayScalar] = []
    func items(_ value: Value) -> [Value]? {
      switch value {
      case .list(let list): return list.items
      case .tuple(let items): return items
      case .range(let start, let stop, let step):
        let count = Ranges.count(start, stop, step)
        return (0..<count).map { .int(start + $0 * step) }
      case .array(let object) where object.array.ndim > 0:
        return rows(object.array)
      default: return nil
      }
    }
    // The shape is read down the first items; every node must then agree with it.
    var detected: [Int] = []
    var cursor: Value? = value
    while let node = cursor, let children = items(node) {
      detected.append(children.count)
      cursor = children.first
    }
    func visit(_ value: Value, _ depth: Int) throws(PythonError) {
      let children = items(value)
      if depth == detected.count {
        guard children == nil else { throw inhomogeneous(depth, detected) }
        switch value {
        case .bool(let flag): leaves.append(.bool(flag))
        case .int(let number): leaves.append(.int64(number))
        case .float(let number): leaves.append(.float64(number))
        case .npScalar(let scalar): leaves.append(scalar)
        case .array(let object): leaves.append(object.array.onlyElement ?? .float64(0))
        default:
          throw PythonError(
            refusal: "retrace does not model NumPy arrays of '\(value.typeName)' objects")
        }
        return
      }
      guard let children, children.count == detected[depth] else {
        throw inhomogeneous(depth, detected)
      }
      for child in children { try visit(child, depth + 1) }
    }
    try visit(value, 0)
    let finalShape = detected
    if leaves.isEmpty { return StridedArray(shape: finalShape, reals: []) }
    let dtype = leaves.reduce(leaves[0].dtype) { DType.promoted($0, $1.dtype) }
    switch dtype {
    case let type where type.isInteger:
      return StridedArray(
        shape: finalShape, integers: leaves.map { type.wrap($0.integer) }, dtype: type)
    case .bool: return StridedArray(shape: finalShape, reals: leaves.map(\.real), dtype: .bool)
    case .float32:
      return StridedArray(shape: finalShape, reals: leaves.map(\.real), dtype: .float32)
    default: return StridedArray(shape: finalShape, reals: leaves.map(\.real))
    }
  }

  /// NumPy 2's OverflowError for a Python int (alone or in nested lists) that an integer
  /// dtype cannot hold (`np.array([300], dtype=np.uint8)`, `np.uint8(-1)`).
  static func checkPythonIntegers(_ value: Value, fit dtype: DType) throws(PythonError) {
    switch value {
    case .int(let number):
      let fits = dtype == .uint64 ? number >= 0 : dtype.integerBounds.contains(number)
      if !fits {
        throw PythonError.raise(
          "OverflowError", "Python integer \(number) out of bounds for \(dtype.rawValue)")
      }
    case .list(let list): for item in list.items { try checkPythonIntegers(item, fit: dtype) }
    case .tuple(let items): for item in items { try checkPythonIntegers(item, fit: dtype) }
    default: break
    }
  }

  static func inhomogeneous(_ depth: Int, _ shape: [Int]) -> PythonError {
    let detected = shape.prefix(depth)
    let text =
      detected.count == 1
      ? "(\(detected[detected.startIndex]),)"
      : "(" + detected.map(String.init).joined(separator: ", ") + ")"
    return PythonError.value(
      "setting an array element with a sequence. The requested array has an inhomogeneous "
        + "shape after \(depth) dimensions. The detected shape was \(text) + inhomogeneous part.")
  }

  /// An array result as Python sees it: a 0-d result of a ufunc or reduction is a NumPy
  /// scalar (`np.float64(6.0)`), anything else an array.
  static func wrap(_ array: StridedArray) -> Value {
    if array.ndim == 0, let scalar = array.onlyElement { return .npScalar(scalar) }
    return .array(ArrayObject(array))
  }

  /// An array result that stays an array even when 0-d (`np.array(5)`).
  static func wrapArray(_ array: StridedArray) -> Value { .array(ArrayObject(array)) }

  /// The first-axis items of an array: views for rows, NumPy scalars for a 1-d array's items.
  static func rows(_ array: StridedArray) -> [Value] {
    guard array.ndim > 0 else { return [] }
    let extent = array.shape[0]
    if array.ndim == 1 {
      return (0..<extent).map { .npScalar(array.element(at: array.offset + $0 * array.strides[0])) }
    }
    let rowShape = Array(array.shape.dropFirst())
    let rowStrides = Array(array.strides.dropFirst())
    return (0..<extent).map { i in
      .array(
        ArrayObject(
          StridedArray(
            storage: array.storage, dtype: array.dtype, shape: rowShape, strides: rowStrides,
            offset: array.offset + i * array.strides[0])))
    }
  }

  /// A NumPy scalar as the Python number `float()` / `int()` / `bool()` would give.
  static func python(_ scalar: ArrayScalar) -> Value {
    switch scalar {
    case .float64(let x): .float(x)
    case .float32(let x): .float(Double(x))
    case .int64(let n), .integer(let n, _): .int(n)
    case .bool(let flag): .bool(flag)
    }
  }

  /// `dtype=` as notebooks spell it: `float`, `int`, `bool`, `np.float64`, `'float32'`, `a.dtype`.
  static func dtype(_ value: Value) throws(PythonError) -> DType? {
    switch value {
    case .none: return nil
    case .native(let object) where object.dtype != nil: return object.dtype
    case .builtin(let builtin):
      switch builtin.name {
      case "float": return .float64
      case "int": return .int64
      case "bool": return .bool
      default: break
      }
    case .str(let name):
      switch name {
      case "float64", "float", "f8", "d", "double": return .float64
      case "float32", "f4", "f", "single": return .float32
      case "int64", "int", "i8", "long": return .int64
      case "bool", "?", "bool_": return .bool
      case "int8", "i1", "b", "byte": return .int8
      case "int16", "i2", "h", "short": return .int16
      case "int32", "i4", "i", "intc": return .int32
      case "uint8", "u1", "B", "ubyte": return .uint8
      case "uint16", "u2", "H", "ushort": return .uint16
      case "uint32", "u4", "I", "uintc": return .uint32
      case "uint64", "u8", "uint", "L", "Q": return .uint64
      default: break
      }
    default: break
    }
    throw PythonError(refusal: "retrace does not model the NumPy dtype \(Printer.repr(value))")
  }

  /// Refuses a shape of more elements than the element budget (before anything is allocated).
  static func checkBudget(_ shape: [Int]) throws(PythonError) {
    do {
      try Shape.checkBudget(shape)
    } catch {
      throw Self.error(error)
    }
  }

  /// A shape argument: an int or a sequence of ints.
  static func shape(_ value: Value) throws(PythonError) -> [Int] {
    if let n = Operators.integer(value) {
      try checkBudget([Int(n)])
      return [Int(n)]
    }
    let items: [Value]
    switch value {
    case .tuple(let elements): items = elements
    case .list(let list): items = list.items
    default:
      throw PythonError.type("'\(value.typeName)' object cannot be interpreted as an integer")
    }
    do {
      var shape: [Int] = []
      for item in items {
        guard let n = Operators.integer(item) else {
          throw PythonError.type(
            "'\(item.typeName)' object cannot be interpreted as an integer")
        }
        shape.append(Int(n))
      }
      try checkBudget(shape)
      return shape
    }
  }
}
