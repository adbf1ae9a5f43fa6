import Foundation
import NumPyKit

/// `retrace explain` output, and the findings part of `retrace verify`'s reports.
public enum ExplanationReport {
  /// The formats of `retrace explain`.
  public enum Format: String, Sendable, CaseIterable {
    /// For a terminal (colour only when asked for).
    case text
    /// Markdown, for a CI job summary.
    case markdown
    /// One self-contained HTML file with inline SVG.
    case html
    /// JSON.
    case json
  }

  /// The report in `format`; `colour` adds ANSI colours to text.
  public static func render(_ e: Explanation, as format: Format, colour: Bool = false) -> String {
    switch format {
    case .text: text(e, colour: colour)
    case .markdown: markdown(e)
    case .html: HTMLReport.render(e)
    case .json: json(e)
    }
  }

  static func paint(_ text: String, _ code: String, _ on: Bool) -> String {
    on ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// The findings as text lines (used by `verify` too).
  public static func findingsText(_ e: Explanation, colour: Bool = false, details: Bool = true)
    -> String
  {
    guard !e.findings.isEmpty else { return "findings: none\n" }
    var out = "findings:\n"
    for finding in e.findings {
      let colourCode =
        finding.kind == .gradientBug || finding.explainedMismatches > 0 ? "1;31" : "1;33"
      out +=
        "  " + paint("[\(finding.kind.rawValue)]", colourCode, colour) + " \(finding.summary)\n"
      if details {
        for line in finding.details { out += "      \(line)\n" }
      }
    }
    let unexplained = e.unexplained
    if unexplained > 0 {
      out += "  \(unexplained) mismatched values are explained by no finding.\n"
    }
    return out
  }

  /// The text report.
  public static func text(_ e: Explanation, colour: Bool = false) -> String {
    let v = e.verification
    var out = SeedVerificationReport.text(v, attribution: e)
    if colour {
      let word =
        v.isReproduced ? paint("reproduced", "1;32", true) : paint("mismatch", "1;31", true)
      if let range = out.range(of: ": \(v.verdict) (") {
        out.replaceSubrange(range, with: ": \(word) (")
      }
    }
    out += findingsText(e, colour: colour)
    if let table = w1Table(e, limit: 3) { out += "\n" + table }
    return out
  }

  /// The per-value table of W1's gradient, code against truth, for the first epochs.
  static func w1Table(_ e: Explanation, limit: Int) -> String? {
    guard let audit = e.audit, audit.finding != nil else { return nil }
    var out = "W1_grad, the code's against the true gradient (first \(limit) epochs):\n"
    out += "  epoch  index   code (printed)              true             agrees\n"
    for entry in audit.entries where entry.epoch < limit {
      let code = format(entry.code) + (entry.printed.map { " (\($0))" } ?? "")
      out +=
        "  " + pad(String(entry.epoch), 5) + "  " + pad("[\(entry.index[0]),\(entry.index[1])]", 6)
        + "  " + pad(code, 26) + "  " + pad(format(entry.truth), 15) + "  "
        + (entry.coincides ? "yes" : "no") + "\n"
    }
    return out
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  /// The JSON report: the verification's document with its findings.
  public static func json(_ e: Explanation) -> String {
    SeedVerificationReport.json(e.verification, findings: e)
  }

  /// Markdown for a CI job summary.
  public static func markdown(_ e: Explanation) -> String {
    var out = SeedVerificationReport.markdown(e.verification)
    out += "\n### Findings\n\n"
    if e.findings.isEmpty { out += "None.\n" }
    for finding in e.findings {
      out += "- **`\(finding.kind.rawValue)`** — \(finding.summary)\n"
      for line in finding.details {
        out += "  - \(line.replacingOccurrences(of: "|", with: "\\|"))\n"
      }
    }
    if e.unexplained > 0 {
      out += "\n\(e.unexplained) mismatched values are explained by no finding.\n"
    }
    if let audit = e.audit, audit.finding != nil {
      out += "\n### W1_grad: the code's against the true gradient (epoch 0)\n\n"
      out += "| index | code | printed | true | agrees |\n|---|---:|---:|---:|:---:|\n"
      for entry in audit.entries where entry.epoch == 0 {
        out +=
          "| [\(entry.index[0]),\(entry.index[1])] | \(format(entry.code)) | "
          + "\(entry.printed.map { "`\($0)`" } ?? "–") | \(format(entry.truth)) | "
          + (entry.coincides ? "✓" : "✗") + " |\n"
      }
      out +=
        "\n### Loss: as written against correct SGD\n\n| epoch | as written | correct |\n|---:|---:|---:|\n"
      let count = max(audit.lossAsWritten.count, audit.lossCorrected.count)
      for epoch in 0..<min(count, 20) {
        let a = epoch < audit.lossAsWritten.count ? format(audit.lossAsWritten[epoch]) : "–"
        let b = epoch < audit.lossCorrected.count ? format(audit.lossCorrected[epoch]) : "–"
        out += "| \(epoch) | \(a) | \(b) |\n"
      }
    }
    return out
  }
}
