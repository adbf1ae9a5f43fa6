import Foundation
import NumPyKit
import PCRE2

/// Splits a text export into cells at its `In [N]:` headers (PCRE2).
enum TextExportReader {
  static let header: Pattern? = try? Pattern(
    #"^In \[(?<number>[0-9 ]*)\]:[ \t]*$"#, options: .multiline)

  /// The cells of a text export, or `nil` when the text has no `In [N]:` header.
  static func cells(in text: String, name: String) throws(RetraceError) -> [Notebook.Cell]? {
    guard let header else { throw RetraceError(file: name, "internal: header pattern") }
    let matches: [Match]
    do {
      matches = try header.allMatches(in: text)
    } catch {
      throw RetraceError(file: name, "cannot be scanned for cells: \(error)")
    }
    guard !matches.isEmpty else { return nil }
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer -> [Notebook.Cell] in
      var cells: [Notebook.Cell] = []
      var cursor = TextPosition.start
      for (index, match) in matches.enumerated() {
        let numberRange = match["number"] ?? 0..<0
        let number = String(decoding: buffer[numberRange], as: UTF8.self)
          .trimmingCharacters(in: .whitespaces)
        var bodyStart = match.range.upperBound
        if bodyStart < buffer.count && buffer[bodyStart] == 0x0A { bodyStart += 1 }
        let bodyEnd = index + 1 < matches.count ? matches[index + 1].range.lowerBound : buffer.count
        cursor = cursor.advanced(to: bodyStart, in: buffer)
        let body = String(decoding: buffer[bodyStart..<max(bodyStart, bodyEnd)], as: UTF8.self)
        cells.append(
          .init(
            label: number.isEmpty ? "In [ ]" : "In [\(number)]",
            source: .init(text: body, start: cursor), output: nil, outputIsCellRelative: false,
            position: index + 1))
      }
      return cells
    }
  }
}
