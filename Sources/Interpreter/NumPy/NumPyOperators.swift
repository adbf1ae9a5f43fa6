import NumPyKit
import PythonSyntax

/// Python's operators where an array or a NumPy scalar takes part: NumPy's ufuncs, with its
/// broadcasting, promotion and messages; in-place operators write into the array's storage.
enum NumPyOperators {
  static func ufunc(_ op: BinaryOperator) -> BinaryUfunc? {
    switch op {
    case .add: .add
    case .sub: .subtract
    case .mult: .multiply
    case .div: .trueDivide
    case .floorDiv: .floorDivide
    case .mod: .remainder
    case .pow: .power
    case .bitAnd: .bitwiseAnd
    case .bitOr: .bitwiseOr
    case .bitXor: .bitwiseXor
    default: nil
    }
  }

  /// `a op b` with NumPy's semantics (a 0-d result is a NumPy scalar).
  static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(PythonError) -> Value {
    // A float64 array with a Python float or int (`lr * g`, `1.0 - s`, `x / 2`): NEP 50
    // makes the Python number weak, so the result is float64 and the number one double.
    // So is an np.float64 with a float64 array (`w * x`: a strong float64, the same result
    // dtype), and np.float64 arithmetic with np.float64 or a Python number (`lr * dw`,
    // `b -= lr * db`): NumPy's scalar math is the one IEEE operation. (A division by zero
    // takes the general path.)
    if let fast = scalarUfunc(op) {
      if case .array(let object) = a, object.array.dtype == .float64, let y = float64Operand(b) {
        let result = StridedArray.applying(fast, object.array, y, scalarFirst: false)
        if FloatStatus.hasNonFinite(result) {
          try FloatErrorSink.report(
            FloatStatus.of(fast, object.array, .scalar(.float64(y)), result: result), name(fast))
        }
        return ArrayValues.wrap(result)
      }
      if case .array(let object) = b, object.array.dtype == .float64, let x = float64Operand(a) {
        let result = StridedArray.applying(fast, object.array, x, scalarFirst: true)
        if FloatStatus.hasNonFinite(result) {
          try FloatErrorSink.report(
            FloatStatus.of(fast, .scalar(.float64(x)), object.array, result: result), name(fast))
        }
        return ArrayValues.wrap(result)
      }
      if case .npScalar(.float64(let x)) = a, let y = float64Operand(b),
        fast != .trueDivide || y != 0
      {
        let r = scalarOperation(fast, x, y)
        if !r.isFinite {
          try FloatErrorSink.report(FloatStatus.binary(fast, x, y, r), "scalar " + name(fast))
        }
        return .npScalar(.float64(r))
      }
      if case .npScalar(.float64(let y)) = b, let x = pythonReal(a),
        fast != .trueDivide || y != 0
      {
        let r = scalarOperation(fast, x, y)
        if !r.isFinite {
          try FloatErrorSink.report(FloatStatus.binary(fast, x, y, r), "scalar " + name(fast))
        }
        return .npScalar(.float64(r))
      }
    }
    try checkOperand(a, op, a, b)
    try checkOperand(b, op, a, b)
    let (x, y) = try ArrayValues.ufuncOperands(a, b, for: ufunc(op))
    do {
      if op == .matMult {
        let result = try NumPyModule.stackedMatmul(x, y)
        try FloatErrorSink.report(
          FloatStatus.ofReduction(
            [x, y], result: result,
            recompute: { try? NumPyModule.stackedMatmul($0[0], $0[1]) }), "matmul")
        return ArrayValues.wrap(result)
      }
      guard let ufunc = ufunc(op) else {
        throw PythonError.type(
          "unsupported operand type(s) for \(op.symbol): '\(a.typeName)' and '\(b.typeName)'")
      }
      if ufunc == .power, let (fast, unary) = try fastPower(x, y) {
        if let unary {
          try FloatErrorSink.report(FloatStatus.of(unary, x, result: fast), unary.rawValue)
        }
        return ArrayValues.wrap(fast)
      }
      if ufunc == .power, !isArray(a), !isArray(b),
        case .float32 = DType.promoted(x.dtype, y.dtype),
        let base = x.onlyElement?.real, let exponent = y.onlyElement?.real
      {
        // NumPy's scalar `**` on float32 (scalarmath) is npy_powf, without the ufunc's
        // shortcuts.
        return .npScalar(.float32(Float32Math.power(Float(base), Float(exponent))))
      }
      let result = try StridedArray.apply(ufunc, x, y)
      let scalar = !isArray(a) && !isArray(b)
      var status = FloatStatus.of(ufunc, x, y, result: result)
      if scalar, result.dtype == .int64, let p = x.onlyElement?.integer,
        let q = y.onlyElement?.integer
      {
        // NumPy's integer scalar arithmetic checks for overflow (its array loops do not).
        switch ufunc {
        case .add: if p.addingReportingOverflow(q).overflow { status.insert(.overflow) }
        case .subtract: if p.subtractingReportingOverflow(q).overflow { status.insert(.overflow) }
        case .multiply:
          if p.multipliedReportingOverflow(by: q).overflow { status.insert(.overflow) }
        default: break
        }
      }
      try FloatErrorSink.report(status, scalar ? "scalar " + name(ufunc) : name(ufunc))
      return ArrayValues.wrap(result)
    } catch let error as ArrayError {
      throw ArrayValues.error(error)
    } catch let error as PythonError {
      throw error
    } catch {
      throw PythonError(refusal: "\(error)")
    }
  }

  /// A binary ufunc's name as its warnings give it (`true_divide` is `divide`).
  static func name(_ ufunc: BinaryUfunc) -> String {
    ufunc == .trueDivide ? "divide" : ufunc.rawValue
  }

  static func isArray(_ value: Value) -> Bool {
    if case .array = value.unmarked { return true }
    return false
  }

  /// The ufuncs with a plain loop against one double (the others take the general path).
  static func scalarUfunc(_ op: BinaryOperator) -> BinaryUfunc? {
    switch op {
    case .add: .add
    case .sub: .subtract
    case .mult: .multiply
    case .div: .trueDivide
    default: nil
    }
  }

  /// A Python number or an np.float64, as the double a float64 operation takes.
  static func float64Operand(_ value: Value) -> Double? {
    if case .npScalar(.float64(let x)) = value { return x }
    return pythonReal(value)
  }

  /// `x op y` for the four operators of `scalarUfunc`, one rounding.
  @inline(__always)
  static func scalarOperation(_ op: BinaryUfunc, _ x: Double, _ y: Double) -> Double {
    switch op {
    case .add: x + y
    case .subtract: x - y
    case .multiply: x * y
    default: x / y
    }
  }

  /// A Python float, int or bool as the double NumPy converts it to.
  static func pythonReal(_ value: Value) -> Double? {
    switch value {
    case .float(let x): x
    case .int(let n): Double(n)
    case .bool(let flag): flag ? 1 : 0
    default: nil
    }
  }

  /// A NumPy float64, int64 or bool scalar as a double.
  static func scalarReal(_ value: Value) -> Double? {
    guard case .npScalar(let scalar) = value else { return nil }
    return scalar.real
  }

  /// NumPy's `fast_scalar_power`: an array of floats to the power 2, 0.5, 1, 0 or -1 (a
  /// Python or 0-d exponent) is `square`, `sqrt`, a copy, ones or `reciprocal`.
  /// The unary ufunc taken, if any, comes with the result (its warnings carry its name).
  static func fastPower(_ base: StridedArray, _ exponent: StridedArray) throws(ArrayError)
    -> (StridedArray, UnaryUfunc?)?
  {
    guard base.ndim > 0, base.dtype.isFloat, exponent.ndim == 0,
      let e = exponent.onlyElement?.real
    else { return nil }
    switch e {
    case 2: return (try StridedArray.apply(.square, base), .square)
    case 0.5: return (try StridedArray.apply(.sqrt, base), .sqrt)
    case 1: return (base.copy(), nil)
    case -1: return (try StridedArray.apply(.reciprocal, base), .reciprocal)
    default: return nil
    }
  }

  /// The TypeError of `a op b` unless `value` (one of them) takes part in NumPy's arithmetic.
  static func checkOperand(_ value: Value, _ op: BinaryOperator, _ a: Value, _ b: Value)
    throws(PythonError)
  {
    switch value {
    case .array, .npScalar, .bool, .int, .float, .list, .tuple:
      return
    default:
      throw PythonError.type(
        "unsupported operand type(s) for \(op.symbol): '\(a.typeName)' and '\(b.typeName)'")
    }
  }

  /// `a += b` on an array: NumPy's in-place ufunc (the caller's array changes); on a NumPy
  /// scalar, the plain operator (scalars are immutable).
  static func inPlace(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(PythonError) -> Value {
    guard case .array(let object) = a, let ufunc = ufunc(op) else {
      return try binary(op, a, b)
    }
    try checkOperand(b, op, a, b)
    let y = try ArrayValues.weak(b.unmarked, beside: object.array.dtype)
    // The flags of an update in place come from the hardware: the target's values before are
    // gone once it is done, and its loops are the plain IEEE operations (libm's `pow`) that
    // NumPy's are.
    var failure: ArrayError?
    let target = object.array
    let status: FloatStatus = FloatStatus.hardware {
      do throws(ArrayError) {
        try target.update(ufunc, with: y)
      } catch {
        failure = error
      }
    }
    if let failure { throw ArrayValues.error(failure) }
    if target.dtype.isInteger {
      try FloatErrorSink.report(FloatStatus.of(ufunc, target, y, result: target), name(ufunc))
    } else {
      try FloatErrorSink.report(status.subtracting(FloatStatus.underflow), name(ufunc))
    }
    return a
  }

  static func comparison(_ op: ComparisonOperator) -> BinaryUfunc? {
    switch op {
    case .eq: .equal
    case .notEq: .notEqual
    case .lt: .less
    case .ltE: .lessEqual
    case .gt: .greater
    case .gtE: .greaterEqual
    default: nil
    }
  }

  /// `a < b` and friends: elementwise (a bool array, or `np.True_` for scalars).
  static func compare(_ op: ComparisonOperator, _ a: Value, _ b: Value) throws(PythonError)
    -> Value?
  {
    guard let ufunc = comparison(op) else { return nil }
    if case .array(let object) = a, object.strings != nil {
      guard op == .eq || op == .notEq else {
        throw PythonError(refusal: ArrayValues.strArrayRefusal)
      }
      return try NumPyModule.strCompare(op == .eq, a, b)
    }
    if case .array(let object) = b, object.strings != nil {
      guard op == .eq || op == .notEq else {
        throw PythonError(refusal: ArrayValues.strArrayRefusal)
      }
      return try NumPyModule.strCompare(op == .eq, a, b)
    }
    switch (a, b) {
    case (.array, _), (_, .array), (.npScalar, _), (_, .npScalar): break
    default: return nil
    }
    guard var x = try? ArrayValues.array(a), var y = try? ArrayValues.array(b) else {
      if op == .eq { return .bool(false) }
      if op == .notEq { return .bool(true) }
      throw PythonError.type(
        "'\(symbols[op] ?? "?")' not supported between instances of '\(a.typeName)' and '\(b.typeName)'"
      )
    }
    // NEP 50: a Python number beside float32 is compared as a float32 (a Python int beside
    // an integer type is compared exactly, as it is).
    if x.dtype == .float32, ArrayValues.weakNumber(b.unmarked) != nil {
      y = y.converted(to: .float32)
    } else if y.dtype == .float32, ArrayValues.weakNumber(a.unmarked) != nil {
      x = x.converted(to: .float32)
    }
    do {
      return ArrayValues.wrap(try StridedArray.apply(ufunc, x, y))
    } catch {
      throw ArrayValues.error(error)
    }
  }

  static let symbols: [ComparisonOperator: String] = [
    .lt: "<", .ltE: "<=", .gt: ">", .gtE: ">=", .eq: "==", .notEq: "!=",
  ]

  static func unary(_ op: UnaryOperator, _ value: Value) throws(PythonError) -> Value? {
    let ufunc: UnaryUfunc
    switch op {
    case .uSub: ufunc = .negative
    case .uAdd: ufunc = .positive
    case .invert: ufunc = .invert
    case .not: return nil
    }
    let array: StridedArray
    switch value {
    case .array(let object): array = object.array
    case .npScalar(let scalar): array = .scalar(scalar)
    default: return nil
    }
    do {
      if ufunc == .invert && array.dtype == .bool {
        return ArrayValues.wrap(try StridedArray.apply(.logicalNot, array))
      }
      return ArrayValues.wrap(try StridedArray.apply(ufunc, array))
    } catch {
      throw ArrayValues.error(error)
    }
  }

  /// `bool(a)`: NumPy's rule (one element, or the ValueError).
  static func truth(_ array: StridedArray) throws(PythonError) -> Bool {
    guard let only = array.onlyElement else {
      if array.count == 0 {
        throw PythonError.value(
          "The truth value of an empty array is ambiguous. Use `array.size > 0` to check that "
            + "an array is not empty.")
      }
      throw PythonError.value(
        "The truth value of an array with more than one element is ambiguous. Use a.any() or "
          + "a.all()")
    }
    return only.isTrue
  }

  // MARK: - Indexing

  /// A Python subscript as NumPy index items.
  static func index(_ key: Value) throws(PythonError) -> [ArrayIndex] {
    if case .tuple(let items) = key {
      var result: [ArrayIndex] = []
      for item in items { result.append(try indexItem(item)) }
      return result
    }
    return [try indexItem(key)]
  }

  static func indexItem(_ item: Value) throws(PythonError) -> ArrayIndex {
    switch item {
    case .int(let n): return .integer(Int(n))
    case .npScalar(.int64(let n)), .npScalar(.integer(let n, _)): return .integer(Int(n))
    case .none: return .newAxis
    case .ellipsis: return .ellipsis
    case .slice(let start, let stop, let step):
      func bound(_ value: Value) throws(PythonError) -> Int? {
        if case .none = value { return nil }
        guard let n = Operators.integer(value) else {
          throw PythonError.type(
            "slice indices must be integers or None or have an __index__ method")
        }
        return Int(n)
      }
      return .slice(try bound(start), try bound(stop), try bound(step))
    case .array(let object):
      if object.array.dtype.isFloat {
        throw PythonError.index(
          "arrays used as indices must be of integer (or boolean) type")
      }
      return .array(object.array)
    case .list, .tuple, .npScalar(.bool), .bool:
      let array = try ArrayValues.array(item)
      if array.dtype.isFloat {
        throw PythonError.index(
          "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
            + "boolean arrays are valid indices")
      }
      if array.count == 0 { return .array(array.converted(to: .int64)) }
      return .array(array)
    default:
      throw PythonError.index(
        "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
          + "boolean arrays are valid indices")
    }
  }

  /// `a[key]`: a view, a new array, or a NumPy scalar for a single element.
  static func load(_ array: StridedArray, _ key: Value) throws(PythonError) -> Value {
    let items = try index(key)
    do {
      let selection = try array.select(items)
      let result = StridedArray.read(selection)
      if result.ndim == 0, case .view = selection, let scalar = result.onlyElement {
        return .npScalar(scalar)
      }
      return .array(ArrayObject(result))
    } catch {
      throw ArrayValues.error(error)
    }
  }

  /// `a[key] = value`.
  static func store(_ array: StridedArray, _ key: Value, _ value: Value) throws(PythonError) {
    // `a[mask] = 0` with a mask of a's own shape: one pass (NumPyKit's `fill(_:where:)`).
    if case .array(let mask) = key, let number = pythonReal(value) ?? scalarReal(value),
      array.fill(number, where: mask.array)
    {
      return
    }
    let items = try index(key)
    // A Python int stored into an integer array must fit its dtype (NumPy 2's OverflowError).
    if array.dtype.isInteger, array.dtype != .int64 {
      try ArrayValues.checkPythonIntegers(value.unmarked, fit: array.dtype)
    }
    let source = try ArrayValues.array(value)
    do {
      try StridedArray.write(source, into: try array.select(items))
    } catch {
      throw ArrayValues.error(error)
    }
  }
}
