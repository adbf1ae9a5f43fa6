import Foundation
import NumPyKit

/// One self-contained HTML file: no network, no JavaScript. The verdict, the findings, the
/// per-value tables, a heat map of W1's gradient (the code's, the true one, the difference)
/// and the two loss curves, drawn as inline SVG.
public enum HTMLReport {
  /// The page.
  public static func render(_ e: Explanation) -> String {
    let v = e.verification
    var body = ""
    let verdictClass = v.isReproduced ? "ok" : "bad"
    body += "<h1>retrace: <code>\(escape(v.notebook))</code></h1>\n"
    body +=
      "<p class=\"verdict \(verdictClass)\">\(v.verdict)</p>\n"
      + "<p>\(escape(v.model.rawValue)) code, \(escape(v.form.rawValue)).</p>\n"
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
    if let audit = e.audit, audit.finding != nil {
      body += "<h2>W1_grad: the code's against the true gradient</h2>\n"
      if let code = audit.w1Code.first, let truth = audit.w1True.first, code.shape == truth.shape {
        let difference = NDArray(
          unchecked: code.shape, scalars: zip(code.scalars, truth.scalars).map { $0 - $1 })
        body += "<div class=\"maps\">\n"
        body += heatMap(code, title: "as the code computes it (epoch 0)", id: "w1-code")
        body += heatMap(truth, title: "true gradient np.outer(B1_grad, X)", id: "w1-true")
        body += heatMap(difference, title: "difference", id: "w1-diff")
        body += "</div>\n"
      }
      body += "<table class=\"values\"><tr><th>epoch</th><th>index</th><th>code</th>"
      body += "<th>printed</th><th>true</th><th>agrees</th></tr>\n"
      for entry in audit.entries where entry.epoch < 10 {
        body +=
          "<tr class=\"\(entry.coincides ? "same" : "differs")\"><td>\(entry.epoch)</td>"
          + "<td>[\(entry.index[0]),\(entry.index[1])]</td><td>\(format(entry.code))</td>"
          + "<td>\(entry.printed.map(escape) ?? "–")</td><td>\(format(entry.truth))</td>"
          + "<td>\(entry.coincides ? "yes" : "no")</td></tr>\n"
      }
      body += "</table>\n"
      body += "<h2>Loss over the epochs</h2>\n"
      body += lossCurves(audit.lossAsWritten, audit.lossCorrected)
    }
    let rows = v.records.flatMap { check in check.mismatches.map { (check, $0) } }
    if !rows.isEmpty {
      body += "<h2>Mismatches</h2>\n<table class=\"values\"><tr><th>print</th><th>epoch</th>"
      body += "<th>value</th><th>printed</th><th>replayed</th><th>last-digit units</th>"
      body += "<th>where</th></tr>\n"
      for (check, value) in rows.prefix(500) {
        let record = check.record
        body +=
          "<tr><td>\(record.print)</td><td>\(record.epoch.map(String.init) ?? "–")</td>"
          + "<td><code>\(escape(record.label))\(value.index.isEmpty ? "" : "[" + value.index.map(String.init).joined(separator: ",") + "]")</code></td>"
          + "<td>\(escape(value.printed))</td><td>\(escape(value.replayed ?? "–"))</td>"
          + "<td>\(value.lastDigitUnits.map { String(format: "%.2f", $0) } ?? "–")</td>"
          + "<td>\(escape(SeedVerificationReport.place(v, record, value.position)))</td></tr>\n"
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
      .maps { display: flex; flex-wrap: wrap; gap: 1.5em; }
      svg text { font-family: ui-monospace, monospace; }
      </style>
      </head>
      <body>
      \(body)
      </body>
      </html>

      """
  }

  /// HTML text escaping (the XML escaping of the JUnit report serves HTML too).
  static func escape(_ text: String) -> String { SeedVerificationReport.xml(text) }

  /// A heat map of a 2-D array: blue for negative, red for positive, white for zero, each cell
  /// labelled with its value.
  static func heatMap(_ array: NDArray, title: String, id: String) -> String {
    let rows = array.shape.first ?? 1
    let columns = array.shape.count > 1 ? array.shape[1] : array.count
    let cell = 64
    let top = 28
    let width = max(columns * cell + 40, title.count * 8 + 10)
    let height = rows * cell + top + 10
    let largest = array.scalars.map { abs($0) }.filter(\.isFinite).max() ?? 0
    var svg =
      "<figure><svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" "
      + "height=\(quote(height)) viewBox=\"0 0 \(width) \(height)\" role=\"img\">\n"
    svg += "<title>\(escape(title))</title>\n"
    svg += "<text x=\"0\" y=\"16\" font-size=\"13\">\(escape(title))</text>\n"
    for row in 0..<rows {
      for column in 0..<columns {
        let value = array.scalars[row * columns + column]
        let t = largest > 0 && value.isFinite ? min(1, abs(value) / largest) : 0
        let level = Int(255 - t * 200)
        let fill = value >= 0 ? "rgb(255,\(level),\(level))" : "rgb(\(level),\(level),255)"
        let x = 30 + column * cell
        let y = top + row * cell
        svg +=
          "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" "
          + "fill=\"\(fill)\" stroke=\"#999\"/>\n"
        svg +=
          "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + cell / 2 + 4)\" font-size=\"10\" "
          + "text-anchor=\"middle\">\(escape(String(format: "%.3g", value)))</text>\n"
      }
      svg +=
        "<text x=\"22\" y=\"\(top + row * cell + cell / 2 + 4)\" font-size=\"11\" "
        + "text-anchor=\"end\">\(row)</text>\n"
    }
    svg += "</svg><figcaption>rows: hidden-1 units; columns: inputs</figcaption></figure>\n"
    return svg
  }

  static func quote(_ value: Int) -> String { "\"\(value)\"" }

  /// The two loss curves on a log scale (losses of 0 are drawn at the lowest positive value).
  static func lossCurves(_ asWritten: [Double], _ corrected: [Double]) -> String {
    let width = 640.0
    let height = 300.0
    let left = 70.0
    let bottom = 40.0
    let all = (asWritten + corrected).filter { $0.isFinite && $0 > 0 }
    guard let low = all.min(), let high = all.max(), max(asWritten.count, corrected.count) > 1
    else { return "<p>Too few epochs to draw.</p>\n" }
    let lowLog = log10(low)
    let highLog = max(log10(high), lowLog + 1e-9)
    let count = Double(max(asWritten.count, corrected.count) - 1)
    func point(_ epoch: Int, _ loss: Double) -> String {
      let x = left + Double(epoch) / count * (width - left - 20)
      let value = loss.isFinite && loss > 0 ? log10(loss) : lowLog
      let y = (height - bottom) - (value - lowLog) / (highLog - lowLog) * (height - bottom - 20)
      return String(format: "%.1f,%.1f", x, y)
    }
    func path(_ losses: [Double]) -> String {
      losses.enumerated().map { point($0.offset, $0.element) }.joined(separator: " ")
    }
    var svg =
      "<figure><svg id=\"loss\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" "
      + "height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">\n"
    svg += "<title>loss by epoch, as written and with correct SGD</title>\n"
    svg +=
      "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" stroke=\"#444\"/>\n"
    svg +=
      "<line x1=\"\(left)\" y1=\"10\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#444\"/>\n"
    svg +=
      "<text x=\"\(left - 6)\" y=\"\(height - bottom)\" font-size=\"11\" text-anchor=\"end\">"
      + "\(String(format: "%.2g", low))</text>\n"
    svg +=
      "<text x=\"\(left - 6)\" y=\"24\" font-size=\"11\" text-anchor=\"end\">"
      + "\(String(format: "%.2g", high))</text>\n"
    svg +=
      "<text x=\"\(width / 2)\" y=\"\(height - 8)\" font-size=\"12\" text-anchor=\"middle\">"
      + "epoch (0 to \(Int(count)))</text>\n"
    svg +=
      "<polyline points=\"\(path(asWritten))\" fill=\"none\" stroke=\"#cf222e\" stroke-width=\"2\"/>\n"
    svg +=
      "<polyline points=\"\(path(corrected))\" fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\" "
      + "stroke-dasharray=\"6 3\"/>\n"
    svg +=
      "<text x=\"\(width - 200)\" y=\"30\" font-size=\"12\" fill=\"#cf222e\">as written</text>\n"
    svg +=
      "<text x=\"\(width - 200)\" y=\"48\" font-size=\"12\" fill=\"#1a7f37\">correct SGD</text>\n"
    svg += "</svg><figcaption>loss (log scale)</figcaption></figure>\n"
    return svg
  }
}
