import Foundation
import Testing

@Suite struct ReplayInterpreterTests {
  /// Fixtures/interpreter/pure-python.ipynb was run by CPython (Scripts/fixtures/interpreter.py):
  /// its cells out of file order, one of them ending in an exception.
  @Test func pureNotebookReplaysAsCPythonRanIt() throws {
    let result = try CommandRunner.run(
      ["replay", "Fixtures/interpreter/pure-python.ipynb"])
    let expected = try String(
      contentsOf: FixturePath.root.appendingPathComponent(
        "Fixtures/interpreter/pure-python.stdout"), encoding: .utf8)
    #expect(result.status == 0)
    #expect(result.stdout == expected)
    let data = try Data(
      contentsOf: FixturePath.root.appendingPathComponent("Fixtures/interpreter/pure-python.ipynb"))
    let notebook = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let cells = try #require(notebook?["cells"] as? [[String: Any]])
    let errors = cells.flatMap { ($0["outputs"] as? [[String: Any]]) ?? [] }
      .filter { $0["output_type"] as? String == "error" }
    let error = try #require(errors.first)
    let ename = try #require(error["ename"] as? String)
    let evalue = try #require(error["evalue"] as? String)
    #expect(result.stderr.contains("\(ename): \(evalue) (In [3], line 5, column "))
  }

  /// The XOR net of the corpus, run by NumPy 2.4.6 when it was made: the interpreter's replay
  /// prints what NumPy printed, cell by cell.
  @Test func numpyNotebookReplaysAsNumPyPrintedIt() throws {
    let result = try CommandRunner.run(
      ["replay", "Fixtures/corpus/xor-sigmoid.ipynb"])
    #expect(result.status == 0)
    let data = try Data(
      contentsOf: FixturePath.root.appendingPathComponent("Fixtures/corpus/xor-sigmoid.ipynb"))
    let notebook = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let cells = try #require(notebook?["cells"] as? [[String: Any]])
    let saved = cells.flatMap { ($0["outputs"] as? [[String: Any]]) ?? [] }
      .filter { $0["output_type"] as? String == "stream" }
      .map { output -> String in
        (output["text"] as? [String])?.joined() ?? (output["text"] as? String ?? "")
      }
      .joined()
    #expect(!saved.isEmpty)
    #expect(result.stdout == saved)
  }

  @Test func scriptReplaysThroughTheInterpreter() throws {
    let result = try CommandRunner.run(
      ["replay", "Fixtures/bad/syntax-error.py"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("Fixtures/bad/syntax-error.py"))
  }
}
