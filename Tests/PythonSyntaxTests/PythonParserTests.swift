import Foundation
import Testing

@testable import PythonSyntax

@Suite("PythonParser against CPython's ast")
struct PythonParserTests {
  static let snippets = (try? CPythonFixture.load("python/snippets.json").cases) ?? []

  @Test("the case table has its cases")
  func tableIsThere() {
    #expect(Self.snippets.count >= 300)
  }

  @Test("every snippet's tree equals CPython's", arguments: snippets)
  func snippet(_ item: CPythonFixture.Case) throws {
    try expectCPythonsTree(item)
  }
}

@Suite("PythonParser on the corpus")
struct CorpusParseTests {
  static let cells = (try? CPythonFixture.load("python/corpus.json").cases) ?? []

  @Test("the corpus has its cells")
  func corpusIsThere() {
    #expect(Self.cells.count >= 200)
  }

  @Test("every corpus cell's tree equals CPython's", arguments: cells)
  func cell(_ item: CPythonFixture.Case) throws {
    try expectCPythonsTree(item)
  }
}

/// Parses `item.source` and compares its dump with CPython's, line by line.
func expectCPythonsTree(_ item: CPythonFixture.Case) throws {
  let expected = try #require(item.dump)
  let module: Module
  do {
    module = try PythonParser.parse(item.source)
  } catch {
    Issue.record("\(item.description): \(error)")
    return
  }
  if let difference = firstDifference(SyntaxDump.dump(module), expected) {
    Issue.record("\(item.description): \(difference)")
  }
}
