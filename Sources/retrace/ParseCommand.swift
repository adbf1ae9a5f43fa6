import ArgumentParser
import Retrace

/// `retrace parse`: prints the trace of a notebook's printed values.
struct ParseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parse", abstract: "Print the trace of a notebook's printed NumPy values.")
  func run() throws {}
}
