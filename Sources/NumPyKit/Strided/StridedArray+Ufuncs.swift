import CNumKernels
import Foundation

/// NumPy's binary ufuncs, as `a + b`, `np.maximum(a, b)`, `a > b` … reach them.
public enum BinaryUfunc: String, Sendable, CaseIterable {
  case add, subtract, multiply
  case trueDivide = "true_divide"
  case floorDivide = "floor_divide"
  case remainder, power, maximum, minimum
  case equal
  case notEqual = "not_equal"
  case less
  case lessEqual = "less_equal"
  case greater
  case greaterEqual = "greater_equal"
  case logicalAnd = "logical_and"
  case logicalOr = "logical_or"
  case logicalXor = "logical_xor"
  case bitwiseAnd = "bitwise_and"
  case bitwiseOr = "bitwise_or"
  case bitwiseXor = "bitwise_xor"
  case arctan2, hypot

  public var isComparison: Bool {
    switch self {
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .logicalAnd, .logicalOr,
      .logicalXor:
      true
    default: false
    }
  }

  /// The result dtype NumPy's type resolution picks for two operand dtypes.
  func resultType(_ a: DType, _ b: DType) throws(ArrayError) -> DType {
    if isComparison { return .bool }
    let promoted = DType.promoted(a, b)
    switch self {
    case .trueDivide: return promoted == .float32 ? .float32 : .float64
    case .arctan2, .hypot:
      // Their loops are float: the smallest float holding both inputs (float16 for bools
      // and 8-bit integers, which retrace does not model; float32 for 16-bit integers).
      if promoted.isFloat { return promoted }
      let widest = Swift.max(a.itemSize, b.itemSize)
      if widest < 2 {
        throw ArrayError.smallFloatResult(rawValue, a.itemSize >= b.itemSize ? a : b)
      }
      return widest == 2 ? .float32 : .float64
    case .subtract where promoted == .bool:
      throw ArrayError(
        "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the "
          + "`^` operator, or the logical_xor function instead.", kind: .typeError)
    case .floorDivide, .remainder, .power:
      return promoted == .bool ? .int8 : promoted
    case .bitwiseAnd, .bitwiseOr, .bitwiseXor:
      if promoted.isFloat {
        throw ArrayError(
          "ufunc '\(rawValue)' not supported for the input types, and the inputs could not be "
            + "safely coerced to any supported types according to the casting rule ''safe''",
          kind: .typeError)
      }
      return promoted
    default: return promoted
    }
  }
}

/// NumPy's unary ufuncs.
public enum UnaryUfunc: String, Sendable, CaseIterable {
  case negative, positive, absolute, sign, square, reciprocal
  case sqrt, exp, exp2, log, log2, log10, log1p, expm1
  case sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh
  case floor, ceil, trunc, rint
  case isnan, isinf, isfinite, signbit
  case logicalNot = "logical_not"
  case invert

  func resultType(_ input: DType) throws(ArrayError) -> DType {
    switch self {
    case .isnan, .isinf, .isfinite, .signbit, .logicalNot: return .bool
    case .negative where input == .bool:
      throw ArrayError(
        "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator "
          + "or the logical_not function instead.", kind: .typeError)
    case .negative, .positive, .absolute, .sign, .square, .floor, .ceil, .trunc:
      if input == .bool && (self == .sign || self == .positive) {
        throw ArrayError(
          "ufunc '\(rawValue)' did not contain a loop with signature matching types "
            + "<class 'numpy.dtypes.BoolDType'> -> None", kind: .ufuncTypeError)
      }
      if input == .bool && self == .square { return .int8 }
      return input
    case .invert:
      if input.isFloat {
        throw ArrayError(
          "ufunc 'invert' not supported for the input types, and the inputs could not be safely "
            + "coerced to any supported types according to the casting rule ''safe''",
          kind: .typeError)
      }
      return input
    case .reciprocal where input == .bool: return .int8
    case .reciprocal where input.isInteger: return input
    default:
      // The smallest float holding the input: float16 for bools and 8-bit integers (not
      // modelled), float32 for float32 and the 16-bit integers, float64 above.
      if input.isFloat { return input }
      if input.itemSize < 2 { throw ArrayError.smallFloatResult(rawValue, input) }
      return input.itemSize == 2 ? .float32 : .float64
    }
  }
}

extension StridedArray {
  // MARK: - Binary

  /// `op(a, b)` with broadcasting and NumPy 2's type promotion.
  public static func apply(_ op: BinaryUfunc, _ a: StridedArray, _ b: StridedArray)
    throws(ArrayError) -> StridedArray
  {
    if op == .power || op == .arctan2, let log = OperationLog.current { log.note(op.rawValue) }
    let resultType: DType
    do {
      resultType = try op.resultType(a.dtype, b.dtype)
    } catch {
      // NumPy's own errors come first; a refusal only for operands NumPy would accept.
      if error.kind == .unmodelled { _ = try Shape.broadcast(a.shape, b.shape) }
      throw error
    }
    let shape = try Shape.broadcast(a.shape, b.shape)
    let count = shape.reduce(1, *)
    if op.isComparison {
      let flags = try comparisonValues(op, a, b, shape: shape, count: count)
      return StridedArray(shape: shape, reals: flags, dtype: .bool)
    }
    switch resultType {
    case _ where resultType.isInteger:
      // Every integer type in int64 arithmetic, wrapped to the result's width: the same
      // residues as NumPy's fixed-width loops (uint64 as unsigned where it differs).
      let x = a.broadcast(to: shape).integerValues()
      let y = b.broadcast(to: shape).integerValues()
      let unsigned = resultType == .uint64
      var out = [Int64](repeating: 0, count: count)
      for k in 0..<count {
        out[k] = resultType.wrap(try integerOp(op, x[k], y[k], unsigned: unsigned))
      }
      return StridedArray(shape: shape, integers: out, dtype: resultType)
    case .bool:
      let x = a.broadcast(to: shape).realValues()
      let y = b.broadcast(to: shape).realValues()
      var out = [Double](repeating: 0, count: count)
      for k in 0..<count {
        let p = x[k] != 0
        let q = y[k] != 0
        let r: Bool
        switch op {
        case .multiply, .bitwiseAnd, .minimum: r = p && q
        case .bitwiseXor: r = p != q
        default: r = p || q
        }
        out[k] = r ? 1 : 0
      }
      return StridedArray(shape: shape, reals: out, dtype: .bool)
    case .float32:
      return try float32Result(op, a, b, shape: shape)
    default:
      if let dense = denseFloat64(op, a, b) { return dense }
      if b.count == 1 && shape == a.shape {
        return applying(op, a, b.firstReal, scalarFirst: false)
      }
      if a.count == 1 && shape == b.shape {
        return applying(op, b, a.firstReal, scalarFirst: true)
      }
      let direct = a.isContiguous && b.isContiguous && a.shape == b.shape
      if !direct, a.dtype == .float64, b.dtype == .float64, !shape.isEmpty {
        // Broadcasting or a view: one pass over the output, each operand read through its
        // (broadcast) strides, instead of gathering both into new arrays first.
        let values = stridedLoop(op, a.broadcast(to: shape), b.broadcast(to: shape), shape)
        return StridedArray(shape: shape, reals: values)
      }
      let x = a.shape == shape ? a.realValues() : a.broadcast(to: shape).realValues()
      let y = b.shape == shape ? b.realValues() : b.broadcast(to: shape).realValues()
      if a.shape == shape { return StridedArray(like: a, reals: realLoop(op, x, y)) }
      if b.shape == shape { return StridedArray(like: b, reals: realLoop(op, x, y)) }
      return StridedArray(shape: shape, reals: realLoop(op, x, y))
    }
  }

  /// A binary ufunc whose loop is float32's: `+ - * /`, maximum and minimum computed in
  /// float64 and rounded once (the correctly rounded float32 result, as NumPy's loop gives
  /// it), power as NumPy's FLOAT_power (`Float32Math.power`), arctan2 and hypot by libm's
  /// float functions (`atan2f`, `hypotf`, as npy_math calls them without AVX-512),
  /// floor_divide and remainder by npy_divmodf's steps in float32.
  static func float32Result(_ op: BinaryUfunc, _ a: StridedArray, _ b: StridedArray, shape: [Int])
    throws(ArrayError) -> StridedArray
  {
    let x = a.broadcast(to: shape).realValues()
    let exponent = b.broadcast(to: shape)
    let y = exponent.realValues()
    let function: (Float, Float) -> Float
    switch op {
    case .add: function = { $0 + $1 }
    case .subtract: function = { $0 - $1 }
    case .multiply: function = { $0 * $1 }
    case .trueDivide: function = { $0 / $1 }
    case .maximum: function = { a, b in a > b || a.isNaN ? a : b }
    case .minimum: function = { a, b in a < b || a.isNaN ? a : b }
    case .power:
      // An exponent that does not step along the inner loop (a scalar, or broadcast along
      // the last axis) takes NumPy's shortcuts (-1, 0, 0.5, 1, 2); a stepping one is powf.
      let broadcastExponent = shape.isEmpty || exponent.strides.last == 0
      function =
        broadcastExponent
        ? { Float32Math.power($0, broadcastExponent: $1) } : { Float32Math.power($0, $1) }
    case .arctan2: function = { Foundation.atan2f($0, $1) }
    case .hypot: function = { Foundation.hypotf($0, $1) }
    case .floorDivide: function = { a, b in b == 0 ? a / b : divmod(a, b).quotient }
    case .remainder:
      function = { a, b in b == 0 ? Foundation.fmodf(a, b) : divmod(a, b).remainder }
    default: throw ArrayError("ufunc '\(op.rawValue)' has no float32 loop", kind: .unmodelled)
    }
    var out = [Double](repeating: 0, count: x.count)
    for k in 0..<x.count { out[k] = Double(function(Float(x[k]), Float(y[k]))) }
    return StridedArray(shape: shape, reals: out, dtype: .float32)
  }

  /// `op` between two float64 arrays of one shape that each fill their storage in C order
  /// (the common case of `a + b` in a training loop), nil for any other pair: one loop over
  /// both storages, no broadcasting or layout work.
  static func denseFloat64(_ op: BinaryUfunc, _ a: StridedArray, _ b: StridedArray)
    -> StridedArray?
  {
    guard let fast = denseOperator(op), a.fillsFloat64Storage, b.fillsFloat64Storage,
      a.shape == b.shape
    else { return nil }
    return StridedArray(
      storage: ArrayStorage(reals: realLoop(fast, a.storage.reals, b.storage.reals)),
      dtype: .float64, shape: a.shape, strides: a.strides, offset: 0)
  }

  /// `op` between a float64 (or integer- or float32-as-float64) array and one double, in
  /// float64 (the result is float64): what
  /// `a * 0.5` or `1.0 - a` computes.
  ///
  /// The result is laid out in memory as `a` is when `a` is a dense block in another axis
  /// order (a transpose): NumPy's ufuncs allocate their output in the input's order
  /// (`order='K'`), and a later reduction sums in memory order.
  public static func applying(_ op: BinaryUfunc, _ a: StridedArray, _ y: Double, scalarFirst: Bool)
    -> StridedArray
  {
    if a.dtype == .float64, !a.isContiguous, let block = a.denseBlock {
      return a.sameLayout(reals: realLoop(op, a.storage.reals[block], y, scalarFirst: scalarFirst))
    }
    return StridedArray(
      like: a, reals: realLoop(op, a.realValues()[...], y, scalarFirst: scalarFirst))
  }

  /// The one element of a size-1 array, as a double.
  var firstReal: Double {
    dtype.isInteger ? dtype.real(storage.integers[offset]) : storage.reals[offset]
  }

  /// `op` over two equal-length runs, with the common operators as plain loops (vectorisable,
  /// the same IEEE operations NumPy's loops do).
  static func realLoop(_ op: BinaryUfunc, _ x: [Double], _ y: [Double]) -> [Double] {
    let count = x.count
    return makeReals(count: count) { out in
      x.withUnsafeBufferPointer { p in
        y.withUnsafeBufferPointer { q in
          switch op {
          case .add: for k in 0..<count { out[k] = p[k] + q[k] }
          case .subtract: for k in 0..<count { out[k] = p[k] - q[k] }
          case .multiply: for k in 0..<count { out[k] = p[k] * q[k] }
          case .trueDivide: for k in 0..<count { out[k] = p[k] / q[k] }
          case .maximum: for k in 0..<count { out[k] = p[k] > q[k] || p[k].isNaN ? p[k] : q[k] }
          case .minimum: for k in 0..<count { out[k] = p[k] < q[k] || p[k].isNaN ? p[k] : q[k] }
          default:
            let function = realOp(op)
            for k in 0..<count { out[k] = function(p[k], q[k]) }
          }
        }
      }
    }
  }

  /// `op` over two float64 operands of `shape` (already broadcast to it), the output in C
  /// order, with the same IEEE operation per element as `realLoop`.
  static func stridedLoop(_ op: BinaryUfunc, _ x: StridedArray, _ y: StridedArray, _ shape: [Int])
    -> [Double]
  {
    let count = shape.reduce(1, *)
    let rank = shape.count
    let inner = shape[rank - 1]
    guard count > 0, inner > 0 else { return [] }
    let sx = x.strides[rank - 1]
    let sy = y.strides[rank - 1]
    let function = realOp(op)
    return [Double](unsafeUninitializedCapacity: count) { out, initialized in
      x.storage.reals.withUnsafeBufferPointer { p in
        y.storage.reals.withUnsafeBufferPointer { q in
          var index = [Int](repeating: 0, count: rank)
          var px = x.offset
          var py = y.offset
          var k = 0
          for _ in 0..<(count / inner) {
            switch op {
            case .add: for j in 0..<inner { out[k + j] = p[px + j * sx] + q[py + j * sy] }
            case .subtract: for j in 0..<inner { out[k + j] = p[px + j * sx] - q[py + j * sy] }
            case .multiply: for j in 0..<inner { out[k + j] = p[px + j * sx] * q[py + j * sy] }
            case .trueDivide: for j in 0..<inner { out[k + j] = p[px + j * sx] / q[py + j * sy] }
            default:
              for j in 0..<inner { out[k + j] = function(p[px + j * sx], q[py + j * sy]) }
            }
            k += inner
            // The next row: advance the outer axes like an odometer.
            var axis = rank - 2
            while axis >= 0 {
              index[axis] += 1
              px += x.strides[axis]
              py += y.strides[axis]
              if index[axis] < shape[axis] { break }
              px -= x.strides[axis] * shape[axis]
              py -= y.strides[axis] * shape[axis]
              index[axis] = 0
              axis -= 1
            }
          }
        }
      }
      initialized = count
    }
  }

  /// `op` between a run and one value (`scalarFirst`: the value is the left operand).
  static func realLoop(_ op: BinaryUfunc, _ x: ArraySlice<Double>, _ y: Double, scalarFirst: Bool)
    -> [Double]
  {
    let count = x.count
    return makeReals(count: count) { out in
      x.withUnsafeBufferPointer { p in
        switch (op, scalarFirst) {
        case (.add, false): for k in 0..<count { out[k] = p[k] + y }
        case (.add, true): for k in 0..<count { out[k] = y + p[k] }
        case (.subtract, false): for k in 0..<count { out[k] = p[k] - y }
        case (.subtract, true): for k in 0..<count { out[k] = y - p[k] }
        case (.multiply, false): for k in 0..<count { out[k] = p[k] * y }
        case (.multiply, true): for k in 0..<count { out[k] = y * p[k] }
        case (.trueDivide, false): for k in 0..<count { out[k] = p[k] / y }
        case (.trueDivide, true): for k in 0..<count { out[k] = y / p[k] }
        // `np.maximum(h, 0)`: the elementwise rule of `realOp`, inline.
        case (.maximum, false): for k in 0..<count { out[k] = p[k] > y || p[k].isNaN ? p[k] : y }
        case (.maximum, true): for k in 0..<count { out[k] = y > p[k] || y.isNaN ? y : p[k] }
        case (.minimum, false): for k in 0..<count { out[k] = p[k] < y || p[k].isNaN ? p[k] : y }
        case (.minimum, true): for k in 0..<count { out[k] = y < p[k] || y.isNaN ? y : p[k] }
        default:
          let function = realOp(op)
          if scalarFirst {
            for k in 0..<count { out[k] = function(y, p[k]) }
          } else {
            for k in 0..<count { out[k] = function(p[k], y) }
          }
        }
      }
    }
  }

  /// NumPy's in-place ufunc (`a += b`, `W -= lr * g`): the result is written into `a`'s
  /// storage, so every alias and view sees it. `b` may broadcast to `a`'s shape, never grow
  /// it, and the result must cast to `a`'s dtype under 'same_kind'.
  public func update(_ op: BinaryUfunc, with other: StridedArray) throws(ArrayError) {
    // NumPy names the output operand too: "… with shapes (4,) (5,) (4,) ".
    guard let shape = Shape.broadcastIfPossible(self.shape, other.shape) else {
      throw ArrayError.notBroadcastable([self.shape, other.shape, self.shape])
    }
    guard shape == self.shape else {
      throw ArrayError.nonBroadcastableOutput(self.shape, shape)
    }
    let resultType = try op.resultType(dtype, other.dtype)
    guard resultType.canCastSameKind(to: dtype) else {
      throw ArrayError(
        "Cannot cast ufunc '\(op.rawValue)' output from \(resultType.numpyName) to "
          + "\(dtype.numpyName) with casting rule 'same_kind'", kind: .ufuncTypeError)
    }
    if let values = denselyUpdated(op, with: other) {
      storage.reals = values
      return
    }
    let result = try StridedArray.apply(op, self, other)
    try StridedArray.write(result, into: .view(self))
  }

  /// `self op= other`'s new storage when `self` is a float64 array that fills its storage in
  /// C order and `other` is one float64 number or an array of the same shape that fills its
  /// own (`W -= lr * g`): the same loop as `self op other`, whose result then replaces the
  /// storage's elements wholesale (every view of the storage sees it, as after NumPy's write);
  /// nil for every other case.
  func denselyUpdated(_ op: BinaryUfunc, with other: StridedArray) -> [Double]? {
    guard fillsFloat64Storage, let fast = StridedArray.denseOperator(op) else { return nil }
    if other.dtype == .float64, other.count == 1, other.ndim <= ndim {
      return StridedArray.realLoop(fast, storage.reals[...], other.firstReal, scalarFirst: false)
    }
    guard other.fillsFloat64Storage, other.shape == shape else { return nil }
    return StridedArray.realLoop(fast, storage.reals, other.storage.reals)
  }

  /// Whether it is a float64 array of at least one axis whose elements are its whole storage
  /// in C order (a result, not a view into a larger or differently ordered storage).
  var fillsFloat64Storage: Bool {
    dtype == .float64 && offset == 0 && !shape.isEmpty && storage.reals.count == count
      && hasCStrides
  }

  /// The ufuncs whose float64 loops `realLoop` runs inline.
  static func denseOperator(_ op: BinaryUfunc) -> BinaryUfunc? {
    switch op {
    case .add, .subtract, .multiply, .trueDivide, .maximum, .minimum: op
    default: nil
    }
  }

  static func comparisonValues(
    _ op: BinaryUfunc, _ a: StridedArray, _ b: StridedArray, shape: [Int], count: Int
  ) throws(ArrayError) -> [Double] {
    if a.dtype.isInteger && b.dtype.isInteger {
      var out = [Double](repeating: 0, count: count)
      let x = a.broadcast(to: shape).integerValues()
      let y = b.broadcast(to: shape).integerValues()
      if a.dtype == .uint64 || b.dtype == .uint64,
        op != .logicalAnd && op != .logicalOr && op != .logicalXor
      {
        // Exact, as NumPy 2 compares uint64 with the signed types: a negative signed value
        // is below every unsigned one.
        let (ua, ub) = (a.dtype == .uint64, b.dtype == .uint64)
        for k in 0..<count {
          let ordering = orderUnsigned(x[k], ua, y[k], ub)
          out[k] = compare(op, ordering, 0) ? 1 : 0
        }
        return out
      }
      for k in 0..<count { out[k] = compare(op, x[k], y[k]) ? 1 : 0 }
      return out
    }
    // An array against one value (`h < 0`): the value read once, not broadcast into a list.
    if a.count == 1 || b.count == 1 {
      let scalarRight = b.count == 1
      let value = scalarRight ? b.firstReal : a.firstReal
      let other = (scalarRight ? a : b).broadcast(to: shape).realValues()
      return makeReals(count: count) { out in
        if scalarRight {
          for k in 0..<count { out[k] = compare(op, other[k], value) ? 1 : 0 }
        } else {
          for k in 0..<count { out[k] = compare(op, value, other[k]) ? 1 : 0 }
        }
      }
    }
    let x = a.broadcast(to: shape).realValues()
    let y = b.broadcast(to: shape).realValues()
    return makeReals(count: count) { out in
      for k in 0..<count { out[k] = compare(op, x[k], y[k]) ? 1 : 0 }
    }
  }

  @inline(__always)
  static func compare<T: Comparable & Numeric>(_ op: BinaryUfunc, _ x: T, _ y: T) -> Bool {
    switch op {
    case .equal: x == y
    case .notEqual: x != y
    case .less: x < y
    case .lessEqual: x <= y
    case .greater: x > y
    case .greaterEqual: x >= y
    case .logicalAnd: x != 0 && y != 0
    case .logicalOr: x != 0 || y != 0
    default: (x != 0) != (y != 0)
    }
  }

  /// One float64 element of a binary ufunc, as NumPy's loops compute it.
  static func realOp(_ op: BinaryUfunc) -> (Double, Double) -> Double {
    switch op {
    case .add: return { $0 + $1 }
    case .subtract: return { $0 - $1 }
    case .multiply: return { $0 * $1 }
    case .trueDivide: return { $0 / $1 }
    case .floorDivide: return { a, b in b == 0 ? a / b : divmod(a, b).quotient }
    case .remainder: return { a, b in b == 0 ? Foundation.fmod(a, b) : divmod(a, b).remainder }
    case .power: return { Foundation.pow($0, $1) }
    // NumPy's rule: the first operand when it is larger (or NaN), else the second, so that
    // maximum(0.0, -0.0) is -0.0 and maximum(-0.0, 0.0) is 0.0.
    case .maximum: return { a, b in a > b || a.isNaN ? a : b }
    case .minimum: return { a, b in a < b || a.isNaN ? a : b }
    case .arctan2: return { Foundation.atan2($0, $1) }
    case .hypot: return { Foundation.hypot($0, $1) }
    default: return { _, _ in .nan }
    }
  }

  /// npy_divmod / npy_divmodf: the floor quotient and remainder (CPython's float divmod),
  /// each step in the operands' precision (`truncatingRemainder` is C's exact `fmod`).
  public static func divmod<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> (quotient: T, remainder: T) {
    var mod = a.truncatingRemainder(dividingBy: b)
    if b == 0 { return (a / b, mod) }
    var div = (a - mod) / b
    if mod != 0 {
      if (b < 0) != (mod < 0) {
        mod += b
        div -= 1
      }
    } else {
      mod = T(signOf: b, magnitudeOf: 0)
    }
    var floorDiv: T
    if div != 0 {
      floorDiv = div.rounded(.down)
      if div - floorDiv > 0.5 { floorDiv += 1 }
    } else {
      floorDiv = T(signOf: a / b, magnitudeOf: 0)
    }
    return (floorDiv, mod)
  }

  /// -1, 0 or 1 as `x` is below, equal to or above `y`, each read as uint64 where its flag
  /// says so (its int64 bits otherwise).
  static func orderUnsigned(_ x: Int64, _ xUnsigned: Bool, _ y: Int64, _ yUnsigned: Bool) -> Int64 {
    if !xUnsigned && x < 0 { return (!yUnsigned && y < x) ? 1 : (!yUnsigned && y == x ? 0 : -1) }
    if !yUnsigned && y < 0 { return 1 }
    let (p, q) = (UInt64(bitPattern: x), UInt64(bitPattern: y))
    return p < q ? -1 : (p == q ? 0 : 1)
  }

  /// One element of a binary ufunc on integers, in int64 (the caller wraps it to the result's
  /// width): wrapping as NumPy wraps, 0 for division by zero; `unsigned` reads both as uint64.
  static func integerOp(_ op: BinaryUfunc, _ x: Int64, _ y: Int64, unsigned: Bool = false)
    throws(ArrayError) -> Int64
  {
    if unsigned {
      let (p, q) = (UInt64(bitPattern: x), UInt64(bitPattern: y))
      switch op {
      case .maximum: return Int64(bitPattern: max(p, q))
      case .minimum: return Int64(bitPattern: min(p, q))
      case .floorDivide: return q == 0 ? 0 : Int64(bitPattern: p / q)
      case .remainder: return q == 0 ? 0 : Int64(bitPattern: p % q)
      default: break
      }
    }
    switch op {
    case .add: return x &+ y
    case .subtract: return x &- y
    case .multiply: return x &* y
    case .maximum: return max(x, y)
    case .minimum: return min(x, y)
    case .bitwiseAnd: return x & y
    case .bitwiseOr: return x | y
    case .bitwiseXor: return x ^ y
    case .floorDivide:
      if y == 0 { return 0 }
      if x == .min && y == -1 { return .min }
      let q = x / y
      return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q
    case .remainder:
      if y == 0 || (x == .min && y == -1) { return 0 }
      let r = x % y
      return (r != 0 && ((r < 0) != (y < 0))) ? r + y : r
    case .power:
      if y < 0 && !unsigned {
        throw ArrayError("Integers to negative integer powers are not allowed.")
      }
      var result: Int64 = 1
      var base = x
      var exponent = UInt64(bitPattern: y)  // uint64 exponents may use the top bit
      while exponent > 0 {
        if exponent & 1 == 1 { result = result &* base }
        base = base &* base
        exponent >>= 1
      }
      return result
    default: return 0
    }
  }

  // MARK: - Unary

  /// `op(a)` elementwise.
  public static func apply(_ op: UnaryUfunc, _ a: StridedArray) throws(ArrayError)
    -> StridedArray
  {
    if !a.dtype.isInteger, let log = OperationLog.current { log.note(op.rawValue) }
    let resultType = try op.resultType(a.dtype)
    switch (resultType, a.dtype) {
    case (let type, _) where type.isInteger:
      let values = a.integerValues()
      let out: [Int64]
      let unsigned = type.isUnsigned
      switch op {
      case .negative: out = values.map { type.wrap(0 &- $0) }
      case .absolute: out = values.map { unsigned || $0 >= 0 ? $0 : type.wrap(0 &- $0) }
      case .sign: out = values.map { $0 == 0 ? 0 : (unsigned || $0 > 0 ? 1 : type.wrap(-1)) }
      case .square: out = values.map { type.wrap($0 &* $0) }
      case .invert: out = values.map { type.wrap(~$0) }
      // NumPy's integer reciprocal is `1.0 / x` cast back to the type (0 for |x| > 1, and
      // the cast of inf, Int64.min for int64, at 1 / 0).
      case .reciprocal:
        let input = a.dtype
        out = values.map { type.cast(1.0 / input.real($0)) }
      default: out = values
      }
      return StridedArray(shape: a.shape, integers: out, dtype: type)
    case (.bool, let input) where input.isInteger:
      let values = a.integerValues()
      let out: [Double] = values.map { n in
        switch op {
        case .isnan, .isinf: return 0
        case .isfinite: return 1
        case .signbit: return n < 0 ? 1 : 0
        default: return n == 0 ? 1 : 0
        }
      }
      return StridedArray(shape: a.shape, reals: out, dtype: .bool)
    case (.bool, _):
      let values = a.realValues()
      let out: [Double] = values.map { x in
        let r: Bool
        switch op {
        case .isnan: r = x.isNaN
        case .signbit: r = x.sign == .minus
        case .isinf: r = x.isInfinite
        case .isfinite: r = x.isFinite
        case .logicalNot, .invert: r = x == 0
        default: r = x != 0
        }
        return r ? 1 : 0
      }
      return StridedArray(shape: a.shape, reals: out, dtype: .bool)
    case (.float32, _):
      guard let function = float32Unary(op) else {
        throw ArrayError(
          "retrace does not model NumPy's float32 \(op.rawValue) loop", kind: .unmodelled)
      }
      let values = a.realValues().map { Double(function(Float($0))) }
      return StridedArray(shape: a.shape, reals: values, dtype: .float32)
    default:
      if a.dtype == .float64, !a.isContiguous, let block = a.denseBlock {
        // In the input's memory order, as NumPy's order='K' output (see `applying`).
        return a.sameLayout(reals: unaryLoop(op, a.storage.reals[block]))
      }
      return StridedArray(like: a, reals: unaryLoop(op, a.realValues()[...]))
    }
  }

  /// `op` over a run of doubles: the libm functions called directly in the loop (no closure
  /// call per element), the rest through `realUnary`.
  static func unaryLoop(_ op: UnaryUfunc, _ values: ArraySlice<Double>) -> [Double] {
    let count = values.count
    let math = MathLibrary.current
    return makeReals(count: count) { out in
      values.withUnsafeBufferPointer { x in
        switch op {
        case .exp: math.expLoop(count, x.baseAddress, out.baseAddress)
        case .log: for k in 0..<count { out[k] = math.log(x[k]) }
        case .sin: for k in 0..<count { out[k] = Foundation.sin(x[k]) }
        case .cos: for k in 0..<count { out[k] = Foundation.cos(x[k]) }
        case .tanh: for k in 0..<count { out[k] = retrace_numpy_tanh(x[k]) }
        case .sqrt: for k in 0..<count { out[k] = x[k].squareRoot() }
        case .negative: for k in 0..<count { out[k] = -x[k] }
        case .absolute: for k in 0..<count { out[k] = Swift.abs(x[k]) }
        case .square: for k in 0..<count { out[k] = x[k] * x[k] }
        default:
          let function = realUnary(op)
          for k in 0..<count { out[k] = function(x[k]) }
        }
      }
    }
  }

  /// One float32 element of a unary ufunc, as NumPy's float32 loop computes it: the
  /// operations whose float64 result rounds to the correctly rounded float32 one (or is
  /// exact) computed so; exp, log, sin, cos and tanh by ports of NumPy's own SIMD kernels,
  /// the others by glibc's float functions, as NumPy calls them without AVX-512
  /// (`Float32Math`). Nil for a ufunc without a float loop.
  static func float32Unary(_ op: UnaryUfunc) -> ((Float) -> Float)? {
    switch op {
    case .negative, .positive, .absolute, .sign, .square, .reciprocal, .floor, .ceil, .trunc,
      .rint:
      let function = realUnary(op)
      return { Float(function(Double($0))) }
    case let op: return Float32Function(rawValue: op.rawValue)?.function
    }
  }

  /// One float64 element of a unary ufunc (libm where NumPy calls libm; see MachineModel).
  static func realUnary(_ op: UnaryUfunc) -> (Double) -> Double {
    switch op {
    case .negative: return { -$0 }
    case .positive: return { $0 }
    case .absolute: return { Swift.abs($0) }
    case .sign: return { $0 > 0 ? 1 : ($0 < 0 ? -1 : ($0 == 0 ? 0 : .nan)) }
    case .square: return { $0 * $0 }
    case .reciprocal: return { 1 / $0 }
    case .sqrt: return { $0.squareRoot() }
    // The machine's exp: glibc's (NumPy without AVX-512) or SVML's (with it).
    case .exp:
      let math = MathLibrary.current
      return { math.exp($0) }
    case .exp2: return Foundation.exp2
    // The machine's log: glibc's (+NaN for a negative input, as NumPy's loop gives) or SVML's.
    case .log:
      let math = MathLibrary.current
      return { math.log($0) }
    // NumPy's log2 gives +NaN for a negative input (glibc's, -NaN).
    case .log2: return { $0 < 0 ? .nan : Foundation.log2($0) }
    case .log10: return Foundation.log10
    case .log1p: return Foundation.log1p
    case .expm1: return Foundation.expm1
    case .sin: return Foundation.sin
    case .cos: return Foundation.cos
    case .tan: return Foundation.tan
    case .arcsin: return Foundation.asin
    case .arccos: return Foundation.acos
    case .arctan: return Foundation.atan
    case .sinh: return Foundation.sinh
    case .cosh: return Foundation.cosh
    // NumPy's own tanh (a Highway port of SVML's algorithm, on CPUs with FMA), not libm's.
    case .tanh: return { retrace_numpy_tanh($0) }
    case .floor: return Foundation.floor
    case .ceil: return Foundation.ceil
    case .trunc: return Foundation.trunc
    case .rint: return { $0.rounded(.toNearestOrEven) }
    default: return { $0 }
    }
  }

  /// numpy.round(a, decimals) / a.round(decimals): `rint(a * 10**d) / 10**d` for d ≥ 0,
  /// `rint(a / 10**-d) * 10**-d` for d < 0, as NumPy's float loop computes it. Integers are
  /// returned as they are for d ≥ 0.
  public func rounded(decimals: Int) -> StridedArray {
    if dtype == .float32 {
      // In float32, as NumPy's loop multiplies by the (weak) Python float factor.
      let factor = Float(Foundation.pow(10.0, Double(Swift.abs(decimals))))
      let values = realValues().map { value -> Double in
        let x = Float(value)
        return Double(
          decimals >= 0
            ? (x * factor).rounded(.toNearestOrEven) / factor
            : (x / factor).rounded(.toNearestOrEven) * factor)
      }
      return StridedArray(shape: shape, reals: values, dtype: .float32)
    }
    if dtype != .float64 {
      if decimals >= 0 { return dtype == .bool ? converted(to: .int64) : copy() }
      let factor = Foundation.pow(10.0, Double(-decimals))
      return StridedArray(
        shape: shape,
        integers: realValues().map { dtype.cast(($0 / factor).rounded(.toNearestOrEven) * factor) },
        dtype: dtype == .bool ? .int64 : dtype)
    }
    if decimals >= 0 {
      let factor = Foundation.pow(10.0, Double(decimals))
      return StridedArray(
        shape: shape,
        reals: realValues().map { ($0 * factor).rounded(.toNearestOrEven) / factor })
    }
    let factor = Foundation.pow(10.0, Double(-decimals))
    return StridedArray(
      shape: shape, reals: realValues().map { ($0 / factor).rounded(.toNearestOrEven) * factor })
  }

  /// numpy.clip(a, low, high): `minimum(maximum(a, low), high)`, either bound optional.
  public func clipped(_ low: StridedArray?, _ high: StridedArray?) throws(ArrayError)
    -> StridedArray
  {
    var result = self
    if let low { result = try StridedArray.apply(.maximum, result, low) }
    if let high { result = try StridedArray.apply(.minimum, result, high) }
    return result
  }
}
