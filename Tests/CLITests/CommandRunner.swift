import Foundation

/// Runs the built `retrace` executable, as a user would, and captures what it prints.
struct CommandRunner {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The `retrace` binary beside the test bundle (same build folder).
  static let executable: URL? = {
    var candidates: [URL] = []
    if let main = Bundle.main.executableURL?.deletingLastPathComponent() {
      candidates.append(main.appendingPathComponent("retrace"))
      candidates.append(main.deletingLastPathComponent().appendingPathComponent("retrace"))
    }
    for bundle in Bundle.allBundles {
      candidates.append(
        bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("retrace"))
    }
    candidates.append(FixturePath.root.appendingPathComponent(".build/debug/retrace"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  /// Runs `retrace arguments...` with `stdin` as standard input, in the repository root.
  static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:])
    throws -> Result
  {
    guard let executable else { throw CocoaError(.fileNoSuchFile) }
    return try runProgram(executable.path, arguments, stdin: stdin, environment: environment)
  }

  /// Runs another program (`/usr/bin/time` around retrace) the same way.
  static func runProgram(
    _ program: String, _ arguments: [String], stdin: String = "",
    environment: [String: String] = [:]
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.currentDirectoryURL = FixturePath.root
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so that a large output cannot block.
    let group = DispatchGroup()
    nonisolated(unsafe) var errorData = Data()
    group.enter()
    DispatchQueue.global().async {
      errorData = error.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
      stderr: String(decoding: errorData, as: UTF8.self))
  }
}
