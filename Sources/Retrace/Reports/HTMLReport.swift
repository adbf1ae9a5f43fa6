import Foundation
import NumPyKit

/// One self-contained HTML file: no network, no JavaScript. The verdict, the counts, the
/// findings and the mismatched values.
public enum HTMLReport {
  /// The page.
  public static func render(_ e: Explanation) -> String {
    let v = e.verification
    var body = ""
    let verdictClass = v.isReproduced ? "ok" : "bad"
    body += "<h1>retrace: <code>\(escape(v.notebook))</code></h1>\n"
    body +=
      "<p class=\"verdict \(verdictClass)\">\(v.verdict)</p>\n"
      + "<p>\(escape(v.form.rawValue))\(v.codeFile.map { ", code from " + escape($0) } ?? "").</p>\n"
    body += "<table class=\"counts\"><tr><th>checked</th><th>exact</th><th>within rounding</th>"
    body += "<th>within noise</th><th>mismatched</th></tr>\n"
    body +=
      "<tr><td>\(v.checked)</td><td>\(v.count(.exact))</td><td>\(v.count(.withinRounding))</td>"
      + "<td>\(v.count(.withinNoise))</td><td>\(v.mismatched)</td></tr></table>\n"
    body += "<h2>Findings</h2>\n"
    if e.findings.isEmpty { body += "<p>None.</p>\n" }
    for finding in e.findings {
      body += "<section class=\"finding\" id=\"\(finding.kind.rawValue)\">\n"
      body += "<h3><code>\(finding.kind.rawValue)</code></h3>\n"
      body += "<p class=\"summary\">\(escape(finding.summary))</p>\n<ul>\n"
      for line in finding.details { body += "<li>\(escape(line))</li>\n" }
      body += "</ul>\n</section>\n"
    }
    if e.unexplained > 0 {
      body +=
        "<p class=\"bad\">\(e.unexplained) mismatched values are explained by no finding.</p>\n"
    }
    let rows = v.records.flatMap { check in check.mismatches.map { (check, $0) } }
    if !rows.isEmpty {
      body += "<h2>Mismatches</h2>\n<table class=\"values\"><tr><th>record</th><th>run</th>"
      body += "<th>index</th><th>printed</th><th>replayed</th><th>last-digit units</th>"
      body += "<th>where</th></tr>\n"
      for (check, value) in rows.prefix(500) {
        let record = check.record
        body +=
          "<tr><td><code>\(escape(record.name))</code></td><td>\(record.occurrence + 1)</td>"
          + "<td>\(VerificationReport.subscriptText(value.index))</td>"
          + "<td>\(escape(value.printed))</td><td>\(escape(value.replayed ?? "–"))</td>"
          + "<td>\(value.lastDigitUnits.map { String(format: "%.2f", $0) } ?? "–")</td>"
          + "<td>\(escape(VerificationReport.place(v, record, value.position)))</td></tr>\n"
      }
      body += "</table>\n"
    }
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>retrace: \(escape(v.notebook))</title>
      <style>
      body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
      code { font-family: ui-monospace, monospace; }
      .verdict { font-size: 1.6em; font-weight: bold; }
      .ok { color: #1a7f37; } .bad { color: #cf222e; }
      table { border-collapse: collapse; margin: 1em 0; }
      th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
      tr.differs td { background: #fff0f0; }
      .finding { border-left: 4px solid #cf222e; padding-left: 1em; margin: 1em 0; }
      .finding .summary { font-weight: 600; }
      </style>
      </head>
      <body>
      \(body)
      </body>
      </html>

      """
  }

  /// HTML text escaping (the XML escaping of the JUnit report serves HTML too).
  static func escape(_ text: String) -> String { VerificationReport.xml(text) }
}
