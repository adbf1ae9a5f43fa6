import Foundation
import Testing

@testable import Retrace

#if canImport(FoundationXML)
  import FoundationXML
#endif

func explain(_ relative: String, code: String? = nil) throws -> Explanation {
  Explainer.explain(try verifyNotebook(relative, code: code))
}

@Suite struct ExplainerTests {
  @Test func theSeedIsTruncatedAndNothingElse() throws {
    let explanation = Explainer.explain(
      try NotebookVerifier.verify(ReplayPlan.make(NotebookReader.builtInSeed())))
    #expect(explanation.findings.map(\.kind) == [.truncatedLog])
    let finding = try #require(explanation.findings.first)
    #expect(finding.summary.hasPrefix("The output stops at line 132, column 36"))
    #expect(finding.details.contains { $0.contains("W2_grad") && $0.contains("11 of its entries") })
  }

  @Test(arguments: seedFixtures)
  func aReproducedFixtureHasNoFinding(_ name: String) throws {
    #expect(try explain("notebooks/\(name).txt").findings.isEmpty)
  }

  @Test func outputOfSeed43UnderCodeThatSays42IsADivergenceFromW1() throws {
    let explanation = try explain("notebooks/mismatch-seed.txt")
    #expect(explanation.findings.map(\.kind) == [.divergence])
    #expect(explanation.findings[0].summary.contains("In [77] line 24: W1"))
    #expect(explanation.unexplained == 0)
  }

  @Test func oneEditedDigitIsAnIsolatedValue() throws {
    let explanation = try explain("notebooks/seed-full-edited.txt")
    #expect(explanation.findings.map(\.kind) == [.isolatedValue])
    #expect(explanation.findings[0].explainedMismatches == 1)
    #expect(explanation.unexplained == 0)
  }

  @Test func anEditedInitialWeightIsAnIsolatedValue() throws {
    // One digit of W1 changed in the first print: everything after it is reproduced.
    let text = try FixturePath.text("notebooks/seed-full.txt").replacingOccurrences(
      of: "[[ 0.49671415 -0.1382643   0.64768854]\n [ 1.52302986",
      with: "[[ 0.49671415 -0.1382643   0.64768854]\n [ 1.52302987")
    let verification = try verifyNotebook(
      NotebookReader.read(data: Data(text.utf8), name: "w1.txt"))
    #expect(Explainer.explain(verification).findings.map(\.kind) == [.isolatedValue])
  }

  @Test func aPrintOptionsChangeIsNamed() throws {
    let explanation = try explain("notebooks/mismatch-printopts.txt")
    let finding = try #require(explanation.findings.first { $0.kind == .printOptions })
    #expect(finding.summary.contains("precision=4"))
  }

  @Test func summationNoiseIsNamedWithItsBand() throws {
    let explanation = try explain("notebooks/noise.txt")
    #expect(explanation.findings.map(\.kind) == [.summationNoise, .machine])
    #expect(explanation.findings[0].summary.contains("loss"))
    // Its dots were summed in another order by the script that made it (Scripts/fixtures/
    // notebooks.py), which the no-blas model reproduces; that model is checked against no real
    // NumPy, so it names no machine.
    let machine = explanation.findings[1]
    let facts = Dictionary(uniqueKeysWithValues: machine.evidence.map { ($0.0, $0.1.json) })
    #expect(facts["reproduced_by"] == "[\"no-blas\"]")
    #expect(facts["identified"] == "[]")
    #expect(machine.summary.contains("not an identification"))
  }

  @Test func anEditedLabelIsADeparture() throws {
    let text = try FixturePath.text("notebooks/seed-full.txt").replacingOccurrences(
      of: "\nloss:", with: "\nLoss:")
    let verification = try verifyNotebook(
      NotebookReader.read(data: Data(text.utf8), name: "label.txt"))
    let kinds = Explainer.explain(verification).findings.map(\.kind)
    #expect(kinds.first == .departure)
  }

  @Test func outOfOrderCellsAreAFinding() throws {
    let explanation = try explain("corpus/markov-chain.ipynb")
    let finding = try #require(explanation.findings.first { $0.kind == .outOfOrder })
    #expect(finding.summary.contains("only that order reproduces"))
  }

  @Test func unverifiableValuesAreAFindingNotAMismatch() throws {
    let explanation = try explain("corpus/unverifiable-demo.ipynb")
    #expect(explanation.verification.isReproduced)
    #expect(explanation.findings.map(\.kind) == [.unverifiable])
  }
}

@Suite struct ReportTests {
  func golden(_ name: String, _ actual: String) throws {
    let url = FixturePath.url("golden/\(name)")
    if ProcessInfo.processInfo.environment["RETRACE_RECORD_GOLDEN"] == "1" {
      try Data(actual.utf8).write(to: url)
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "golden file \(name) differs; see Fixtures/golden/README.md")
  }

  /// The built-in seed (named the same on every machine, unlike a path).
  func builtInSeed() throws -> Explanation {
    Explainer.explain(try NotebookVerifier.verify(ReplayPlan.make(NotebookReader.builtInSeed())))
  }

  @Test func seedTextReport() throws {
    try golden("seed-explain.txt", ExplanationReport.render(try builtInSeed(), as: .text))
  }

  @Test func seedMarkdownReport() throws {
    try golden("seed-explain.md", ExplanationReport.render(try builtInSeed(), as: .markdown))
  }

  @Test func htmlIsOneSelfContainedWellFormedFile() throws {
    let html = ExplanationReport.render(try explain("notebooks/seed-full-edited.txt"), as: .html)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.contains("<script"))
    #expect(!html.contains("src=") && !html.contains("href="))
    let body = try #require(html.range(of: "<body>")).lowerBound
    let bodyEnd = try #require(html.range(of: "</body>")).upperBound
    let parser = XMLParser(data: Data(html[body..<bodyEnd].utf8))
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    #expect(html.contains("isolated-value") && html.contains("-1.01284112"))
  }

  @Test func jsonListsFindingsWithKindAndSummary() throws {
    let json = ExplanationReport.render(try explain("notebooks/seed-full-edited.txt"), as: .json)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(findings.map { $0["kind"] as? String } == ["isolated-value"])
    #expect(findings.allSatisfy { ($0["summary"] as? String)?.isEmpty == false })
    let mismatches = try #require(object["mismatches"] as? [[String: Any]])
    #expect(mismatches.first?["explained_by"] as? String == "isolated-value")
    #expect(object["unexplained"] as? Int == 0)
  }
}
