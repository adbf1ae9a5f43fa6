import Foundation
import NumPyKit

/// A verification with its findings: why each mismatch happened.
public struct Explanation: Sendable {
  /// The verification explained.
  public var verification: Verification
  /// The findings, most important first.
  public var findings: [Finding]
  /// For each mismatched value (record index, ordinal), the kind of finding that explains it.
  public var attribution: [ValueReference: Finding.Kind]
  /// The gradient audit of the training loop, when one ran.
  public var audit: GradientAudit? = nil

  /// A mismatched value's place: the record's index in the verification and the value's
  /// ordinal.
  public struct ValueReference: Hashable, Sendable, Comparable {
    /// The record's index in `verification.records`.
    public var record: Int
    /// The value's ordinal in the record.
    public var ordinal: Int

    /// Output order.
    public static func < (a: ValueReference, b: ValueReference) -> Bool {
      (a.record, a.ordinal) < (b.record, b.ordinal)
    }
  }

  /// The mismatched values no finding explains (of the records kept).
  public var unexplained: Int {
    var count = 0
    for (recordIndex, check) in verification.records.enumerated() {
      for value in check.values where value.verdict == .mismatch {
        if attribution[ValueReference(record: recordIndex, ordinal: value.ordinal)] == nil {
          count += 1
        }
      }
    }
    return count
  }
}

/// Works out the findings of a verification from its evidence alone: where the output stops,
/// where it departs from the code's text, which mismatches stand alone (an edited value) and
/// which start a divergence, what lies within the noise band, what was printed with fewer
/// digits, what cannot be reproduced by nature. (The gradient audit and the seed search, which
/// re-run the notebook, are the explanation issue's.)
public enum Explainer {
  /// Explains `verification`.
  public static func explain(
    _ verification: Verification, audit: GradientAudit?, search: Finding? = nil
  ) -> Explanation {
    var explanation = explain(verification)
    if var search {
      // A seed or a constant that reproduces the whole output explains every mismatch: the
      // findings that guessed at them from their pattern go.
      let guesses: Set<Finding.Kind> = [.isolatedValue, .divergence, .printOptions]
      explanation.findings.removeAll { guesses.contains($0.kind) }
      for reference in mismatchedValues(verification) {
        explanation.attribution[reference] = search.kind
      }
      search.explainedMismatches = verification.mismatched
      explanation.findings.insert(search, at: 0)
    }
    guard let audit else { return explanation }
    explanation.audit = audit
    explanation.findings.insert(contentsOf: gradientFindings(audit), at: 0)
    return explanation
  }

  /// The searches `explain` runs when the output diverges from the code's: another seed of the
  /// code's seeded generators (0..<`seeds`), then another value of one of its constants.
  public static func search(
    _ plan: ReplayPlan, verification: Verification, seeds: Int,
    progress: ((Int, Int) -> Void)? = nil
  ) -> Finding? {
    // Only a divergence (values that differ from some point on) can come from another seed or
    // constant; a value edited alone, or text that departs, cannot.
    guard !verification.isReproduced, verification.mismatched > 0,
      !verification.notes.contains(where: { $0.contains("the outputs were made in file order") })
    else { return nil }
    let (_, divergent) = splitIsolated(verification, mismatchedValues(verification))
    guard !divergent.isEmpty else { return nil }
    if let finding = CodeSearch.seed(
      plan, verification: verification, count: seeds, progress: progress)
    {
      return finding
    }
    return CodeSearch.constant(plan, machine: verification.machineModel)
  }

  /// One `gradient-bug` finding per parameter whose gradient finite differences contradict at
  /// some audited iteration (the first such iteration's numbers).
  static func gradientFindings(_ audit: GradientAudit) -> [Finding] {
    var findings: [Finding] = []
    var seen = Set<String>()
    for check in audit.checks where check.isWrong && !seen.contains(check.parameter) {
      seen.insert(check.parameter)
      let place =
        check.gradientLine.map { " (\(check.gradientCell ?? check.updateCell) line \($0))" } ?? ""
      let compared = check.entries - check.kinks - check.failed
      let iterations = audit.checks.filter { $0.parameter == check.parameter }.map(\.iteration)
      let wrongAt = audit.checks.filter { $0.parameter == check.parameter && $0.isWrong }.map(
        \.iteration)
      let index = check.worstIndex.map(String.init).joined(separator: ",")
      let entry = check.worstIndex.isEmpty ? check.parameter : "\(check.parameter)[\(index)]"
      let fix = audit.fixes.first { $0.parameter == check.parameter }
      let origins = audit.origins.first { $0.parameter == check.parameter }
      let accident = origins?.accidents.first
      let fixDetail = fix.map { fix in
        "\(fix.slip): with `\(fix.replacement)` in place of `\(fix.original)` (\(fix.cell) line "
          + "\(fix.line)), \(check.parameter)'s gradient agrees with finite differences in "
          + "\(fix.agreeing) of \(fix.compared) entries at iteration \(fix.iteration)"
      }
      var details: [String] = []
      if let diagnosis = check.diagnosis { details.append("\(check.gradient): \(diagnosis)") }
      if let why = origins?.explanation { details.append("why: \(why)") }
      if let fixDetail { details.append(fixDetail) }
      if fix != nil, let cost = audit.cost { details.append("cost: \(cost.summary)") }
      findings.append(
        Finding(
          kind: .gradientBug,
          summary:
            "\(check.gradient)\(place), the gradient that updates \(check.parameter) at "
            + "\(check.updateCell) line \(check.updateLine), is not the gradient of the loss "
            + "`\(audit.loss ?? "?")`: \(check.agreeing) of \(compared) entries agree with "
            + "finite differences, largest relative error \(format(check.largestError)).",
          details: details + [
            "at \(entry), iteration \(check.iteration): the code's gradient is "
              + "\(format(check.analytic)), central differences of the loss give "
              + "\(format(check.numeric))",
            "audited iterations \(iterations.map(String.init).joined(separator: ", ")); wrong at "
              + wrongAt.map(String.init).joined(separator: ", ")
              + (check.kinks > 0 ? "; \(check.kinks) entries at a kink excluded" : ""),
          ],
          evidence: [
            ("parameter", .text(check.parameter)), ("gradient", .text(check.gradient)),
            ("gradient_cell", check.gradientCell.map(Evidence.text) ?? .null),
            ("gradient_line", check.gradientLine.map(Evidence.integer) ?? .null),
            ("update_cell", .text(check.updateCell)), ("update_line", .integer(check.updateLine)),
            ("loss", audit.loss.map(Evidence.text) ?? .null),
            ("iteration", .integer(check.iteration)), ("entries", .integer(check.entries)),
            ("agreeing", .integer(check.agreeing)), ("kinks", .integer(check.kinks)),
            ("largest_relative_error", .number(check.largestError)),
            ("worst_index", .list(check.worstIndex.map(Evidence.integer))),
            ("analytic", .number(check.analytic)), ("numeric", .number(check.numeric)),
            ("diagnosis", check.diagnosis.map(Evidence.text) ?? .null),
            ("slip", fix.map { .text($0.slip) } ?? .null),
            ("fix", fix.map { .text($0.replacement) } ?? .null),
            ("fix_cell", fix.map { .text($0.cell) } ?? .null),
            ("fix_line", fix.map { .integer($0.line) } ?? .null),
            ("broadcast", accident.map(Self.accidentEvidence) ?? .null),
            ("loss_every", audit.cost.map { .integer($0.stride) } ?? .null),
            (
              "loss_as_written",
              audit.cost.map { cost in .list(cost.points(cost.written).map(Evidence.number)) }
                ?? .null
            ),
            (
              "loss_fixed",
              audit.cost.map { cost in .list(cost.points(cost.fixed).map(Evidence.number)) }
                ?? .null
            ),
            (
              "parameter_axes",
              origins.map { .list($0.parameterAxes.map { $0.map { .text($0.label) } ?? .null }) }
                ?? .null
            ),
          ]))
    }
    return findings
  }

  /// A broadcast accident as evidence: the operands, their aligned axes and origins, and the
  /// replay that proves it.
  static func accidentEvidence(_ accident: AxisOrigins.Accident) -> Evidence {
    func origin(_ origin: AxisOrigins.Origin?) -> Evidence {
      guard let origin else { return .null }
      return .object([
        ("extent", .integer(origin.extent)), ("label", .text(origin.label)),
        ("sources", .list(origin.sources.map(Evidence.text))),
      ])
    }
    return .object([
      ("update", .flag(accident.isUpdate)), ("left", .text(accident.left)),
      ("right", .text(accident.right)),
      ("left_shape", .list(accident.leftShape.map(Evidence.integer))),
      ("right_shape", .list(accident.rightShape.map(Evidence.integer))),
      ("left_axis", .integer(accident.leftAxis)), ("right_axis", .integer(accident.rightAxis)),
      ("extent", .integer(accident.extent)), ("left_origin", origin(accident.leftOrigin)),
      ("right_origin", origin(accident.rightOrigin)), ("changed", origin(accident.changed)),
      ("changed_to", .integer(accident.changedTo)), ("error_line", .integer(accident.errorLine)),
      ("error", .text(accident.error)),
    ])
  }

  public static func explain(_ verification: Verification) -> Explanation {
    var findings: [Finding] = []
    var attribution: [Explanation.ValueReference: Finding.Kind] = [:]
    if let finding = truncation(verification) { findings.append(finding) }
    findings += departures(verification)
    if let finding = outOfOrder(verification) { findings.append(finding) }

    var remaining = mismatchedValues(verification)
    func attribute(_ values: [Explanation.ValueReference], to kind: Finding.Kind) -> Int {
      let set = Set(values)
      for value in values { attribution[value] = kind }
      remaining.removeAll { set.contains($0) }
      return values.count
    }
    if !remaining.isEmpty {
      let (isolated, divergent) = splitIsolated(verification, remaining)
      if !isolated.isEmpty {
        var finding = isolatedFinding(verification, isolated)
        finding.explainedMismatches = attribute(isolated, to: .isolatedValue)
        findings.append(finding)
      }
      if !divergent.isEmpty {
        var finding = divergenceFinding(verification, divergent)
        finding.explainedMismatches = attribute(divergent, to: .divergence)
        findings.append(finding)
      }
    }
    if let finding = printOptions(verification) { findings.append(finding) }
    if let finding = noise(verification) { findings.append(finding) }
    if let finding = machine(verification) { findings.append(finding) }
    if let finding = unverifiable(verification) { findings.append(finding) }
    return Explanation(verification: verification, findings: findings, attribution: attribution)
  }

  static func mismatchedValues(_ v: Verification) -> [Explanation.ValueReference] {
    var result: [Explanation.ValueReference] = []
    for (index, check) in v.records.enumerated() {
      for value in check.values where value.verdict == .mismatch {
        result.append(.init(record: index, ordinal: value.ordinal))
      }
    }
    return result
  }

  static func describe(_ v: Verification, _ reference: Explanation.ValueReference) -> String {
    let check = v.records[reference.record]
    let record = check.record
    let value = check.values[reference.ordinal]
    return "\(record.name)\(VerificationReport.subscriptText(value.index)) "
      + "\(VerificationReport.runText(record)) at "
      + VerificationReport.place(v, record, value.position) + ": printed \(value.printed), "
      + "replayed \(value.replayed ?? "-")"
  }

  /// One printed value as evidence.
  static func valueEvidence(_ v: Verification, _ reference: Explanation.ValueReference)
    -> Evidence
  {
    let check = v.records[reference.record]
    let value = check.values[reference.ordinal]
    return .object([
      ("record", .text(check.record.name)), ("print", .integer(check.record.print)),
      ("run", .integer(check.record.occurrence)),
      ("index", .list(value.index.map { .integer($0) })),
      ("printed", .text(value.printed)), ("replayed", value.replayed.map { .text($0) } ?? .null),
      ("line", .integer(value.position.line)), ("column", .integer(value.position.column)),
    ])
  }

  // MARK: - truncated-log

  static func truncation(_ v: Verification) -> Finding? {
    guard let t = v.truncation else { return nil }
    let partial = v.records.last.flatMap { $0.record.isPartial ? $0 : nil }
    var details = [
      "The output stops at \(t.position.line):\(t.position.column) (\(t.cell)); the replay "
        + "stopped there too, so nothing the code prints after that point was run or checked.",
      "Verified: \(v.counts.records) printed records, \(v.checked) values in all.",
    ]
    if let partial {
      details.append(
        "The last value, \(partial.record.name) \(VerificationReport.runText(partial.record)), "
          + "is cut after \(partial.values.count) of its entries.")
    }
    return Finding(
      kind: .truncatedLog,
      summary:
        "The output stops at line \(t.position.line), column \(t.position.column): the "
        + "\(v.checked) values before it were verified; what the code prints after it could "
        + "not be.",
      details: details,
      evidence: [
        ("line", .integer(t.position.line)), ("column", .integer(t.position.column)),
        ("cell", .text(t.cell)), ("records", .integer(v.counts.records)),
        ("values_verified", .integer(v.checked)),
        ("partial_record", t.partialRecord.map { .text($0) } ?? .null),
      ])
  }

  // MARK: - departures and order

  static func departures(_ v: Verification) -> [Finding] {
    v.departures.map { d in
      Finding(
        kind: .departure,
        summary:
          "\(d.message) (\(VerificationReport.place(v, cell: d.cell, isCellRelative: d.isCellRelative, d.position)))",
        details: [
          "The code prints: \(d.expected)", "The output shows: \(d.found)",
          d.kind == .exception
            ? "The exception was compared by type and message."
            : "The output's text is not what this code prints: the code changed after the run, "
              + "or the output was edited; the rest of the cell was not aligned.",
        ],
        evidence: [
          ("kind", .text(d.kind.rawValue)), ("cell", .text(d.cell)),
          ("line", .integer(d.position.line)), ("column", .integer(d.position.column)),
          ("code_line", d.codeLine.map { .integer($0) } ?? .null),
          ("expected", .text(d.expected)), ("found", .text(d.found)),
        ])
    }
  }

  static func outOfOrder(_ v: Verification) -> Finding? {
    guard let order = v.notes.first(where: { $0.contains("by execution count") }) else {
      return nil
    }
    let needed = v.notes.contains { $0.contains("run out of order") }
    let fileOrder = v.notes.contains { $0.contains("the outputs were made in file order") }
    let neither = v.notes.contains { $0.contains("in neither order") }
    let summary: String
    if fileOrder {
      summary =
        "The outputs were made with the cells in file order, not in the order of their execution "
        + "counts: replayed in file order, the code reproduces them."
    } else if neither {
      summary =
        "The cells' execution counts give another order than the file's, and neither order "
        + "reproduces the output."
    } else if needed {
      summary = "The cells were run out of file order, and only that order reproduces the output."
    } else {
      summary = "The cells were run out of file order (the output does not depend on it)."
    }
    return Finding(
      kind: .outOfOrder, summary: summary,
      details: [order.prefix(1).uppercased() + order.dropFirst() + "."],
      evidence: [
        ("order_needed", .flag(needed)), ("reproduced_in_file_order", .flag(fileOrder)),
        ("reproduced_in_neither", .flag(neither)),
      ])
  }

  // MARK: - isolated-value and divergence

  /// Splits mismatches into isolated ones (the records of the same print after them are
  /// reproduced) and the divergent rest.
  static func splitIsolated(_ v: Verification, _ mismatches: [Explanation.ValueReference])
    -> ([Explanation.ValueReference], [Explanation.ValueReference])
  {
    let byRecord = Dictionary(grouping: mismatches, by: \.record)
    let failing = Set(byRecord.keys)
    var isolated: [Explanation.ValueReference] = []
    var divergent: [Explanation.ValueReference] = []
    for record in failing.sorted() {
      // A clean stretch after it, as long as the prints seen so far: every print runs again.
      let window = max(1, Set(v.records[...record].map(\.record.print)).count)
      let later = (record + 1)..<min(v.records.count, record + 1 + window)
      let followsClean = later.allSatisfy { !failing.contains($0) }
      let values = byRecord[record] ?? []
      if followsClean && (!later.isEmpty || values.count == 1) {
        isolated.append(contentsOf: values)
      } else {
        divergent.append(contentsOf: values)
      }
    }
    return (isolated, divergent)
  }

  static func isolatedFinding(_ v: Verification, _ values: [Explanation.ValueReference])
    -> Finding
  {
    let first = values[0]
    let check = v.records[first.record]
    let value = check.values[first.ordinal]
    let summary =
      values.count == 1
      ? "One printed value differs while everything printed after it matches: "
        + "\(check.record.name) at \(VerificationReport.place(v, check.record, value.position)) "
        + "reads \(value.printed) where the code gives \(value.replayed ?? "-") — an edited or "
        + "corrupted output, not a different computation."
      : "\(values.count) printed values differ while everything printed after them matches: "
        + "an edited or corrupted output, not a different computation."
    var details = values.prefix(20).map { describe(v, $0) }
    details.append(
      "Every value printed after \(values.count == 1 ? "it" : "them") is reproduced, so the "
        + "computation did not change; the text did.")
    return Finding(
      kind: .isolatedValue, summary: summary, details: details,
      evidence: [("values", .list(values.prefix(100).map { valueEvidence(v, $0) }))])
  }

  static func divergenceFinding(_ v: Verification, _ values: [Explanation.ValueReference])
    -> Finding
  {
    let first = values[0]
    let check = v.records[first.record]
    let value = check.values[first.ordinal]
    let later = values.count - 1
    let laterRecords = Set(values.dropFirst().map(\.record)).count
    return Finding(
      kind: .divergence,
      summary:
        "From \(check.record.name) at \(VerificationReport.place(v, check.record, value.position)) "
        + "on, the output departs from the code: \(later) later values differ, following from it.",
      details: [
        "First difference: " + describe(v, first) + ".",
        "After it, \(later) values in \(laterRecords) printed records differ: the run that "
          + "printed the output computed something else from there on (another seed, another "
          + "constant, another version of the code).",
      ],
      evidence: [
        ("first", valueEvidence(v, first)),
        ("later_values", .integer(later)), ("later_records", .integer(laterRecords)),
      ])
  }

  // MARK: - print-options

  /// Values printed with fewer digits than the replay prints, all within their rounding.
  static func printOptions(_ v: Verification) -> Finding? {
    var shorter = 0
    var digits: [Int: Int] = [:]
    for check in v.records {
      for value in check.values where value.verdict == .withinRounding {
        guard let replayed = value.replayed else { continue }
        let printedDigits = fractionDigits(value.printed)
        if printedDigits < fractionDigits(replayed) {
          shorter += 1
          digits[printedDigits, default: 0] += 1
        }
      }
    }
    guard shorter > 0, shorter * 2 >= v.count(.withinRounding) else { return nil }
    let most = digits.max { $0.value < $1.value }?.key ?? 0
    return Finding(
      kind: .printOptions,
      summary:
        "\(shorter) values are printed with fewer digits than the code prints them (mostly "
        + "\(most) after the point), and each is the replayed value rounded: the output was "
        + "printed with other print options (np.set_printoptions(precision=\(most)) or "
        + "similar) than the code shows.",
      details: ["Such values are within rounding, not mismatches."],
      evidence: [("values", .integer(shorter)), ("digits", .integer(most))])
  }

  static func fractionDigits(_ token: String) -> Int {
    let mantissa = token.split(whereSeparator: { $0 == "e" || $0 == "E" }).first ?? ""
    guard let dot = mantissa.firstIndex(of: ".") else { return 0 }
    return mantissa[mantissa.index(after: dot)...].filter(\.isNumber).count
  }

  // MARK: - summation-noise

  static func noise(_ v: Verification) -> Finding? {
    var rows: [(RecordCheck, ValueCheck)] = []
    for check in v.records {
      for value in check.values where value.verdict == .withinNoise { rows.append((check, value)) }
    }
    guard !rows.isEmpty else { return nil }
    let names = Array(Set(rows.map(\.0.record.expression))).sorted()
    let widest =
      rows.compactMap { row -> Double? in
        guard let band = row.1.noiseBand else { return nil }
        return band.upperBound - band.lowerBound
      }.max() ?? 0
    let details = rows.prefix(12).map { check, value in
      let band =
        value.noiseBand.map { "[\(format($0.lowerBound)), \(format($0.upperBound))]" } ?? "-"
      return "\(check.record.name)\(VerificationReport.subscriptText(value.index)) "
        + "\(VerificationReport.runText(check.record)): printed \(value.printed), replayed "
        + "\(value.replayed ?? "-"), noise band \(band)"
    }
    return Finding(
      kind: .summationNoise,
      summary:
        "\(v.count(.withinNoise)) printed values differ from the replay only inside the "
        + "floating-point noise band (\(names.joined(separator: ", "))): the spread of what other "
        + "machines' math libraries and BLAS summation orders compute; the machine that ran "
        + "the notebook computed them another way.",
      details: details + (rows.count > 12 ? ["…and \(rows.count - 12) more."] : []),
      evidence: [
        ("values", .integer(v.count(.withinNoise))),
        ("expressions", .list(names.map { .text($0) })),
        ("widest_band", .number(widest)),
        (
          "orders",
          .list(
            MachineModel.all.filter { $0.name != v.machine }.map { .text($0.name) }
              + NotebookVerifier.bandOrders(for: v.machineModel).map {
                .text($0.kernels.rawValue)
              })
        ),
      ])
  }

  // MARK: - machine

  /// The machine models under which the whole output is reproduced, when it is not under the
  /// model replayed, and the values that separate them.
  static func machine(_ v: Verification) -> Finding? {
    guard !v.machineMatches.isEmpty else { return nil }
    var separating: [(RecordCheck, ValueCheck)] = []
    for check in v.records {
      for value in check.values where value.noiseBand != nil { separating.append((check, value)) }
    }
    let names = v.machineMatches.map(\.model)
    let identified = v.machineMatches.filter(\.isIdentification)
    let summary: String
    if !identified.isEmpty {
      let machines = identified.map { "\($0.model) (\($0.summary))" }.joined(separator: "; or ")
      summary =
        "The output was printed by NumPy on \(machines): replayed so, every printed value is "
        + "reproduced exactly; replayed under \(v.machine), \(separating.count) values are not."
    } else {
      let reasons = v.machineMatches.map { match -> String in
        match.unmodelledUsed.isEmpty
          ? "\(match.model) is not checked against a real NumPy"
          : "the notebook runs \(match.unmodelledUsed.joined(separator: ", ")), which "
            + "\(match.model) does not model"
      }
      summary =
        "Replayed under \(names.joined(separator: " or ")) every printed value is reproduced "
        + "exactly, but \(reasons.joined(separator: "; ")): not an identification of the machine."
    }
    let details = separating.prefix(8).map { check, value in
      "\(check.record.name)\(VerificationReport.subscriptText(value.index)) "
        + "\(VerificationReport.runText(check.record)): printed \(value.printed); \(v.machine) "
        + "replays \(value.replayed ?? "-"); printed so by "
        + (value.machines.isEmpty ? "no model" : value.machines.joined(separator: ", "))
    }
    return Finding(
      kind: .machine, summary: summary,
      details: details + (separating.count > 8 ? ["…and \(separating.count - 8) more."] : []),
      evidence: [
        ("replayed_under", .text(v.machine)),
        ("reproduced_by", .list(names.map { .text($0) })),
        ("identified", .list(identified.map { .text($0.model) })),
        ("separating_values", .integer(separating.count)),
        (
          "unmodelled_used",
          .object(v.machineMatches.map { ($0.model, .list($0.unmodelledUsed.map { .text($0) })) })
        ),
      ])
  }

  // MARK: - unverifiable

  static func unverifiable(_ v: Verification) -> Finding? {
    guard v.count(.unverifiable) > 0 else { return nil }
    var reasons: [String: Int] = [:]
    for check in v.records {
      if let reason = check.record.unverifiable {
        reasons[reason, default: 0] += check.values.count
      }
    }
    return Finding(
      kind: .unverifiable,
      summary:
        "\(v.count(.unverifiable)) printed values cannot be reproduced by nature and were not "
        + "compared.",
      details: reasons.sorted { $0.key < $1.key }.map { "\($0.value) from \($0.key)" },
      evidence: [("values", .integer(v.count(.unverifiable)))])
  }
}

/// A number for people: 8 significant digits.
func format(_ value: Double) -> String {
  if value.isNaN { return "nan" }
  if value.isInfinite { return value < 0 ? "-inf" : "inf" }
  if value == 0 { return "0" }
  return String(format: "%.8g", value)
}
