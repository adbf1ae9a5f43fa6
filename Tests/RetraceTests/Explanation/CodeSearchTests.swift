import Foundation
import Interpreter
import Testing

@testable import Retrace

/// The seed and constant searches, against logs NumPy and CPython printed with one edit of the
/// code (Scripts/fixtures/causes.py: Fixtures/causes/index.json names each edit).
@Suite struct CodeSearchTests {
  /// A code edit (line, code, ran); or for the causes made from the output: a printed value
  /// typed over (logLine, printed, saved), a cut (cutAt) or the cells' execution counts.
  struct Edit: Decodable {
    var line: Int?
    var code: String?
    var ran: String?
    var logLine: Int?
    var printed: String?
    var saved: String?
    var cutAt: Int?
    var counts: [Int]?
    // (Explicit keys: a decoder converting snake case would rename the fixtures' names too.)
    enum CodingKeys: String, CodingKey {
      case line, code, ran, printed, saved, counts
      case logLine = "log_line"
      case cutAt = "cut_at"
    }
  }

  static let edits: [String: Edit] = {
    guard let data = try? Data(contentsOf: FixturePath.url("causes/index.json")) else { return [:] }
    return (try? JSONDecoder().decode([String: Edit].self, from: data)) ?? [:]
  }()

  static func explain(_ name: String) throws -> Explanation {
    let notebook = try NotebookReader.read(path: FixturePath.url("causes/\(name).log").path)
    let code = try NotebookCode.readScript(
      FixturePath.text("causes/\(name).py"), name: "causes/\(name).py")
    let plan = try ReplayPlan.make(notebook, code: [code], codeFile: "causes/\(name).py")
    let verification = try NotebookVerifier.verify(plan)
    let search = Explainer.search(plan, verification: verification, seeds: 1_000)
    return Explainer.explain(verification, audit: nil, search: search)
  }

  static func evidence(_ finding: Finding) -> [String: String] {
    Dictionary(uniqueKeysWithValues: finding.evidence.map { ($0.0, $0.1.json) })
  }

  @Test(arguments: [
    "seed-default-rng", "seed-legacy", "seed-python-random", "seed-randomstate", "seed-in-place",
    "seed-second-draw",
  ])
  func theSeedThatMadeTheOutputIsFound(_ name: String) throws {
    let edit = try #require(Self.edits[name])
    let explanation = try Self.explain(name)
    let finding = try #require(explanation.findings.first)
    #expect(finding.kind == .wrongSeed)
    let facts = Self.evidence(finding)
    let ranText = try #require(edit.ran)
    let codeText = try #require(edit.code)
    let ran = try #require(Int(ranText.filter(\.isNumber)))
    #expect(facts["seed_that_reproduces"] == String(ran))
    #expect(facts["line"] == edit.line.map(String.init))
    #expect(facts["seed_in_code"] == "\"\(codeText.filter(\.isNumber))\"")
    // Every mismatch is explained by it, and no guess from the pattern is left.
    #expect(explanation.unexplained == 0)
    #expect(!explanation.findings.contains { $0.kind == .divergence || $0.kind == .isolatedValue })
  }

  /// The search's shortcut (`DrawFilter`) is taken where the first print after the draws shows
  /// a generator's result as drawn, for each NumPy API, and for the second call of two; it
  /// admits the seed of the run and not the code's. It is not taken where the draws are
  /// changed in place before the print (its check against the replay with two other seeds
  /// fails) nor for Python's `random` (a list built from many calls): there each candidate is
  /// replayed, and the seed is found all the same (the test above).
  @Test(arguments: [
    ("seed-default-rng", true), ("seed-legacy", true), ("seed-far", true),
    ("seed-randomstate", true), ("seed-second-draw", true), ("seed-in-place", false),
    ("seed-python-random", false),
  ])
  func theShortcutIsTakenOnlyWhereTheDrawsArePrintedAsDrawn(_ name: String, taken: Bool) throws {
    let notebook = try NotebookReader.read(path: FixturePath.url("causes/\(name).log").path)
    let code = try NotebookCode.readScript(
      FixturePath.text("causes/\(name).py"), name: "causes/\(name).py")
    let plan = try ReplayPlan.make(notebook, code: [code], codeFile: "causes/\(name).py")
    let verification = try NotebookVerifier.verify(plan)
    let literal = try #require(
      CodeSearch.literals(in: plan).first {
        if case .seed = $0.role { return true }
        return false
      })
    let filter = DrawFilter.make(
      plan, literal: literal, verification: verification, limits: InterpreterLimits())
    #expect((filter != nil) == taken)
    guard let filter else { return }
    let ranText = try #require(Self.edits[name]?.ran)
    let ran = try #require(Int(ranText.filter(\.isNumber)))
    #expect(filter.admits(ran))
    #expect(!filter.admits(Int(literal.value)))
    // Many at once (a legacy generator's first words for eight seeds at a time, and the
    // first Gaussian before the call) as one at a time.
    let seeds = max(0, ran - 997)..<(ran + 1_000)
    #expect(filter.admitted(seeds) == seeds.filter(filter.admits))
    #expect(filter.admitted(seeds).contains(ran))
    // The quick test of the first Gaussian where the printed call is the first randn.
    #expect((filter.firstGaussian != nil) == ["seed-legacy", "seed-far"].contains(name))
  }

  @Test func aLearningRateChangedAfterTheRunIsFound() throws {
    let edit = try #require(Self.edits["lr-changed"])
    let explanation = try Self.explain("lr-changed")
    let finding = try #require(explanation.findings.first)
    #expect(finding.kind == .codeChanged)
    let facts = Self.evidence(finding)
    #expect(facts["name"] == "\"lr\"")
    #expect(facts["line"] == edit.line.map(String.init))
    #expect(facts["value_in_code"] == "\"0.05\"")
    #expect(facts["value_that_reproduces"] == "\"0.1\"")
    #expect(explanation.unexplained == 0)
  }

  /// A number of the log typed over afterwards: one isolated value, at its line, with the
  /// code's value beside the saved one; no search runs.
  @Test func aValueTypedOverInTheLogIsAnIsolatedValue() throws {
    let edit = try #require(Self.edits["edited-value"])
    let explanation = try Self.explain("edited-value")
    #expect(explanation.findings.map(\.kind) == [.isolatedValue])
    let finding = try #require(explanation.findings.first)
    #expect(finding.summary.contains("edited-value.log:\(try #require(edit.logLine)):"))
    #expect(
      finding.summary.contains(
        "reads \(try #require(edit.saved)) where the code gives "
          + (try #require(edit.printed))))
    #expect(explanation.unexplained == 0)
  }

  /// A log cut after 1,000 characters: reproduced up to the cut, and said to be cut there.
  @Test func aLogCutAfterItsFirstThousandCharactersIsTruncated() throws {
    let edit = try #require(Self.edits["truncated"])
    let explanation = try Self.explain("truncated")
    #expect(explanation.verification.isReproduced)
    #expect(explanation.findings.map(\.kind) == [.truncatedLog])
    let log = try FixturePath.text("causes/truncated.log")
    #expect(log.utf8.count == edit.cutAt)
    let lines = log.split(separator: "\n", omittingEmptySubsequences: false)
    // The stop is just after the last byte: 1-based column, one past the line's bytes.
    let column = (lines.last?.utf8.count ?? 0) + 1
    #expect(explanation.findings[0].summary.contains("line \(lines.count), column \(column)"))
  }

  /// A text export whose training cell ran before the cell above it: reproduced in the order
  /// of the execution counts only, and said to be.
  @Test func cellsRunOutOfFileOrderAreFound() throws {
    let edit = try #require(Self.edits["out-of-order"])
    #expect(edit.counts == [1, 3, 2])
    let notebook = try NotebookReader.read(path: FixturePath.url("causes/out-of-order.txt").path)
    let plan = try ReplayPlan.make(notebook)
    let verification = try NotebookVerifier.verify(plan)
    #expect(verification.isReproduced)
    let explanation = Explainer.explain(verification)
    #expect(explanation.findings.map(\.kind) == [.outOfOrder])
    #expect(explanation.findings[0].summary.contains("only that order reproduces the output"))
  }

  /// Whether a seed could explain the output: yes when the first prints after the draws
  /// differ (the seed-43 output under code that says 42), no when they match and only later
  /// values differ (the corrected code's output under the as-written code).
  @Test func aSeedIsSearchedOnlyWhenThePrintsAfterTheDrawsDiffer() throws {
    for (name, expected) in [("mismatch-seed", true), ("mismatch-corrected", false)] {
      let notebook = try NotebookReader.read(path: FixturePath.url("notebooks/\(name).txt").path)
      let verification = try NotebookVerifier.verify(try ReplayPlan.make(notebook))
      #expect(!verification.isReproduced)
      #expect(CodeSearch.seedCanExplain(verification) == expected, "\(name)")
    }
  }

  /// A value edited alone is no seed's or constant's doing: no search runs.
  @Test func anEditedValueStartsNoSearch() throws {
    let notebook = try NotebookReader.read(
      path: FixturePath.url("corpus/tampered/gradient-check.txt").path)
    let plan = try ReplayPlan.make(notebook)
    let verification = try NotebookVerifier.verify(plan)
    #expect(!verification.isReproduced)
    #expect(Explainer.search(plan, verification: verification, seeds: 1_000) == nil)
  }
}
