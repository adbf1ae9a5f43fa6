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
    try VerifyCommand.verify(
      notebook, code: code, format: format, output: output, corrected: corrected, loss: loss,
      machine: try machine.model())
  }

  /// `retrace verify` or `retrace verify PATH` and nothing else: the command line that needs
  /// no parsing (the seed's check runs in a few milliseconds, a fifth of which the argument
  /// parser's reflection would take). Nil for any other command line.
  static func plainInvocation(_ arguments: [String]) -> String?? {
    guard arguments.first == "verify", arguments.count <= 2 else { return nil }
    guard arguments.count == 2 else { return .some(nil) }
    let path = arguments[1]
    // Options, help and an empty word take the parser's way.
    guard let first = path.first, first != "-", path != "help" else { return nil }
    return .some(path)
  }

  /// Verifies `notebook` (the seed's without one) and writes the report; throws
  /// `ExitCode(1)` when a value is not reproduced.
  static func verify(
    _ notebook: String?, code: String? = nil, format: VerificationReport.Format = .text,
    output: String? = nil, corrected: Bool = false, loss: String? = nil,
    machine model: MachineModel = .default
  ) throws {
    let verification: Verification
    if corrected {
      verification = try correctedVerification(
        try NotebookInput.plan(notebook, code: code), loss: loss, model: model)
    } else {
      verification = try NotebookInput.verification(notebook, code: code, machine: model)
    }
    let explanation = Explainer.explain(verification)
    try write(
      VerificationReport.render(explanation, as: format), to: output,
      inputs: [notebook, code].compactMap { $0 })
    if !verification.isReproduced { throw ExitCode(ExitStatus.mismatch) }
  }

  /// The verification of the code with its confirmed gradient fixes.
  private static func correctedVerification(
    _ plan: ReplayPlan, loss: String?, model: MachineModel
  ) throws -> Verification {
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

  /// The report to `--output` (atomically, never over the inputs) or to stdout.
  private static func write(_ text: String, to output: String?, inputs: [String]) throws {
    guard let output else {
      FileHandle.standardOutput.write(Data(text.utf8))
      return
    }
    do {
      try AtomicFile.write(Data(text.utf8), to: output, inputs: inputs)
    } catch {
      throw UsageError(error.description)
    }
  }
}
