import Foundation

/// The process exit codes retrace promises (README, "Exit codes").
enum ExitStatus {
  /// Everything checked was reproduced, or the command succeeded.
  static let success: Int32 = 0
  /// At least one printed value is not reproduced.
  static let mismatch: Int32 = 1
  /// The input or the command line cannot be used; a message went to stderr.
  static let unusableInput: Int32 = 2
}

/// Writes diagnostics to the standard error stream.
enum StandardError {
  static func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}

/// An error whose message is shown as is and which exits with code 2.
struct UsageError: Error, CustomStringConvertible {
  var description: String
  init(_ message: String) { description = message }
}
