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
    /// One self-contained HTML file.
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
        finding.explainedMismatches > 0 || finding.kind == .departure ? "1;31" : "1;33"
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

  /// The text report: the verification's, each mismatch naming its finding, then the findings.
  public static func text(_ e: Explanation, colour: Bool = false, details: Bool = true) -> String {
    let v = e.verification
    var out = VerificationReport.text(v, attribution: e)
    if colour {
      let word =
        v.isReproduced ? paint("reproduced", "1;32", true) : paint("mismatch", "1;31", true)
      if let range = out.range(of: ": \(v.verdict) (") {
        out.replaceSubrange(range, with: ": \(word) (")
      }
    }
    out += findingsText(e, colour: colour, details: details)
    return out
  }

  /// The JSON report: the verification's document with its findings.
  public static func json(_ e: Explanation) -> String {
    VerificationReport.json(e.verification, findings: e)
  }

  /// Markdown for a CI job summary.
  public static func markdown(_ e: Explanation) -> String {
    var out = VerificationReport.markdown(e.verification)
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
    return out
  }
}
