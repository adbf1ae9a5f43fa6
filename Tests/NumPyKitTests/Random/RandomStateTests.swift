import Foundation
import Testing

@testable import NumPyKit

extension RandomTests {
  @Suite("RandomState (np.random legacy) against NumPy")
  struct RandomStateTests {
    /// Replays one recorded step on `state`.
    static func replay(_ step: RandomStep, on state: inout RandomState) throws(RandomError)
      -> StepResult?
    {
      switch step.op {
      case "seed":
        if let seed = step.seed {
          try state.seed(seed)
        } else {
          try state.seed(array: step.array ?? [])
        }
        return nil
      case "next32":
        // Raw draws leave the Gaussian cache alone, as NumPy's `random_raw` does.
        let words = (0..<(step.count ?? 0)).map { _ in UInt64(state.bitGenerator.next32()) }
        return .words(words)
      case "random_sample", "rand":
        return .doubles(try state.randomSample(step.size))
      case "randn", "standard_normal":
        return .doubles(try state.standardNormal(step.size))
      case "normal":
        let loc = step.loc?.real ?? .nan
        let scale = step.scale?.real ?? .nan
        return .doubles(try state.normal(loc: loc, scale: scale, shape: step.size))
      case "uniform":
        let low = step.low?.real ?? .nan
        let high = step.high?.real ?? .nan
        return .doubles(try state.uniform(low: low, high: high, shape: step.size))
      case "randint":
        let low = step.low?.integer ?? 0
        return .integers(try state.randint(low, step.high?.integer, shape: step.size))
      case "shuffle":
        var values = (0..<Int64(step.n ?? 0)).map { $0 }
        state.shuffle(&values)
        return .integers(values)
      case "permutation":
        return .integers(state.permutation(step.n ?? 0))
      case "choice":
        let indices = try state.choice(
          step.a ?? 0, shape: step.size, replace: step.replace ?? true, p: step.probabilities)
        return .integers(indices)
      default:
        Issue.record("unknown op \(step.op)")
        return nil
      }
    }

    @Test(arguments: RandomFixture.caseNames("legacy.json"))
    func recordedSequence(name: String) throws {
      let recorded = try RandomFixture.namedCase("legacy.json", name)
      var state = try RandomState(seed: 0)
      for (index, step) in recorded.steps.enumerated() {
        RandomFixture.check(step, "\(name) step \(index)") { () throws(RandomError) in
          try Self.replay(step, on: &state)
        }
      }
    }

    @Test func fixturesComeFromTheReferenceNumPy() throws {
      #expect(try RandomFixture.cases("legacy.json").numpy == NumPyKit.referenceNumPyVersion)
    }

    @Test(arguments: [0, 1, 2])
    func longStream(index: Int) throws {
      let file = try RandomFixture.streams()
      let stream = try #require(
        file.streams.filter { $0.generator == "RandomState" }.dropFirst(index).first)
      var state = try RandomState(seed: stream.seed)
      let values =
        stream.op == "randn"
        ? try state.randn(shape: [file.count]) : try state.randomSample([file.count])
      let expected = RandomFixture.bitPatterns(stream.f64)
      let actual = RandomFixture.bitPatterns(values)
      let firstMismatch = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?
        .offset
      #expect(actual.count == expected.count)
      #expect(
        firstMismatch == nil, "seed \(stream.seed) \(stream.op) differs at \(firstMismatch ?? -1)")
    }

    @Test func longUniformStream() throws {
      let file = try RandomFixture.streams()
      let stream = try #require(file.streams.first { $0.op == "random_sample" })
      var state = try RandomState(seed: stream.seed)
      let values = try state.randomSample([file.count])
      #expect(RandomFixture.bitPatterns(values) == RandomFixture.bitPatterns(stream.f64))
    }

    /// The reference document's vectors (numpy-bit-exact.md, A.8).
    @Test func referenceVectors() throws {
      var state = try RandomState(seed: 0)
      #expect(
        try state.randn(3).map(\.bitPattern)
          == ["0x1.c398ef3e5cfa5p+0", "0x1.99c2cfacc8953p-2", "0x1.f51d25222c9abp-1"]
          .compactMap { Double($0)?.bitPattern })
      try state.seed(0)
      #expect(try state.randint(10, shape: [10]) == [5, 0, 3, 3, 7, 9, 3, 5, 2, 4])
      try state.seed(0)
      #expect(
        try state.randint(0, 1 << 40, shape: [3]) == [
          741_280_623_151, 506_137_267_392, 291_447_657_211,
        ])
      try state.seed(0)
      #expect(state.permutation(10) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5])
      try state.seed(42)
      #expect(try state.randint(0, 100, shape: [5]) == [51, 92, 14, 71, 60])
    }

    @Test func gaussCacheIsResetBySeedAndKeptByOtherMethods() throws {
      var state = try RandomState(seed: 0)
      let first = state.nextStandardNormal()
      #expect(state.hasGauss)
      _ = state.nextDouble()
      let second = state.nextStandardNormal()
      #expect(!state.hasGauss)
      #expect(second.bitPattern == Double("0x1.99c2cfacc8953p-2")?.bitPattern)
      #expect(first.bitPattern == Double("0x1.c398ef3e5cfa5p+0")?.bitPattern)
      _ = state.nextStandardNormal()
      try state.seed(0)
      #expect(!state.hasGauss && state.gauss == 0)
    }

    /// NumPy's stream does not depend on how draws are split into calls (the cache carries
    /// the odd value), so any split across the batch size must give the same values.
    @Test(arguments: [[1, 255, 256, 257, 3, 228], [127, 129, 1, 1, 742], [999, 1]])
    func splitCallsGiveTheSameStream(sizes: [Int]) throws {
      var whole = try RandomState(seed: 2024)
      var split = try RandomState(seed: 2024)
      let expected = try whole.randn(1000)
      let actual = try sizes.flatMap { try split.randn($0) }
      #expect(actual.map(\.bitPattern) == expected.map(\.bitPattern))
      #expect(split == whole)
    }

    @Test func choiceFromArrayUsesTheDrawnIndices() throws {
      var a = try RandomState(seed: 42)
      var b = try RandomState(seed: 42)
      let letters = ["a", "b", "c", "d", "e"]
      let picked = try a.choice(from: letters, shape: [6])
      let indices = try b.choice(5, shape: [6])
      #expect(picked == indices.map { letters[Int($0)] })
      #expect(throws: RandomError(.valueError, "'a' cannot be empty unless no samples are taken")) {
        try a.choice(from: [String](), shape: [2])
      }
    }
  }
}
