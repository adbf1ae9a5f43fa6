import Foundation
import Testing

/// `retrace randn` and `retrace format` against what NumPy 2.4.6 printed for the same request
/// (Fixtures/numpy/cli/cases.json, made by Scripts/fixtures/cli.py).
struct CommandCase: Decodable, CustomTestStringConvertible, Sendable {
  var args: [String]
  var stdin: String
  var stdout: String
  var stderr: String?
  var status: Int32
  var testDescription: String { args.joined(separator: " ") }

  static let all: [CommandCase] = {
    struct File: Decodable { var cases: [CommandCase] }
    guard let data = try? Data(contentsOf: FixturePath.url("numpy/cli/cases.json")),
      let file = try? JSONDecoder().decode(File.self, from: data)
    else { return [] }
    return file.cases
  }()
}

@Suite struct NumPyCommandTests {
  @Test func fixtureIsPresent() {
    #expect(CommandCase.all.count >= 20)
  }

  @Test(arguments: CommandCase.all)
  func printsWhatNumPyPrints(_ reference: CommandCase) throws {
    let result = try CommandRunner.run(reference.args, stdin: reference.stdin)
    #expect(result.status == reference.status)
    #expect(result.stdout == reference.stdout)
    if let stderr = reference.stderr { #expect(result.stderr == stderr) }
  }

  /// A regular file handed over already partly read (a shell's `read` took its first line)
  /// is read from where it stands, as a pipe would be, not from its start.
  @Test func formatReadsAFileFromWhereItStands() throws {
    let executable = try #require(CommandRunner.executable)
    let reference = try #require(
      CommandCase.all.first { $0.args == ["format", "--shape", "2,3"] })
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "retrace-format-\(UUID().uuidString).txt")
    try Data("2,3\n\(reference.stdin)\n".utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try CommandRunner.runProgram(
      "/bin/sh",
      [
        "-c", "{ read -r shape; \"$0\" format --shape \"$shape\"; } < \"$1\"",
        executable.path, url.path,
      ],
      stdin: "")
    #expect(result.status == 0)
    #expect(result.stdout == reference.stdout)
  }

  /// Standard input that cannot be read (a directory) is a usage error, not a crash.
  @Test func formatRefusesAnUnreadableStandardInput() throws {
    let executable = try #require(CommandRunner.executable)
    let result = try CommandRunner.runProgram(
      "/bin/sh", ["-c", "\"$0\" format < \"$1\"", executable.path, NSTemporaryDirectory()],
      stdin: "")
    #expect(result.status == 2)
    #expect(result.stderr == "retrace: standard input cannot be read: Is a directory\n")
  }

  @Test func formatNamesABadToken() throws {
    let result = try CommandRunner.run(["format"], stdin: "1 2 x")
    #expect(result.status == 2)
    #expect(result.stderr.contains("'x'"))
  }

  @Test func randnJSONReadsBackToTheSameBits() throws {
    let json = try CommandRunner.run(["randn", "--seed", "42", "--format", "json", "4", "3"])
    #expect(json.status == 0)
    // Read the numbers with Swift's correctly rounded Double(String) (Foundation's JSON reader
    // on Linux is not correctly rounded).
    let body = json.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      .trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    let values = body.split(separator: ",").compactMap {
      Double($0.trimmingCharacters(in: .whitespaces))
    }
    // The first value is NumPy's 0x1.fca2a28a9307cp-2 (reference document, seed 42).
    #expect(values.count == 12)
    #expect(values.first?.bitPattern == Double("0x1.fca2a28a9307cp-2")?.bitPattern)
  }
}
