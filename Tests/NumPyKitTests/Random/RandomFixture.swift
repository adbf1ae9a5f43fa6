import Foundation
import Testing

@testable import NumPyKit

/// The parent of the Random suites, so `swift test --filter Random` selects all of them.
@Suite("Random (NumPy streams, bit for bit)")
enum RandomTests {}

/// One step of a recorded NumPy call sequence (Scripts/fixtures/random.py).
struct RandomStep: Decodable, Sendable {
  struct Failure: Decodable, Sendable {
    var kind: String
    var message: String
  }

  /// An integer bound, or the float.hex() text of a double bound (normal/uniform).
  enum Bound: Decodable, Sendable {
    case integer(Int64)
    case real(String)

    init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let text = try? container.decode(String.self) {
        self = .real(text)
      } else {
        self = .integer(try container.decode(Int64.self))
      }
    }

    var integer: Int64? {
      if case .integer(let value) = self { return value }
      return nil
    }

    var real: Double? {
      if case .real(let text) = self { return Double(text) }
      return nil
    }

    /// An integer bound of any width: a JSON number, or decimal text (the dtype-aware draws
    /// write their bounds as text, since 2**64 is no JSON-safe number).
    var wide: Int128? {
      switch self {
      case .integer(let value): Int128(value)
      case .real(let text): Int128(text)
      }
    }
  }

  var op: String
  var seed: Int?
  var array: [Int]?
  var count: Int?
  var shape: [Int]?
  var loc: Bound?
  var scale: Bound?
  var low: Bound?
  var high: Bound?
  var endpoint: Bool?
  var n: Int?
  var a: Int?
  var replace: Bool?
  var p: [String]?
  var f64: [String]?
  var i64: [String]?
  var u32: [String]?
  var u64: [String]?
  var error: Failure?
  /// The distribution parameters by NumPy's keyword names (distribution fixtures).
  var params: [String: FixtureParameter]?
  /// The dtype of a dtype-aware integer draw (`uint8`, ..., `bool`).
  var dtype: String?
  /// The shape of what NumPy returned (`[]` for a scalar).
  var outShape: [Int]?
  /// What `get_state` reported.
  var state: FixtureState?
  /// The index of the `get_state` step whose state `set_state` restores.
  var from: Int?
  /// `set_state`'s override of `has_gauss`.
  var hasGauss: Int?
  /// `set_state`'s override of the cached Gaussian (float.hex() text).
  var gauss: String?
  /// `standard_exponential`'s method (`inv`; absent: the ziggurat).
  var method: String?
  /// The shape of `permuted`'s `arange` input.
  var dims: [Int]?
  /// `permuted`'s axis (nil: None).
  var axis: Int?
  /// Whether `permuted` is given the transposed `arange`.
  var transpose: Bool?

  /// The shape NumPy was called with; `size=None` draws one value like `[]`.
  var size: [Int] { shape ?? [] }
  var probabilities: [Double]? { p?.map { Double($0) ?? .nan } }
}

/// A distribution parameter as the fixtures store it: a scalar or an array, of doubles
/// (float.hex() text) or integers (decimal text).
struct FixtureParameter: Decodable, Sendable {
  var scalar: String?
  var int: String?
  var array: [String]?
  var ints: [String]?
  var shape: [Int]?

  /// The parameter as a double one.
  var doubles: RandomParameter<Double> {
    if let scalar { return .scalar(Double(scalar) ?? .nan) }
    if let int { return .scalar(Double(int) ?? .nan) }
    let values = array?.map { Double($0) ?? .nan } ?? ints?.map { Double($0) ?? .nan } ?? []
    return .array(values, shape: shape ?? [values.count])
  }

  /// The parameter as an integer one (binomial's `n`).
  var integers: RandomParameter<Int64> {
    if let int { return .scalar(Int64(int) ?? .min) }
    if let scalar { return .scalar(Int64(Double(scalar) ?? .nan)) }
    let values = ints?.map { Int64($0) ?? .min } ?? []
    return .array(values, shape: shape ?? [values.count])
  }
}

/// A legacy state as `get_state()` reported it.
struct FixtureState: Decodable, Sendable {
  var key: [UInt32]
  var pos: Int
  var hasGauss: Int
  var gauss: String
}

/// The entropy of a `SeedSequence`: one integer or a list.
enum FixtureEntropy: Decodable, Sendable {
  case integer(Int)
  case list([UInt64])

  init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let value = try? container.decode(Int.self) {
      self = .integer(value)
    } else {
      self = .list(try container.decode([UInt64].self))
    }
  }
}

/// One named case: steps replayed on one state.
struct RandomCase: Decodable, Sendable {
  var name: String
  var seed: Int?
  var entropy: [UInt64]?
  var seedSequence: FixtureEntropy?
  var steps: [RandomStep]
  var error: RandomStep.Failure?
}

struct RandomCaseFile: Decodable, Sendable {
  var numpy: String
  var cases: [RandomCase]
}

struct RandomStream: Decodable, Sendable {
  var generator: String
  var seed: Int
  var op: String
  var f64: [String]
}

struct RandomStreamFile: Decodable, Sendable {
  var numpy: String
  var count: Int
  var streams: [RandomStream]
}

/// A long stream of one distribution (distribution-streams.json).
struct DistributionStream: Decodable, Sendable {
  var api: String
  var seed: Int
  var op: String
  var params: [String: FixtureParameter]
  var f64: [String]?
  var i64: [String]?
}

struct DistributionStreamFile: Decodable, Sendable {
  var numpy: String
  var count: Int
  var streams: [DistributionStream]
}

/// Loads and decodes the fixtures under Fixtures/numpy/random/.
enum RandomFixture {
  static func cases(_ file: String) throws -> RandomCaseFile {
    let data = try FixturePath.data("numpy/random/\(file)")
    return try JSONDecoder().decode(RandomCaseFile.self, from: data)
  }

  static func caseNames(_ file: String) -> [String] {
    (try? cases(file).cases.map(\.name)) ?? []
  }

  static func namedCase(_ file: String, _ name: String) throws -> RandomCase {
    try #require(try cases(file).cases.first { $0.name == name })
  }

  /// A distribution fixture (snake_case keys such as `out_shape`).
  static func distributionCases(_ file: String) throws -> RandomCaseFile {
    let data = try FixturePath.data("numpy/random/\(file)")
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(RandomCaseFile.self, from: data)
  }

  static func distributionCaseNames(_ file: String) -> [String] {
    (try? distributionCases(file).cases.map(\.name)) ?? []
  }

  static func namedDistributionCase(_ file: String, _ name: String) throws -> RandomCase {
    try #require(try distributionCases(file).cases.first { $0.name == name })
  }

  static func distributionStreams() throws -> DistributionStreamFile {
    try #require(decodedDistributionStreams, "distribution-streams.json did not decode")
  }

  /// The long streams, decoded once (4 MB of JSON).
  static let decodedDistributionStreams: DistributionStreamFile? = {
    guard let data = try? FixturePath.data("numpy/random/distribution-streams.json") else {
      return nil
    }
    return try? JSONDecoder().decode(DistributionStreamFile.self, from: data)
  }()

  /// Decimal text of any width as `StridedArray` keeps integers (uint64 as its bit
  /// pattern, bool as 0/1).
  static func wrapped(_ text: [String]) -> [Int64] {
    text.map { Int128($0).map { Int64(truncatingIfNeeded: $0) } ?? Int64.min }
  }

  static func streams() throws -> RandomStreamFile {
    let data = try FixturePath.data("numpy/random/streams.json")
    return try JSONDecoder().decode(RandomStreamFile.self, from: data)
  }

  /// The bit patterns as NumPy wrote them: 16 hex digits, no prefix.
  static func bitPatterns(_ hex: [String]) -> [UInt64] {
    hex.map { UInt64($0, radix: 16) ?? 0xdead_dead_dead_dead }
  }

  static func bitPatterns(_ values: [Double]) -> [UInt64] {
    values.map(\.bitPattern)
  }

  /// The decimal strings as Int64 values.
  static func integers(_ text: [String]) -> [Int64] {
    text.map { Int64($0) ?? Int64.min }
  }

  /// Checks a step's recorded outcome against what Swift did.
  static func check(
    _ step: RandomStep, _ context: String, _ body: () throws(RandomError) -> StepResult?,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let label = "\(context) \(step.op)"
    do throws(RandomError) {
      let result = try body()
      if let failure = step.error {
        Issue.record(
          "\(label): NumPy raised \(failure.kind): \(failure.message), Swift did not",
          sourceLocation: sourceLocation)
        return
      }
      switch result {
      case .doubles(let values)?:
        let expected = bitPatterns(step.f64 ?? [])
        #expect(bitPatterns(values) == expected, "\(label)", sourceLocation: sourceLocation)
      case .integers(let values)?:
        #expect(values == integers(step.i64 ?? []), "\(label)", sourceLocation: sourceLocation)
      case .words(let values)?:
        let expected = (step.u32 ?? step.u64 ?? []).map { UInt64($0) ?? 0 }
        #expect(values == expected, "\(label)", sourceLocation: sourceLocation)
      case .shapedDoubles(let shape, let values)?:
        #expect(shape == step.outShape, "\(label) shape", sourceLocation: sourceLocation)
        let expected = bitPatterns(step.f64 ?? [])
        #expect(bitPatterns(values) == expected, "\(label)", sourceLocation: sourceLocation)
      case .shapedIntegers(let shape, let values)?:
        #expect(shape == step.outShape, "\(label) shape", sourceLocation: sourceLocation)
        #expect(values == wrapped(step.i64 ?? []), "\(label)", sourceLocation: sourceLocation)
      case nil:
        break
      }
    } catch {
      guard let failure = step.error else {
        Issue.record(
          "\(label): Swift threw \(error), NumPy did not", sourceLocation: sourceLocation)
        return
      }
      #expect(error.kind.rawValue == failure.kind, "\(label)", sourceLocation: sourceLocation)
      #expect(error.message == failure.message, "\(label)", sourceLocation: sourceLocation)
    }
  }
}

/// What a replayed step produced.
enum StepResult {
  case doubles([Double])
  case integers([Int64])
  case words([UInt64])
  /// Doubles with the shape NumPy returned them in (checked against `out_shape`).
  case shapedDoubles([Int], [Double])
  /// Integers (any width, stored as `StridedArray` keeps them) with their shape.
  case shapedIntegers([Int], [Int64])
}
