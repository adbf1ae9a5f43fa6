import ArgumentParser
import Foundation
import Retrace

extension ExplanationReport.Format: ExpressibleByArgument {}

/// `retrace explain`: why each printed value differs, and whether the code's gradients are the
/// true gradients of its loss.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain every mismatch and audit the notebook's gradients.",
    discussion: """
      With no NOTEBOOK, explains the built-in seed notebook. Exit codes: 0 reproduced, \
      1 at least one mismatch, 2 unusable input or usage.
      """)

  @Argument(help: "A text export, a .ipynb, or a bare stdout log (read with the seed's code).")
  var notebook: String?

  @Option(help: "text, markdown, html or json.")
  var format: ExplanationReport.Format = .text

  @Option(name: [.short, .customLong("output")], help: "Write the report to FILE (atomically).")
  var output: String?

  @Option(help: "Search np.random.seed values from 0 up to (not including) this one.")
  var seedSearch: UInt64 = Explainer.defaultSeedSearchLimit

  func run() throws {
    let explanation = try NotebookInput.explanation(
      notebook, seedSearch: seedSearch, model: .asWritten)
    let colour = output == nil && format == .text && Terminal.colourOnStandardOutput
    let text = ExplanationReport.render(explanation, as: format, colour: colour)
    if let output {
      do {
        try AtomicFile.write(Data(text.utf8), to: output, inputs: notebook.map { [$0] } ?? [])
      } catch {
        throw UsageError(error.description)
      }
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
    if !explanation.verification.isReproduced { throw ExitCode(ExitStatus.mismatch) }
  }
}
