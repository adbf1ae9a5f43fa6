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

@Suite("Rendered diagnostics")
struct RenderedDiagnosticTests {
  @Test("every CPython-rejected snippet renders with its line and a caret under CPython's column")
  func caretUnderCPythonsColumn() throws {
    for item in SyntaxErrorTests.cases {
      let expected = try #require(item.error)
      guard let line = expected.lineno, let offset = expected.offset, line > 0 else { continue }
      do {
        _ = try PythonParser.parse(item.source)
      } catch {
        let lines = error.rendered(origin: "nb.ipynb: cell 1").split(
          separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("nb.ipynb: cell 1, line \(line):\(offset): "), "\(item)")
        guard lines.count == 3 else { continue }
        let caret = lines[2].count - 5
        let sourceLine = item.source.split(separator: "\n", omittingEmptySubsequences: false)[
          line - 1]
        // The caret is under the character CPython names (long lines are shown in part).
        #expect(caret == offset - 1 || sourceLine.count > 120, "\(item)")
      }
    }
  }

  @Test("the whole message, as a compiler prints it")
  func wholeMessage() {
    do {
      _ = try PythonParser.parse("def f(x):\n    return (x +\n\ny = 2\n")
      Issue.record("parsed")
    } catch {
      #expect(
        error.rendered(origin: "nb.ipynb: cell 3 (In [7])") == """
          nb.ipynb: cell 3 (In [7]), line 2:12: '(' was never closed
                  return (x +
                         ^
          """)
      #expect(
        error.rendered(origin: "nb.txt: cell 3 (In [7])", fileLine: 41).hasPrefix(
          "nb.txt: cell 3 (In [7]), line 2:12 (file line 41): '(' was never closed"))
    }
  }

  @Test("a long line shows 100 characters around the place")
  func longLine() {
    let source = "x = " + String(repeating: "1 + ", count: 2_000) + "$\n"
    do {
      _ = try PythonParser.parse(source)
      Issue.record("parsed")
    } catch {
      let lines = error.rendered(origin: "").split(separator: "\n")
      #expect(lines.count == 3)
      #expect(lines[1].count <= 4 + 102)
      #expect(lines[1].hasPrefix("    …"))
      let caret = lines[2].count - 1
      #expect(Array(lines[1])[caret] == "$")
    }
  }
}
