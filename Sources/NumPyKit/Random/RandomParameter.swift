/// A distribution parameter as NumPy receives it: one number (NumPy's scalar path, which
/// checks it once and returns a single value for `size=None`) or an array of at least one
/// dimension (the broadcast path, whose checks word their errors for arrays).
public enum RandomParameter<Element: Sendable & Hashable>: Sendable, Hashable {
  /// A Python number, NumPy scalar or 0-d array.
  case scalar(Element)
  /// An array: its C-order elements and its shape (at least one axis).
  case array([Element], shape: [Int])

  /// The parameter's shape (`[]` for a scalar).
  public var shape: [Int] {
    switch self {
    case .scalar: []
    case .array(_, let shape): shape
    }
  }

  /// Whether this is an array (so that the call takes NumPy's broadcast path).
  public var isArray: Bool {
    if case .array = self { return true }
    return false
  }

  /// Every element (the scalar once).
  var elements: [Element] {
    switch self {
    case .scalar(let value): [value]
    case .array(let values, _): values
    }
  }

  /// The values broadcast to `target` in C order (the scalar repeated).
  func broadcast(to target: [Int]) -> [Element] {
    switch self {
    case .scalar(let value):
      return [Element](repeating: value, count: target.reduce(1, *))
    case .array(let values, let shape):
      return RandomBroadcast.expand(values, from: shape, to: target)
    }
  }
}

extension RandomParameter: ExpressibleByFloatLiteral where Element == Double {
  /// A scalar double parameter written as a literal.
  public init(floatLiteral value: Double) {
    self = .scalar(value)
  }
}

extension RandomParameter: ExpressibleByIntegerLiteral where Element == Double {
  /// A scalar double parameter written as an integer literal.
  public init(integerLiteral value: Int) {
    self = .scalar(Double(value))
  }
}

/// Draws of a distribution with the shape NumPy gives them: `size`, or the broadcast shape of
/// the array parameters when `size` is None (`[]`, one value, when everything is scalar).
public struct RandomDraws<Element: Sendable & Hashable>: Sendable, Hashable {
  /// The result's shape.
  public var shape: [Int]
  /// The values in C order.
  public var values: [Element]

  /// Draws of `shape`.
  public init(shape: [Int], values: [Element]) {
    self.shape = shape
    self.values = values
  }
}

/// The shape rules of NumPy's random broadcast paths (`_common.pyx`'s `cont`/`disc` and the
/// multi-iterator of `PyArray_Broadcast`), with NumPy's error messages.
enum RandomBroadcast {
  /// `(2, 3)` / `(2,)` / `()`: a shape as Python prints the tuple.
  static func tuple(_ shape: [Int]) -> String {
    if shape.count == 1 { return "(\(shape[0]),)" }
    return "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  /// The broadcast shape of `shapes` as NumPy's multi-iterator finds it, axis by axis from
  /// the left of the longest; the mismatch error names the operand that set the axis and
  /// the one that disagrees, by their positions in `shapes`.
  static func merged(_ shapes: [[Int]]) throws(RandomError) -> [Int] {
    let rank = shapes.map(\.count).max() ?? 0
    var result = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
      var setter = -1
      for (operand, shape) in shapes.enumerated() {
        let k = axis + shape.count - rank
        guard k >= 0 else { continue }
        let extent = shape[k]
        if extent == 1 { continue }
        if result[axis] == 1 {
          result[axis] = extent
          setter = operand
        } else if result[axis] != extent {
          throw RandomError(
            .valueError,
            "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is "
              + "between arg \(setter) with shape \(tuple(shapes[setter])) and arg \(operand) "
              + "with shape \(tuple(shape)).")
        }
      }
    }
    return result
  }

  /// The output shape of a broadcast-path draw: with `size`, the output array is made first
  /// (negative extents fail there) and iterated together with the parameters, whose
  /// broadcast must be `size` itself; without, the parameters' broadcast shape.
  static func outputShape(size: [Int]?, parameters: [[Int]]) throws(RandomError) -> [Int] {
    guard let size else {
      // One parameter: its own shape (NumPy allocates it directly, no broadcast).
      if parameters.count == 1 { return parameters[0] }
      return try merged(parameters)
    }
    _ = try elementCount(size)
    let combined = try merged([size] + parameters)
    guard combined == size else {
      throw RandomError(
        .valueError,
        "Output size \(tuple(size)) is not compatible with broadcast dimensions of inputs "
          + "\(tuple(combined)).")
    }
    return size
  }

  /// `values` of `shape` repeated along broadcast axes to `target` (which `shape` broadcasts
  /// to), in C order.
  static func expand<Element>(_ values: [Element], from shape: [Int], to target: [Int])
    -> [Element]
  {
    let count = target.reduce(1, *)
    guard count > 0 else { return [] }
    if shape == target { return values }
    // The source stride of each target axis (0 where the source is broadcast).
    var strides = [Int](repeating: 0, count: target.count)
    var step = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      let targetAxis = axis + target.count - shape.count
      strides[targetAxis] = shape[axis] == 1 ? 0 : step
      step *= shape[axis]
    }
    var out: [Element] = []
    out.reserveCapacity(count)
    var index = [Int](repeating: 0, count: target.count)
    var position = 0
    for _ in 0..<count {
      out.append(values[position])
      var axis = target.count - 1
      while axis >= 0 {
        index[axis] += 1
        position += strides[axis]
        if index[axis] < target[axis] { break }
        position -= strides[axis] * index[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return out
  }
}

/// The checks NumPy makes on distribution parameters (`_common.pyx`'s `check_constraint` for
/// scalars, `check_array_constraint` for arrays), with their messages.
enum ParameterConstraint {
  /// `CONS_NON_NEGATIVE`: no sign bit (so -0.0 fails); NaN passes.
  case nonNegative
  /// `CONS_POSITIVE`: fails for values <= 0; NaN passes.
  case positive
  /// `CONS_BOUNDED_0_1`: 0 <= value <= 1; NaN fails.
  case unitInterval
  /// `CONS_POISSON` / `LEGACY_CONS_POISSON`: 0 <= value <= the largest mean NumPy draws from.
  case poissonMean

  /// `POISSON_LAM_MAX` (and the legacy one, equal where C `long` is 64 bits):
  /// int64's maximum as a double less ten times its square root.
  static let largestPoissonMean =
    Double(Int64.max) - Double(Int64.max).squareRoot() * 10

  /// Checks `values` named `name`: on the array path (`asArray`, NumPy's
  /// `check_array_constraint`) or as one scalar (`check_constraint`).
  func check(_ values: [Double], _ name: String, asArray: Bool) throws(RandomError) {
    if asArray {
      try checkArray(values, name)
    } else {
      for value in values { try checkScalar(value, name) }
    }
  }

  private func checkScalar(_ value: Double, _ name: String) throws(RandomError) {
    switch self {
    case .nonNegative:
      if !value.isNaN && value.sign == .minus { throw RandomError(.valueError, "\(name) < 0") }
    case .positive:
      if value <= 0 { throw RandomError(.valueError, "\(name) <= 0") }
    case .unitInterval:
      if !(value >= 0) || !(value <= 1) {
        throw RandomError(.valueError, "\(name) < 0, \(name) > 1 or \(name) is NaN")
      }
    case .poissonMean:
      if !(value >= 0) { throw RandomError(.valueError, "\(name) < 0 or \(name) is NaN") }
      if !(value <= Self.largestPoissonMean) {
        throw RandomError(.valueError, "\(name) value too large")
      }
    }
  }

  private func checkArray(_ values: [Double], _ name: String) throws(RandomError) {
    switch self {
    case .nonNegative:
      if values.contains(where: { !$0.isNaN && $0.sign == .minus }) {
        throw RandomError(.valueError, "\(name) < 0")
      }
    case .positive:
      if values.contains(where: { $0 <= 0 }) { throw RandomError(.valueError, "\(name) <= 0") }
    case .unitInterval:
      if values.contains(where: { !($0 >= 0) || !($0 <= 1) }) {
        throw RandomError(.valueError, "\(name) < 0, \(name) > 1 or \(name) contains NaNs")
      }
    case .poissonMean:
      if !values.allSatisfy({ $0 <= Self.largestPoissonMean }) {
        throw RandomError(.valueError, "\(name) value too large")
      }
      if !values.allSatisfy({ $0 >= 0 }) {
        throw RandomError(.valueError, "\(name) < 0 or \(name) contains NaNs")
      }
    }
  }
}

/// One parameter check of a random call: the values, NumPy's constraint and the name NumPy
/// words its error with.
struct ParameterCheck {
  var values: [Double]
  var constraint: ParameterConstraint
  var name: String

  /// A check of a double parameter.
  init(_ parameter: RandomParameter<Double>, _ constraint: ParameterConstraint, _ name: String) {
    values = parameter.elements
    self.constraint = constraint
    self.name = name
  }

  /// A check of an int64 parameter (binomial's `n`), converted to double as NumPy does.
  init(_ parameter: RandomParameter<Int64>, _ constraint: ParameterConstraint, _ name: String) {
    values = parameter.elements.map { Double($0) }
    self.constraint = constraint
    self.name = name
  }
}

/// The parameters of one random call as its draws read them: per output element on the
/// broadcast path, the same value for every element on the scalar path.
struct RandomArguments {
  /// The double parameters (each broadcast to the output, or one value).
  let doubles: [[Double]]
  /// The int64 parameters (each broadcast to the output, or one value).
  let integers: [[Int64]]
  /// Whether the values are per element.
  let perElement: Bool

  /// Double parameter `i` at output element `k`.
  @inline(__always)
  func double(_ i: Int, _ k: Int) -> Double { doubles[i][perElement ? k : 0] }

  /// Int64 parameter `i` at output element `k`.
  @inline(__always)
  func integer(_ i: Int, _ k: Int) -> Int64 { integers[i][perElement ? k : 0] }
}

/// The driver of NumPy's `cont` and `disc`: parameter checks in order, then the scalar path
/// (one value for `size=None`) or the broadcast path, drawing in C order of the output.
enum RandomCall {
  /// Draws `draw(arguments, k)` for every output element `k`, in order.
  ///
  /// `checks` run first, in order, all worded for arrays when any parameter is an array (on
  /// that path NumPy turns scalar parameters into 0-d arrays). `doubles` then `integers` are
  /// the parameters in the order NumPy hands them to its multi-iterator (which matters only
  /// for the wording of a shape mismatch).
  static func run<Element>(
    size: [Int]?, doubles: [RandomParameter<Double>], integers: [RandomParameter<Int64>] = [],
    checks: [ParameterCheck], draw: (RandomArguments, Int) -> Element
  ) throws(RandomError) -> RandomDraws<Element> {
    let isArray = doubles.contains(where: \.isArray) || integers.contains(where: \.isArray)
    for check in checks {
      try check.constraint.check(check.values, check.name, asArray: isArray)
    }
    let shape: [Int]
    let arguments: RandomArguments
    if isArray {
      let shapes = doubles.map(\.shape) + integers.map(\.shape)
      shape = try RandomBroadcast.outputShape(size: size, parameters: shapes)
      arguments = RandomArguments(
        doubles: doubles.map { $0.broadcast(to: shape) },
        integers: integers.map { $0.broadcast(to: shape) }, perElement: true)
    } else {
      shape = size ?? []
      arguments = RandomArguments(
        doubles: doubles.map(\.elements), integers: integers.map(\.elements), perElement: false)
    }
    let count = try elementCount(shape)
    var values: [Element] = []
    values.reserveCapacity(count)
    for k in 0..<count { values.append(draw(arguments, k)) }
    return RandomDraws(shape: shape, values: values)
  }
}
