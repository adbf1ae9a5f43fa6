import Foundation
import NumPyKit

/// Reads a Jupyter notebook (nbformat 4): code cells with `source` as a string or a list of
/// lines, `stream` outputs on stdout, and `execute_result` text/plain.
enum IPythonNotebookReader {
  /// The deepest JSON nesting accepted; nbformat needs 5 levels.
  static let maximumNesting = 256

  static func read(text: String, name: String) throws(RetraceError) -> Notebook {
    try checkNesting(text, name: name)
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
    } catch {
      let detail =
        (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        ?? error.localizedDescription
      // Foundation says "around character N": turn that into line:column.
      if let range = detail.range(of: #"character [0-9]+"#, options: .regularExpression),
        let offset = Int(detail[range].dropFirst("character ".count))
      {
        let bytes = Array(text.utf8)
        let clamped = min(max(0, offset), bytes.count)
        let position = bytes.withUnsafeBufferPointer {
          TextPosition.start.advanced(to: clamped, in: $0)
        }
        let reason = detail[..<range.lowerBound]
          .replacingOccurrences(of: " around ", with: "").trimmingCharacters(in: .whitespaces)
        throw RetraceError(file: name, at: position, "is not valid JSON: \(reason)")
      }
      if detail.contains("end of file") {
        let bytes = Array(text.utf8)
        let position = bytes.withUnsafeBufferPointer {
          TextPosition.start.advanced(to: bytes.count, in: $0)
        }
        throw RetraceError(file: name, at: position, "is not valid JSON: it ends too early")
      }
      throw RetraceError(file: name, "is not valid JSON: \(detail)")
    }
    guard let root = object as? [String: Any] else {
      throw RetraceError(file: name, "is JSON but not a Jupyter notebook (no top-level object)")
    }
    guard let format = root["nbformat"] as? Int else {
      throw RetraceError(file: name, "is JSON but not a Jupyter notebook (no 'nbformat')")
    }
    guard format == 4 else {
      throw RetraceError(
        file: name, "is an nbformat \(format) notebook; retrace reads nbformat 4")
    }
    guard let cellList = root["cells"] as? [Any] else {
      throw RetraceError(file: name, "is a notebook without a 'cells' list")
    }
    var cells: [Notebook.Cell] = []
    for (index, item) in cellList.enumerated() {
      guard let cell = item as? [String: Any] else {
        throw RetraceError(file: name, "cell \(index + 1) is not a JSON object")
      }
      guard (cell["cell_type"] as? String) == "code" else { continue }
      let source = try joined(cell["source"], name: name, what: "cell \(index + 1) source")
      let count = cell["execution_count"] as? Int
      let label = count.map { "In [\($0)]" } ?? "cell \(index + 1)"
      var output = ""
      var error: Notebook.SavedError?
      var unchecked: [String] = []
      var warnings: [SavedWarning] = []
      for case let entry as [String: Any] in (cell["outputs"] as? [Any]) ?? [] {
        switch entry["output_type"] as? String {
        case "stream":
          if (entry["name"] as? String) == "stdout" {
            output += try joined(entry["text"], name: name, what: "\(label) output")
          } else if (entry["name"] as? String) == "stderr" {
            // Warnings are checked against the replay's; anything else there is not.
            let text = try joined(entry["text"], name: name, what: "\(label) stderr")
            let parsed = WarningText.parse(text)
            warnings += parsed.warnings
            if parsed.hasOtherText { unchecked.append("stderr") }
          } else {
            unchecked.append((entry["name"] as? String) ?? "stream")
          }
        case "execute_result":
          if let data = entry["data"] as? [String: Any], let plain = data["text/plain"] {
            output += try joined(plain, name: name, what: "\(label) result") + "\n"
            let rich = data.keys.filter { $0 != "text/plain" }.sorted()
            if !rich.isEmpty {
              unchecked.append("execute_result (\(rich.joined(separator: ", ")))")
            }
          }
        case "error":
          error = Notebook.SavedError(
            type: (entry["ename"] as? String) ?? "", message: (entry["evalue"] as? String) ?? "")
        case let kind?:
          let data = (entry["data"] as? [String: Any])?.keys.sorted() ?? []
          unchecked.append(data.isEmpty ? kind : "\(kind) (\(data.joined(separator: ", ")))")
        case nil: break
        }
      }
      var parsed = Notebook.Cell(
        label: label, source: .init(text: source, start: .start),
        output: .init(text: output, start: .start), outputIsCellRelative: true,
        position: index + 1)
      parsed.error = error
      parsed.unchecked = unchecked
      parsed.savedWarnings = warnings
      cells.append(parsed)
    }
    return Notebook(name: name, form: .ipynb, cells: cells, log: nil)
  }

  /// nbformat's multiline strings: a string, or a list of strings to concatenate.
  static func joined(_ value: Any?, name: String, what: String) throws(RetraceError) -> String {
    switch value {
    case nil: return ""
    case let string as String: return string.replacingOccurrences(of: "\r\n", with: "\n")
    case let list as [Any]:
      var result = ""
      for part in list {
        guard let string = part as? String else {
          throw RetraceError(file: name, "\(what) holds a non-string line")
        }
        result += string
      }
      return result.replacingOccurrences(of: "\r\n", with: "\n")
    default:
      throw RetraceError(file: name, "\(what) is neither a string nor a list of strings")
    }
  }

  /// Refuses JSON nested deeper than `maximumNesting` before a recursive parser sees it.
  static func checkNesting(_ text: String, name: String) throws(RetraceError) {
    var depth = 0
    var inString = false
    var escaped = false
    var line = 1
    var column = 0
    for byte in text.utf8 {
      if byte == 0x0A {
        line += 1
        column = 0
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
      if inString {
        if escaped {
          escaped = false
        } else if byte == 0x5C {
          escaped = true
        } else if byte == 0x22 {
          inString = false
        }
        continue
      }
      switch byte {
      case 0x22: inString = true
      case 0x5B, 0x7B:
        depth += 1
        if depth > maximumNesting {
          throw RetraceError(
            file: name, line: line, column: column,
            "JSON nests deeper than \(maximumNesting) levels; a notebook needs 5")
        }
      case 0x5D, 0x7D: depth -= 1
      default: break
      }
    }
  }
}
