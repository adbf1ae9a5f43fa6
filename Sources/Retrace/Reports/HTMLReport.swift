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
    if let audit = e.audit { body += auditSection(audit, v) }
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
      table.heat td { min-width: 3em; text-align: center; font-size: 0.85em; }
      table.heat td.none { color: #999; }
      svg.curve { border: 1px solid #ccc; background: #fafafa; }
      </style>
      </head>
      <body>
      \(body)
      </body>
      </html>

      """
  }

  /// The gradient audit: a line per parameter, a heat map per wrong gradient (each entry's
  /// relative error against central differences, the two values in its tooltip), and the loss
  /// the notebook prints, as a curve.
  static func auditSection(_ audit: GradientAudit, _ v: Verification) -> String {
    var out = "<h2>Gradient audit</h2>\n<pre>\(escape(ExplanationReport.auditText(audit)))</pre>\n"
    var drawn = Set<String>()
    for check in audit.checks where check.isWrong && !drawn.contains(check.parameter) {
      drawn.insert(check.parameter)
      let shape = check.shape
      let columns = shape.count >= 2 ? shape[shape.count - 1] : max(1, shape.first ?? 1)
      let rows = max(1, (shape.reduce(1, *)) / max(columns, 1))
      var byFlat: [Int: GradientAudit.Check.Entry] = [:]
      for entry in check.entriesCompared { byFlat[entry.flat] = entry }
      out +=
        "<h3><code>\(escape(check.gradient))</code> against finite differences of "
        + "<code>\(escape(audit.loss ?? "?"))</code> for <code>\(escape(check.parameter))</code> "
        + "(iteration \(check.iteration))</h3>\n"
      // The rows and columns named by where the parameter's axes come from.
      if let origins = audit.origins.first(where: { $0.parameter == check.parameter }),
        origins.parameterAxes.count == shape.count, !shape.isEmpty
      {
        let names = origins.parameterAxes.map { $0?.label ?? "no size literal of the code" }
        let rowsName = shape.count >= 2 ? names.dropLast().joined(separator: " × ") : "—"
        out +=
          "<p class=\"axes\">rows: \(escape(rowsName)); columns: "
          + "\(escape(names[names.count - 1]))</p>\n"
        if let why = origins.explanation { out += "<p class=\"why\">\(escape(why))</p>\n" }
      }
      out += "<table class=\"heat\">\n<tr><th></th>"
      for column in 0..<columns { out += "<th>\(column)</th>" }
      out += "</tr>\n"
      for row in 0..<rows {
        out += "<tr><th>\(row)</th>"
        for column in 0..<columns {
          guard let entry = byFlat[row * columns + column] else {
            out += "<td class=\"none\">·</td>"
            continue
          }
          let error =
            abs(entry.analytic - entry.numeric)
            / max(abs(entry.analytic), abs(entry.numeric), 1e-12)
          let red = Int(min(1, error) * 255)
          out +=
            "<td style=\"background: rgb(255, \(255 - red), \(255 - red))\" "
            + "title=\"code \(format(entry.analytic)), finite differences \(format(entry.numeric))\">"
            + "\(String(format: "%.2f", error))</td>"
        }
        out += "</tr>\n"
      }
      out += "</table>\n"
    }
    // The loss per iteration, as written and with the fixes.
    if let cost = audit.cost, let loss = audit.loss {
      let written = cost.points(cost.written).filter(\.isFinite)
      let fixed = cost.points(cost.fixed).filter(\.isFinite)
      let all = written + fixed
      if written.count >= 2, fixed.count >= 2, let low = all.min(), let high = all.max() {
        let count = max(written.count, fixed.count)
        out +=
          "<h3>The loss <code>\(escape(loss))</code> per iteration: as written "
          + "<span class=\"bad\">(red)</span> and with the fix <span class=\"ok\">(green)</span>"
          + "</h3>\n<svg width=\"\(Int(curveWidth))\" height=\"\(Int(curveHeight))\" "
          + "class=\"curve cost\" role=\"img\"><polyline fill=\"none\" stroke=\"#cf222e\" "
          + "stroke-width=\"2\" points=\"\(points(written, of: count, low, high))\"/><polyline "
          + "fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\" "
          + "points=\"\(points(fixed, of: count, low, high))\"/></svg>\n"
          + "<p>\(escape(cost.summary)).</p>\n"
      }
    }
    // The loss as the notebook prints it.
    if let loss = audit.loss {
      let points = v.records.filter { $0.record.expression == loss }.flatMap { check in
        check.values.compactMap { $0.printedValue }
      }.filter(\.isFinite)
      if points.count >= 2, let low = points.min(), let high = points.max() {
        let path = Self.points(points, of: points.count, low, high)
        out +=
          "<h3>The loss <code>\(escape(loss))</code> as printed</h3>\n"
          + "<svg width=\"\(Int(curveWidth))\" height=\"\(Int(curveHeight))\" class=\"curve\" "
          + "role=\"img\">"
          + "<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"\(path)\"/>"
          + "</svg>\n<p>\(points.count) printed values, from \(format(points[0])) to "
          + "\(format(points[points.count - 1])).</p>\n"
      }
    }
    return out
  }

  /// A loss curve's size, in SVG units.
  static let curveWidth = 600.0
  static let curveHeight = 200.0

  /// A polyline's points for `values` on a `count`-point axis between `low` and `high`.
  static func points(_ values: [Double], of count: Int, _ low: Double, _ high: Double) -> String {
    let span = high > low ? high - low : 1
    return values.enumerated().map { index, value in
      let x = curveWidth * Double(index) / Double(max(count - 1, 1))
      let y = curveHeight - curveHeight * (value - low) / span
      return String(format: "%.1f,%.1f", x, y)
    }.joined(separator: " ")
  }

  /// HTML text escaping (the XML escaping of the JUnit report serves HTML too).
  static func escape(_ text: String) -> String { VerificationReport.xml(text) }
}
