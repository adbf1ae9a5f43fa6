import CNumKernels

/// The floating-point exceptions a NumPy operation raised, as `np.seterr` names them: what
/// NumPy turns into `RuntimeWarning: overflow encountered in exp` (or a `FloatingPointError`).
///
/// NumPy reads the hardware's status flags after each ufunc loop. retrace derives them from the
/// operands and the result instead, by IEEE 754's rules, because its kernels (an SVML-exact
/// `exp`, a Highway `tanh`) need not raise the flags on the same paths as NumPy's: a result
/// that is all finite raised nothing worth a warning (one branch-free scan, the only cost on
/// the common path); only an array holding an infinity or a NaN is classified element by
/// element:
///
/// - **invalid**: a NaN result from operands none of which is NaN (`inf - inf`, `0 * inf`,
///   `0 / 0`, `sqrt(-1)`, `log(-1)`, `x % 0.0`);
/// - **divide**: an infinite result from finite operands at a pole (`x / 0`, `x // 0`,
///   `log(0)`, `log1p(-1)`, `0 ** -1`, `reciprocal(0)`), and an integer division or remainder
///   by zero;
/// - **overflow**: any other infinite result from finite operands (`exp(1000)`, `1e308 * 10`).
///
/// An infinity or NaN among the operands propagates without a flag (`exp(inf)`, `nan + 1`), as
/// on hardware. Underflow (a result rounded to zero or a subnormal) is not derived: NumPy's
/// default ignores it, and `np.seterr(under=...)` is refused by the interpreter.
public struct FloatStatus: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let divide = FloatStatus(rawValue: 1)
  public static let overflow = FloatStatus(rawValue: 2)
  public static let underflow = FloatStatus(rawValue: 4)
  public static let invalid = FloatStatus(rawValue: 8)

  /// The flags in the order NumPy reports them (`divide by zero` before `overflow`, before
  /// `underflow`, before `invalid value`), each with its `np.seterr` key and its message stem.
  public static let reportOrder: [(flag: FloatStatus, key: String, words: String)] = [
    (.divide, "divide", "divide by zero"), (.overflow, "over", "overflow"),
    (.underflow, "under", "underflow"), (.invalid, "invalid", "invalid value"),
  ]

  // MARK: - Scanning

  /// Whether any element of a float array is an infinity or a NaN (false for integer and bool
  /// arrays). Inlined into the operations that call it after each result, where a result the
  /// operation just made (its storage its elements, each once) is one C loop over its storage.
  @inlinable
  public static func hasNonFinite(_ array: StridedArray) -> Bool {
    guard array.dtype == .float64 || array.dtype == .float32 else { return false }
    return array.storage.reals.withUnsafeBufferPointer { buffer -> Bool in
      guard let base = buffer.baseAddress else { return false }
      if array.offset == 0, !repeatsElements(array),
        buffer.count == array.count
      {
        return rt_has_nonfinite(base, buffer.count) != 0
      }
      return viewHasNonFinite(array)
    }
  }

  /// `hasNonFinite` of a view: its dense block of storage, or its elements gathered.
  @usableFromInline
  static func viewHasNonFinite(_ array: StridedArray) -> Bool {
    guard array.count > 0 else { return false }
    if let block = array.denseBlock {
      return array.storage.reals.withUnsafeBufferPointer { buffer in
        nonFinite(UnsafeBufferPointer(rebasing: buffer[block]))
      }
    }
    return array.realValues().withUnsafeBufferPointer { nonFinite($0) }
  }

  /// Whether an axis longer than 1 has stride 0 (a broadcast view).
  @usableFromInline
  static func repeatsElements(_ array: StridedArray) -> Bool {
    for axis in array.shape.indices where array.shape[axis] > 1 && array.strides[axis] == 0 {
      return true
    }
    return false
  }

  /// Whether a buffer holds an infinity or a NaN (a C loop, vectorised).
  @inline(__always)
  static func nonFinite(_ values: UnsafeBufferPointer<Double>) -> Bool {
    guard let base = values.baseAddress else { return false }
    return rt_has_nonfinite(base, values.count) != 0
  }

  // MARK: - Operations

  /// The flags `ufunc(x, y)` raised, `result` being its output (of the operands' broadcast
  /// shape).
  public static func of(
    _ ufunc: BinaryUfunc, _ x: StridedArray, _ y: StridedArray, result: StridedArray
  ) -> FloatStatus {
    if result.dtype.isInteger {
      // Integer division and remainder by zero: NumPy's loops set the divide flag.
      guard ufunc == .floorDivide || ufunc == .remainder, y.dtype.isInteger || y.dtype == .bool
      else { return [] }
      let zero =
        y.dtype == .bool ? y.realValues().contains(0) : y.integerValues().contains(0)
      return zero && result.count > 0 ? .divide : []
    }
    guard hasNonFinite(result) else { return [] }
    let shape = result.shape
    let a = x.broadcast(to: shape).realValues()
    let b = y.broadcast(to: shape).realValues()
    let r = result.realValues()
    var status: FloatStatus = []
    for k in r.indices where !r[k].isFinite {
      status.formUnion(binary(ufunc, a[k], b[k], r[k]))
    }
    return status
  }

  /// The flags of one element of a binary ufunc whose result `r` is not finite.
  @inline(__always)
  public static func binary(_ ufunc: BinaryUfunc, _ a: Double, _ b: Double, _ r: Double)
    -> FloatStatus
  {
    if a.isNaN || b.isNaN { return [] }
    if r.isNaN { return .invalid }
    if a.isInfinite || b.isInfinite { return [] }
    switch ufunc {
    case .trueDivide, .floorDivide: return b == 0 ? .divide : .overflow
    case .power: return a == 0 && b < 0 ? .divide : .overflow
    default: return .overflow
    }
  }

  /// The flags `ufunc(x)` raised, `result` being its output.
  public static func of(_ ufunc: UnaryUfunc, _ x: StridedArray, result: StridedArray)
    -> FloatStatus
  {
    if result.dtype.isInteger {
      // `np.reciprocal` of an integer 0 divides by zero and then converts the infinity.
      guard ufunc == .reciprocal, x.dtype.isInteger, x.integerValues().contains(0) else {
        return []
      }
      return [.divide, .invalid]
    }
    guard hasNonFinite(result) else { return [] }
    let a = x.broadcast(to: result.shape).realValues()
    let r = result.realValues()
    var status: FloatStatus = []
    for k in r.indices where !r[k].isFinite {
      if a[k].isNaN { continue }
      if r[k].isNaN {
        status.insert(.invalid)
        continue
      }
      if a[k].isInfinite { continue }
      switch ufunc {
      case .log, .log2, .log10, .reciprocal:
        status.insert(a[k] == 0 ? .divide : .overflow)
      case .log1p:
        status.insert(a[k] == -1 ? .divide : .overflow)
      default:
        status.insert(.overflow)
      }
    }
    return status
  }

  /// The flags of a sum, product, mean, cumulative sum or matrix product of `inputs` whose
  /// result is `result`. From finite inputs: overflow for an infinite result, overflow and
  /// invalid for a NaN (an overflow's `inf - inf`). From inputs holding an infinity or a NaN,
  /// whether a partial sum of finite values overflowed depends on the order of the additions:
  /// the reduction is run again (`recompute`, the same kernel in the same order as NumPy's, all
  /// of whose operations are IEEE additions and multiplications) with the hardware's flags
  /// cleared before and read after.
  public static func ofReduction(
    _ inputs: [StridedArray], result: StridedArray,
    recompute: (([StridedArray]) -> StridedArray?)? = nil
  ) -> FloatStatus {
    guard hasNonFinite(result) else { return [] }
    if !inputs.contains(where: hasNonFinite) {
      return result.realValues().contains(where: \.isNaN) ? [.overflow, .invalid] : .overflow
    }
    guard let recompute else { return [] }
    return hardware { _ = recompute(inputs) }.intersection([.overflow, .invalid, .divide])
  }

  /// The flags the hardware raised while `body` ran (its flags cleared before; the caller's put
  /// back after).
  public static func hardware(_ body: () -> Void) -> FloatStatus {
    var saved: UInt = 0
    rt_fp_status_begin(&saved)
    body()
    return FloatStatus(rawValue: UInt8(truncatingIfNeeded: rt_fp_status_end(&saved)))
  }

  /// The flags of converting `source` to `dtype` (`astype`): a NaN or an infinity made an
  /// integer is invalid; a finite float64 too large for float32 overflows.
  public static func ofCast(_ source: StridedArray, to dtype: DType) -> FloatStatus {
    guard source.dtype == .float64 || source.dtype == .float32, source.count > 0 else { return [] }
    if dtype.isInteger {
      return hasNonFinite(source) ? .invalid : []
    }
    if dtype == .float32 && source.dtype == .float64 {
      let limit = Double(Float.greatestFiniteMagnitude)
      for v in source.realValues() where v.isFinite && abs(v) > limit {
        // Rounds to infinity only beyond the last float32's rounding boundary.
        if Float(v).isInfinite { return .overflow }
      }
    }
    return []
  }
}
