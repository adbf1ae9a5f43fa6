import NumPyKit
import Testing

/// The seed notebook's 3-4-3-1 ReLU net, replayed with NDArray from NumPy's initial weights,
/// must give every intermediate of every epoch bit for bit (seed-notebook.json).
@Suite("Seed notebook replay")
struct SeedNotebookReplayTests {
  /// The notebook's parameters, updated in place as its `update_param` does with `-=`.
  struct Parameters {
    var w1, b1, w2, b2, w3, b3: NDArray
  }

  // The notebook's functions, transcribed line by line.

  static func relu(_ a: NDArray) -> NDArray {
    NDArray.maximum(0, a)
  }

  static func forward(_ x: NDArray, _ p: Parameters) throws -> [String: NDArray] {
    let z1 = try NDArray.dot(p.w1, x) + p.b1
    let h1 = relu(z1)
    let z2 = try NDArray.dot(p.w2, h1) + p.b2
    let h2 = relu(z2)
    let yPred = try NDArray.dot(p.w3, h2) + p.b3
    return ["Z1": z1, "H1": h1, "Z2": z2, "H2": h2, "y_pred": yPred]
  }

  /// The w1 gradient line, broadcasting accident included.
  static func w1Gradient(
    yDiff: NDArray, w3: NDArray, z2: NDArray, w2: NDArray, z1: NDArray, x: NDArray
  ) throws -> NDArray {
    try yDiff * w3 * (z2 > 0) * w2.T * (z1.reshaped(4, 1) > 0) * x
  }

  static func backward(
    _ v: [String: NDArray], yTrue: NDArray, x: NDArray, _ p: Parameters
  ) throws -> [String: NDArray] {
    let yPred = try #require(v["y_pred"])
    let h1 = try #require(v["H1"])
    let h2 = try #require(v["H2"])
    let z1 = try #require(v["Z1"])
    let z2 = try #require(v["Z2"])
    let yDiff = try yPred - yTrue
    let b3grad = yDiff
    let w3grad = try yDiff * h2
    var b2grad = try yDiff * p.w3 * (z2 > 0)
    let w2grad = NDArray.outer(b2grad, h1)
    var b1grad = try yDiff * NDArray.dot(p.w3 * (z2 > 0), p.w2) * (z1 > 0)
    let w1grad = try w1Gradient(yDiff: yDiff, w3: p.w3, z2: z2, w2: p.w2, z1: z1, x: x)
    b1grad = b1grad.flatten()
    b2grad = b2grad.flatten()
    return [
      "B3_grad": b3grad, "W3_grad": w3grad, "B2_grad": b2grad, "W2_grad": w2grad,
      "B1_grad": b1grad, "W1_grad": w1grad,
    ]
  }

  static func update(_ lr: Double, _ p: inout Parameters, _ g: [String: NDArray]) throws {
    try p.w1 -= lr * #require(g["W1_grad"])
    try p.w2 -= lr * #require(g["W2_grad"])
    try p.w3 -= lr * #require(g["W3_grad"])
    try p.b1 -= lr * #require(g["B1_grad"])
    try p.b2 -= lr * #require(g["B2_grad"])
    try p.b3 -= lr * #require(g["B3_grad"])
  }

  static func initial() throws -> (Parameters, x: NDArray, yTrue: NDArray, lr: Double) {
    let file = try SeedNotebookFile.load()
    func load(_ name: String) throws -> NDArray { try #require(file.initial[name]).array() }
    let p = Parameters(
      w1: try load("W1"), b1: try load("B1"), w2: try load("W2"), b2: try load("B2"),
      w3: try load("W3"), b3: try load("B3"))
    let lr = Double(bitPattern: try #require(UInt64(file.lr, radix: 16)))
    return (p, try load("X"), try load("y_true"), lr)
  }

  @Test("ten epochs match NumPy bit for bit, every intermediate")
  func tenEpochs() throws {
    let file = try SeedNotebookFile.load()
    #expect(file.numpy == NumPyKit.referenceNumPyVersion)
    #expect(file.epochs.count == 10)
    var (p, x, yTrue, lr) = try Self.initial()
    for (epoch, expected) in file.epochs.enumerated() {
      var values = try Self.forward(x, p)
      let yPred = try #require(values["y_pred"])
      values["loss"] = try (yTrue - yPred).squared() / 2
      let grads = try Self.backward(values, yTrue: yTrue, x: x, p)
      values.merge(grads) { a, _ in a }
      try Self.update(lr, &p, grads)
      values.merge(
        ["W1": p.w1, "W2": p.w2, "W3": p.w3, "B1": p.b1, "B2": p.b2, "B3": p.b3]
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

  @Test("the w1 gradient broadcasts (1,3)·(3,)·(4,3)·(4,1)·(3,) to (4,3) by NumPy's rules")
  func w1GradientBroadcasts() throws {
    let (p, x, yTrue, _) = try Self.initial()
    let v = try Self.forward(x, p)
    let yDiff = try #require(v["y_pred"]) - yTrue
    let z1 = try #require(v["Z1"])
    let z2 = try #require(v["Z2"])
    let g = try Self.w1Gradient(yDiff: yDiff, w3: p.w3, z2: z2, w2: p.w2, z1: z1, x: x)
    #expect(g.shape == [4, 3])
    // The shape comes from the generic rule, step by step.
    #expect(try Shape.broadcast([1], [1, 3]) == [1, 3])
    #expect(try Shape.broadcast([1, 3], [3]) == [1, 3])
    #expect(try Shape.broadcast([1, 3], [4, 3]) == [4, 3])
    #expect(try Shape.broadcast([4, 3], [4, 1]) == [4, 3])
    #expect(try Shape.broadcast([4, 3], [3]) == [4, 3])
  }

  @Test("with an input of width 2 the w1 gradient line fails with NumPy's message")
  func w1GradientRejectsOtherWidths() throws {
    let x = NDArray([1.5, -2.0])
    let w1 = try #require(NDArray(shape: [4, 2], scalars: (0..<8).map { Double($0) - 3.5 }))
    let (p, _, yTrue, _) = try Self.initial()
    var q = p
    q.w1 = w1
    let v = try Self.forward(x, q)
    let yDiff = try #require(v["y_pred"]) - yTrue
    #expect(throws: ArrayError("operands could not be broadcast together with shapes (4,3) (2,) "))
    {
      try Self.w1Gradient(
        yDiff: yDiff, w3: q.w3, z2: try #require(v["Z2"]), w2: q.w2,
        z1: try #require(v["Z1"]), x: x)
    }
  }
}
