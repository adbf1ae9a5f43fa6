import Foundation
import Testing

/// The seed search's progress bar: drawn on stderr when stderr is a terminal and the search has
/// taken more than a second, never otherwise. The terminal is a pseudo-terminal that
/// `script(1)` (util-linux, in Debian's essential bsdutils) opens.
@Suite struct ProgressBarTests {
  static let arguments = [
    "explain", "Fixtures/causes/seed-far.log", "--code", "Fixtures/causes/seed-far.py",
    "--seed-search", "3000",
  ]

  @Test func aLongSeedSearchDrawsItsBarOnATerminal() throws {
    let script = "/usr/bin/script"
    guard FileManager.default.isExecutableFile(atPath: script) else {
      print("ProgressBarTests: /usr/bin/script is missing; the terminal case is not run")
      return
    }
    let executable = try #require(CommandRunner.executable)
    // `script -q -e -c COMMAND /dev/null`: COMMAND with stdin, stdout and stderr on a new
    // pseudo-terminal, whose text script copies to its stdout; -e passes the exit status on.
    let command = ([executable.path] + Self.arguments).joined(separator: " ")
    let result = try CommandRunner.runProgram(
      script, ["-q", "-e", "-c", command, "/dev/null"],
      environment: ["NO_COLOR": "1", "RETRACE_PROGRESS_DELAY": "0"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("[wrong-seed] The output was made with seed 2600, not 1"))
    #expect(result.stdout.contains("seed search ["))
    #expect(result.stdout.contains("] 100%"))
  }

  @Test func noBarWhenStderrIsNotATerminal() throws {
    let result = try CommandRunner.run(Self.arguments, environment: ["RETRACE_PROGRESS_DELAY": "0"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("[wrong-seed] The output was made with seed 2600, not 1"))
    #expect(result.stderr.isEmpty)
  }
}
