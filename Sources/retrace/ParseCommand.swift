import ArgumentParser
import Foundation
import Retrace

/// The output formats of `retrace parse`.
enum TraceFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// `retrace parse`: prints the trace of a notebook's printed values.
struct ParseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parse",
    abstract: "Print the trace of a notebook's printed NumPy values.",
    discussion: "With no NOTEBOOK, reads the built-in seed notebook.")

  @Argument(help: "A text export, a .ipynb, or a bare stdout log.")
  var notebook: String?

  @Option(help: "text or json.")
  var format: TraceFormat = .text

  @Flag(
    help: """
      Read a bare log incrementally in flat memory, writing records as they are read \
      (automatic for logs over 64 MB).
      """)
  var stream = false

  func run() throws {
    if StreamingInput.shouldStream(notebook, forced: stream), let notebook {
      try StreamingInput.parse(notebook, format: format == .json ? .json : .text)
      return
    }
    let trace = try NotebookInput.trace(notebook)
    switch format {
    case .json: print(TraceReport.json(trace), terminator: "")
    case .text: print(TraceReport.text(trace), terminator: "")
    }
  }
}
