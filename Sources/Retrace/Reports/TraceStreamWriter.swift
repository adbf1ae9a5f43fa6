import NumPyKit

/// Writes the trace of a streamed log (`LogStream`) as it is read: the same records, fields
/// and lines as `TraceReport`, with what is known only at the end (truncation, notes, the
/// record count) after the records.
public struct TraceStreamWriter {
  /// `json` or `text`, as `retrace parse --format`.
  public enum Format: Sendable {
    /// The JSON document, with `truncated`, `truncated_at` and `notes` after `records`.
    case json
    /// One line per record, then a summary line and the notes.
    case text
  }

  let format: Format
  let write: (String) -> Void
  var count = 0

  /// Makes a writer that hands its text to `write`, piece by piece.
  public init(format: Format, write: @escaping (String) -> Void) {
    self.format = format
    self.write = write
  }

  /// Writes the opening lines.
  public mutating func begin(_ trace: Trace) {
    guard format == .json else { return }
    write(
      "{\n  \"notebook\": \(JSONWriter.string(trace.notebook)),\n"
        + "  \"form\": \(JSONWriter.string(trace.form.rawValue)),\n  \"records\": [")
  }

  /// Writes some records.
  public mutating func add(_ records: [TraceRecord]) {
    var out = ""
    for record in records {
      switch format {
      case .json:
        out += (count == 0 ? "\n    " : ",\n    ") + TraceReport.recordJSON(record)
      case .text:
        out += TraceReport.recordLine(record)
      }
      count += 1
    }
    write(out)
  }

  /// Writes the closing lines: truncation and notes.
  public mutating func end(_ trace: Trace) {
    switch format {
    case .json:
      var out = count == 0 ? "],\n" : "\n  ],\n"
      out += "  \"truncated\": \(trace.isTruncated),\n"
      if let at = trace.truncatedAt {
        out +=
          "  \"truncated_at\": "
          + JSONWriter.object([
            ("line", "\(at.line)"), ("column", "\(at.column)"),
            ("cell", JSONWriter.string(trace.truncatedCell ?? "")),
          ]) + ",\n"
      } else {
        out += "  \"truncated_at\": null,\n"
      }
      out += "  \"notes\": \(JSONWriter.strings(trace.notes))\n}\n"
      write(out)
    case .text:
      var out = "\(trace.notebook): \(trace.form.rawValue), \(count) printed values"
      if let at = trace.truncatedAt { out += ", truncated at \(at.line):\(at.column)" }
      out += "\n"
      for note in trace.notes { out += "note: \(note)\n" }
      write(out)
    }
  }
}
