import Foundation
import Testing

@Suite struct ExplainCommandTests {
  func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("explain-\(UUID())")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func theSeedIsExplainedWithoutColourWhenNotATerminal() throws {
    let result = try CommandRunner.run(["explain"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("[truncated-log] The output stops at line 132, column 36"))
    #expect(!result.stdout.contains("\u{1B}["))
  }

  @Test func htmlGoesToAFileAtomically() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = folder.appendingPathComponent("report.html")
    try Data("old".utf8).write(to: report)
    let result = try CommandRunner.run(["explain", "--format", "html", "-o", report.path])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    let html = try String(contentsOf: report, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("truncated-log"))
    // Nothing but the report is left in the folder (no temporary file).
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.html"])
  }

  @Test func theReportNeverReplacesItsInput() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let notebook = folder.appendingPathComponent("nb.txt")
    let original = try Data(contentsOf: FixturePath.url("seed/notebook.txt"))
    try original.write(to: notebook)
    let result = try CommandRunner.run(["explain", notebook.path, "-o", notebook.path])
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "retrace: \(notebook.path): is the input notebook; a report never replaces its input\n")
    #expect(try Data(contentsOf: notebook) == original)
  }

  @Test func aMissingFolderIsAClearError() throws {
    let result = try CommandRunner.run(["explain", "-o", "/no/such/folder/report.md"])
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "retrace: /no/such/folder/report.md: cannot be written: the folder /no/such/folder does not exist\n"
    )
  }

  @Test func mismatchesExitOneAndNameTheirFinding() throws {
    let result = try CommandRunner.run(["explain", "Fixtures/notebooks/mismatch-seed.txt"])
    #expect(result.status == 1)
    #expect(
      result.stdout.contains(
        "[divergence] From In [77] line 24: W1 at Fixtures/notebooks/mismatch-seed.txt:111:4 on, "
          + "the output departs from the code"
      ))
  }
}
