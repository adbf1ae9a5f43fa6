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

  /// The seed's explanation as JSON: the gradient audit's verdict for each of the six
  /// parameters (from finite differences) and the W1 finding with its facts.
  @Test func theSeedsJSONHoldsTheGradientAuditAndTheW1Finding() throws {
    let result = try CommandRunner.run(["explain", "--format", "json"])
    #expect(result.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let audit = try #require(json?["gradient_audit"] as? [String: Any])
    #expect(audit["loss"] as? String == "loss")
    #expect(audit["loop_cell"] as? String == "In [77]")
    let checks = (audit["checks"] as? [[String: Any]]) ?? []
    let wrong = Set(
      checks.filter { $0["wrong"] as? Bool == true }.compactMap { $0["parameter"] as? String })
    let all = Set(checks.compactMap { $0["parameter"] as? String })
    #expect(wrong == ["W1"])
    #expect(all == ["W1", "W2", "W3", "B1", "B2", "B3"])
    let findings = (json?["findings"] as? [[String: Any]]) ?? []
    let bug = try #require(findings.first { $0["kind"] as? String == "gradient-bug" })
    let evidence = try #require(bug["evidence"] as? [String: Any])
    #expect(evidence["parameter"] as? String == "W1")
    #expect(evidence["gradient"] as? String == "W1_grad")
    #expect(evidence["gradient_cell"] as? String == "In [73]")
    #expect(evidence["update_cell"] as? String == "In [74]")
  }

  @Test func aLossNamedWithLossThatTheLoopDoesNotAssignIsSaid() throws {
    let result = try CommandRunner.run([
      "explain", "Fixtures/audit/relu-mask.log", "--code", "Fixtures/audit/relu-mask.py",
      "--loss", "nosuch",
    ])
    #expect(result.status == 0)
    #expect(result.stdout.contains("note: no statement of the training loop assigns `nosuch`"))
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
    // The output of seed 43 under code that says 42: the seed search names it.
    #expect(
      result.stdout.contains(
        "[wrong-seed] The output was made with seed 43, not 42: with np.random.seed(43) at "
          + "In [77] line 1, the code reproduces every printed value."))
  }
}
