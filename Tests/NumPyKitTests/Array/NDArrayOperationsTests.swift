import NumPyKit
import Testing

/// Every operation case NumPy produced (operations.json), compared bit for bit.
@Suite("NDArray operations against NumPy")
struct NDArrayOperationsTests {
  @Test("the fixture file loads and records the NumPy version")
  func fixtureLoads() throws {
    let file = try OperationFile.load()
    #expect(file.numpy == NumPyKit.referenceNumPyVersion)
    #expect(file.cases.count > 1000)
  }

  @Test(arguments: OperationFile.cases)
  func matchesNumPy(_ fixture: OperationCase) throws {
    let inputs = try fixture.inputs.map { try $0.array() }
    let outcome: Result<NDArray, ArrayError>
    do {
      outcome = .success(try Self.apply(fixture, inputs))
    } catch let error as ArrayError {
      outcome = .failure(error)
    }
    switch (outcome, fixture.result, fixture.error) {
    case (.success(let got), .some(let expected), _):
      #expect(got.shape == expected.shape)
      #expect(got.dtypeName == expected.dtype)
      #expect(got.bitStrings == expected.bits)
    case (.failure(let error), _, .some(let message)):
      #expect(error.message == message)
    case (.success(let got), _, .some(let message)):
      Issue.record("expected NumPy's error \"\(message)\", got shape \(got.shape)")
    case (.failure(let error), _, .none):
      Issue.record("unexpected error: \(error.message)")
    case (.success, .none, .none):
      Issue.record("the fixture case has neither a result nor an error")
    }
  }

  static func apply(_ fixture: OperationCase, _ inputs: [NDArray]) throws -> NDArray {
    let a = inputs[0]
    if let x = fixture.scalarValue {
      let left = fixture.side == "left"
      switch fixture.op {
      case "add": return left ? x + a : a + x
      case "subtract": return left ? x - a : a - x
      case "multiply": return left ? x * a : a * x
      case "divide": return left ? x / a : a / x
      case "maximum": return left ? NDArray.maximum(x, a) : NDArray.maximum(a, x)
      case "greater": return left ? a < x : a > x
      case "less": return left ? a > x : a < x
      case "greater_equal": return left ? a <= x : a >= x
      case "less_equal": return left ? a >= x : a <= x
      case "equal": return a.elementwiseEqual(x)
      default: throw FixtureError("unknown scalar op \(fixture.op)")
      }
    }
    switch fixture.op {
    case "negative": return try -a
    case "square": return a.squared()
    case "reshape": return try a.reshaped(fixture.newShape ?? [])
    case "transpose": return a.T
    case "flatten": return a.flatten()
    default: break
    }
    let b = inputs[1]
    switch fixture.op {
    case "add": return try a + b
    case "subtract": return try a - b
    case "multiply": return try a * b
    case "divide": return try a / b
    case "greater": return try a > b
    case "less": return try a < b
    case "greater_equal": return try a >= b
    case "less_equal": return try a <= b
    case "equal": return try a.elementwiseEqual(b)
    case "maximum": return try NDArray.maximum(a, b)
    case "dot": return try NDArray.dot(a, b)
    case "outer": return NDArray.outer(a, b)
    case "iadd", "isubtract", "imultiply":
      var c = a
      switch fixture.op {
      case "iadd": try c += b
      case "isubtract": try c -= b
      default: try c *= b
      }
      return c
    default: throw FixtureError("unknown op \(fixture.op)")
    }
  }
}
