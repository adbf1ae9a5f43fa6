import Foundation
import Testing

@testable import Retrace

/// The seed and constant searches, against logs NumPy and CPython printed with one edit of the
/// code (Scripts/fixtures/causes.py: Fixtures/causes/index.json names each edit).
@Suite struct CodeSearchTests {
  struct Edit: Decodable {
    var line: Int
    var code: String
    var ran: String
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

  @Test(arguments: ["seed-default-rng", "seed-legacy", "seed-python-random", "seed-randomstate"])
  func theSeedThatMadeTheOutputIsFound(_ name: String) throws {
    let edit = try #require(Self.edits[name])
    let explanation = try Self.explain(name)
    let finding = try #require(explanation.findings.first)
    #expect(finding.kind == .wrongSeed)
    let facts = Self.evidence(finding)
    let ran = try #require(Int(edit.ran.filter(\.isNumber)))
    #expect(facts["seed_that_reproduces"] == String(ran))
    #expect(facts["line"] == String(edit.line))
    #expect(facts["seed_in_code"] == "\"\(edit.code.filter(\.isNumber))\"")
    // Every mismatch is explained by it, and no guess from the pattern is left.
    #expect(explanation.unexplained == 0)
    #expect(!explanation.findings.contains { $0.kind == .divergence || $0.kind == .isolatedValue })
  }

  @Test func aLearningRateChangedAfterTheRunIsFound() throws {
    let edit = try #require(Self.edits["lr-changed"])
    let explanation = try Self.explain("lr-changed")
    let finding = try #require(explanation.findings.first)
    #expect(finding.kind == .codeChanged)
    let facts = Self.evidence(finding)
    #expect(facts["name"] == "\"lr\"")
    #expect(facts["line"] == String(edit.line))
    #expect(facts["value_in_code"] == "\"0.05\"")
    #expect(facts["value_that_reproduces"] == "\"0.1\"")
    #expect(explanation.unexplained == 0)
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
