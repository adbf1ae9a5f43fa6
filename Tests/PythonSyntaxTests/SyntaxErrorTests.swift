import Foundation
import Testing

@testable import PythonSyntax

@Suite("Syntax errors against CPython's")
struct SyntaxErrorTests {
  static let cases = (try? CPythonFixture.load("python/invalid.json").cases) ?? []

  @Test("the table has its cases")
  func tableIsThere() {
    #expect(Self.cases.count >= 40)
  }

  @Test("CPython rejects it, so does retrace, on the same line", arguments: cases)
  func rejected(_ item: CPythonFixture.Case) throws {
    let expected = try #require(item.error)
    do {
      let module = try PythonParser.parse(item.source)
      Issue.record(
        "\(item.description): parsed (\(module.body.count) statements); CPython: \(expected.msg)")
    } catch {
      // CPython gives no place for some (a NUL byte): then the type and message are compared.
      let place = expected.lineno == nil ? "" : "\(error.location.line):\(error.characterColumn) "
      let mine = "\(error.kind.rawValue) \(place)\(error.message)"
      let theirs =
        "\(expected.type) \(expected.lineno.map { "\($0):\(expected.offset ?? 0) " } ?? "")"
        + expected.msg
      if mine != theirs {
        Issue.record("\(item.description):\n  retrace: \(mine)\n  CPython: \(theirs)")
      }
    }
  }
}
