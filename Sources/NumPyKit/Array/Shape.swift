/// Shape arithmetic with NumPy's rules: broadcasting, C-order strides, and NumPy's spelling.
///
/// Matches numpy.broadcast_shapes and the shape text in NumPy's error messages, e.g. `(4,3)`,
/// `(3,)` and `()`.
public enum Shape {
  /// NumPy's text for a shape in error messages: `(4,3)`, `(3,)`, `()` (no spaces).
  public static func text(_ shape: [Int]) -> String {
    switch shape.count {
    case 0: return "()"
    case 1: return "(\(shape[0]),)"
    default: return "(" + shape.map(String.init).joined(separator: ",") + ")"
    }
  }

  /// The broadcast shape of two shapes (numpy.broadcast_shapes): axes are aligned on the
  /// right, and an axis of extent 1 stretches to the other's extent.
  ///
  /// - Throws: `ArrayError` "operands could not be broadcast together with shapes (4,3) (5,) ".
  public static func broadcast(_ a: [Int], _ b: [Int]) throws(ArrayError) -> [Int] {
    // The result is one of the operands' own shape arrays when it can be (no allocation).
    if a == b || covers(a, b) { return a }
    if covers(b, a) { return b }
    guard let shape = broadcastIfPossible(a, b) else { throw .notBroadcastable([a, b]) }
    try checkBudget(shape)
    return shape
  }

  /// The most elements one array result may have (the interpreter's budget, 50 million).
  public static let elementBudget = 50_000_000

  /// Refuses a result shape of more elements than `elementBudget`, before it is allocated
  /// (a broadcast such as `(10**5, 1) * (1, 10**5)` or a product of two such matrices).
  public static func checkBudget(_ shape: [Int]) throws(ArrayError) {
    if shape.contains(0) { return }  // no elements, whatever the other extents
    var count = 1
    for extent in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      if overflow || product > elementBudget { throw .overBudget(shape) }
      count = product
    }
  }

  /// Whether `b` broadcasts to `a` unchanged (so that the broadcast shape is `a`).
  static func covers(_ a: [Int], _ b: [Int]) -> Bool {
    guard b.count <= a.count else { return false }
    let lead = a.count - b.count
    for axis in 0..<b.count where b[axis] != 1 && b[axis] != a[lead + axis] { return false }
    return true
  }

  /// The broadcast shape of two shapes, or `nil` when NumPy would reject them.
  public static func broadcastIfCompatible(_ a: [Int], _ b: [Int]) -> [Int]? {
    broadcastIfPossible(a, b)
  }

  /// The broadcast shape of two shapes, or `nil` when NumPy would reject them.
  static func broadcastIfPossible(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
      let x = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
      let y = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
      if x == y || y == 1 {
        result[axis] = x
      } else if x == 1 {
        result[axis] = y
      } else {
        return nil
      }
    }
    return result
  }

  /// C-order (row-major) element strides of a shape.
  static func strides(_ shape: [Int]) -> [Int] {
    // Array literals for the usual ranks: the standard library's general array allocation
    // looks up its storage class's generic metadata at run time (hundreds of instructions);
    // a literal's is cached.
    switch shape.count {
    case 0: return []
    case 1: return [1]
    case 2: return [shape[1], 1]
    case 3: return [shape[1] * shape[2], shape[2], 1]
    default: break
    }
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    var axis = shape.count - 1
    while axis >= 0 {
      strides[axis] = step
      step *= shape[axis]
      axis -= 1
    }
    return strides
  }

  /// Strides that read an array of `shape` as if it had the broadcast shape `target`:
  /// 0 on the stretched and the prepended axes.
  static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = strides(shape)
    let offset = target.count - shape.count
    return (0..<target.count).map { axis in
      axis < offset || shape[axis - offset] == 1 ? 0 : own[axis - offset]
    }
  }
}
