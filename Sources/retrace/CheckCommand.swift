import ArgumentParser
import Foundation
import Retrace

/// `retrace check`: reads every code cell as Python, as CPython 3.12 parses it.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Parse every code cell as Python; report a syntax error with its place and a caret.",
    discussion: """
      With no NOTEBOOK, reads the built-in seed notebook. A .py file is read as one script. \
      Exit 0 when every cell parses, 2 for a syntax error or unusable input.
      """)

  @Argument(help: "A text export, a .ipynb, or a Python script (.py).")
  var notebook: String?

  @Option(help: "text or json.")
  var format: TraceFormat = .text

  @Flag(help: "Print each cell's syntax tree (the dump the tests compare with CPython's ast).")
  var ast = false

  func run() throws {
    let name = notebook ?? NotebookReader.builtInName
    let cells: [ParsedCell]
    do {
      if let notebook, notebook.hasSuffix(".py") {
        cells = [
          try NotebookCode.readScript(NotebookReader.readText(path: notebook), name: notebook)
        ]
      } else {
        cells = try NotebookCode.read(try NotebookInput.notebook(notebook))
      }
    } catch let error as RetraceError {
      throw UsageError(error.description)
    }
    switch format {
    case .text: print(CodeReport.text(cells, name: name, trees: ast), terminator: "")
    case .json: print(CodeReport.json(cells, name: name, trees: ast), terminator: "")
    }
  }
}
