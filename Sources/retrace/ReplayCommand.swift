import ArgumentParser
import Foundation
import Retrace

/// `retrace replay`: prints what the notebook's code prints, byte for byte as NumPy prints it.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Print what the notebook's code prints, as NumPy would print it.",
    discussion: "With no NOTEBOOK, replays the built-in seed notebook. Never runs the code.")

  @Argument(help: "A text export, a .ipynb, or a bare stdout log (read with the seed's code).")
  var notebook: String?

  @Option(help: "Run the training loop this many times instead of the code's count.")
  var epochs: Int?

  @Flag(help: "Replay the true W1 gradient np.outer(B1_grad, X) instead of the code's line.")
  var corrected = false

  func validate() throws {
    if let epochs, epochs < 0 { throw ValidationError("--epochs must be at least 0") }
  }

  @Flag(
    help: """
      Run the code cells (or a .py script) through retrace's Python interpreter and print \
      what each cell prints.
      """)
  var interpreter = false

  func run() throws {
    if interpreter {
      let runs: [InterpreterReplay.CellRun]
      do {
        if let notebook, notebook.hasSuffix(".py") {
          let script = try NotebookCode.readScript(
            NotebookReader.readText(path: notebook), name: notebook)
          runs = try InterpreterReplay.run([script], name: notebook)
        } else {
          runs = try InterpreterReplay.run(try NotebookInput.notebook(notebook))
        }
      } catch let error as RetraceError {
        throw UsageError(error.description)
      }
      for run in runs {
        FileHandle.standardOutput.write(Data(run.output.utf8))
        if let result = run.result {
          // As a text export shows it: `Out[N]: value`, a multi-line value from the next line.
          let label = run.label.replacingOccurrences(of: "In [", with: "Out[")
          let shown = result.contains("\n") ? "\(label):\n\(result)\n" : "\(label): \(result)\n"
          FileHandle.standardOutput.write(Data(shown.utf8))
        }
        if let exception = run.exception {
          FileHandle.standardError.write(Data("\(exception)\n".utf8))
        }
      }
      return
    }
    let trace = try NotebookInput.trace(notebook)
    let experiment = try NotebookInput.experiment(trace)
    let engine = ReplayEngine(
      experiment: experiment, model: corrected ? .corrected : .asWritten, epochs: epochs)
    do {
      let replay = try engine.run()
      FileHandle.standardOutput.write(Data(replay.output.utf8))
    } catch {
      throw UsageError("\(trace.notebook): \(error.description)")
    }
  }
}
