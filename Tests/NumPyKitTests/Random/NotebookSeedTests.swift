import Foundation
import Testing

@testable import NumPyKit

extension RandomTests {
  /// `np.random.seed(42)` then W1..B3 as Fixtures/seed/notebook.txt draws and prints them.
  @Suite("Seed 42 notebook weights")
  struct NotebookSeedTests {
    static let shapes: [[Int]] = [[4, 3], [4], [3, 4], [3], [1, 3], [1]]

    static func draws() throws -> [[Double]] {
      var state = try RandomState(seed: 42)
      return try shapes.map { try state.randn(shape: $0) }
    }

    @Test func drawsMatchNumPyBitForBit() throws {
      let recorded = try RandomFixture.namedCase("legacy.json", "notebook seed 42")
      let expected = recorded.steps.filter { $0.op == "randn" }.map {
        RandomFixture.bitPatterns($0.f64 ?? [])
      }
      #expect(try Self.draws().map(RandomFixture.bitPatterns) == expected)
    }

    @Test func drawsMatchThePrintedTokens() throws {
      let text = try FixturePath.text("seed/notebook.txt")
      let start = try #require(text.range(of: ", (W1:\n"))
      let end = try #require(text.range(of: "\n)\nZ1:", range: start.upperBound..<text.endIndex))
      let block = String(text[start.upperBound..<end.lowerBound])
      let regex = try NSRegularExpression(pattern: #"-?\d+\.\d*"#)
      let tokens = regex.matches(in: block, range: NSRange(block.startIndex..., in: block))
        .compactMap {
          Range($0.range, in: block).map { String(block[$0]) }
        }
      let values = try Self.draws().flatMap { $0 }
      #expect(tokens.count == 35)
      #expect(values.count == tokens.count)
      for (value, token) in zip(values, tokens) {
        #expect(Self.printed(value) == token)
      }
    }

    /// `value` at NumPy's default precision 8 with trailing zeros trimmed (`0.1382643`).
    static func printed(_ value: Double) -> String {
      var text = String(format: "%.8f", value)
      while text.hasSuffix("0") { text.removeLast() }
      return text
    }
  }
}
