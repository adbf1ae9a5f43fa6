import NumPyKit
import Testing

/// The seed notebook's 3-4-3-1 ReLU net, replayed with NDArray from NumPy's initial weights,
/// must give every intermediate of every epoch bit for bit (seed-notebook.json).
@Suite("Seed notebook replay")
struct SeedNotebookReplayTests {
  /// The notebook's parameters, updated in place as its `update_param` does with `-=`.
  struct Parameters {
    var W1, B1, W2, B2, W3, B3: NDArray
  }

  // The notebook's functions, transcribed line by line.

  static func relu(_ a: NDArray) -> NDArray {
    NDArray.maximum(0, a)
  }

  static func forward(_ X: NDArray, _ p: Parameters) throws -> [String: NDArray] {
    let Z1 = try NDArray.dot(p.W1, X) + p.B1
    let H1 = relu(Z1)
    let Z2 = try NDArray.dot(p.W2, H1) + p.B2
    let H2 = relu(Z2)
    let yPred = try NDArray.dot(p.W3, H2) + p.B3
    return ["Z1": Z1, "H1": H1, "Z2": Z2, "H2": H2, "y_pred": yPred]
  }

  /// The W1 gradient line, broadcasting accident included.
  static func w1Gradient(
    yDiff: NDArray, W3: NDArray, Z2: NDArray, W2: NDArray, Z1: NDArray, X: NDArray
  ) throws -> NDArray {
    try yDiff * W3 * (Z2 > 0) * W2.T * (Z1.reshaped(4, 1) > 0) * X
  }

  static func backward(
    _ v: [String: NDArray], yTrue: NDArray, X: NDArray, _ p: Parameters
  ) throws -> [String: NDArray] {
    let yPred = try #require(v["y_pred"])
    let H1 = try #require(v["H1"])
    let H2 = try #require(v["H2"])
    let Z1 = try #require(v["Z1"])
    let Z2 = try #require(v["Z2"])
    let yDiff = try yPred - yTrue
    let B3grad = yDiff
    let W3grad = try yDiff * H2
    var B2grad = try yDiff * p.W3 * (Z2 > 0)
    let W2grad = NDArray.outer(B2grad, H1)
    var B1grad = try yDiff * NDArray.dot(p.W3 * (Z2 > 0), p.W2) * (Z1 > 0)
    let W1grad = try w1Gradient(yDiff: yDiff, W3: p.W3, Z2: Z2, W2: p.W2, Z1: Z1, X: X)
    B1grad = B1grad.flatten()
    B2grad = B2grad.flatten()
    return [
      "B3_grad": B3grad, "W3_grad": W3grad, "B2_grad": B2grad, "W2_grad": W2grad,
      "B1_grad": B1grad, "W1_grad": W1grad,
    ]
  }

  static func update(_ lr: Double, _ p: inout Parameters, _ g: [String: NDArray]) throws {
    try p.W1 -= lr * #require(g["W1_grad"])
    try p.W2 -= lr * #require(g["W2_grad"])
    try p.W3 -= lr * #require(g["W3_grad"])
    try p.B1 -= lr * #require(g["B1_grad"])
    try p.B2 -= lr * #require(g["B2_grad"])
    try p.B3 -= lr * #require(g["B3_grad"])
  }

  static func initial() throws -> (Parameters, X: NDArray, yTrue: NDArray, lr: Double) {
    let file = try SeedNotebookFile.load()
    func load(_ name: String) throws -> NDArray { try #require(file.initial[name]).array() }
    let p = Parameters(
      W1: try load("W1"), B1: try load("B1"), W2: try load("W2"), B2: try load("B2"),
      W3: try load("W3"), B3: try load("B3"))
    let lr = Double(bitPattern: try #require(UInt64(file.lr, radix: 16)))
    return (p, try load("X"), try load("y_true"), lr)
  }

  @Test("ten epochs match NumPy bit for bit, every intermediate")
  func tenEpochs() throws {
    let file = try SeedNotebookFile.load()
    #expect(file.numpy == NumPyKit.referenceNumPyVersion)
    #expect(file.epochs.count == 10)
    var (p, X, yTrue, lr) = try Self.initial()
    for (epoch, expected) in file.epochs.enumerated() {
      var values = try Self.forward(X, p)
      let yPred = try #require(values["y_pred"])
      values["loss"] = try (yTrue - yPred).squared() / 2
      let grads = try Self.backward(values, yTrue: yTrue, X: X, p)
      values.merge(grads) { a, _ in a }
      try Self.update(lr, &p, grads)
      values.merge(
        ["W1": p.W1, "W2": p.W2, "W3": p.W3, "B1": p.B1, "B2": p.B2, "B3": p.B3]
      ) { a, _ in a }
      #expect(Set(values.keys) == Set(expected.keys))
      for (name, want) in expected.sorted(by: { $0.key < $1.key }) {
        let got = try #require(values[name], "epoch \(epoch): \(name) not computed")
        #expect(got.shape == want.shape, "epoch \(epoch): \(name) shape")
        #expect(got.dtypeName == want.dtype, "epoch \(epoch): \(name) dtype")
        #expect(got.bitStrings == want.bits, "epoch \(epoch): \(name) bits")
      }
    }
  }

  @Test("the W1 gradient broadcasts (1,3)·(3,)·(4,3)·(4,1)·(3,) to (4,3) by NumPy's rules")
  func w1GradientBroadcasts() throws {
    let (p, X, yTrue, _) = try Self.initial()
    let v = try Self.forward(X, p)
    let yDiff = try #require(v["y_pred"]) - yTrue
    let Z1 = try #require(v["Z1"])
    let Z2 = try #require(v["Z2"])
    let g = try Self.w1Gradient(yDiff: yDiff, W3: p.W3, Z2: Z2, W2: p.W2, Z1: Z1, X: X)
    #expect(g.shape == [4, 3])
    // The shape comes from the generic rule, step by step.
    #expect(try Shape.broadcast([1], [1, 3]) == [1, 3])
    #expect(try Shape.broadcast([1, 3], [3]) == [1, 3])
    #expect(try Shape.broadcast([1, 3], [4, 3]) == [4, 3])
    #expect(try Shape.broadcast([4, 3], [4, 1]) == [4, 3])
    #expect(try Shape.broadcast([4, 3], [3]) == [4, 3])
  }

  @Test("with an input of width 2 the W1 gradient line fails with NumPy's message")
  func w1GradientRejectsOtherWidths() throws {
    let X = NDArray([1.5, -2.0])
    let W1 = try #require(NDArray(shape: [4, 2], scalars: (0..<8).map { Double($0) - 3.5 }))
    let (p, _, yTrue, _) = try Self.initial()
    var q = p
    q.W1 = W1
    let v = try Self.forward(X, q)
    let yDiff = try #require(v["y_pred"]) - yTrue
    #expect(throws: ArrayError("operands could not be broadcast together with shapes (4,3) (2,) "))
    {
      try Self.w1Gradient(
        yDiff: yDiff, W3: q.W3, Z2: try #require(v["Z2"]), W2: q.W2,
        Z1: try #require(v["Z1"]), X: X)
    }
  }
}
