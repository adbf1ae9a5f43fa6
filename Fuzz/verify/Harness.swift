// libFuzzer target: the verifier (Scripts/fuzz.sh verify N). The input is split at its first
// NUL byte: before it, code for a cell; after it, the cell's saved output. Without a NUL, the
// input is a bare log verified with the built-in seed notebook's code. The replay runs under
// small budgets, so a fuzzed loop ends in a refusal, not a timeout.
// Compiled into the Retrace module; never part of the package build.
import Foundation
import Interpreter

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerify(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  let notebook: Notebook
  if let split = bytes.firstIndex(of: 0) {
    let code = String(decoding: bytes[..<split], as: UTF8.self)
    let output = String(decoding: bytes[(split + 1)...], as: UTF8.self)
    let cell = Notebook.Cell(
      label: "In [1]", source: .init(text: code, start: .start),
      output: .init(text: output, start: .start), outputIsCellRelative: true)
    notebook = Notebook(name: "fuzz.ipynb", form: .ipynb, cells: [cell], log: nil)
  } else {
    let text = String(decoding: bytes, as: UTF8.self)
    notebook = Notebook(
      name: "fuzz.log", form: .log, cells: [], log: .init(text: text, start: .start))
  }
  var limits = InterpreterLimits()
  limits.maximumSteps = 100_000
  limits.maximumBytes = 64 << 20
  do {
    let verification = try NotebookVerifier.verify(ReplayPlan.make(notebook), limits: limits)
    precondition(verification.checked == verification.counts.byVerdict.values.reduce(0, +))
    for check in verification.records {
      precondition(check.record.position.line >= 1 && check.record.position.column >= 1)
    }
  } catch {
    precondition(!error.message.isEmpty)
  }
  return 0
}
