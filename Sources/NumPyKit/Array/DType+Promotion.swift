extension DType {
  /// Whether the elements are integers (signed or unsigned; not bool).
  public var isInteger: Bool {
    switch self {
    case .float64, .float32, .bool: false
    default: true
    }
  }

  /// Whether the elements are floating point (float64 or float32).
  public var isFloat: Bool { self == .float64 || self == .float32 }

  /// A double rounded to this dtype's precision: to float32 for float32 (round to nearest,
  /// ties to even, as a cast does), unchanged for every other dtype.
  @inline(__always)
  public func rounded(_ x: Double) -> Double {
    self == .float32 ? Double(Float(x)) : x
  }

  /// Whether the elements are unsigned integers.
  public var isUnsigned: Bool {
    switch self {
    case .uint8, .uint16, .uint32, .uint64: true
    default: false
    }
  }

  /// The size of one element in bytes (numpy.dtype.itemsize).
  public var itemSize: Int {
    switch self {
    case .bool, .int8, .uint8: 1
    case .int16, .uint16: 2
    case .int32, .uint32, .float32: 4
    case .float64, .int64, .uint64: 8
    }
  }

  /// The smallest and largest values of an integer type (uint64's largest is beyond Int64 and
  /// given as Int64.max; callers that need it treat uint64 apart).
  public var integerBounds: ClosedRange<Int64> {
    switch self {
    case .int8: -128...127
    case .int16: -32768...32767
    case .int32: Int64(Int32.min)...Int64(Int32.max)
    case .uint8: 0...255
    case .uint16: 0...65535
    case .uint32: 0...Int64(UInt32.max)
    case .uint64: 0...Int64.max
    case .bool: 0...1
    default: Int64.min...Int64.max
    }
  }

  /// An int64 value wrapped to this integer type's width, as NumPy's fixed-width arithmetic
  /// and casts wrap it (two's complement; the value kept sign- or zero-extended in 64 bits).
  @inline(__always)
  public func wrap(_ value: Int64) -> Int64 {
    switch self {
    case .int8: Int64(Int8(truncatingIfNeeded: value))
    case .int16: Int64(Int16(truncatingIfNeeded: value))
    case .int32: Int64(Int32(truncatingIfNeeded: value))
    case .uint8: Int64(UInt8(truncatingIfNeeded: value))
    case .uint16: Int64(UInt16(truncatingIfNeeded: value))
    case .uint32: Int64(UInt32(truncatingIfNeeded: value))
    default: value
    }
  }

  /// An element of this integer type (its stored int64) as a double, as NumPy casts it.
  @inline(__always)
  public func real(_ stored: Int64) -> Double {
    self == .uint64 ? Double(UInt64(bitPattern: stored)) : Double(stored)
  }

  /// A double cast to this integer type as NumPy's loops on x86-64 cast it: truncated toward
  /// zero; to the 8-, 16- and 32-bit types through a 32-bit conversion (an out-of-range or NaN
  /// input gives Int32.min before wrapping), to the 64-bit types through a 64-bit one
  /// (Int64.min), uint64 taking [2^63, 2^64) as unsigned and 2^64 and above as 0. (uint32's
  /// out-of-range inputs are not modelled exactly.)
  public func cast(_ x: Double) -> Int64 {
    switch self {
    case .int8, .int16, .int32, .uint8, .uint16:
      let narrow: Int64 =
        x.isFinite && x > -2_147_483_649.0 && x < 2_147_483_648.0
        ? Int64(x.rounded(.towardZero)) : Int64(Int32.min)
      return wrap(narrow)
    case .uint64:
      if x >= 18_446_744_073_709_551_616.0 { return 0 }
      if x >= 9_223_372_036_854_775_808.0 { return Int64(bitPattern: UInt64(x)) }
      return ArrayScalar.truncatedInteger(x)
    default:
      return wrap(ArrayScalar.truncatedInteger(x))
    }
  }

  /// The rank of an integer type among its kind (8, 16, 32, 64 bits).
  private var rank: Int { itemSize }

  /// NumPy's result type of an arithmetic ufunc on two arrays (numpy.result_type): bool below
  /// every number; integers of one signedness by width; a signed and an unsigned integer in
  /// the smallest signed type holding both (float64 for int64 with uint64); float64 above all.
  public static func promoted(_ a: DType, _ b: DType) -> DType {
    if a == b { return a }
    if a == .float64 || b == .float64 { return .float64 }
    if a == .float32 || b == .float32 {
      // float32 holds bool and the 8- and 16-bit integers exactly; beside wider integers
      // the result is float64.
      let other = a == .float32 ? b : a
      return other == .bool || other.itemSize <= 2 ? .float32 : .float64
    }
    if a == .bool { return b }
    if b == .bool { return a }
    if a.isUnsigned == b.isUnsigned { return a.rank >= b.rank ? a : b }
    let (signed, unsigned) = a.isUnsigned ? (b, a) : (a, b)
    if signed.rank > unsigned.rank { return signed }
    switch unsigned {
    case .uint8: return .int16
    case .uint16: return .int32
    case .uint32: return .int64
    default: return .float64
    }
  }

  /// The dtype NumPy gives a Python int, float or bool in arithmetic with an array of this
  /// dtype (NEP 50: Python numbers are weak, and take the array's type where its kind can
  /// hold them).
  public func weakPartner(for number: WeakNumber) -> DType {
    switch number {
    case .bool: return self
    case .int: return self == .bool ? .int64 : self
    case .float: return self == .float32 ? .float32 : .float64
    }
  }

  /// The `dtype(...)` spelling NumPy uses in its casting messages.
  var numpyName: String { "dtype('\(rawValue)')" }

  /// Whether NumPy's 'same_kind' casting allows storing `self` into an array of `target`.
  func canCastSameKind(to target: DType) -> Bool {
    if self == .bool || self == target { return true }
    if target.isFloat { return true }
    if target == .bool { return false }
    if isInteger && target.isInteger {
      // Any integer to any integer of the same kind; signed to unsigned is not same kind.
      return !(target.isUnsigned && !isUnsigned)
    }
    return false
  }

  /// The dtype of a sum or product of this dtype's elements (NumPy's add.reduce on the
  /// platform integer: the narrower signed ints and bool sum as int64, unsigned as uint64).
  public var accumulated: DType {
    switch self {
    case .bool, .int8, .int16, .int32: .int64
    case .uint8, .uint16, .uint32: .uint64
    default: self
    }
  }
}

/// The kind of a Python number in NumPy arithmetic (see `DType.weakPartner(for:)`).
public enum WeakNumber: Sendable {
  case bool, int, float
}
