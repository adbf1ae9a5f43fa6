import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the terminal allows: colour only on a TTY and never with NO_COLOR; a progress bar on
/// stderr only when stderr is a TTY and the work has taken more than a second.
enum Terminal {
  /// Whether stdout may carry ANSI colours.
  static var colourOnStandardOutput: Bool {
    isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      && ProcessInfo.processInfo.environment["TERM"] != "dumb"
  }

  /// A progress callback that draws `label [#####     ] 42%` on stderr after one second, or
  /// nil when stderr is not a terminal.
  static func progressBar(_ label: String) -> (@Sendable (Double) -> Void)? {
    guard isatty(STDERR_FILENO) == 1 else { return nil }
    let start = Date()
    // RETRACE_PROGRESS_DELAY (seconds, 1 by default): how long the work runs before the bar is
    // drawn (the tests set 0, so that a fast machine draws it too).
    let delay =
      ProcessInfo.processInfo.environment["RETRACE_PROGRESS_DELAY"].flatMap(Double.init) ?? 1
    let state = ProgressState()
    return { fraction in
      guard Date().timeIntervalSince(start) > delay else { return }
      let percent = Int((fraction * 100).rounded(.down))
      guard state.advance(to: percent) else { return }
      let filled = percent / 4
      let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: 25 - filled)
      let end = percent >= 100 ? "\n" : ""
      FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(percent)%\(end)".utf8))
    }
  }
}

/// The last percentage drawn, shared by the worker threads that report progress.
final class ProgressState: @unchecked Sendable {
  private var last = -1
  private let lock = NSLock()

  /// Whether `percent` is new (and records it).
  func advance(to percent: Int) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard percent > last else { return false }
    last = percent
    return true
  }
}
