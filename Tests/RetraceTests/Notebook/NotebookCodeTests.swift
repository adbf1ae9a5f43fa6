import Foundation
import PythonSyntax
import Testing

@testable import Retrace

@Suite("NotebookCode: each cell's code, parsed")
struct NotebookCodeTests {
  static let corpus: [String] = {
    let folder = FixturePath.url("corpus")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".ipynb") }.map { String($0.dropLast(6)) }.sorted()
  }()

  func trimmed(_ code: String) -> String {
    var text = Substring(code)
    while let last = text.last, last == "\n" || last == " " { text = text.dropLast() }
    return String(text)
  }

  @Test("the corpus is there")
  func corpusIsThere() {
    #expect(Self.corpus.count >= 30)
  }

  @Test(
    "a text export's code, separated from its output, is the .ipynb's code", arguments: corpus)
  func textExportMatchesNotebook(_ name: String) throws {
    let notebook = try NotebookReader.read(path: FixturePath.url("corpus/\(name).ipynb").path)
    let export = try NotebookReader.read(path: FixturePath.url("corpus/\(name).txt").path)
    let fromNotebook = try NotebookCode.read(notebook)
    let fromExport = try NotebookCode.read(export)
    try #require(fromNotebook.count == fromExport.count)
    for (cell, exported) in zip(fromNotebook, fromExport) {
      #expect(trimmed(exported.code) == trimmed(cell.code), "\(name) \(cell.label)")
      #expect(
        SyntaxDump.dump(exported.module) == SyntaxDump.dump(cell.module), "\(name) \(cell.label)")
    }
  }

  struct BadCase: Decodable {
    struct Error: Decodable {
      var msg: String
      var lineno: Int
      var offset: Int
    }
    var file: String
    var cell: Int
    var label: String
    var firstLine: Int
    var error: Error

    enum CodingKeys: String, CodingKey {
      case file, cell, label, error
      case firstLine = "first_line"
    }
  }

  static let bad: [BadCase] = {
    struct File: Decodable { var cases: [BadCase] }
    guard let data = try? FixturePath.data("python/bad-notebooks.json") else { return [] }
    return (try? JSONDecoder().decode(File.self, from: data).cases) ?? []
  }()

  @Test(
    "a syntax error names the file, the cell, the line and column, with a caret", arguments: bad)
  func syntaxError(_ item: BadCase) throws {
    let path = "Fixtures/\(item.file)"
    let url = FixturePath.url(item.file)
    let text = try String(contentsOf: url, encoding: .utf8)
    var thrown: RetraceError?
    do {
      if item.file.hasSuffix(".py") {
        _ = try NotebookCode.readScript(text, name: path)
      } else {
        let notebook = try NotebookReader.read(data: Data(text.utf8), name: path)
        _ = try NotebookCode.read(notebook)
      }
    } catch {
      thrown = error
    }
    let error = try #require(thrown)
    // The place and message are CPython's; the layout is retrace's.
    let cell = item.label == "script" ? "" : "cell \(item.cell) (\(item.label)), "
    let fileLine =
      item.file.hasSuffix(".txt") ? " (file line \(item.firstLine + item.error.lineno - 1))" : ""
    let head = "\(path): \(cell)line \(item.error.lineno):\(item.error.offset)\(fileLine): "
    let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
    try #require(lines.count == 3)
    #expect(String(lines[0]) == head + item.error.msg)
    #expect(
      lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) } == 4
        + item.error.offset - 1)
  }

  @Test("a bare log holds no code")
  func bareLog() throws {
    let notebook = try NotebookReader.read(
      data: Data("[[1. 2.]]\n".utf8), name: "run.log")
    #expect(throws: RetraceError.self) { try NotebookCode.read(notebook) }
  }

  @Test("the seed's last cell is its code, and its output starts after it")
  func seed() throws {
    let cells = try NotebookCode.read(NotebookReader.builtInSeed())
    #expect(cells.count == 7)
    #expect(cells.last?.outputLine == 41)
    #expect(cells.map(\.module.body.count).reduce(0, +) == 19)
  }
}
