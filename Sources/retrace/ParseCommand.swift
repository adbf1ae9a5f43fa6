import ArgumentParser
import Foundation
import Retrace

/// The output formats of `retrace parse`.
enum TraceFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// `retrace parse`: the printed values of a notebook, as read from its saved output where its
/// code's replay prints them.
struct ParseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parse",
    abstract: "Print the values a notebook's saved output shows, with their places.",
    discussion: """
      Each value is found where the replay of the code prints it and read back from the saved \
      text. With no NOTEBOOK, reads the built-in seed notebook.
      """)

  @Argument(
    help: "A text export, a .ipynb, or a bare stdout log (with --code, or the seed's code).")
  var notebook: String?

  @Option(help: "For a bare log: the code that printed it (a .py script or a notebook).")
  var code: String?

  @Option(help: "text or json.")
  var format: TraceFormat = .text

  @Flag(help: "Accepted for compatibility: every form is read as it streams.")
  var stream = false

  func run() throws {
    let verification = try NotebookInput.verification(notebook, code: code)
    let text =
      format == .json ? TraceReport.json(verification) : TraceReport.text(verification)
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}
