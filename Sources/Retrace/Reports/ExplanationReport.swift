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
    if let audit = e.audit { out += auditText(audit) }
    return out
  }

  /// The gradient audit, a line per parameter: each gradient's verdict at the audited
  /// iterations, as finite differences of the loss gave it.
  public static func auditText(_ audit: GradientAudit) -> String {
    var out = "gradient audit: training loop at \(audit.loopCell) line \(audit.loopLine)"
    if let loss = audit.loss {
      out += ", loss `\(loss)` (line \(audit.lossLine ?? 0))"
    }
    out += "\n"
    var order: [String] = []
    var byParameter: [String: [GradientAudit.Check]] = [:]
    for check in audit.checks {
      if byParameter[check.parameter] == nil { order.append(check.parameter) }
      byParameter[check.parameter, default: []].append(check)
    }
    for parameter in order {
      let checks = byParameter[parameter] ?? []
      let wrong = checks.contains(where: \.isWrong)
      let agreeing = checks.map(\.agreeing).reduce(0, +)
      let compared = checks.map { $0.entries - $0.kinks - $0.failed }.reduce(0, +)
      let kinks = checks.map(\.kinks).reduce(0, +)
      let gradient = checks.first?.gradient ?? "?"
      out +=
        "  \(parameter) by \(gradient): \(wrong ? "WRONG" : "agrees"), \(agreeing) of \(compared) "
        + "entries agree over \(checks.count) iterations"
        + (kinks > 0 ? " (\(kinks) at a kink, excluded)" : "") + "\n"
    }
    for note in audit.notes { out += "  note: \(note)\n" }
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
    if let audit = e.audit {
      out += "\n### Gradient audit\n\n```\n\(auditText(audit))```\n"
    }
    return out
  }
}
