import NumPyKit

/// `retrace verify` output: text for a terminal, JSON, JUnit XML for CI servers, Markdown for a
/// CI job summary.
public enum SeedVerificationReport {
  public typealias Format = VerificationReport.Format
  /// The report in `format`.
  public static func render(_ verification: SeedVerification, as format: Format) -> String {
    switch format {
    case .text: text(verification)
    case .json: json(verification)
    case .junit: junit(verification)
    case .markdown: markdown(verification)
    }
  }

  /// The report of a verification with its findings (what `retrace verify` prints).
  public static func render(_ e: Explanation, as format: Format, colour: Bool = false) -> String {
    switch format {
    case .text:
      var out = text(e.verification, attribution: e)
      out += ExplanationReport.findingsText(e, colour: colour, details: false)
      return out
    case .json: return json(e.verification, findings: e)
    case .junit: return junit(e.verification, findings: e)
    case .markdown: return ExplanationReport.markdown(e)
    }
  }

  /// `file:line:column` of a value (an `.ipynb` value names its cell's output).
  static func place(_ verification: SeedVerification, _ record: TraceRecord, _ position: TextPosition)
    -> String
  {
    if record.isCellRelative {
      return "\(verification.notebook) (\(record.cell) output):\(position.line):\(position.column)"
    }
    return "\(verification.notebook):\(position.line):\(position.column)"
  }

  static func subscriptText(_ index: [Int]) -> String {
    index.isEmpty ? "" : "[" + index.map(String.init).joined(separator: ",") + "]"
  }

  static func epochText(_ epoch: Int?) -> String {
    epoch.map { "epoch \($0)" } ?? "before the loop"
  }

  static func units(_ value: Double?) -> String {
    guard let value else { return "-" }
    if value >= 1e6 || value < 0.01 && value > 0 { return String(format: "%.3g", value) }
    return String(format: "%.2f", value)
  }

  static func summaryLine(_ v: SeedVerification) -> String {
    "\(v.checked) printed values: \(v.count(.exact)) exact, \(v.count(.withinRounding)) within "
      + "rounding, \(v.count(.withinNoise)) within noise, \(v.mismatched) mismatched"
  }

  static func truncationLine(_ v: SeedVerification) -> String? {
    guard v.trace.isTruncated, let at = v.trace.truncatedAt else { return nil }
    let cell = v.trace.truncatedCell.map { " (\($0))" } ?? ""
    return "the output stops at \(at.line):\(at.column)\(cell): verified up to there; "
      + "what the code prints after it was not in the output"
  }

  /// The text report; with an explanation, each mismatch names the finding that explains it.
  public static func text(_ v: SeedVerification, attribution e: Explanation? = nil) -> String {
    var out = "\(v.notebook): \(v.verdict) (\(v.model.rawValue) code, \(v.form.rawValue))\n"
    out += summaryLine(v) + "\n"
    if let line = truncationLine(v) { out += line + "\n" }
    for note in v.trace.notes { out += "note: \(note)\n" }
    var listed = 0
    var omitted = 0
    for (recordIndex, check) in v.records.enumerated() {
      let record = check.record
      if let problem = check.problem {
        out +=
          "mismatch: print \(record.print), \(epochText(record.epoch)), \(record.label): "
          + "\(problem) at \(place(v, record, record.position))\n"
        continue
      }
      let room = e == nil ? Int.max : max(0, 40 - listed)
      let shown = check.mismatches.prefix(room)
      listed += shown.count
      for value in shown {
        var cause = ""
        if let e {
          let reference = Explanation.ValueReference(record: recordIndex, ordinal: value.ordinal)
          cause = e.attribution[reference].map { " [\($0.rawValue)]" } ?? " [unexplained]"
        }
        out +=
          "mismatch: print \(record.print), \(epochText(record.epoch)), "
          + "\(record.label)\(subscriptText(value.index)): printed \(value.printed), replayed "
          + "\(value.replayed ?? "-") (\(units(value.lastDigitUnits)) last-digit units) at "
          + "\(place(v, record, value.position))\(cause)\n"
      }
      omitted += check.mismatches.count - shown.count
    }
    if omitted > 0 {
      out += "…and \(omitted) more mismatches (all of them: --format json)\n"
    }
    return out
  }

  /// The JSON report; with an explanation, `findings` lists them and each mismatch names its
  /// finding (`explained_by`).
  public static func json(_ v: SeedVerification, findings e: Explanation? = nil) -> String {
    var mismatches: [String] = []
    for (recordIndex, check) in v.records.enumerated() {
      let record = check.record
      for value in check.values where value.verdict == .mismatch {
        var pairs: [(String, String)] = [
          ("print", "\(record.print)"),
          ("epoch", record.epoch.map(String.init) ?? "null"),
          ("label", JSONWriter.string(record.label)),
          ("index", JSONWriter.integers(value.index)),
          ("flat_index", value.flatIndex.map(String.init) ?? "null"),
          ("printed", JSONWriter.string(value.printed)),
          ("replayed", value.replayed.map(JSONWriter.string) ?? "null"),
          ("abs_diff", value.absoluteDifference.map(JSONWriter.number) ?? "null"),
          ("last_digit_units", value.lastDigitUnits.map(JSONWriter.number) ?? "null"),
          ("line", "\(value.position.line)"),
          ("column", "\(value.position.column)"),
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
        if record.isCellRelative { pairs.append(("cell", JSONWriter.string(record.cell))) }
        mismatches.append("    " + JSONWriter.object(pairs))
      }
    }
    let truncatedAt =
      v.trace.truncatedAt.map {
        JSONWriter.object([("line", "\($0.line)"), ("column", "\($0.column)")])
      } ?? "null"
    var lines = ["{"]
    lines.append("  \"notebook\": \(JSONWriter.string(v.notebook)),")
    lines.append("  \"form\": \(JSONWriter.string(v.form.rawValue)),")
    lines.append("  \"verdict\": \(JSONWriter.string(v.verdict)),")
    lines.append("  \"model\": \(JSONWriter.string(v.model.rawValue)),")
    lines.append("  \"checked\": \(v.checked),")
    lines.append("  \"exact\": \(v.count(.exact)),")
    lines.append("  \"within_rounding\": \(v.count(.withinRounding)),")
    lines.append("  \"within_noise\": \(v.count(.withinNoise)),")
    lines.append("  \"mismatched\": \(v.mismatched),")
    lines.append("  \"truncated\": \(v.trace.isTruncated),")
    lines.append("  \"truncated_at\": \(truncatedAt),")
    if mismatches.isEmpty {
      lines.append("  \"mismatches\": [],")
    } else {
      lines.append("  \"mismatches\": [")
      lines.append(mismatches.joined(separator: ",\n"))
      lines.append("  ],")
    }
    if let e, !e.findings.isEmpty {
      lines.append("  \"findings\": [")
      lines.append(e.findings.map { "    " + $0.json }.joined(separator: ",\n"))
      lines.append("  ],")
    } else {
      lines.append("  \"findings\": [],")
    }
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

  /// JUnit XML: one test case per printed record; failures carry the mismatches.
  public static func junit(_ v: SeedVerification, findings e: Explanation? = nil) -> String {
    let failures = v.records.filter { $0.problem != nil || !$0.mismatches.isEmpty }.count
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out +=
      "<testsuites name=\"retrace verify\" tests=\"\(v.records.count)\" failures=\"\(failures)\">\n"
    out +=
      "  <testsuite name=\"\(xml(v.notebook))\" tests=\"\(v.records.count)\" "
      + "failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
    for check in v.records {
      let record = check.record
      let name = "print \(record.print) \(epochText(record.epoch)) \(record.label)"
      out += "    <testcase classname=\"\(xml(v.notebook))\" name=\"\(xml(name))\""
      var lines: [String] = []
      if let problem = check.problem { lines.append(problem) }
      for value in check.mismatches where check.problem == nil {
        lines.append(
          "\(record.label)\(subscriptText(value.index)): printed \(value.printed), replayed "
            + "\(value.replayed ?? "-") at \(place(v, record, value.position))")
      }
      if lines.isEmpty {
        out += "/>\n"
      } else {
        out += ">\n"
        out +=
          "      <failure message=\"\(xml(lines[0]))\" type=\"mismatch\">"
          + xml(lines.joined(separator: "\n")) + "</failure>\n"
        out += "    </testcase>\n"
      }
    }
    var notes: [String] = []
    if let line = truncationLine(v) { notes.append(line) }
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
  public static func markdown(_ v: SeedVerification) -> String {
    let mark = v.isReproduced ? "✅" : "❌"
    var out = "## \(mark) retrace verify: `\(v.notebook)` — \(v.verdict)\n\n"
    out += "| checked | exact | within rounding | within noise | mismatched |\n"
    out += "|---:|---:|---:|---:|---:|\n"
    out +=
      "| \(v.checked) | \(v.count(.exact)) | \(v.count(.withinRounding)) | "
      + "\(v.count(.withinNoise)) | \(v.mismatched) |\n\n"
    out += "Model: \(v.model.rawValue) code; form: \(v.form.rawValue).\n"
    if let line = truncationLine(v) {
      out += "\n" + line.prefix(1).uppercased() + line.dropFirst() + ".\n"
    }
    let rows = v.records.flatMap { check in
      check.values.filter { $0.verdict == .mismatch }.map { (check, $0) }
    }
    if !rows.isEmpty {
      out += "\n### Mismatches\n\n"
      out += "| print | epoch | value | printed | replayed | last-digit units | where |\n"
      out += "|---:|---:|---|---:|---:|---:|---|\n"
      for (check, value) in rows.prefix(200) {
        let record = check.record
        out +=
          "| \(record.print) | \(record.epoch.map(String.init) ?? "–") | "
          + "`\(record.label)\(subscriptText(value.index))` | `\(value.printed)` | "
          + "`\(value.replayed ?? "–")` | \(units(value.lastDigitUnits)) | "
          + "`\(place(v, record, value.position))` |\n"
      }
      if rows.count > 200 { out += "\n…and \(rows.count - 200) more.\n" }
    }
    return out
  }
}
