import Foundation
import NumPyKit
import Testing

@testable import Retrace

#if canImport(FoundationXML)
  import FoundationXML
#endif

func explain(_ path: String, model: ReplayEngine.Model = .asWritten) throws -> Explanation {
  let (trace, experiment) = try experiment(path)
  let verification = try SeedVerifier.verify(trace, experiment: experiment, model: model)
  return Explainer.explain(verification, experiment: experiment)
}

@Suite struct ExplainerTests {
  @Test func theSeedHasTheGradientBugAndTheTruncationAndNothingElse() throws {
    let explanation = try explain("seed/notebook.txt")
    #expect(explanation.findings.map(\.kind) == [.gradientBug, .truncatedLog])
    #expect(explanation.unexplained == 0)
    let audit = try #require(explanation.audit)
    // Every gradient but W1's is the true gradient; the true one agrees with finite differences.
    for check in audit.checks {
      #expect(check.isCorrect == (check.name != "W1_grad"), "\(check.name)")
      #expect(check.finiteDifferenceError < 1e-6, "\(check.name)")
    }
    #expect(audit.widths.inputs == 3 && audit.widths.hidden1 == 4 && audit.widths.hidden2 == 3)
    // Hidden-2 unit 1 is the only active one: column 1 coincides; hidden-1 units 2, 3 are off.
    #expect(audit.activeHidden2.allSatisfy { $0 == [1] })
    let finding = try #require(explanation.findings.first)
    let evidence = Dictionary(uniqueKeysWithValues: finding.evidence.map { ($0.0, $0.1) })
    #expect(evidence["coinciding_columns"] == .list([.integer(1)]))
    #expect(evidence["zero_rows"] == .list([.integer(2), .integer(3)]))
    #expect(
      finding.details.contains {
        $0.contains("operands could not be broadcast together with shapes (4,4) (3,)")
      })
    // The cost: correct SGD ends lower than the code's training.
    #expect(audit.lossAsWritten.count == 10 && audit.lossCorrected.count == 10)
    #expect(try #require(audit.lossCorrected.last) < (try #require(audit.lossAsWritten.last)))
    // The true W1 gradient of epoch 0 is np.outer(B1_grad, X), by the replay's own arrays.
    let code = try #require(audit.w1Code.first)
    let truth = try #require(audit.w1True.first)
    #expect(code.shape == [4, 3] && truth.shape == [4, 3])
    for row in 0..<4 {
      let a = code[row, 1]
      let b = truth[row, 1]
      #expect(a.bitPattern == b.bitPattern)
    }
    let corner = code[0, 0]
    let trueCorner = truth[0, 0]
    #expect(corner == 0 && trueCorner != 0)
  }

  @Test func theCorrectedCodeHasNoGradientBug() throws {
    let explanation = try explain("notebooks/corrected.txt")
    #expect(explanation.findings.isEmpty)
    let audit = try #require(explanation.audit)
    #expect(audit.checks.allSatisfy { $0.isCorrect })
  }

  @Test func outputOfSeed43UnderCodeThatSays42() throws {
    let explanation = try explain("notebooks/mismatch-seed.txt")
    #expect(explanation.findings.map(\.kind) == [.gradientBug, .seedMismatch])
    let finding = try #require(explanation.findings.last)
    let evidence = Dictionary(uniqueKeysWithValues: finding.evidence.map { ($0.0, $0.1) })
    #expect(evidence["seed_found"] == .integer(43))
    #expect(evidence["reproduced_with"] == .integer(43))
    #expect(explanation.unexplained == 0)
    #expect(finding.explainedMismatches == explanation.verification.mismatched)
  }

  @Test func outputOfTheCorrectedCodeUnderTheAsWrittenCode() throws {
    let explanation = try explain("notebooks/mismatch-corrected.txt")
    #expect(explanation.findings.map(\.kind) == [.gradientBug, .traceFromCorrectedCode])
    #expect(explanation.unexplained == 0)
  }

  @Test func oneEditedDigitIsAnIsolatedValue() throws {
    let explanation = try explain("notebooks/seed-full-edited.txt")
    #expect(explanation.findings.map(\.kind) == [.gradientBug, .isolatedValue])
    #expect(explanation.findings.last?.explainedMismatches == 1)
    #expect(explanation.unexplained == 0)
  }

  @Test func aPrintOptionsChange() throws {
    let explanation = try explain("notebooks/mismatch-printopts.txt")
    #expect(explanation.findings.map(\.kind) == [.gradientBug, .printOptions])
    let finding = try #require(explanation.findings.last)
    #expect(
      finding.summary.hasPrefix("The output was printed with np.set_printoptions(precision=4)"))
  }

  @Test func summationNoiseIsNamedWithItsBand() throws {
    let explanation = try explain("notebooks/noise.txt")
    #expect(explanation.findings.map(\.kind) == [.gradientBug, .summationNoise])
  }

  @Test func aRunThatDepartsIsADivergenceFromItsFirstValue() throws {
    // The seed's code with the output of the lr = 0.5 run: everything after the first update
    // differs, following from it.
    let code = try FixturePath.text("notebooks/seed-full.txt")
    let cut = try #require(code.range(of: "\nX:\n["))
    let long = try FixturePath.text("notebooks/long.log")
    // The long run's first ten epochs: everything before its 11th forward print.
    var end = long.startIndex
    for _ in 0..<11 {
      let next = try #require(long.range(of: "Z1:", range: long.index(after: end)..<long.endIndex))
      end = next.lowerBound
    }
    let text = String(code[..<cut.lowerBound]) + "\n" + long[..<end]
    let trace = try TraceReader.read(NotebookReader.read(data: Data(text.utf8), name: "lr.txt"))
    let experiment = try ExperimentReader.read(trace)
    let verification = try SeedVerifier.verify(trace, experiment: experiment)
    let explanation = Explainer.explain(verification, experiment: experiment)
    #expect(explanation.findings.map(\.kind) == [.gradientBug, .divergence])
    let first = try #require(explanation.findings.last?.summary)
    #expect(first.hasPrefix("From B3 at lr.txt:"))
    #expect(explanation.unexplained == 0)
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
    let trace = try TraceReader.read(NotebookReader.builtInSeed())
    let experiment = try ExperimentReader.read(trace)
    let verification = try SeedVerifier.verify(trace, experiment: experiment)
    return Explainer.explain(verification, experiment: experiment)
  }

  @Test func seedTextReport() throws {
    try golden("seed-explain.txt", ExplanationReport.render(try builtInSeed(), as: .text))
  }

  @Test func seedMarkdownReport() throws {
    try golden("seed-explain.md", ExplanationReport.render(try builtInSeed(), as: .markdown))
  }

  @Test func htmlIsOneSelfContainedFileWithItsSVGs() throws {
    let html = ExplanationReport.render(try explain("seed/notebook.txt"), as: .html)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.contains("<script"))
    #expect(!html.contains("src=") && !html.contains("href="))
    // Four inline SVG images: the three W1 heat maps and the loss curves; each parses as XML.
    var svgs: [String] = []
    var rest = Substring(html)
    while let start = rest.range(of: "<svg "),
      let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
    {
      svgs.append(String(rest[start.lowerBound..<end.upperBound]))
      rest = rest[end.upperBound...]
    }
    #expect(svgs.count == 4)
    for id in ["w1-code", "w1-true", "w1-diff", "loss"] {
      #expect(svgs.contains { $0.contains("id=\"\(id)\"") })
    }
    for svg in svgs {
      let parser = XMLParser(data: Data(svg.utf8))
      #expect(parser.parse(), "an SVG does not parse: \(parser.parserError.map { "\($0)" } ?? "")")
    }
    // The body between <body> and </body> is well-formed XML too.
    let body = try #require(html.range(of: "<body>")).lowerBound
    let bodyEnd = try #require(html.range(of: "</body>")).upperBound
    let parser = XMLParser(data: Data(html[body..<bodyEnd].utf8))
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    #expect(html.contains("gradient-bug") && html.contains("truncated-log"))
  }

  @Test func jsonListsFindingsWithKindAndSummary() throws {
    let json = ExplanationReport.render(try explain("notebooks/seed-full-edited.txt"), as: .json)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(findings.map { $0["kind"] as? String } == ["gradient-bug", "isolated-value"])
    #expect(findings.allSatisfy { ($0["summary"] as? String)?.isEmpty == false })
    let mismatches = try #require(object["mismatches"] as? [[String: Any]])
    #expect(mismatches.first?["explained_by"] as? String == "isolated-value")
    #expect(object["unexplained"] as? Int == 0)
  }
}

@Suite struct SeedSearchTests {
  @Test func anEditedInitialWeightIsNotASeedMismatch() throws {
    // One digit of W1 changed in the first print: the code's seed is right.
    let text = try FixturePath.text("notebooks/seed-full.txt").replacingOccurrences(
      of: "[[ 0.49671415 -0.1382643   0.64768854]\n [ 1.52302986",
      with: "[[ 0.49671415 -0.1382643   0.64768854]\n [ 1.52302987")
    let trace = try TraceReader.read(NotebookReader.read(data: Data(text.utf8), name: "w1.txt"))
    let experiment = try ExperimentReader.read(trace)
    let verification = try SeedVerifier.verify(trace, experiment: experiment)
    let explanation = Explainer.explain(verification, experiment: experiment)
    #expect(explanation.findings.map(\.kind) == [.gradientBug, .isolatedValue])
  }
}
