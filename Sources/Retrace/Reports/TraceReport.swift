import NumPyKit

/// `retrace parse` output: every printed value read from the saved output, record by record.
public enum TraceReport {
  /// One line per record: its name, run, place, shape and printed tokens.
  public static func text(_ v: Verification) -> String {
    var out = "\(v.notebook): \(v.counts.records) printed records, \(v.checked) values"
    if let t = v.truncation {
      out += "; the output stops at \(t.position.line):\(t.position.column) (\(t.cell))"
    }
    out += "\n"
    for check in v.records {
      let record = check.record
      let shape = record.shape.isEmpty ? "" : " shape \(Shape.text(record.shape))"
      out +=
        "\(record.name) \(VerificationReport.runText(record)) at "
        + "\(VerificationReport.place(v, record, record.position))\(shape)"
        + "\(record.isPartial ? " (cut)" : ""): "
        + check.values.map(\.printed).joined(separator: " ") + "\n"
    }
    if v.recordsNotKept > 0 { out += "…and \(v.recordsNotKept) more records\n" }
    return out
  }

  /// The records as JSON.
  public static func json(_ v: Verification) -> String {
    var records: [String] = []
    for check in v.records {
      let record = check.record
      records.append(
        "    "
          + JSONWriter.object([
            ("record", JSONWriter.string(record.name)), ("cell", JSONWriter.string(record.cell)),
            ("expression", JSONWriter.string(record.expression)),
            ("print", "\(record.print)"), ("run", "\(record.occurrence)"),
            ("line", "\(record.position.line)"), ("column", "\(record.position.column)"),
            ("shape", JSONWriter.integers(record.shape)), ("partial", "\(record.isPartial)"),
            ("tokens", JSONWriter.strings(check.values.map(\.printed))),
            (
              "values",
              "[" + check.values.map { JSONWriter.number($0.printedValue) }.joined(separator: ", ")
                + "]"
            ),
          ]))
    }
    var lines = ["{"]
    lines.append("  \"notebook\": \(JSONWriter.string(v.notebook)),")
    lines.append("  \"form\": \(JSONWriter.string(v.form.rawValue)),")
    lines.append("  \"truncated\": \(v.truncation != nil),")
    lines.append(
      "  \"records\": "
        + (records.isEmpty ? "[]" : "[\n" + records.joined(separator: ",\n") + "\n  ]"))
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }
}
