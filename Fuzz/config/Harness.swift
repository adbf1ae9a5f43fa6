// libFuzzer target: ExperimentReader on fuzzed code (Scripts/fuzz.sh config N).
// The input is one cell's code, appended as a cell after the built-in seed notebook's cells
// (so the model's functions are defined and the fuzzed statements reach every branch), and
// also read on its own. Compiled into the Retrace module; never part of the package build.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let code = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let seedCells = NotebookReader.builtInSeed().cells.dropLast()
  for prefix in [Array(seedCells), []] {
    var trace = Trace(
      notebook: "fuzz.ipynb", form: .ipynb, records: [], isTruncated: false, truncatedAt: nil,
      truncatedCell: nil, programs: [], notes: [], code: [])
    for cell in prefix {
      trace.code.append(
        CodeCell(
          label: cell.label, text: cell.source.text, start: cell.source.start,
          isCellRelative: true, file: "fuzz.ipynb"))
    }
    trace.code.append(
      CodeCell(label: "In [9]", text: code, start: .start, isCellRelative: true, file: "fuzz.ipynb")
    )
    // The code's prints, as the trace reader would find them.
    let cell = Notebook.Cell(
      label: "In [9]", source: .init(text: code, start: .start), output: nil,
      outputIsCellRelative: true)
    let notebook = Notebook(name: "fuzz.ipynb", form: .ipynb, cells: [cell], log: nil)
    if let programs = try? PrintProgram.cellPrograms(of: notebook) {
      trace.programs = programs.map(\.program)
    }
    do {
      let experiment = try ExperimentReader.read(trace)
      _ = experiment.epochs
      _ = experiment.printOptions
    } catch {
      precondition(!error.message.isEmpty)
    }
  }
  return 0
}
