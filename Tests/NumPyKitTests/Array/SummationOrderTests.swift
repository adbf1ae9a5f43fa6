import NumPyKit
import Testing

/// The summation orders of `NDArray.dot`: `.openBLAS` is NumPy's (checked case by case in
/// NDArrayOperationsTests); the others are alternatives for a noise band.
@Suite("dot summation orders")
struct SummationOrderTests {
  static let dotCases = OperationFile.cases.filter { $0.op == "dot" && $0.result != nil }

  /// How many fixture dot cases an order reproduces bit for bit, per operand ranks.
  static func agreement(_ order: SummationOrder, ranks: (Int, Int)) throws -> (Int, Int) {
    var same = 0
    var total = 0
    for fixture in dotCases {
      let a = try fixture.inputs[0].array()
      let b = try fixture.inputs[1].array()
      guard a.ndim == ranks.0, b.ndim == ranks.1, a.shape[a.ndim - 1] >= 2 else { continue }
      let expected = try #require(fixture.result)
      total += 1
      if try NDArray.dot(a, b, order: order).bitStrings == expected.bits { same += 1 }
    }
    return (same, total)
  }

  @Test("plain left-to-right summation does not reproduce NumPy's dot (OpenBLAS uses FMA)")
  func sequentialIsNotNumPy() throws {
    for ranks in [(1, 1), (2, 1), (1, 2), (2, 2)] {
      let (same, total) = try Self.agreement(.sequential, ranks: ranks)
      #expect(total > 0)
      #expect(same < total, "ranks \(ranks)")
    }
  }

  @Test("an FMA chain from 0 is NumPy's 1-d·1-d dot (OpenBLAS ddot) but not its gemv")
  func fusedMultiplyAddIsDdot() throws {
    let (same, total) = try Self.agreement(.fusedMultiplyAdd, ranks: (1, 1))
    #expect(same == total)
    let (gemvSame, gemvTotal) = try Self.agreement(.fusedMultiplyAdd, ranks: (2, 1))
    #expect(gemvSame < gemvTotal)
  }

  @Test("the openBLAS order reproduces every fixture dot")
  func openBLASReproducesAll() throws {
    for ranks in [(1, 1), (2, 1), (1, 2), (2, 2)] {
      let (same, total) = try Self.agreement(.openBLAS, ranks: ranks)
      #expect(same == total, "ranks \(ranks)")
    }
  }

  static let a = NDArray([1e16, 1.0, -1e16, 1.0])
  static let ones = NDArray([1.0, 1.0, 1.0, 1.0])

  @Test(
    "each order adds in its documented order",
    arguments: [
      (SummationOrder.sequential, 1.0),  // ((1e16 + 1) - 1e16) + 1: the first 1 is lost
      (.reversed, 0.0),  // ((1 - 1e16) + 1) + 1e16: both 1s are lost
      (.pairwise, 0.0),  // (1e16 + 1) + (-1e16 + 1): both 1s are lost
      (.fusedMultiplyAdd, 1.0),  // exact products, so as sequential
    ])
  func documentedOrder(order: SummationOrder, expected: Double) throws {
    let got = try NDArray.dot(Self.a, Self.ones, order: order)
    #expect(got.shape == [])
    #expect(got.scalars == [expected])
  }

  @Test("orders agree when every partial sum is exact", arguments: SummationOrder.allCases)
  func exactSumsAgree(order: SummationOrder) throws {
    let w = try #require(NDArray(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
    let x = NDArray([0.5, -1, 2])
    #expect(try NDArray.dot(w, x, order: order).scalars == [4.5, 9])
  }

  @Test("a matrix product computed a row at a time keeps every element's FMA chain")
  func matrixProductKeepsChains() throws {
    var state: UInt64 = 0x9e37_79b9_7f4a_7c15
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let bits = state >> 11
      // Some exact zeros and negative zeros, so that signed-zero handling is exercised too.
      switch bits % 16 {
      case 0: return 0
      case 1: return -0.0
      default: return (Double(bits) / Double(1 << 53) - 0.5) * 1e3
      }
    }
    for (n, k, m) in [(2, 2, 2), (3, 7, 5), (16, 10, 8), (31, 17, 33), (40, 40, 40), (2, 64, 3)] {
      let a = try #require(NDArray(shape: [n, k], scalars: (0..<(n * k)).map { _ in next() }))
      let b = try #require(NDArray(shape: [k, m], scalars: (0..<(k * m)).map { _ in next() }))
      let product = try NDArray.dot(a, b)
      for i in 0..<n {
        for j in 0..<m {
          let row = NDArray((0..<k).map { a.scalars[i * k + $0] })
          let column = NDArray((0..<k).map { b.scalars[$0 * m + j] })
          // OpenBLAS's gemm element: `0.0 +` an FMA chain from 0 (as its ddot).
          let chain = try NDArray.dot(row, column, order: .fusedMultiplyAdd).scalars[0]
          #expect(
            product.scalars[i * m + j].bitPattern == (0.0 + chain).bitPattern,
            "(\(n), \(k), \(m)) at [\(i), \(j)]")
        }
      }
    }
  }
}
