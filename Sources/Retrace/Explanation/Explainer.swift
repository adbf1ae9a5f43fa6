import Foundation
import NumPyKit

/// A verification with its findings: why each mismatch happened, and whether the code computes
/// what it claims.
public struct Explanation: Sendable {
  /// The verification explained.
  public var verification: SeedVerification
  /// The findings, most important first.
  public var findings: [Finding]
  /// The gradient audit (nil when the code could not be replayed).
  public var audit: GradientAudit?
  /// For each mismatched value (record index, ordinal), the kind of finding that explains it.
  public var attribution: [ValueReference: Finding.Kind]

  /// A mismatched value's place: the record's index in the trace and the value's ordinal.
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

  /// The mismatched values no finding explains.
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

/// Works out the findings of a verification.
public enum Explainer {
  /// How far the seed search goes by default (seeds 0 ..< this).
  public static let defaultSeedSearchLimit: UInt64 = 1_000_000

  /// Explains `verification` of a notebook whose code is `experiment`.
  ///
  /// - Parameters:
  ///   - seedSearchLimit: seeds 0 ..< this are tried when the initial weights differ.
  ///   - progress: the seed search's progress, 0…1 (called from worker threads).
  public static func explain(
    _ verification: SeedVerification, experiment: Experiment,
    seedSearchLimit: UInt64 = defaultSeedSearchLimit,
    progress: (@Sendable (Double) -> Void)? = nil
  ) -> Explanation {
    var findings: [Finding] = []
    var attribution: [Explanation.ValueReference: Finding.Kind] = [:]
    let audit = try? GradientAudit.run(experiment, trace: verification.trace)
    if let finding = audit?.finding { findings.append(finding) }
    if let finding = truncation(verification) { findings.append(finding) }

    let mismatched = mismatchedValues(verification)
    var remaining = Set(mismatched)
    func attribute(_ values: [Explanation.ValueReference], to kind: Finding.Kind) -> Int {
      var count = 0
      for value in values where remaining.contains(value) {
        attribution[value] = kind
        remaining.remove(value)
        count += 1
      }
      return count
    }

    if !mismatched.isEmpty {
      if var finding = seedMismatch(
        verification, experiment: experiment, limit: seedSearchLimit, progress: progress)
      {
        finding.explainedMismatches = attribute(mismatched, to: .seedMismatch)
        findings.append(finding)
      } else if var finding = otherModel(verification, experiment: experiment) {
        finding.explainedMismatches = attribute(mismatched, to: .traceFromCorrectedCode)
        findings.append(finding)
      }
    }
    if var finding = printOptions(verification, experiment: experiment) {
      // The finding holds only when every printed token is the replayed value printed with
      // the other options, so it explains every difference left.
      finding.explainedMismatches = attribute(mismatched, to: .printOptions)
      findings.append(finding)
    }
    if !remaining.isEmpty {
      let (isolated, divergent) = splitIsolated(verification, Array(remaining).sorted(by: <))
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
    if let finding = noise(verification) { findings.append(finding) }
    return Explanation(
      verification: verification, findings: findings, audit: audit, attribution: attribution)
  }

  static func mismatchedValues(_ v: SeedVerification) -> [Explanation.ValueReference] {
    var result: [Explanation.ValueReference] = []
    for (index, check) in v.records.enumerated() {
      for value in check.values where value.verdict == .mismatch {
        result.append(.init(record: index, ordinal: value.ordinal))
      }
    }
    return result
  }

  static func describe(_ v: SeedVerification, _ reference: Explanation.ValueReference) -> String {
    let check = v.records[reference.record]
    let record = check.record
    let value = check.values[reference.ordinal]
    let epoch = record.epoch.map { "epoch \($0)" } ?? "before the loop"
    let index =
      value.index.isEmpty ? "" : "[" + value.index.map(String.init).joined(separator: ",") + "]"
    return "\(record.label)\(index) (print \(record.print), \(epoch)) at "
      + SeedVerificationReport.place(v, record, value.position) + ": printed \(value.printed), "
      + "replayed \(value.replayed ?? "-")"
  }

  // MARK: - truncated-log

  static func truncation(_ v: SeedVerification) -> Finding? {
    guard v.trace.isTruncated, let at = v.trace.truncatedAt else { return nil }
    let shown = v.records.count
    let complete = v.records.filter { !$0.record.isPartial }.count
    let expected = v.replay.values.count
    let partial = v.records.last.map { $0.record.isPartial ? $0 : nil } ?? nil
    var details = [
      "The output stops at \(at.line):\(at.column)\(v.trace.truncatedCell.map { " (\($0))" } ?? "").",
      "Verified: \(complete) complete printed arrays"
        + (partial.map { ", and the first \($0.values.count) entries of \($0.record.label)" } ?? "")
        + " — \(v.checked) numbers in all.",
      "Not verifiable: the \(max(0, expected - shown)) further arrays the code prints after "
        + "that point (\(expected) in all).",
    ]
    if let partial {
      details.append(
        "The last value, \(partial.record.label) of "
          + "\(partial.record.epoch.map { "epoch \($0)" } ?? "the first print"), is cut after "
          + "\(partial.values.count) of its entries.")
    }
    return Finding(
      kind: .truncatedLog,
      summary:
        "The output stops at line \(at.line), column \(at.column): the \(v.checked) numbers "
        + "before it were verified; the \(max(0, expected - shown)) further arrays the code "
        + "prints could not be.",
      details: details,
      evidence: [
        ("line", .integer(at.line)), ("column", .integer(at.column)),
        ("cell", v.trace.truncatedCell.map { .text($0) } ?? .null),
        ("records_shown", .integer(shown)), ("records_complete", .integer(complete)),
        ("records_expected", .integer(expected)), ("values_verified", .integer(v.checked)),
        ("partial_label", partial.map { .text($0.record.label) } ?? .null),
      ])
  }

  // MARK: - seed-mismatch

  static func seedMismatch(
    _ v: SeedVerification, experiment: Experiment, limit: UInt64,
    progress: (@Sendable (Double) -> Void)?
  ) -> Finding? {
    var draws: [(name: String, shape: [Int])] = []
    var codeSeed: UInt32? = nil
    for step in experiment.steps {
      if case .seed(let seed) = step, codeSeed == nil { codeSeed = seed }
      if case .draw(let name, let shape) = step { draws.append((name, shape)) }
    }
    guard let codeSeed, let firstDraw = draws.first else { return nil }
    // The initial weights as printed before the loop.
    var printed: [String: ArrayLiteral] = [:]
    var initialMismatch = false
    for check in v.records where check.record.epoch == nil {
      guard draws.contains(where: { $0.name == check.record.label }) else { continue }
      if printed[check.record.label] == nil { printed[check.record.label] = check.record.literal }
      if check.problem != nil || !check.mismatches.isEmpty { initialMismatch = true }
    }
    guard initialMismatch, let first = printed[firstDraw.name], first.count >= 2 else {
      return nil
    }
    var targets: [(value: Double, unit: Double)] = []
    for ordinal in 0..<2 {
      guard let unit = lastDigitUnit(of: first.texts[ordinal]) else { return nil }
      targets.append((first.values[ordinal], unit))
    }
    let search = SeedSearch(targets: targets, draws: draws, printed: printed)
    // When the code's own seed gives the first printed weights, the seed is right and what
    // differs is something else (an edited value, a different computation).
    if search.quickMatch(codeSeed) { return nil }
    let started = Date()
    let found = search.run(in: 0..<limit, progress: progress)
    let seconds = Date().timeIntervalSince(started)
    if found == codeSeed { return nil }
    var details = [
      "The code seeds with np.random.seed(\(codeSeed)); its first draw \(firstDraw.name) would "
        + "print differently from the output."
    ]
    var reproducedWith: UInt32? = nil
    if let seed = found {
      var variant = experiment
      variant.steps = variant.steps.map { step in
        if case .seed = step { return .seed(seed) }
        return step
      }
      if let other = try? SeedVerifier.verify(v.trace, experiment: variant, model: v.model),
        other.isReproduced
      {
        reproducedWith = seed
      }
    }
    let summary: String
    if let seed = found {
      details.append(
        "Searched seeds from 0 up: np.random.seed(\(seed)) is the first that produces every "
          + "printed initial weight (\(String(format: "%.1f", seconds)) s).")
      if let reproducedWith {
        details.append(
          "With np.random.seed(\(reproducedWith)), every printed value of the output is "
            + "reproduced.")
      }
      summary =
        "The printed initial weights do not come from np.random.seed(\(codeSeed)) in the code; "
        + "np.random.seed(\(seed)) produces them."
    } else {
      details.append(
        "Searched seeds 0 to \(limit - 1) in \(String(format: "%.1f", seconds)) s: none "
          + "produces the printed initial weights.")
      summary =
        "The printed initial weights do not come from np.random.seed(\(codeSeed)) in the code, "
        + "nor from any seed from 0 to \(limit - 1)."
    }
    return Finding(
      kind: .seedMismatch, summary: summary, details: details,
      evidence: [
        ("code_seed", .integer(Int(codeSeed))),
        ("seed_found", found.map { .integer(Int($0)) } ?? .null),
        ("searched", .object([("from", .integer(0)), ("to", .integer(Int(limit - 1)))])),
        ("reproduced_with", reproducedWith.map { .integer(Int($0)) } ?? .null),
        ("seconds", .number(seconds)),
      ])
  }

  // MARK: - trace-from-corrected-code

  static func otherModel(_ v: SeedVerification, experiment: Experiment) -> Finding? {
    let other: ReplayEngine.Model
    switch (v.model, experiment.w1Gradient) {
    case (.asWritten, .asWritten): other = .corrected
    default: return nil
    }
    guard let alternative = try? SeedVerifier.verify(v.trace, experiment: experiment, model: other),
      alternative.isReproduced
    else { return nil }
    let line = experiment.w1GradientLine
    let firstW1 = v.records.first { $0.record.label == "W1_grad" && !$0.mismatches.isEmpty }
    var details = [
      "Against the code as written, \(v.mismatched) printed values differ; against the code with "
        + "`W1_grad = np.outer(B1_grad, X)`, every printed value is reproduced "
        + "(\(alternative.count(.exact)) exact).",
      "The code shown (\(line.cell), line \(line.line)) has the broadcast W1 line; the output was "
        + "made by the corrected line — the notebook was edited after it ran, or the reverse.",
    ]
    if let firstW1 {
      details.append(
        "The first difference is W1_grad of epoch \(firstW1.record.epoch.map(String.init) ?? "-"), "
          + "and everything trained from it differs after.")
    }
    return Finding(
      kind: .traceFromCorrectedCode,
      summary:
        "The output matches the corrected gradient np.outer(B1_grad, X), not the code shown: the "
        + "notebook was edited after it ran (or the reverse).",
      details: details,
      evidence: [
        ("model_of_output", .text(other.rawValue)),
        ("mismatched_as_written", .integer(v.mismatched)),
        ("exact_corrected", .integer(alternative.count(.exact))),
        ("cell", .text(line.cell)), ("line", .integer(line.line)),
      ])
  }

  // MARK: - print-options

  /// The print option sets tried when tokens differ from the replay's.
  static func candidateOptions(_ base: PrintOptions) -> [PrintOptions] {
    // Fewest changes first: precision alone, then with suppress, then with floatmode.
    var result: [PrintOptions] = []
    for changes in 1...3 {
      for precision in 0...17 {
        for suppress in [base.suppress, !base.suppress] {
          for mode in [base.floatMode]
            + PrintOptions.FloatMode.allCases.filter({ $0 != base.floatMode })
          {
            var options = base
            options.precision = precision
            options.suppress = suppress
            options.floatMode = mode
            let changed =
              (precision != base.precision ? 1 : 0) + (suppress != base.suppress ? 1 : 0)
              + (mode != base.floatMode ? 1 : 0)
            if changed == changes { result.append(options) }
          }
        }
      }
    }
    return result
  }

  static func tokens(_ check: SeedRecordCheck, _ replay: Replay, options: PrintOptions) -> [String]? {
    guard let value = replayedArray(check, replay) else { return nil }
    let text = ArrayFormatter(options: options).string(value)
    return try? ArrayLiteralParser(maximumCount: Int.max).parse(text).texts
  }

  /// The replayed array a record was compared with (the verifier kept its place).
  static func replayedArray(_ check: SeedRecordCheck, _ replay: Replay) -> NDArray? {
    guard let index = check.replayedIndex, index < replay.values.count,
      case .array(let array) = replay.values[index].value
    else { return nil }
    return array
  }

  static func printOptions(_ v: SeedVerification, experiment: Experiment) -> Finding? {
    let differing = v.records.filter { check in
      check.problem == nil && check.values.contains { $0.verdict != .exact }
    }
    guard !differing.isEmpty else { return nil }
    // Only worth it when the differences look like formatting: shapes agree and every value is
    // within rounding or noise, or mismatches are few.
    let codeOptions = v.replay.values.first?.options ?? experiment.printOptions
    let sample = Array(v.records.filter { $0.problem == nil && !$0.record.isPartial }.prefix(40))
    var best: (PrintOptions, Int)? = nil
    for candidate in candidateOptions(codeOptions) {
      var exact = 0
      for check in sample {
        guard let tokens = tokens(check, v.replay, options: candidate),
          tokens.count >= check.values.count
        else { continue }
        exact += zip(check.values, tokens).filter { $0.printed == $1 }.count
      }
      if exact > (best?.1 ?? 0) { best = (candidate, exact) }
      if exact == sample.reduce(0, { $0 + $1.values.count }) { break }
    }
    let sampleCount = sample.reduce(0) { $0 + $1.values.count }
    guard let (options, exact) = best, sampleCount > 0, exact == sampleCount else { return nil }
    // Confirm on every record.
    for check in v.records where check.problem == nil {
      guard let tokens = tokens(check, v.replay, options: options) else { return nil }
      for value in check.values
      where value.ordinal >= tokens.count || tokens[value.ordinal] != value.printed {
        return nil
      }
    }
    func describe(_ o: PrintOptions) -> String {
      "precision=\(o.precision), suppress=\(o.suppress ? "True" : "False"), "
        + "floatmode='\(o.floatMode.rawValue)'"
    }
    var changed: [String] = []
    if options.precision != codeOptions.precision {
      changed.append("precision=\(options.precision)")
    }
    if options.suppress != codeOptions.suppress {
      changed.append("suppress=\(options.suppress ? "True" : "False")")
    }
    if options.floatMode != codeOptions.floatMode {
      changed.append("floatmode='\(options.floatMode.rawValue)'")
    }
    return Finding(
      kind: .printOptions,
      summary:
        "The output was printed with np.set_printoptions(\(changed.joined(separator: ", "))), "
        + "which the code does not show (it prints with \(describe(codeOptions))).",
      details: [
        "Re-printing every replayed value with \(describe(options)) gives every printed token "
          + "exactly; with the code's options (\(describe(codeOptions))) \(v.count(.exact)) of "
          + "\(v.checked) tokens match and the rest differ only in their digits.",
        "The numbers are the code's; only the print options differ.",
      ],
      evidence: [
        (
          "printed_with",
          .object([
            ("precision", .integer(options.precision)), ("suppress", .flag(options.suppress)),
            ("floatmode", .text(options.floatMode.rawValue)),
          ])
        ),
        (
          "code_options",
          .object([
            ("precision", .integer(codeOptions.precision)),
            ("suppress", .flag(codeOptions.suppress)),
            ("floatmode", .text(codeOptions.floatMode.rawValue)),
          ])
        ),
      ])
  }

  // MARK: - isolated-value and divergence

  /// Splits mismatches into isolated ones (the values computed after them match) and the
  /// divergent rest.
  static func splitIsolated(_ v: SeedVerification, _ mismatches: [Explanation.ValueReference])
    -> ([Explanation.ValueReference], [Explanation.ValueReference])
  {
    let window = max(1, recordsPerEpoch(v))
    let byRecord = Dictionary(grouping: mismatches, by: \.record)
    let recordsWithMismatch = Set(byRecord.keys)
    var isolated: [Explanation.ValueReference] = []
    var divergent: [Explanation.ValueReference] = []
    for record in recordsWithMismatch.sorted() {
      let later = (record + 1)..<min(v.records.count, record + 1 + window)
      let followsClean = later.allSatisfy { !recordsWithMismatch.contains($0) }
      let values = byRecord[record] ?? []
      // One wrong value (or a few in one record) with a clean epoch after it: an edit.
      if followsClean && !later.isEmpty {
        isolated.append(contentsOf: values)
      } else if followsClean && later.isEmpty && values.count == 1 {
        isolated.append(contentsOf: values)
      } else {
        divergent.append(contentsOf: values)
      }
    }
    return (isolated, divergent)
  }

  static func recordsPerEpoch(_ v: SeedVerification) -> Int {
    let epochs = v.records.compactMap(\.record.epoch)
    guard let first = epochs.first else { return v.records.count }
    return epochs.filter { $0 == first }.count
  }

  static func isolatedFinding(_ v: SeedVerification, _ values: [Explanation.ValueReference]) -> Finding
  {
    let lines = values.map { describe(v, $0) }
    let first = values[0]
    let check = v.records[first.record]
    let value = check.values[first.ordinal]
    let summary =
      values.count == 1
      ? "One printed value differs while everything computed from it matches: "
        + "\(check.record.label) at \(SeedVerificationReport.place(v, check.record, value.position)) "
        + "reads \(value.printed) where the code gives \(value.replayed ?? "-") — an edited or "
        + "corrupted log, not a different computation."
      : "\(values.count) printed values differ while the values computed from them match: an "
        + "edited or corrupted log, not a different computation."
    var details = lines
    details.append(
      "Every value printed after \(values.count == 1 ? "it" : "them") — including those computed "
        + "from \(values.count == 1 ? "it" : "them") — is reproduced, so the computation did not "
        + "change; the text did.")
    return Finding(
      kind: .isolatedValue, summary: summary, details: details,
      evidence: [
        (
          "values",
          .list(values.map { valueEvidence(v, $0) })
        )
      ])
  }

  /// One printed value as evidence: where it is, what was printed, what the code gives.
  static func valueEvidence(_ v: SeedVerification, _ reference: Explanation.ValueReference)
    -> Evidence
  {
    let check = v.records[reference.record]
    let value = check.values[reference.ordinal]
    return .object([
      ("print", .integer(check.record.print)),
      ("epoch", check.record.epoch.map { .integer($0) } ?? .null),
      ("label", .text(check.record.label)),
      ("index", .list(value.index.map { .integer($0) })),
      ("printed", .text(value.printed)), ("replayed", value.replayed.map { .text($0) } ?? .null),
      ("line", .integer(value.position.line)), ("column", .integer(value.position.column)),
    ])
  }

  static func divergenceFinding(_ v: SeedVerification, _ values: [Explanation.ValueReference])
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
        "From \(check.record.label) at \(SeedVerificationReport.place(v, check.record, value.position)) "
        + "on, the output departs from the code: \(later) later values differ, following from it.",
      details: [
        "First difference: " + describe(v, first) + ".",
        "After it, \(later) values in \(laterRecords) printed records differ.",
      ],
      evidence: [
        ("first", valueEvidence(v, first)),
        ("later_values", .integer(later)), ("later_records", .integer(laterRecords)),
      ])
  }

  // MARK: - summation-noise

  static func noise(_ v: SeedVerification) -> Finding? {
    var rows: [(SeedRecordCheck, ValueCheck)] = []
    for check in v.records {
      for value in check.values where value.verdict == .withinNoise { rows.append((check, value)) }
    }
    guard !rows.isEmpty else { return nil }
    let labels = Array(Set(rows.map(\.0.record.label))).sorted()
    let widest =
      rows.compactMap { row -> Double? in
        guard let band = row.1.noiseBand else { return nil }
        return band.upperBound - band.lowerBound
      }.max() ?? 0
    let details = rows.prefix(12).map { check, value in
      let band =
        value.noiseBand.map { "[\(format($0.lowerBound)), \(format($0.upperBound))]" } ?? "-"
      return
        "\(check.record.label)\(value.index.isEmpty ? "" : "[" + value.index.map(String.init).joined(separator: ",") + "]") "
        + "(\(check.record.epoch.map { "epoch \($0)" } ?? "before the loop")): printed \(value.printed), "
        + "replayed \(value.replayed ?? "-"), noise band \(band)"
    }
    return Finding(
      kind: .summationNoise,
      summary:
        "\(rows.count) printed values differ from the replay only inside the floating-point noise "
        + "band of np.dot's summation order (\(labels.joined(separator: ", "))): the machine that "
        + "ran the notebook summed in another order.",
      details: details + (rows.count > 12 ? ["…and \(rows.count - 12) more."] : []),
      evidence: [
        ("values", .integer(rows.count)), ("labels", .list(labels.map { .text($0) })),
        ("widest_band", .number(widest)),
        ("orders", .list(SeedVerifier.noiseOrders.map { .text($0.rawValue) })),
      ])
  }
}
