extension DType {
  /// NumPy's result type of an arithmetic ufunc on two arrays (numpy.result_type):
  /// bool < int64 < float64.
  public static func promoted(_ a: DType, _ b: DType) -> DType {
    if a == .float64 || b == .float64 { return .float64 }
    if a == .int64 || b == .int64 { return .int64 }
    return .bool
  }

  /// The `dtype(...)` spelling NumPy uses in its casting messages.
  var numpyName: String {
    switch self {
    case .float64: return "dtype('float64')"
    case .bool: return "dtype('bool')"
    case .int64: return "dtype('int64')"
    }
  }

  /// Whether NumPy's 'same_kind' casting allows storing `self` into an array of `target`.
  func canCastSameKind(to target: DType) -> Bool {
    switch (self, target) {
    case (.bool, _), (.int64, .int64), (.int64, .float64), (.float64, .float64): return true
    default: return false
    }
  }
}
