import ArgumentParser
import Foundation

/// `retrace`: checks whether a NumPy notebook's saved printed output is reproduced by its code.
@main
struct RetraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retrace",
    abstract: "Check that a NumPy notebook's printed output is reproduced by its own code.",
    discussion: """
      Exit codes: 0 reproduced (or success), 1 at least one mismatch, 2 unusable input or usage.
      """,
    subcommands: [
      ParseCommand.self,
      CheckCommand.self,
      ReplayCommand.self,
      VerifyCommand.self,
      ExplainCommand.self,
      RandnCommand.self,
      FormatCommand.self,
      MachinesCommand.self,
    ]
  )

  /// Runs the command line with retrace's exit codes: usage errors exit 2, not 64.
  static func main() {
    do {
      if let notebook = VerifyCommand.plainInvocation(Array(CommandLine.arguments.dropFirst())) {
        try VerifyCommand.verify(notebook)
        Foundation.exit(ExitStatus.success)
      }
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(ExitStatus.success)
      }
      if let exit = error as? ExitCode {
        Foundation.exit(exit.rawValue)
      }
      let message =
        (error as? UsageError).map { "retrace: \($0.description)" } ?? fullMessage(for: error)
      if !message.isEmpty {
        StandardError.write(message.hasSuffix("\n") ? message : message + "\n")
      }
      Foundation.exit(ExitStatus.unusableInput)
    }
  }
}
