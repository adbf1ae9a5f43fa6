import ArgumentParser
import Foundation
import Retrace

extension VerificationReport.Format: ExpressibleByArgument {}

/// `retrace verify`: checks every printed value against a replay of the notebook's code.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check every printed value of a notebook against its own code.",
    discussion: """
      With no NOTEBOOK, verifies the built-in seed notebook. Exit codes: 0 reproduced, \
      1 at least one mismatch, 2 unusable input or usage.
      """)

  @Argument(help: "A text export, a .ipynb, or a bare stdout log (read with the seed's code).")
  var notebook: String?

  @Option(help: "text, json, junit or markdown.")
  var format: VerificationReport.Format = .text

  @Option(name: [.short, .customLong("output")], help: "Write the report to FILE (atomically).")
  var output: String?

  @Flag(help: "Verify against the true W1 gradient np.outer(B1_grad, X) instead of the code's.")
  var corrected = false

  @Option(help: "Search np.random.seed values from 0 up to (not including) this one.")
  var seedSearch: UInt64 = Explainer.defaultSeedSearchLimit

  @Flag(
    help: """
      Read a bare log incrementally in flat memory (automatic for logs over 64 MB): counts \
      over every value, the first 1,000 mismatches listed, no findings.
      """)
  var stream = false

  func run() throws {
    if StreamingInput.shouldStream(notebook, forced: stream), let notebook {
      let verification = try StreamingInput.verify(
        notebook, model: corrected ? .corrected : .asWritten)
      let text = VerificationReport.render(verification, as: format)
      try write(text)
      if !verification.isReproduced { throw ExitCode(ExitStatus.mismatch) }
      return
    }
    let explanation = try NotebookInput.explanation(
      notebook, seedSearch: seedSearch, model: corrected ? .corrected : .asWritten)
    let colour = output == nil && format == .text && Terminal.colourOnStandardOutput
    let text = VerificationReport.render(explanation, as: format, colour: colour)
    try write(text)
    if !explanation.verification.isReproduced { throw ExitCode(ExitStatus.mismatch) }
  }

  /// The report to `--output` (atomically, never over the notebook) or to stdout.
  private func write(_ text: String) throws {
    guard let output else {
      FileHandle.standardOutput.write(Data(text.utf8))
      return
    }
    do {
      try AtomicFile.write(Data(text.utf8), to: output, inputs: notebook.map { [$0] } ?? [])
    } catch {
      throw UsageError(error.description)
    }
  }
}
