import NumPyKit

/// `retrace verify` output: text for a terminal, JSON, JUnit XML for CI servers, Markdown for a
/// CI job summary.
public enum VerificationReport {
  /// The output formats.
  public enum Format: String, Sendable, CaseIterable {
    /// A one-line verdict, the counts, and each mismatch and departure.
    case text
    /// The JSON document (see README).
    case json
    /// JUnit XML: one test case per printed record.
    case junit
    /// Markdown suited to a CI job summary.
    case markdown
  }

  /// The report in `format`.
  public static func render(_ verification: Verification, as format: Format) -> String {
    switch format {
    case .text: text(verification)
    case .json: json(verification)
    case .junit: junit(verification)
    case .markdown: markdown(verification)
    }
  }

  /// The report of a verification with its findings (what `retrace verify` prints): each
  /// mismatch names the finding that explains it.
  public static func render(_ e: Explanation, as format: Format) -> String {
    switch format {
    case .text: ExplanationReport.text(e, details: false)
    case .json: json(e.verification, findings: e)
    case .junit: junit(e.verification, findings: e)
    case .markdown: ExplanationReport.markdown(e)
    }
  }

  /// `file:line:column`, an `.ipynb` place naming its cell's output.
  static func place(
    _ v: Verification, cell: String, isCellRelative: Bool, _ position: TextPosition
  ) -> String {
    if isCellRelative {
      return "\(v.notebook) (\(cell) output):\(position.line):\(position.column)"
    }
    return "\(v.notebook):\(position.line):\(position.column)"
  }

  static func place(_ v: Verification, _ record: PrintRecord, _ position: TextPosition) -> String {
    place(v, cell: record.cell, isCellRelative: record.isCellRelative, position)
  }

  static func subscriptText(_ index: [Int]) -> String {
    index.isEmpty ? "" : "[" + index.map(String.init).joined(separator: ",") + "]"
  }

  /// `(print 3, run 5)`: which print, and which of its runs (a loop's iteration).
  static func runText(_ record: PrintRecord) -> String {
    record.isResult ? "(Out)" : "(print \(record.print), run \(record.occurrence + 1))"
  }

  static func units(_ value: Double?) -> String {
    guard let value else { return "-" }
    if value >= 1e6 || value < 0.01 && value > 0 { return String(format: "%.3g", value) }
    return String(format: "%.2f", value)
  }

  static func summaryLine(_ v: Verification) -> String {
    var line =
      "\(v.checked) printed values: \(v.count(.exact)) exact, \(v.count(.withinRounding)) within "
      + "rounding, \(v.count(.withinNoise)) within noise, \(v.mismatched) mismatched"
    if v.count(.unverifiable) > 0 { line += ", \(v.count(.unverifiable)) unverifiable" }
    if !v.departures.isEmpty {
      line += "; \(v.departures.count) departure\(v.departures.count == 1 ? "" : "s")"
    }
    return line
  }

  static func truncationLine(_ v: Verification) -> String? {
    guard let t = v.truncation else { return nil }
    return "the output stops at \(t.position.line):\(t.position.column) (\(t.cell)): verified up "
      + "to there; what the code prints after it was not in the output"
  }

  static func departureLine(_ v: Verification, _ d: Departure) -> String {
    let code = d.codeLine.map { " (\(d.codeCell) line \($0))" } ?? " (\(d.codeCell))"
    return
      "departure\(code) at \(place(v, cell: d.cell, isCellRelative: d.isCellRelative, d.position)): "
      + "\(d.message): the code prints \(quoted(d.expected)), the output shows \(quoted(d.found))"
  }

  static func quoted(_ text: String) -> String {
    text.hasPrefix("(") && text.hasSuffix(")") ? text : "`\(text)`"
  }

  static func mismatchLine(_ v: Verification, _ check: RecordCheck, _ value: ValueCheck)
    -> String
  {
    let record = check.record
    return "mismatch: \(record.name)\(subscriptText(value.index)) \(runText(record)): printed "
      + "\(value.printed), replayed \(value.replayed ?? "-") (\(units(value.lastDigitUnits)) "
      + "last-digit units) at \(place(v, record, value.position))"
  }

  /// The text report.
  public static func text(_ v: Verification, attribution e: Explanation? = nil) -> String {
    var out = "\(v.notebook): \(v.verdict) (\(v.form.rawValue)"
    if let code = v.codeFile { out += ", code from \(code)" }
    out += ")\n" + summaryLine(v) + "\n"
    if let line = truncationLine(v) { out += line + "\n" }
    for note in v.notes { out += "note: \(note)\n" }
    for departure in v.departures { out += departureLine(v, departure) + "\n" }
    var listed = 0
    var omitted = 0
    for (recordIndex, check) in v.records.enumerated() {
      let record = check.record
      if let problem = check.problem {
        out +=
          "mismatch: \(record.name) \(runText(record)): \(problem) at "
          + "\(place(v, record, record.position))\n"
        continue
      }
      let shown = check.mismatches.prefix(max(0, (e == nil ? 200 : 40) - listed))
      listed += shown.count
      for value in shown {
        var cause = ""
        if let e {
          let reference = Explanation.ValueReference(record: recordIndex, ordinal: value.ordinal)
          cause = e.attribution[reference].map { " [\($0.rawValue)]" } ?? " [unexplained]"
        }
        out += mismatchLine(v, check, value) + cause + "\n"
      }
      omitted += check.mismatches.count - shown.count
    }
    if omitted > 0 { out += "…and \(omitted) more mismatches (all of them: --format json)\n" }
    if v.recordsNotKept > 0 {
      out += "note: \(v.recordsNotKept) further records were checked and counted but not listed\n"
    }
    if v.warningsChecked > 0 {
      out += "warnings: \(v.warningsChecked) on stderr, as the replay gives them\n"
    }
    for item in v.notChecked { out += "not checked: \(item)\n" }
    return out
  }

  /// The JSON report.
  public static func json(_ v: Verification, findings e: Explanation? = nil) -> String {
    var mismatches: [String] = []
    for (recordIndex, check) in v.records.enumerated() {
      let record = check.record
      for value in check.values where value.verdict == .mismatch {
        var pairs: [(String, String)] = [
          ("record", JSONWriter.string(record.name)),
          ("cell", JSONWriter.string(record.cell)),
          ("code_line", "\(record.line)"),
          ("code_column", "\(record.column)"),
          ("expression", JSONWriter.string(record.expression)),
          ("print", "\(record.print)"),
          ("run", "\(record.occurrence)"),
          ("index", JSONWriter.integers(value.index)),
          ("flat_index", value.flatIndex.map(String.init) ?? "null"),
          ("printed", JSONWriter.string(value.printed)),
          ("replayed", value.replayed.map(JSONWriter.string) ?? "null"),
          ("abs_diff", value.absoluteDifference.map(JSONWriter.number) ?? "null"),
          ("last_digit_units", value.lastDigitUnits.map(JSONWriter.number) ?? "null"),
          ("line", "\(value.position.line)"),
          ("column", "\(value.position.column)"),
          ("cell_relative", "\(record.isCellRelative)"),
        ]
        if let problem = check.problem { pairs.append(("problem", JSONWriter.string(problem))) }
        if let e {
          let reference = Explanation.ValueReference(record: recordIndex, ordinal: value.ordinal)
          pairs.append(
            (
              "explained_by",
              e.attribution[reference].map { JSONWriter.string($0.rawValue) } ?? "null"
            ))
        }
        mismatches.append("    " + JSONWriter.object(pairs))
      }
    }
    let departures = v.departures.map { d in
      "    "
        + JSONWriter.object([
          ("kind", JSONWriter.string(d.kind.rawValue)),
          ("cell", JSONWriter.string(d.cell)),
          ("code_cell", JSONWriter.string(d.codeCell)),
          ("line", "\(d.position.line)"),
          ("column", "\(d.position.column)"),
          ("cell_relative", "\(d.isCellRelative)"),
          ("code_line", d.codeLine.map(String.init) ?? "null"),
          ("code_column", d.codeColumn.map(String.init) ?? "null"),
          ("expected", JSONWriter.string(d.expected)),
          ("found", JSONWriter.string(d.found)),
          ("message", JSONWriter.string(d.message)),
        ])
    }
    let truncatedAt =
      v.truncation.map {
        JSONWriter.object([
          ("cell", JSONWriter.string($0.cell)), ("line", "\($0.position.line)"),
          ("column", "\($0.position.column)"),
        ])
      } ?? "null"
    func list(_ items: [String]) -> String {
      items.isEmpty ? "[]" : "[\n" + items.joined(separator: ",\n") + "\n  ]"
    }
    var lines = ["{"]
    lines.append("  \"notebook\": \(JSONWriter.string(v.notebook)),")
    lines.append("  \"form\": \(JSONWriter.string(v.form.rawValue)),")
    lines.append("  \"code\": \(v.codeFile.map(JSONWriter.string) ?? "null"),")
    lines.append("  \"verdict\": \(JSONWriter.string(v.verdict)),")
    lines.append("  \"checked\": \(v.checked),")
    lines.append("  \"exact\": \(v.count(.exact)),")
    lines.append("  \"within_rounding\": \(v.count(.withinRounding)),")
    lines.append("  \"within_noise\": \(v.count(.withinNoise)),")
    lines.append("  \"mismatched\": \(v.mismatched),")
    lines.append("  \"unverifiable\": \(v.count(.unverifiable)),")
    lines.append("  \"records\": \(v.counts.records),")
    lines.append("  \"warnings_checked\": \(v.warningsChecked),")
    lines.append("  \"truncated\": \(v.truncation != nil),")
    lines.append("  \"truncated_at\": \(truncatedAt),")
    lines.append("  \"departures\": \(list(departures)),")
    lines.append("  \"mismatches\": \(list(mismatches)),")
    lines.append(
      "  \"not_checked\": [\(v.notChecked.map(JSONWriter.string).joined(separator: ", "))],")
    lines.append("  \"notes\": [\(v.notes.map(JSONWriter.string).joined(separator: ", "))],")
    lines.append("  \"findings\": \(list((e?.findings ?? []).map { "    " + $0.json })),")
    if let audit = e?.audit { lines.append("  \"gradient_audit\": \(audit.json),") }
    lines.append("  \"unexplained\": \(e?.unexplained ?? v.mismatched)")
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  static func xml(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default:
        if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
          out += "&#\(scalar.value);"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// JUnit XML: one test case per printed record and per departure; failures carry the
  /// mismatches.
  public static func junit(_ v: Verification, findings e: Explanation? = nil) -> String {
    let failures =
      v.records.filter { $0.problem != nil || !$0.mismatches.isEmpty }.count + v.departures.count
    let tests = v.records.count + v.departures.count
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<testsuites name=\"retrace verify\" tests=\"\(tests)\" failures=\"\(failures)\">\n"
    out +=
      "  <testsuite name=\"\(xml(v.notebook))\" tests=\"\(tests)\" "
      + "failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
    func testCase(_ name: String, _ lines: [String], type: String) {
      out += "    <testcase classname=\"\(xml(v.notebook))\" name=\"\(xml(name))\""
      if lines.isEmpty {
        out += "/>\n"
      } else {
        out += ">\n"
        out +=
          "      <failure message=\"\(xml(lines[0]))\" type=\"\(type)\">"
          + xml(lines.joined(separator: "\n")) + "</failure>\n"
        out += "    </testcase>\n"
      }
    }
    for departure in v.departures {
      testCase("\(departure.cell) departure", [departureLine(v, departure)], type: "departure")
    }
    for check in v.records {
      let record = check.record
      var lines: [String] = []
      if let problem = check.problem { lines.append(problem) }
      for value in check.mismatches where check.problem == nil {
        lines.append(mismatchLine(v, check, value))
      }
      testCase("\(record.name) \(runText(record))", lines, type: "mismatch")
    }
    var notes: [String] = []
    if let line = truncationLine(v) { notes.append(line) }
    notes += v.notes
    for finding in e?.findings ?? [] {
      notes.append("[\(finding.kind.rawValue)] \(finding.summary)")
    }
    if !notes.isEmpty {
      out += "    <system-out>\(xml(notes.joined(separator: "\n")))</system-out>\n"
    }
    out += "  </testsuite>\n</testsuites>\n"
    return out
  }

  /// Markdown for a CI job summary.
  public static func markdown(_ v: Verification) -> String {
    let mark = v.isReproduced ? "✅" : "❌"
    var out = "## \(mark) retrace verify: `\(v.notebook)` — \(v.verdict)\n\n"
    out += "| checked | exact | within rounding | within noise | mismatched | unverifiable |\n"
    out += "|---:|---:|---:|---:|---:|---:|\n"
    out +=
      "| \(v.checked) | \(v.count(.exact)) | \(v.count(.withinRounding)) | "
      + "\(v.count(.withinNoise)) | \(v.mismatched) | \(v.count(.unverifiable)) |\n\n"
    out += "Form: \(v.form.rawValue)\(v.codeFile.map { "; code from `\($0)`" } ?? "").\n"
    if let line = truncationLine(v) {
      out += "\n" + line.prefix(1).uppercased() + line.dropFirst() + ".\n"
    }
    for note in v.notes { out += "\nNote: \(note).\n" }
    if !v.departures.isEmpty {
      out += "\n### Departures\n\n"
      for d in v.departures { out += "- \(departureLine(v, d))\n" }
    }
    let rows = v.records.flatMap { check in
      check.values.filter { $0.verdict == .mismatch }.map { (check, $0) }
    }
    if !rows.isEmpty {
      out += "\n### Mismatches\n\n"
      out += "| record | run | printed | replayed | last-digit units | where |\n"
      out += "|---|---:|---:|---:|---:|---|\n"
      for (check, value) in rows.prefix(200) {
        let record = check.record
        out +=
          "| `\(record.name)\(subscriptText(value.index))` | \(record.occurrence + 1) | "
          + "`\(value.printed)` | `\(value.replayed ?? "–")` | \(units(value.lastDigitUnits)) | "
          + "`\(place(v, record, value.position))` |\n"
      }
      if rows.count > 200 { out += "\n…and \(rows.count - 200) more.\n" }
    }
    return out
  }
}
