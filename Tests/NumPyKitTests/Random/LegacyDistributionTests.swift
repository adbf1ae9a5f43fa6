import Foundation
import Testing

@testable import NumPyKit

extension RandomTests {
  /// RandomState's exponential, gamma, beta, Poisson and binomial draws, dtype-aware randint,
  /// random_integers and get_state/set_state, replayed from
  /// Fixtures/numpy/random/legacy-distributions.json (Scripts/fixtures/random.py).
  @Suite("RandomState distributions against NumPy")
  struct LegacyDistributionTests {
    /// Replays one step; `states` collects what NumPy's `get_state` steps reported.
    static func replay(
      _ step: RandomStep, on state: inout RandomState, states: inout [FixtureState]
    ) throws(RandomError) -> StepResult? {
      let params = step.params ?? [:]
      func double(_ name: String, _ fallback: Double) -> RandomParameter<Double> {
        params[name]?.doubles ?? .scalar(fallback)
      }
      switch step.op {
      case "standard_exponential":
        return shaped(try state.standardExponential(size: step.shape))
      case "exponential":
        return shaped(try state.exponential(scale: double("scale", 1), size: step.shape))
      case "standard_gamma":
        return shaped(try state.standardGamma(shape: double("shape", .nan), size: step.shape))
      case "gamma":
        return shaped(
          try state.gamma(
            shape: double("shape", .nan), scale: double("scale", 1), size: step.shape))
      case "beta":
        return shaped(
          try state.beta(a: double("a", .nan), b: double("b", .nan), size: step.shape))
      case "poisson":
        return shaped(try state.poisson(lam: double("lam", 1), size: step.shape))
      case "binomial":
        let n = params["n"]?.integers ?? .scalar(0)
        return shaped(try state.binomial(n: n, p: double("p", .nan), size: step.shape))
      case "randint_dtype":
        let dtype = try dtypeNamed(step.dtype)
        let values = try state.randint(
          step.low?.wide ?? 0, step.high?.wide, dtype: dtype, shape: step.size)
        return .shapedIntegers(step.size, values)
      case "random_integers":
        let values = try state.randomIntegers(
          step.low?.wide ?? 0, step.high?.wide, shape: step.size)
        return .shapedIntegers(step.size, values)
      case "get_state":
        let current = state.legacyState
        if let expected = step.state {
          #expect(current.key == expected.key, "get_state key")
          #expect(current.position == expected.pos, "get_state pos")
          #expect(current.hasGauss == (expected.hasGauss != 0), "get_state has_gauss")
          #expect(current.gauss.bitPattern == Double(expected.gauss)?.bitPattern, "gauss")
          states.append(expected)
        } else {
          Issue.record("get_state step without NumPy's state")
        }
        return nil
      case "set_state":
        guard let index = step.from, index < states.count else {
          Issue.record("set_state from an unknown state")
          return nil
        }
        let saved = states[index]
        let hasGauss = (step.hasGauss ?? saved.hasGauss) != 0
        let gauss = Double(step.gauss ?? saved.gauss) ?? .nan
        guard
          let restored = RandomState(
            key: saved.key, position: saved.pos, hasGauss: hasGauss, gauss: gauss)
        else {
          Issue.record("set_state refused NumPy's state")
          return nil
        }
        state = restored
        return nil
      default:
        return try RandomStateTests.replay(step, on: &state)
      }
    }

    static func shaped(_ draws: RandomDraws<Double>) -> StepResult {
      .shapedDoubles(draws.shape, draws.values)
    }

    static func shaped(_ draws: RandomDraws<Int64>) -> StepResult {
      .shapedIntegers(draws.shape, draws.values)
    }

    static func dtypeNamed(_ name: String?) throws(RandomError) -> DType {
      guard let name, let dtype = DType(rawValue: name) else {
        throw RandomError(.typeError, "fixture dtype \(name ?? "nil")")
      }
      return dtype
    }

    @Test(arguments: RandomFixture.distributionCaseNames("legacy-distributions.json"))
    func recordedSequence(name: String) throws {
      let recorded = try RandomFixture.namedDistributionCase("legacy-distributions.json", name)
      var state = try RandomState(seed: 0)
      var states: [FixtureState] = []
      for (index, step) in recorded.steps.enumerated() {
        RandomFixture.check(step, "\(name) step \(index)") { () throws(RandomError) in
          try Self.replay(step, on: &state, states: &states)
        }
      }
    }

    @Test func fixturesComeFromTheReferenceNumPy() throws {
      let file = try RandomFixture.distributionCases("legacy-distributions.json")
      #expect(file.numpy == NumPyKit.referenceNumPyVersion)
      #expect(try RandomFixture.distributionStreams().numpy == NumPyKit.referenceNumPyVersion)
    }

    /// Long streams (20,000 draws) reach the rare branches: PTRS's slow acceptance, BTPE's
    /// steps 30 to 52, gamma's second test.
    @Test(arguments: RandomFixture.streamLabels("RandomState"))
    func longStream(label: String) throws {
      let stream = try RandomFixture.stream(labelled: label)
      var state = try RandomState(seed: stream.seed)
      let size = [try RandomFixture.distributionStreams().count]
      let p = stream.params
      let result: StepResult
      switch stream.op {
      case "standard_exponential":
        result = Self.shaped(try state.standardExponential(size: size))
      case "gamma":
        result = Self.shaped(
          try state.gamma(
            shape: try #require(p["shape"]).doubles, scale: try #require(p["scale"]).doubles,
            size: size))
      case "beta":
        result = Self.shaped(
          try state.beta(
            a: try #require(p["a"]).doubles, b: try #require(p["b"]).doubles, size: size))
      case "poisson":
        result = Self.shaped(try state.poisson(lam: try #require(p["lam"]).doubles, size: size))
      case "binomial":
        result = Self.shaped(
          try state.binomial(
            n: try #require(p["n"]).integers, p: try #require(p["p"]).doubles, size: size))
      default:
        Issue.record("unknown stream \(stream.op)")
        return
      }
      RandomFixture.checkStream(stream, result, label)
    }
  }
}

extension RandomFixture {
  /// `api op params` labels of the long distribution streams of one API.
  static func streamLabels(_ api: String) -> [String] {
    ((try? distributionStreams().streams) ?? []).filter { $0.api == api }.map(label)
  }

  static func label(_ stream: DistributionStream) -> String {
    let params = stream.params.keys.sorted().map { key in
      let parameter = stream.params[key]
      let value = parameter?.scalar.flatMap(Double.init).map { "\($0)" } ?? parameter?.int ?? "?"
      return "\(key)=\(value)"
    }
    return ([stream.api, stream.op] + params).joined(separator: " ")
  }

  static func stream(labelled label: String) throws -> DistributionStream {
    try #require(try distributionStreams().streams.first { Self.label($0) == label })
  }

  /// Compares a long stream element by element, reporting the first difference.
  static func checkStream(
    _ stream: DistributionStream, _ result: StepResult, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let actual: [UInt64]
    let expected: [UInt64]
    switch result {
    case .shapedDoubles(_, let values):
      actual = bitPatterns(values)
      expected = bitPatterns(stream.f64 ?? [])
    case .shapedIntegers(_, let values):
      actual = values.map { UInt64(bitPattern: $0) }
      expected = wrapped(stream.i64 ?? []).map { UInt64(bitPattern: $0) }
    default:
      Issue.record("\(label): unexpected result", sourceLocation: sourceLocation)
      return
    }
    #expect(actual.count == expected.count, "\(label) count", sourceLocation: sourceLocation)
    let firstMismatch = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?
      .offset
    #expect(
      firstMismatch == nil, "\(label) differs at \(firstMismatch ?? -1)",
      sourceLocation: sourceLocation)
  }
}
