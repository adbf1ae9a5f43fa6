import ArgumentParser
import Foundation
import Retrace

extension ExplanationReport.Format: ExpressibleByArgument {}

/// `retrace explain`: why each printed value differs.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain every mismatch, departure and truncation.",
    discussion: """
      With no NOTEBOOK, explains the built-in seed notebook. With --machine, the notebook is \
      verified, and other seeds and constants are tried, under that machine model (the \
      gradient audit's finite differences do not depend on it). Exit codes: 0 reproduced, \
      1 at least one mismatch, 2 unusable input or usage.
      """)

  @Argument(
    help: "A text export, a .ipynb, or a bare stdout log (with --code, or the seed's code).")
  var notebook: String?

  @Option(help: "For a bare log: the code that printed it (a .py script or a notebook).")
  var code: String?

  @Option(help: "The name of the training loop's loss, when it is not loss-like (loss, cost, J …).")
  var loss: String?

  @Option(
    name: .customLong("seed-search"),
    help:
      "How many seeds (0 to N-1) to try for each seeded generator when the output is not reproduced."
  )
  var seedSearch: Int = 1_000_000

  @Option(help: "text, markdown, html or json.")
  var format: ExplanationReport.Format = .text

  @Option(name: [.short, .customLong("output")], help: "Write the report to FILE (atomically).")
  var output: String?

  @OptionGroup var machine: MachineOption

  func run() throws {
    let plan = try NotebookInput.plan(notebook, code: code)
    let model = try machine.model()
    let verification: Verification
    do {
      verification = try NotebookVerifier.verify(plan, machine: model)
    } catch {
      throw UsageError(error.description)
    }
    let audit = GradientAudit.run(
      plan, lossName: loss, prints: verification.printsReplayed, census: verification.loops)
    let bar = Terminal.progressBar("seed search")
    let search = Explainer.search(
      plan, verification: verification, seeds: max(0, seedSearch),
      progress: { done, total in bar?(total > 0 ? Double(done) / Double(total) : 1) })
    let explanation = Explainer.explain(verification, audit: audit, search: search)
    let colour = output == nil && format == .text && Terminal.colourOnStandardOutput
    let text = ExplanationReport.render(explanation, as: format, colour: colour)
    if let output {
      do {
        try AtomicFile.write(
          Data(text.utf8), to: output, inputs: [notebook, code].compactMap { $0 })
      } catch {
        throw UsageError(error.description)
      }
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
    if !explanation.verification.isReproduced { throw ExitCode(ExitStatus.mismatch) }
  }
}
