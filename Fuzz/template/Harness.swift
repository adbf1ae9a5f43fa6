// libFuzzer target: print templates and the trace reader (Scripts/fuzz.sh template N).
// The input is split at its first NUL byte: before it, code for a cell (its prints become
// templates); after it, the cell's printed output. Without a NUL, the input is a bare log read
// against the built-in seed notebook's templates.
// Compiled into the Retrace module; never part of the package build.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  let notebook: Notebook
  let outputSize: Int
  if let split = bytes.firstIndex(of: 0) {
    let code = String(decoding: bytes[..<split], as: UTF8.self)
    let output = String(decoding: bytes[(split + 1)...], as: UTF8.self)
    outputSize = output.utf8.count
    let cell = Notebook.Cell(
      label: "In [1]", source: .init(text: code, start: .start),
      output: .init(text: output, start: .start), outputIsCellRelative: true)
    notebook = Notebook(name: "fuzz.ipynb", form: .ipynb, cells: [cell], log: nil)
  } else {
    let text = String(decoding: bytes, as: UTF8.self)
    outputSize = text.utf8.count
    notebook = Notebook(
      name: "fuzz.log", form: .log, cells: [], log: .init(text: text, start: .start))
  }
  do {
    let trace = try TraceReader.read(notebook)
    for record in trace.records {
      // Offsets count in the decoded output (invalid UTF-8 became U+FFFD, three bytes each).
      precondition(record.literal.endOffset <= outputSize)
    }
  } catch {
    precondition(!error.message.isEmpty)
  }
  // Differential: reading well-formed prints directly must give what the pattern gives.
  precondition(
    readingOutcome(notebook, direct: true) == readingOutcome(notebook, direct: false),
    "direct reading differs from the pattern's")
  return 0
}

/// Every record (with its literal) and the truncation, or the error message.
func readingOutcome(_ notebook: Notebook, direct: Bool) -> String {
  do {
    let trace = try TraceReader.read(notebook, readsDirectly: direct)
    var parts = trace.records.map { record in
      "\(record.print) \(String(describing: record.epoch)) \(record.label) \(record.cell) "
        + "\(record.isCellRelative) \(record.literal.start) \(record.literal.end) \(record.literal.texts) "
        + "\(record.literal.values.map(\.bitPattern)) \(record.literal.isPartial)"
    }
    parts.append(
      "\(trace.isTruncated) \(String(describing: trace.truncatedAt)) \(trace.notes)")
    return parts.joined(separator: "\n")
  } catch {
    return "error: \(error.message)"
  }
}
