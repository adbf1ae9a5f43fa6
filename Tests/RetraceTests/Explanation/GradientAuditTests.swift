import Foundation
import Testing

@testable import Retrace

/// The gradient audit against an oracle: Scripts/fixtures/audit.py runs each training script's
/// loop body in CPython + NumPy with one entry of one parameter moved by ±h and records, for
/// the first iteration, which gradients agree with central differences of the loss
/// (Fixtures/audit/index.json).
@Suite struct GradientAuditTests {
  struct Oracle: Decodable {
    struct Parameter: Decodable {
      var gradient: String
      var entries: Int
      var agreeing: Int
      var kinks: Int
      var wrong: Bool
      /// For a wrong gradient: "negative", "factor R" or "transpose" when one relation to the
      /// finite differences holds for every entry.
      var relation: String?
    }
    /// The planted slip's undoing, replayed in NumPy: which gradients then agree.
    struct Fix: Decodable {
      var line: Int
      var statement: String
      var agreeing: [String]
      var wrong: [String]
    }
    /// A broadcast accident's proof, run in NumPy: the sizes of one origin changed together
    /// (`edits` of them), the exception then raised and the line raising it.
    struct Broadcast: Decodable {
      var edits: Int
      var type: String
      var message: String
      var lineText: String
      enum CodingKeys: String, CodingKey {
        case edits, type, message
        case lineText = "line_text"
      }
    }
    struct Script: Decodable {
      var loss: String
      var parameters: [String: Parameter]
      var fix: Fix?
      var broadcast: Broadcast?
    }
    var scripts: [String: Script]
    var seedBroadcast: Broadcast
    enum CodingKeys: String, CodingKey {
      case scripts
      case seedBroadcast = "seed_broadcast"
    }
  }

  static let oracle: Oracle? = {
    guard let data = try? Data(contentsOf: FixturePath.url("audit/index.json")) else { return nil }
    return try? JSONDecoder().decode(Oracle.self, from: data)
  }()

  static let scripts = [
    "dropped-factor", "extra-transpose", "function-loop", "logistic-correct", "preactivation",
    "relu-mask",
    "sigmoid-missing-derivative", "tanh-wrong-sign", "wrong-axis", "missing-newaxis", "scalar-bias",
    "printed-loss", "step-elsewhere",
  ]

  static func plan(_ name: String) throws -> ReplayPlan {
    let notebook = try NotebookReader.read(path: FixturePath.url("audit/\(name).log").path)
    let code = try NotebookCode.readScript(
      FixturePath.text("audit/\(name).py"), name: "audit/\(name).py")
    return try ReplayPlan.make(notebook, code: [code], codeFile: "audit/\(name).py")
  }

  @Test(arguments: scripts)
  func everyGradientsVerdictIsTheOracles(_ name: String) throws {
    let expected = try #require(Self.oracle?.scripts[name])
    let audit = try #require(GradientAudit.run(try Self.plan(name)))
    #expect(audit.loss == expected.loss)
    #expect(audit.notes.isEmpty, "\(audit.notes)")
    let first = audit.checks.filter { $0.iteration == 0 }
    #expect(Set(first.map(\.parameter)) == Set(expected.parameters.keys))
    for check in first {
      let oracle = try #require(expected.parameters[check.parameter])
      #expect(check.gradient == oracle.gradient, "\(name) \(check.parameter)")
      #expect(check.isWrong == oracle.wrong, "\(name) \(check.parameter)")
      #expect(check.entries == oracle.entries)
      #expect(check.agreeing == oracle.agreeing, "\(name) \(check.parameter)")
      #expect(check.kinks == oracle.kinks, "\(name) \(check.parameter)")
      // The diagnosis says what the oracle's numbers say, and nothing when they say nothing.
      switch oracle.relation {
      case nil: #expect(check.diagnosis == nil, "\(name) \(check.parameter)")
      case "negative"?: #expect(check.diagnosis?.contains("a wrong sign") == true)
      case "transpose"?: #expect(check.diagnosis?.contains("the transpose") == true)
      case let relation?:
        let factor = relation.replacingOccurrences(of: "factor ", with: "")
        #expect(
          check.diagnosis?.contains("is \(factor) times the loss's gradient") == true,
          "\(name): \(check.diagnosis ?? "none") vs \(relation)")
      }
    }
    // Three iterations audited: the first, the middle and the last.
    #expect(Set(audit.checks.map(\.iteration)).count == 3)
  }

  @Test(arguments: scripts)
  func aWrongGradientIsAFindingWithItsFacts(_ name: String) throws {
    let expected = try #require(Self.oracle?.scripts[name])
    let plan = try Self.plan(name)
    let verification = try NotebookVerifier.verify(plan)
    let explanation = Explainer.explain(verification, audit: GradientAudit.run(plan))
    let findings = explanation.findings.filter { $0.kind == .gradientBug }
    let wrong = expected.parameters.filter(\.value.wrong)
    #expect(findings.count == wrong.count)
    for finding in findings {
      let evidence = Dictionary(uniqueKeysWithValues: finding.evidence.map { ($0.0, $0.1.json) })
      let parameter = try #require(evidence["parameter"]).replacingOccurrences(of: "\"", with: "")
      let oracle = try #require(wrong[parameter])
      #expect(evidence["gradient"] == "\"\(oracle.gradient)\"")
      #expect(evidence["loss"] == "\"\(expected.loss)\"")
      // The gradient's line is where the script assigns it.
      let source = try FixturePath.text("audit/\(name).py")
      let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
      let lineText = try #require(evidence["gradient_line"])
      let line = try #require(Int(lineText))
      let assigned = lines[line - 1].trimmingCharacters(in: .whitespaces)
      #expect(assigned.hasPrefix("\(oracle.gradient) ="))
    }
  }

  /// Each wrong gradient's fix is the planted slip's undoing, the one NumPy confirms (the
  /// oracle replays the fixed script: every gradient then agrees), and retrace's own audit of
  /// the corrected code finds no wrong gradient.
  @Test(arguments: scripts)
  func aWrongGradientsFixIsTheOneNumPyConfirms(_ name: String) throws {
    let expected = try #require(Self.oracle?.scripts[name])
    let plan = try Self.plan(name)
    let audit = try #require(GradientAudit.run(plan))
    let wrong = Set(audit.checks.filter(\.isWrong).map(\.parameter))
    guard let oracle = expected.fix else {
      #expect(wrong.isEmpty && audit.fixes.isEmpty, "\(name)")
      return
    }
    #expect(oracle.wrong.isEmpty, "NumPy: the fix leaves \(oracle.wrong) wrong")
    #expect(Set(audit.fixes.map(\.parameter)) == wrong, "\(name)")
    for fix in audit.fixes {
      #expect(fix.replacement == oracle.statement, "\(name) \(fix.parameter)")
      #expect(fix.line == oracle.line, "\(name) \(fix.parameter)")
      #expect(fix.agreeing == fix.compared && fix.compared > 0)
    }
    let corrected = try #require(GradientRepair.corrected(plan, audit.fixes))
    let after = try #require(GradientAudit.run(corrected))
    #expect(!after.checks.isEmpty && after.checks.allSatisfy { !$0.isWrong }, "\(name)")
    // The finding says the slip and the fixed line.
    let verification = try NotebookVerifier.verify(plan)
    let explanation = Explainer.explain(verification, audit: audit)
    for finding in explanation.findings where finding.kind == .gradientBug {
      let evidence = Dictionary(uniqueKeysWithValues: finding.evidence.map { ($0.0, $0.1.json) })
      #expect(evidence["fix_line"] == "\(oracle.line)")
      #expect(finding.details.contains { $0.contains(oracle.statement) })
    }
  }

  /// The seed's W1 line multiplies hidden-2 units by input features because both widths are
  /// 3: the fix that sums the hidden-2 axis first is found, and with it every gradient of the
  /// seed agrees with finite differences.
  @Test func theSeedsW1FixSumsTheAxisTheBroadcastPaired() throws {
    let plan = try ReplayPlan.make(NotebookReader.builtInSeed())
    let audit = try #require(GradientAudit.run(plan))
    let fix = try #require(audit.fixes.first)
    #expect(audit.fixes.count == 1)
    #expect(fix.parameter == "W1")
    #expect((fix.cell, fix.line) == ("In [73]", 13))
    #expect(fix.slip == "a broadcast that pairs two axes of equal size")
    #expect(
      fix.replacement
        == "W1_grad = np.sum(y_diff * W3 * (Z2>0) * W2.T * (np.reshape(Z1, (4,1))>0), axis=1, "
        + "keepdims=True) * X")
    let corrected = try #require(GradientRepair.corrected(plan, audit.fixes))
    let after = try #require(GradientAudit.run(corrected))
    #expect(Set(after.checks.map(\.parameter)).count == 6)
    #expect(after.checks.allSatisfy { !$0.isWrong })
  }

  /// The accident a wrong gradient's probe reports: its proof is NumPy's own error, the
  /// oracle's, for the same sizes changed; a wrong gradient with no accident planted has none.
  @Test(arguments: scripts)
  func aBroadcastAccidentIsProvedByTheErrorNumPyRaises(_ name: String) throws {
    let expected = try #require(Self.oracle?.scripts[name])
    let plan = try Self.plan(name)
    let audit = try #require(GradientAudit.run(plan))
    let accidents = audit.origins.flatMap(\.accidents)
    guard let oracle = expected.broadcast else {
      #expect(accidents.isEmpty, "\(name): \(accidents.map(\.error))")
      return
    }
    let accident = try #require(accidents.first, "\(name)")
    // (A transposed square gradient pairs both axes wrongly: one accident per axis.)
    #expect(accidents.count == (name == "extra-transpose" ? 2 : 1), "\(name)")
    try Self.expectProof(accident, oracle, code: FixturePath.text("audit/\(name).py"))
  }

  static func expectProof(
    _ accident: AxisOrigins.Accident, _ oracle: Oracle.Broadcast, code: String
  ) throws {
    #expect(accident.error == "NumPy's \(oracle.type): \(oracle.message)")
    #expect(accident.changed.sources.count == oracle.edits)
    let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
    let line = try #require(
      lines.indices.contains(accident.errorLine - 1) ? lines[accident.errorLine - 1] : nil)
    #expect(line.trimmingCharacters(in: .whitespaces) == oracle.lineText)
    // The two aligned axes come from different size literals.
    #expect(accident.leftOrigin != accident.rightOrigin)
  }

  /// The seed's W1 line: hidden-2 units (W2's rows, B2, W3's columns) paired with input
  /// features (X, W1's columns); changing the hidden-2 width makes the line raise NumPy's
  /// broadcast error; W1's rows and columns are named by their origins.
  @Test func theSeedsW1BroadcastPairsHiddenUnitsWithInputFeatures() throws {
    let plan = try ReplayPlan.make(NotebookReader.builtInSeed())
    let audit = try #require(GradientAudit.run(plan))
    let origins = try #require(audit.origins.first { $0.parameter == "W1" })
    #expect(audit.origins.count == 1)
    let accident = try #require(origins.accidents.first)
    #expect((origins.cell, origins.line) == ("In [73]", 13))
    #expect(accident.right == "X" && accident.extent == 3 && !accident.isUpdate)
    #expect(accident.leftOrigin?.names == ["W2 axis 0", "B2 axis 0", "W3 axis 1"])
    #expect(accident.rightOrigin?.names == ["X axis 0", "W1 axis 1"])
    let oracle = try #require(Self.oracle?.seedBroadcast)
    let cell = try #require(plan.cells.first { $0.parsed.label == "In [73]" })
    try Self.expectProof(accident, oracle, code: cell.parsed.code)
    #expect(origins.parameterAxes.map { $0?.names.first } == ["W1 axis 0", "X axis 0"])
    #expect(origins.parameterAxes[0]?.names.contains("the 4 at In [73] line 13") == true)
    // The finding says it, and the HTML heat map names its rows and columns so.
    let explanation = Explainer.explain(try NotebookVerifier.verify(plan), audit: audit)
    let finding = try #require(explanation.findings.first { $0.kind == .gradientBug })
    #expect(
      finding.details.contains { $0.hasPrefix("why: the broadcast in In [73] line 13 pairs") })
    let evidence = Dictionary(uniqueKeysWithValues: finding.evidence.map { ($0.0, $0.1) })
    guard case .object(let broadcast)? = evidence["broadcast"] else {
      Issue.record("no broadcast evidence")
      return
    }
    #expect(broadcast.first { $0.0 == "right" }?.1 == .text("X"))
    let html = HTMLReport.render(explanation)
    #expect(
      html.contains(
        "rows: W1 axis 0, B1 axis 0, W2 axis 1, the 4 at In [73] line 13; "
          + "columns: X axis 0, W1 axis 1"))
  }

  /// The cost of a wrong gradient: the loss per iteration as written and with the fix. Where
  /// the script prints its loss with every digit, the two curves are NumPy's own runs of the
  /// script as written (`.log`) and as fixed (`.fixed.log`), bit for bit.
  @Test func theCostOfAWrongGradientIsTheLossAsWrittenAgainstTheFixedRun() throws {
    let plan = try Self.plan("extra-transpose")
    let audit = try #require(GradientAudit.run(plan))
    let cost = try #require(audit.cost)
    #expect(cost.written.count == 80 && cost.fixed.count == 80)
    func printed(_ file: String) throws -> [Int: Double] {
      var result: [Int: Double] = [:]
      for line in try FixturePath.text("audit/\(file)").split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 2, let k = Int(parts[0]), let loss = Double(parts[1]) {
          result[k] = loss
        }
      }
      return result
    }
    let written = try printed("extra-transpose.log")
    let fixed = try printed("extra-transpose.fixed.log")
    #expect(written.count == 4 && fixed.count == 4)
    for (k, loss) in written { #expect(cost.written[k].bitPattern == loss.bitPattern, "\(k)") }
    for (k, loss) in fixed { #expect(cost.fixed[k].bitPattern == loss.bitPattern, "\(k)") }
    let explanation = Explainer.explain(try NotebookVerifier.verify(plan), audit: audit)
    let finding = try #require(explanation.findings.first { $0.kind == .gradientBug })
    #expect(finding.details.contains { $0.hasPrefix("cost: over 80 iterations the loss goes") })
    let html = HTMLReport.render(explanation)
    #expect(html.contains("class=\"curve cost\""))
    #expect(html.components(separatedBy: "<polyline").count - 1 == 3)
  }

  /// The loss curve is read at each iteration's update of an audited parameter, not at a
  /// rebinding such as `scores = scores - scores.max(…)` before the loss: its points are the
  /// loss NumPy printed for those iterations (to the 6 decimals printed).
  @Test func theLossCurveIsReadAtTheParametersUpdate() throws {
    let plan = try Self.plan("step-elsewhere")
    let audit = try #require(GradientAudit.run(plan))
    let cost = try #require(audit.cost)
    #expect(cost.written.count == 30)
    for (file, values) in [
      ("step-elsewhere.log", cost.written), ("step-elsewhere.fixed.log", cost.fixed),
    ] {
      var lines = 0
      for line in try FixturePath.text("audit/\(file)").split(separator: "\n") {
        let parts = line.split(separator: " ")
        guard parts.count == 4, let k = Int(parts[1]) else { continue }
        #expect(String(format: "%.6f", values[k]) == String(parts[3]), "\(file) \(k)")
        lines += 1
      }
      #expect(lines == 3)
    }
  }

  /// The HTML report draws each wrong gradient's heat map (every entry against central
  /// differences) and the loss the script prints as a curve.
  @Test func theHTMLReportDrawsWrongGradientsAndTheLoss() throws {
    let plan = try Self.plan("sigmoid-missing-derivative")
    let verification = try NotebookVerifier.verify(plan)
    let explanation = Explainer.explain(verification, audit: GradientAudit.run(plan))
    let html = HTMLReport.render(explanation)
    // dW1 and db1 are wrong: two heat maps, of 2 x 3 and 1 x 3 entries.
    #expect(html.components(separatedBy: "<table class=\"heat\">").count - 1 == 2)
    #expect(html.contains("<code>dW1</code> against finite differences of <code>loss</code>"))
    #expect(html.components(separatedBy: "<td style=\"background").count - 1 == 9)
    #expect(html.contains("<polyline"))
    #expect(html.contains("3 printed values"))
  }

  /// The seed with `epochs = 1000000`, its output cut in epoch 0: the audit's replays stop
  /// where the saved output does, and audit what was printed.
  @Test func aMillionEpochsCutAfterTheFirstAreAuditedOverWhatWasPrinted() throws {
    let text = BuiltInSeed.text.replacingOccurrences(
      of: "epochs = 10\n", with: "epochs = 1000000\n")
    let notebook = try NotebookReader.read(data: Data(text.utf8), name: "million.txt")
    let plan = try ReplayPlan.make(notebook)
    let verification = try NotebookVerifier.verify(plan)
    #expect(verification.printsReplayed > 0)
    let audit = try #require(GradientAudit.run(plan, prints: verification.printsReplayed))
    #expect(Set(audit.checks.map(\.iteration)) == [0])
    #expect(audit.checks.filter(\.isWrong).map(\.parameter) == ["W1"])
  }

  /// Verify's replay counts the loops as it runs (`Verification.loops`); the audit given that
  /// census finds the same training loop, iterations and verdicts as with a replay of its own.
  @Test(arguments: scripts + ["seed"])
  func verifysLoopCensusGivesTheAuditItsOwnReplaysLoop(_ name: String) throws {
    let plan =
      name == "seed" ? try ReplayPlan.make(NotebookReader.builtInSeed()) : try Self.plan(name)
    let verification = try NotebookVerifier.verify(plan)
    let prints = verification.printsReplayed
    if name == "seed" {
      // Its output is cut in the first epoch, before the updates: no census is kept.
      #expect(verification.loops == nil)
      return
    }
    guard let census = verification.loops, census.trainingLoop != nil,
      let own = GradientAudit.run(plan, prints: prints),
      let given = GradientAudit.run(plan, prints: prints, census: census)
    else {
      Issue.record("\(name): no census, or no audit")
      return
    }
    #expect(given.loopCell == own.loopCell)
    #expect(given.loopLine == own.loopLine)
    #expect(given.loss == own.loss)
    #expect(given.checks.count == own.checks.count)
    #expect(given.checks.map(\.iteration) == own.checks.map(\.iteration))
    #expect(given.checks.map(\.isWrong) == own.checks.map(\.isWrong))
    #expect(given.cost?.written == own.cost?.written)
  }

  /// The seed: W1's gradient is found wrong by finite differences (its broadcast accident),
  /// the other five right, at every audited iteration; nothing about the seed is assumed.
  @Test func theSeedsW1GradientIsWrongAndTheOtherFiveAgree() throws {
    let plan = try ReplayPlan.make(NotebookReader.builtInSeed())
    let audit = try #require(GradientAudit.run(plan))
    #expect(audit.loss == "loss")
    #expect(audit.loopCell == "In [77]")
    let parameters = Set(audit.checks.map(\.parameter))
    #expect(parameters == ["W1", "W2", "W3", "B1", "B2", "B3"])
    for check in audit.checks {
      #expect(check.isWrong == (check.parameter == "W1"), "\(check.parameter) \(check.iteration)")
      #expect(check.gradient == check.parameter + "_grad")
    }
    let w1 = try #require(audit.checks.first { $0.parameter == "W1" })
    #expect(w1.gradientCell == "In [73]")
    #expect(w1.updateCell == "In [74]")
  }

  /// No gradient-bug finding on any corpus notebook: none has a planted gradient bug.
  @Test func noCorpusNotebookHasAGradientFinding() throws {
    let folder = FixturePath.url("corpus")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".ipynb") }.sorted()
    #expect(names.count > 20)
    for name in names {
      let notebook = try NotebookReader.read(path: folder.appendingPathComponent(name).path)
      guard let plan = try? ReplayPlan.make(notebook), let audit = GradientAudit.run(plan) else {
        continue
      }
      let wrong = audit.checks.filter(\.isWrong).map(\.parameter)
      #expect(wrong.isEmpty, "\(name)")
    }
  }
}
