import ArgumentParser
import Foundation
import Interpreter
import NumPyKit
import Retrace

/// `retrace replay`: prints what the notebook's code prints, byte for byte as CPython and NumPy
/// print it.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Print what the notebook's code prints, as CPython and NumPy would print it.",
    discussion: """
      Runs the code cells in their execution order through retrace's own interpreter (never \
      Python): each cell's stdout, its echoed last expression as `Out[N]: value`, and an \
      uncaught exception on stderr. With no NOTEBOOK, replays the built-in seed notebook; a \
      .py file is replayed as one script.
      """)

  @Argument(help: "A text export, a .ipynb, a .py script, or a bare log (with --code).")
  var notebook: String?

  @Option(help: "For a bare log: the code that printed it (a .py script or a notebook).")
  var code: String?

  @Flag(help: .hidden)
  var interpreter = false

  @OptionGroup var machine: MachineOption

  func run() throws {
    let model = try machine.model()
    let plan: ReplayPlan
    if let notebook, notebook.hasSuffix(".py") {
      do {
        let script = try NotebookCode.readScript(
          NotebookReader.readText(path: notebook), name: notebook)
        plan = ReplayPlan.script(script, name: notebook)
      } catch {
        throw UsageError(error.description)
      }
    } else {
      plan = try NotebookInput.plan(notebook, code: code)
    }
    var buffer = ""
    func flush() {
      FileHandle.standardOutput.write(Data(buffer.utf8))
      buffer = ""
    }
    do {
      try NotebookReplay(plan, machine: model).run(consume: { index, event in
        switch event {
        case .printed(let printed):
          if printed.isResult {
            // As a text export shows it: `Out[N]: value`, a multi-line value from the next line.
            let label = plan.cells[index].parsed.label.replacingOccurrences(
              of: "In [", with: "Out[")
            let text = printed.text
            buffer += text.contains("\n") ? "\(label):\n\(text)\n" : "\(label): \(text)\n"
          } else {
            buffer += printed.text
          }
          if buffer.utf8.count >= 1 << 20 { flush() }
        case .raised(let error):
          flush()
          let cell = plan.cells[index].parsed.label
          let place = error.location.map { ", line \($0.line), column \($0.column + 1)" } ?? ""
          FileHandle.standardError.write(Data("\(error.description) (\(cell)\(place))\n".utf8))
        case .warned(let warning, _) where warning.isUnmodelled:
          break
        case .warned(let warning, let origin):
          // As Python writes a warning: to stderr at once, stdout's text before it flushed.
          flush()
          FileHandle.standardError.write(Data(plan.stderrText(warning, origin: origin).utf8))
        }
        return .more
      })
    } catch {
      flush()
      throw UsageError(error.description)
    }
    flush()
  }
}
