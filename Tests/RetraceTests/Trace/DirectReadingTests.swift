import Foundation
import NumPyKit
import Testing

@testable import Retrace

/// Well-formed prints are read directly, without the PCRE2 match (`Matcher.readDirectly`).
/// Every notebook, log and hostile fixture is read both ways here: the traces, or the errors,
/// must be the same.
@Suite struct DirectReadingTests {
  static let files: [String] = {
    var names: [String] = ["seed/notebook.txt"]
    for folder in ["notebooks", "hostile", "bad"] {
      let url = FixturePath.url(folder)
      let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
      names += entries.filter { !$0.hasSuffix(".json") }.sorted().map { "\(folder)/\($0)" }
    }
    return names
  }()

  /// What a reading gives, in comparable form: every record and the truncation, or the error.
  static func outcome(_ notebook: Notebook, direct: Bool) -> String {
    do {
      let trace = try TraceReader.read(notebook, readsDirectly: direct)
      var lines = trace.records.map { record in
        let literal = record.literal
        let tokens = literal.values.indices.map { ordinal in
          "\(literal.text(ofToken: ordinal))@\(literal.position(ofToken: ordinal))"
            + ":\(literal.values[ordinal].bitPattern)"
        }
        return "\(record.print) \(record.epoch.map(String.init) ?? "-") \(record.label) "
          + "\(record.cell) \(record.isCellRelative) \(literal.form) \(literal.shape) "
          + "\(literal.start)-\(literal.end) \(literal.isPartial) \(tokens)"
      }
      lines.append(
        "truncated \(trace.isTruncated) \(String(describing: trace.truncatedAt)) "
          + "\(trace.truncatedCell ?? "-") notes \(trace.notes)")
      return lines.joined(separator: "\n")
    } catch {
      return "error: \(error)"
    }
  }

  /// A file that is not a notebook at all stops before the trace and compares nothing, so
  /// most of the files must read as notebooks for the comparison to mean something.
  @Test func theFixturesAreThereAndMostReadAsNotebooks() {
    #expect(Self.files.count >= 40)
    let notebooks = Self.files.filter {
      (try? NotebookReader.read(path: FixturePath.url($0).path)) != nil
    }
    #expect(notebooks.count >= 40)
  }

  @Test(arguments: files)
  func readingDirectlyChangesNothing(_ file: String) throws {
    let path = FixturePath.url(file).path
    guard let notebook = try? NotebookReader.read(path: path) else { return }
    let direct = Self.outcome(notebook, direct: true)
    let matched = Self.outcome(notebook, direct: false)
    #expect(direct == matched)
  }
}
