import ArgumentParser
import Foundation
import NumPyKit
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

  @Argument(
    help: "A text export, a .ipynb, or a bare stdout log (with --code, or the seed's code).")
  var notebook: String?

  @Option(
    help: """
      For a bare log: the code that printed it (a .py script, or a notebook whose code \
      cells are used). Without it a log is read with the built-in seed notebook's code.
      """)
  var code: String?

  @Option(help: "text, json, junit or markdown.")
  var format: VerificationReport.Format = .text

  @Option(name: [.short, .customLong("output")], help: "Write the report to FILE (atomically).")
  var output: String?

  @Flag(help: "Accepted for compatibility: every form is verified as it streams.")
  var stream = false

  @Flag(
    help: """
      Replay with the gradient fixes that finite differences confirm (those `retrace \
      explain` shows) in place of the lines they replace, each listed on stderr; without a \
      confirmed fix, the code as written.
      """)
  var corrected = false

  @Option(help: "With --corrected: the training loop's loss, when it is not loss-like.")
  var loss: String?

  @OptionGroup var machine: MachineOption

  func run() throws {
    let verification: Verification
    if corrected {
      verification = try correctedVerification(try NotebookInput.plan(notebook, code: code))
    } else {
      verification = try NotebookInput.verification(
        notebook, code: code, machine: try machine.model())
    }
    let explanation = Explainer.explain(verification)
    try write(VerificationReport.render(explanation, as: format))
    if !verification.isReproduced { throw ExitCode(ExitStatus.mismatch) }
  }

  /// The verification of the code with its confirmed gradient fixes.
  private func correctedVerification(_ plan: ReplayPlan) throws -> Verification {
    let model = try machine.model()
    let written: Verification
    do {
      written = try NotebookVerifier.verify(plan, machine: model)
    } catch {
      throw UsageError(error.description)
    }
    let audit = GradientAudit.run(
      plan, lossName: loss, prints: written.printsReplayed, census: written.loops)
    guard let audit, let fixed = audit.corrected(plan) else {
      FileHandle.standardError.write(
        Data(
          ("retrace: no gradient fix is confirmed by finite differences: verifying the code as "
            + "written\n").utf8))
      return written
    }
    var lines: [String] = []
    for fix in audit.fixes {
      let line = "\(fix.cell) line \(fix.line): \(fix.replacement)  (was: \(fix.original))"
      if !lines.contains(line) { lines.append(line) }
    }
    for line in lines {
      FileHandle.standardError.write(Data("retrace: corrected \(line)\n".utf8))
    }
    do {
      var verification = try NotebookVerifier.verify(fixed, machine: model)
      verification.notes.insert(
        "replayed with the gradient fixes confirmed by finite differences: "
          + lines.joined(separator: "; "), at: 0)
      return verification
    } catch {
      throw UsageError(error.description)
    }
  }

  /// The report to `--output` (atomically, never over the notebook) or to stdout.
  private func write(_ text: String) throws {
    guard let output else {
      FileHandle.standardOutput.write(Data(text.utf8))
      return
    }
    do {
      try AtomicFile.write(
        Data(text.utf8), to: output, inputs: [notebook, code].compactMap { $0 })
    } catch {
      throw UsageError(error.description)
    }
  }
}
