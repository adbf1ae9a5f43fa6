import Foundation
import Testing

@testable import Retrace

/// No false alarms: `explain` on every corpus notebook gives only the findings its known causes
/// call for (Fixtures/corpus/index.json: cells run out of order, values unverifiable by
/// design); the gradient audit and the searches run as they do for any notebook.
@Suite struct CorpusFindingsTests {
  struct Entry: Decodable {
    var name: String
    var outOfOrder: Bool
    var unverifiable: Bool
    enum CodingKeys: String, CodingKey {
      case name, unverifiable
      case outOfOrder = "out_of_order"
    }
  }
  struct Index: Decodable { var notebooks: [Entry] }

  @Test func everyCorpusNotebookHasOnlyTheFindingsOfItsKnownCauses() throws {
    let data = try Data(contentsOf: FixturePath.url("corpus/index.json"))
    let index = try JSONDecoder().decode(Index.self, from: data)
    #expect(index.notebooks.count > 30)
    var explained = 0
    for entry in index.notebooks {
      let path = FixturePath.url("corpus/\(entry.name).ipynb").path
      let notebook = try NotebookReader.read(path: path)
      let plan = try ReplayPlan.make(notebook)
      // A notebook retrace refuses (np.linalg.solve) has nothing to explain.
      guard let verification = try? NotebookVerifier.verify(plan) else { continue }
      let search = Explainer.search(plan, verification: verification, seeds: 100)
      let explanation = Explainer.explain(
        verification, audit: GradientAudit.run(plan), search: search)
      var allowed: Set<Finding.Kind> = []
      if entry.outOfOrder { allowed.insert(.outOfOrder) }
      if entry.unverifiable { allowed.insert(.unverifiable) }
      let kinds = Set(explanation.findings.map(\.kind))
      #expect(kinds.isSubset(of: allowed), "\(entry.name): \(kinds.map(\.rawValue))")
      explained += 1
    }
    #expect(explained >= 30)
  }
}

/// A notebook whose execution counts say another order than the one its outputs were made in:
/// the corpus's gradient-check text export (made in file order) with two cells' counts
/// swapped.
@Suite struct ExecutionOrderTests {
  @Test func outputsMadeInFileOrderAreSaidToBe() throws {
    var text = try FixturePath.text("corpus/gradient-check.txt")
    text = text.replacingOccurrences(of: "In [2]:", with: "In [@]:")
      .replacingOccurrences(of: "In [3]:", with: "In [2]:")
      .replacingOccurrences(of: "In [@]:", with: "In [3]:")
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "retrace-order-\(getpid()).txt")
    try text.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    let plan = try ReplayPlan.make(try NotebookReader.read(path: url.path))
    let verification = try NotebookVerifier.verify(plan)
    #expect(!verification.isReproduced)
    let explanation = Explainer.explain(verification)
    let finding = try #require(explanation.findings.first { $0.kind == .outOfOrder })
    #expect(finding.summary.contains("made with the cells in file order"))
    #expect(Explainer.search(plan, verification: verification, seeds: 10) == nil)
  }
}
