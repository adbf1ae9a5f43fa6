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

  /// The shape NumPy was called with; `size=None` draws one value like `[]`.
  var size: [Int] { shape ?? [] }
  var probabilities: [Double]? { p?.map { Double($0) ?? .nan } }
}

/// One named case: steps replayed on one state.
struct RandomCase: Decodable, Sendable {
  var name: String
  var seed: Int?
  var entropy: [UInt64]?
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
}
