import Foundation
import Testing

@testable import NumPyKit

extension RandomTests {
  /// Generator's exponential, gamma, beta, Poisson and binomial draws, dtype-aware integers,
  /// permuted, and default_rng seeded by lists and SeedSequences, replayed from
  /// Fixtures/numpy/random/generator-distributions.json (Scripts/fixtures/random.py).
  @Suite("Generator distributions against NumPy")
  struct GeneratorDistributionTests {
    /// Replays one step on `generator`.
    static func replay(_ step: RandomStep, on generator: inout Generator) throws(RandomError)
      -> StepResult?
    {
      let params = step.params ?? [:]
      func double(_ name: String, _ fallback: Double) -> RandomParameter<Double> {
        params[name]?.doubles ?? .scalar(fallback)
      }
      typealias Legacy = LegacyDistributionTests
      switch step.op {
      case "standard_exponential":
        return Legacy.shaped(
          try generator.standardExponential(size: step.shape, inversion: step.method == "inv"))
      case "exponential":
        return Legacy.shaped(try generator.exponential(scale: double("scale", 1), size: step.shape))
      case "standard_gamma":
        return Legacy.shaped(
          try generator.standardGamma(shape: double("shape", .nan), size: step.shape))
      case "gamma":
        return Legacy.shaped(
          try generator.gamma(
            shape: double("shape", .nan), scale: double("scale", 1), size: step.shape))
      case "beta":
        return Legacy.shaped(
          try generator.beta(a: double("a", .nan), b: double("b", .nan), size: step.shape))
      case "poisson":
        return Legacy.shaped(try generator.poisson(lam: double("lam", 1), size: step.shape))
      case "binomial":
        let n = params["n"]?.integers ?? .scalar(0)
        return Legacy.shaped(try generator.binomial(n: n, p: double("p", .nan), size: step.shape))
      case "integers_dtype":
        let dtype = try Legacy.dtypeNamed(step.dtype)
        let values = try generator.integers(
          step.low?.wide ?? 0, step.high?.wide, dtype: dtype, shape: step.size,
          endpoint: step.endpoint ?? false)
        return .shapedIntegers(step.size, values)
      case "permuted":
        let (elements, shape, fortran) = permutedInput(step)
        let values = try generator.permuted(
          elements, shape: shape, axis: step.axis, fortranOrder: fortran)
        return .shapedIntegers(shape, values)
      default:
        return try GeneratorTests.replay(step, on: &generator)
      }
    }

    /// `np.arange(prod(dims)).reshape(dims)`, transposed when asked: its C-order elements,
    /// its shape, and whether NumPy's order-K copy of it is Fortran-ordered (a transposed
    /// array of two or more non-trivial axes is).
    static func permutedInput(_ step: RandomStep) -> ([Int64], [Int], Bool) {
      let dims = step.dims ?? []
      let count = dims.reduce(1, *)
      guard step.transpose == true, dims.count == 2 else {
        return ((0..<Int64(count)).map { $0 }, dims, false)
      }
      let (rows, columns) = (dims[0], dims[1])
      var elements: [Int64] = []
      for j in 0..<columns {
        for i in 0..<rows { elements.append(Int64(i * columns + j)) }
      }
      return (elements, [columns, rows], rows > 1 && columns > 1)
    }

    static func generator(for recorded: RandomCase) throws -> Generator {
      switch recorded.seedSequence {
      case .integer(let value)?:
        return Generator(bitGenerator: PCG64(seedSequence: try SeedSequence(value)))
      case .list(let words)?:
        return Generator(bitGenerator: PCG64(seedSequence: SeedSequence(sequence: words)))
      case nil:
        break
      }
      if let entropy = recorded.entropy { return Generator(seedSequence: entropy) }
      return try Generator(seed: try #require(recorded.seed))
    }

    @Test(arguments: RandomFixture.distributionCaseNames("generator-distributions.json"))
    func recordedSequence(name: String) throws {
      let recorded = try RandomFixture.namedDistributionCase("generator-distributions.json", name)
      var generator = try Self.generator(for: recorded)
      for (index, step) in recorded.steps.enumerated() {
        RandomFixture.check(step, "\(name) step \(index)") { () throws(RandomError) in
          try Self.replay(step, on: &generator)
        }
      }
    }

    @Test func fixturesComeFromTheReferenceNumPy() throws {
      let file = try RandomFixture.distributionCases("generator-distributions.json")
      #expect(file.numpy == NumPyKit.referenceNumPyVersion)
    }

    @Test(arguments: RandomFixture.streamLabels("Generator"))
    func longStream(label: String) throws {
      let stream = try RandomFixture.stream(labelled: label)
      var generator = try Generator(seed: stream.seed)
      let size = [try RandomFixture.distributionStreams().count]
      let p = stream.params
      typealias Legacy = LegacyDistributionTests
      let result: StepResult
      switch stream.op {
      case "standard_exponential":
        result = Legacy.shaped(try generator.standardExponential(size: size))
      case "gamma":
        result = Legacy.shaped(
          try generator.gamma(
            shape: try #require(p["shape"]).doubles, scale: try #require(p["scale"]).doubles,
            size: size))
      case "beta":
        result = Legacy.shaped(
          try generator.beta(
            a: try #require(p["a"]).doubles, b: try #require(p["b"]).doubles, size: size))
      case "poisson":
        result = Legacy.shaped(
          try generator.poisson(lam: try #require(p["lam"]).doubles, size: size))
      case "binomial":
        result = Legacy.shaped(
          try generator.binomial(
            n: try #require(p["n"]).integers, p: try #require(p["p"]).doubles, size: size))
      default:
        Issue.record("unknown stream \(stream.op)")
        return
      }
      RandomFixture.checkStream(stream, result, label)
    }

    @Test func exponentialTablesMatchTheirDocumentedEnds() {
      #expect(ExponentialZiggurat.ke.count == 256 && ExponentialZiggurat.we.count == 256)
      #expect(ExponentialZiggurat.fe.count == 256 && ExponentialZiggurat.fe[0] == 1.0)
      #expect(ExponentialZiggurat.ke[0] == 0x001C_5214_2724_97C6 && ExponentialZiggurat.ke[1] == 0)
    }
  }
}
