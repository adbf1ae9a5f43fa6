import Foundation
import Testing

@Suite struct CheckCommandTests {
  @Test func seedParses() throws {
    let result = try CommandRunner.run(["check"])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    #expect(
      result.stdout.hasSuffix(
        "<built-in seed notebook>: 7 code cells, 19 statements: every cell parses as Python\n"))
  }

  @Test func everyCorpusNotebookParses() throws {
    let folder = FixturePath.root.appendingPathComponent("Fixtures/corpus")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".ipynb") || $0.hasSuffix(".txt") }.sorted()
    #expect(names.count >= 60)
    for name in names {
      let result = try CommandRunner.run(["check", "Fixtures/corpus/\(name)"])
      #expect(result.status == 0, "\(name): \(result.stderr)")
    }
  }

  @Test func syntaxErrorExitsTwoWithTheCaretForm() throws {
    let result = try CommandRunner.run(["check", "Fixtures/bad/syntax-error.ipynb"])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr == """
        retrace: Fixtures/bad/syntax-error.ipynb: cell 4 (In [7]), line 4:19: '(' was never closed
                return np.mean(np.square(d)
                              ^

        """)
  }

  @Test func scriptAndJSONAndTrees() throws {
    let script = try CommandRunner.run(["check", "Fixtures/bad/syntax-error.py"])
    #expect(script.status == 2)
    #expect(script.stderr.hasPrefix("retrace: Fixtures/bad/syntax-error.py: line 3:12: f-string:"))
    let json = try CommandRunner.run(
      ["check", "Fixtures/corpus/xor-sigmoid.ipynb", "--format", "json", "--ast"])
    #expect(json.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let cells = try #require(object?["cells"] as? [[String: Any]])
    #expect(cells.count == 7)
    #expect((cells.first?["tree"] as? String)?.hasPrefix("Module\n") == true)
    #expect((cells.first?["ipython_escapes"] as? Int) == 1)
  }

  @Test func bareLogIsRefused() throws {
    let result = try CommandRunner.run(["check", "Fixtures/notebooks/seed-full.log"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("is a bare stdout log: it holds no code to read"))
  }
}
