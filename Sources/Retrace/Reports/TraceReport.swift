import NumPyKit

/// The trace as `retrace parse` prints it: JSON for machines, text for people.
public enum TraceReport {
  /// The JSON document of issue #2: `{"form", "truncated", "truncated_at", "records": [...]}`.
  public static func json(_ trace: Trace) -> String {
    var lines: [String] = []
    lines.append("{")
    lines.append("  \"notebook\": \(JSONWriter.string(trace.notebook)),")
    lines.append("  \"form\": \(JSONWriter.string(trace.form.rawValue)),")
    lines.append("  \"truncated\": \(trace.isTruncated),")
    if let at = trace.truncatedAt {
      lines.append(
        "  \"truncated_at\": "
          + JSONWriter.object([
            ("line", "\(at.line)"), ("column", "\(at.column)"),
            ("cell", JSONWriter.string(trace.truncatedCell ?? "")),
          ]) + ",")
    } else {
      lines.append("  \"truncated_at\": null,")
    }
    lines.append("  \"notes\": \(JSONWriter.strings(trace.notes)),")
    lines.append("  \"records\": [")
    for (index, record) in trace.records.enumerated() {
      lines.append(
        "    " + recordJSON(record) + (index + 1 < trace.records.count ? "," : ""))
    }
    lines.append("  ]")
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// One line per record: print, epoch, label, shape, location, then the printed tokens.
  public static func text(_ trace: Trace) -> String {
    var out = "\(trace.notebook): \(trace.form.rawValue), \(trace.records.count) printed values"
    if let at = trace.truncatedAt {
      out += ", truncated at \(at.line):\(at.column)"
    }
    out += "\n"
    for record in trace.records { out += recordLine(record) }
    for note in trace.notes { out += "note: \(note)\n" }
    return out
  }

  /// One record as a JSON object (print, epoch, label, shape, values, printed, partial,
  /// summarized, line, column, and cell for an `.ipynb`).
  public static func recordJSON(_ record: TraceRecord) -> String {
    var pairs: [(String, String)] = [
      ("print", "\(record.print)"),
      ("epoch", record.epoch.map(String.init) ?? "null"),
      ("label", JSONWriter.string(record.label)),
      ("shape", JSONWriter.integers(record.shape)),
      ("values", JSONWriter.numbers(record.values)),
      ("printed", JSONWriter.strings(record.printed)),
      ("partial", "\(record.isPartial)"),
      ("summarized", "\(record.literal.isSummarized)"),
      ("line", "\(record.position.line)"),
      ("column", "\(record.position.column)"),
    ]
    if record.isCellRelative { pairs.append(("cell", JSONWriter.string(record.cell))) }
    return JSONWriter.object(pairs)
  }

  /// One record as a line of text: print, epoch, label, shape, place, the first tokens.
  public static func recordLine(_ record: TraceRecord) -> String {
    let epoch = record.epoch.map { "epoch \($0)" } ?? "-"
    let shape =
      "(" + record.shape.map(String.init).joined(separator: ",")
      + (record.shape.count == 1 ? ",)" : ")")
    let place =
      record.isCellRelative ? "\(record.cell) output \(record.position)" : "\(record.position)"
    let shown = min(8, record.literal.count)
    var tokens = (0..<shown).map(record.literal.text(ofToken:)).joined(separator: " ")
    if record.literal.count > 8 { tokens += " …" }
    return "print \(record.print)  \(epoch)  \(record.label)  \(shape)"
      + (record.isPartial ? " partial" : "") + "  \(place)  [\(tokens)]\n"
  }
}
