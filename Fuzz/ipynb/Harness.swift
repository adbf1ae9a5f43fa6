// libFuzzer target: NotebookReader (UTF-8, BOM, CRLF, form detection, .ipynb JSON and its
// nesting check, text-export cells) and then the replay plan of what it read (the code of
// each cell parsed, a text export's output split off), on arbitrary bytes
// (Scripts/fuzz.sh ipynb N).
// Compiled into the Retrace module; never part of the package build.
import Foundation

/// Reads `data` as a notebook file; a thrown `RetraceError` is a fine answer, a crash is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotebook(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Data(bytes: data, count: size)
  do {
    let notebook = try NotebookReader.read(data: bytes, name: "fuzz.ipynb")
    for cell in notebook.cells {
      precondition(cell.source.start.line >= 1 && cell.source.start.column >= 1)
    }
    // And the plan of what was read: text exports split into code and output here.
    if let plan = try? ReplayPlan.make(notebook) {
      precondition(plan.cells.allSatisfy { ($0.output?.start.line ?? 1) >= 1 })
    }
  } catch {
    precondition(!error.message.isEmpty)
  }
  return 0
}
