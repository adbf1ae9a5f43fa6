import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct VerifyCommandTests {
  struct Document: Decodable {
    struct Mismatch: Decodable {
      var record: String
      var cell: String
      var expression: String
      var print: Int
      var run: Int
      var index: [Int]
      var flatIndex: Int?
      var printed: String
      var replayed: String?
      var absDiff: Double?
      var lastDigitUnits: Double?
      var line: Int
      var column: Int
    }
    var notebook: String
    var form: String
    var verdict: String
    var checked: Int
    var exact: Int
    var withinRounding: Int
    var withinNoise: Int
    var mismatched: Int
    var unverifiable: Int
    var truncated: Bool
    var departures: [AnyCodable]
    var mismatches: [Mismatch]
    var findings: [AnyCodable]
  }

  struct AnyCodable: Decodable {
    init(from decoder: Decoder) throws {}
  }

  @Test func noArgumentVerifiesTheBuiltInSeed() throws {
    let result = try CommandRunner.run(["verify"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("<built-in seed notebook>: reproduced (text-export)"))
    #expect(result.stdout.contains("72 printed values: 72 exact"))
    #expect(result.stdout.contains("the output stops at 132:36 (In [77])"))
  }

  @Test(arguments: [
    "Fixtures/seed/notebook.txt", "Fixtures/notebooks/seed-full.txt",
    "Fixtures/notebooks/seed-full.ipynb", "Fixtures/notebooks/seed-full.log",
    "Fixtures/notebooks/wide.txt", "Fixtures/notebooks/noise.ipynb",
  ])
  func reproducedNotebooksExitZero(_ path: String) throws {
    let result = try CommandRunner.run(["verify", path, "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try snakeCaseDecoder.decode(Document.self, from: Data(result.stdout.utf8))
    #expect(document.verdict == "reproduced")
    #expect(document.mismatched == 0)
    #expect(document.mismatches.isEmpty)
    #expect(document.checked == document.exact + document.withinRounding + document.withinNoise)
  }

  @Test func oneAlteredDigitExitsOneAndIsNamed() throws {
    let result = try CommandRunner.run(
      ["verify", "Fixtures/notebooks/seed-full-edited.txt", "--format", "json"])
    #expect(result.status == 1)
    let document = try snakeCaseDecoder.decode(Document.self, from: Data(result.stdout.utf8))
    #expect(document.verdict == "mismatch")
    #expect(document.mismatched == 1)
    let mismatch = try #require(document.mismatches.first)
    #expect(mismatch.expression == "W2" && mismatch.run == 5 && mismatch.index == [0, 0])
    #expect(mismatch.record == "In [77] line 39: W2" && mismatch.cell == "In [77]")
    #expect(mismatch.flatIndex == 0)
    #expect(mismatch.printed == "-1.01284112" && mismatch.replayed == "-1.01283112")
    #expect(mismatch.line == 206 && mismatch.column == 122)
    let text = try CommandRunner.run(["verify", "Fixtures/notebooks/seed-full-edited.txt"])
    #expect(text.status == 1)
    #expect(
      text.stdout.contains(
        "mismatch: In [77] line 39: W2[0,0] (print 5, run 6): printed -1.01284112, replayed "
          + "-1.01283112 (999.97 last-digit units) at "
          + "Fixtures/notebooks/seed-full-edited.txt:206:122 [isolated-value]"))
  }

  @Test func junitHasOneTestCasePerRecordAndFailuresCarryMismatches() throws {
    let result = try CommandRunner.run(
      ["verify", "Fixtures/notebooks/seed-full-edited.txt", "--format", "junit"])
    #expect(result.status == 1)
    let document = try XMLDocument(data: Data(result.stdout.utf8))
    let cases = try document.nodes(forXPath: "//testcase")
    // One test case per printed value piece: 7 before the loop's prints, 18 in each of the
    // 10 epochs (the seed prints them from three print calls).
    #expect(cases.count == 7 + 18 * 10)
    let failures = try document.nodes(forXPath: "//testcase/failure")
    #expect(failures.count == 1)
    #expect(
      failures.first?.stringValue?.contains("W2[0,0] (print 5, run 6): printed -1.01284112")
        == true)
  }

  @Test func markdownSummarisesForACIJob() throws {
    let result = try CommandRunner.run([
      "verify", "Fixtures/seed/notebook.txt", "--format", "markdown",
    ])
    #expect(result.status == 0)
    #expect(
      result.stdout.hasPrefix("## ✅ retrace verify: `Fixtures/seed/notebook.txt` — reproduced"))
    #expect(result.stdout.contains("| 72 | 72 | 0 | 0 | 0 | 0 |"))
  }

  @Test func unmodelledCodeExitsTwoNamingCellAndLine() throws {
    let text = try String(contentsOf: FixturePath.url("seed/notebook.txt"), encoding: .utf8)
      .replacingOccurrences(of: "a = np.maximum(0, a)", with: "a = np.linalg.inv(a)")
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tanh-\(UUID()).txt")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try CommandRunner.run(["verify", url.path])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr
        == "retrace: \(url.path): cell 2 (In [70]), line 3, column 7: retrace does not model "
        + "numpy.linalg.inv yet\n")
  }

  @Test func replayPrintsWhatNumPyPrints() throws {
    let result = try CommandRunner.run(["replay", "Fixtures/seed/notebook.txt"])
    #expect(result.status == 0)
    #expect(
      result.stdout
        == (try String(contentsOf: FixturePath.url("notebooks/seed-full.log"), encoding: .utf8)))
    // A log with its script: what the script prints.
    let script = try CommandRunner.run(["replay", "Fixtures/corpus/logs/perceptron-gates.py"])
    #expect(script.status == 0)
    #expect(
      script.stdout
        == (try String(
          contentsOf: FixturePath.url("corpus/logs/perceptron-gates.log"), encoding: .utf8)))
  }
}

/// Reads retrace's snake_case JSON keys into Swift names.
private let snakeCaseDecoder: JSONDecoder = {
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  return decoder
}()

/// `verify --corrected`: the replay with the gradient fixes finite differences confirm is NumPy's
/// run of the fixed script (Scripts/fixtures/audit.py writes what the fixed script prints as
/// `<name>.fixed.log`), value for value; the fix is named on stderr.
@Suite struct CorrectedVerifyTests {
  static let fixed = [
    "dropped-factor", "extra-transpose", "function-loop", "preactivation",
    "sigmoid-missing-derivative", "tanh-wrong-sign", "wrong-axis", "missing-newaxis", "scalar-bias",
    "printed-loss", "step-elsewhere",
  ]

  @Test(arguments: fixed)
  func theCorrectedReplayIsTheFixedScriptsRun(_ name: String) throws {
    let code = FixturePath.url("audit/\(name).py").path
    let result = try CommandRunner.run(
      ["verify", FixturePath.url("audit/\(name).fixed.log").path, "--code", code, "--corrected"])
    #expect(result.status == 0, "\(name): \(result.stdout)")
    #expect(result.stdout.contains(" 0 mismatched"))
    #expect(result.stderr.contains("retrace: corrected script line "))
    // As written, the same output does not verify.
    let written = try CommandRunner.run(
      ["verify", FixturePath.url("audit/\(name).fixed.log").path, "--code", code])
    #expect(written.status == 1, "\(name)")
  }

  @Test func withoutAConfirmedFixTheCodeAsWrittenIsVerifiedAndSaid() throws {
    let code = FixturePath.url("audit/logistic-correct.py").path
    let result = try CommandRunner.run(
      ["verify", FixturePath.url("audit/logistic-correct.log").path, "--code", code, "--corrected"])
    #expect(result.status == 0)
    #expect(result.stderr.contains("no gradient fix is confirmed by finite differences"))
  }
}
