import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Files other people made, at their worst: each exits 2 with one message on stderr naming the
/// file (and line:column where there is a place), nothing on stdout, in seconds. Small cases are
/// in Fixtures/hostile (Scripts/fixtures/hostile.py); big ones are made here in a temporary
/// folder. CRLF, mixed line ends and a byte order mark are read, not refused.
@Suite struct HostileInputTests {
  /// Fixtures/hostile/NAME and the message after `retrace: Fixtures/hostile/NAME`.
  static let fixtures: [(String, String)] = [
    ("empty.txt", ": is empty: there is no code and no printed output to read"),
    ("blank.txt", ": is empty: there is no code and no printed output to read"),
    ("binary.png", ":1:1: is not valid UTF-8 (byte 0x89)"),
    ("invalid-utf8.log", ":4:8: is not valid UTF-8 (byte 0xFF)"),
    ("nul.log", ":4:20: holds a NUL byte: this is not a text file"),
    ("truncated.ipynb", ":39:17: is not valid JSON: it ends too early"),
    ("malformed.ipynb", ":4:24: is not valid JSON: Invalid value"),
    ("not-a-notebook.json", ": is JSON but not a Jupyter notebook (no 'nbformat')"),
    ("nbformat3.ipynb", ": is an nbformat 3 notebook; retrace reads nbformat 4"),
    ("cells-not-a-list.ipynb", ": is a notebook without a 'cells' list"),
    ("source-not-text.ipynb", ": cell 1 source holds a non-string line"),
    ("number-dashes.log", ":4:4: malformed number '--' (in W1, In [77] line 24)"),
    ("number-hex.log", ":4:4: malformed number '0x1p' (in W1, In [77] line 24)"),
    (
      "deep-array.log",
      ":2:65: arrays nest deeper than NumPy's 64 dimensions (in X, In [77] line 24)"
    ),
    (
      "ragged.log",
      ":5:2: ragged nesting: this array has 2 entries but the one at 4:2 has 3 (in W1, In [77] "
        + "line 24)"
    ),
    (
      "no-print.ipynb",
      ": nothing to verify: the code prints nothing (no print(...) to stdout in any cell)"
    ),
    (
      "no-print.txt",
      ": nothing to verify: the code prints nothing (no print(...) to stdout in any cell)"
    ),
  ]

  @Test(arguments: fixtures)
  func fixtureExitsTwoWithOneMessage(_ name: String, _ message: String) throws {
    let path = "Fixtures/hostile/\(name)"
    for command in ["verify", "parse"] {
      let result = try CommandRunner.run([command, path])
      #expect(result.status == 2, "\(command) \(name)")
      #expect(result.stdout.isEmpty, "\(command) \(name)")
      #expect(result.stderr == "retrace: \(path)\(message)\n", "\(command) \(name)")
    }
  }

  @Test(arguments: fixtures.filter { $0.0.hasSuffix(".log") })
  func streamedLogsGiveTheSameMessage(_ name: String, _ message: String) throws {
    // `--stream` is a no-op now: there is one path.
    let path = "Fixtures/hostile/\(name)"
    for command in ["verify", "parse"] {
      let result = try CommandRunner.run([command, path, "--stream"])
      #expect(result.status == 2, "\(command) --stream \(name)")
      #expect(result.stderr == "retrace: \(path)\(message)\n", "\(command) --stream \(name)")
    }
  }

  /// Logs that read but are not what the seed's code prints: a mismatch at the value, exit 1
  /// (before the replay knew the code's values, these were refused as unreadable).
  @Test(arguments: [
    (
      "number-1e999.log", "mismatch: In [77] line 24: W1[0,0] (print 1, run 1): printed 1e999",
      ":4:4"
    ),
    (
      "shape-change.log",
      "mismatch: In [77] line 30: Z1 (print 2, run 2): printed with shape (3,) but the code gives (4,)",
      ":35:4"
    ),
  ])
  func logsThatReadButMismatchExitOne(_ name: String, _ line: String, _ place: String) throws {
    let path = "Fixtures/hostile/\(name)"
    let result = try CommandRunner.run(["verify", path])
    #expect(result.status == 1)
    #expect(result.stderr.isEmpty)
    #expect(result.stdout.contains(line))
    #expect(result.stdout.contains("\(path)\(place)"))
  }

  // MARK: - Made at test time

  func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "retrace-hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func expectRefusal(_ arguments: [String], _ stderr: String, within seconds: Double = 60)
    throws
  {
    let start = Date()
    let result = try CommandRunner.run(arguments)
    let elapsed = Date().timeIntervalSince(start)
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr == stderr)
    #expect(elapsed < seconds, "took \(elapsed) s")
  }

  @Test func aDirectoryAndAMissingFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try expectRefusal(
      ["verify", folder.path], "retrace: \(folder.path): is a directory, not a notebook\n")
    let missing = folder.appendingPathComponent("missing.ipynb").path
    try expectRefusal(["verify", missing], "retrace: \(missing): no such file\n")
  }

  @Test func aDeviceAndAPipeAreRefusedNotReadForever() throws {
    try expectRefusal(
      ["verify", "/dev/zero"],
      "retrace: /dev/zero: is not a regular file (a device, pipe or socket)\n", within: 10)
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o644) == 0)
    try expectRefusal(
      ["parse", fifo], "retrace: \(fifo): is not a regular file (a device, pipe or socket)\n",
      within: 10)
  }

  @Test func anUnreadableFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("locked.txt")
    try Data(contentsOf: FixturePath.url("seed/notebook.txt")).write(to: file)
    #expect(chmod(file.path, 0o000) == 0)
    if geteuid() == 0 {
      // root reads a mode-000 file (CI runs as root): then it is an ordinary notebook, read and
      // verified like the seed, not refused.
      let result = try CommandRunner.run(["verify", file.path])
      #expect(result.status == 0)
      #expect(result.stdout.hasPrefix("\(file.path): reproduced"))
    } else {
      try expectRefusal(
        ["verify", file.path], "retrace: \(file.path): cannot be read (permission denied)\n")
    }
  }

  @Test func anIpynbNested100000LevelsDeep() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("deep.ipynb")
    let prefix = #"{"nbformat": 4, "cells": "#
    let text =
      prefix + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
      + "}"
    try Data(text.utf8).write(to: file)
    // Depth 257 is reached at the 256th '[' (the object is level 1).
    try expectRefusal(
      ["verify", file.path],
      "retrace: \(file.path):1:\(prefix.count + 256): JSON nests deeper than 256 levels; a "
        + "notebook needs 5\n", within: 20)
  }

  @Test func bracketsNested100000Deep() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("deep.log")
    let text =
      "X:\n" + String(repeating: "[", count: 100_000) + "1."
      + String(repeating: "]", count: 100_000) + "\n"
    try Data(text.utf8).write(to: file)
    try expectRefusal(
      ["verify", file.path],
      "retrace: \(file.path):2:65: arrays nest deeper than NumPy's 64 dimensions (in X, In [77] "
        + "line 24)\n", within: 20)
  }

  @Test func a200MBSingleLineFinishesInSeconds() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("line.log")
    try Data(repeating: UInt8(ascii: "x"), count: 200_000_000).write(to: file)
    let start = Date()
    let result = try CommandRunner.run(["verify", file.path])
    #expect(Date().timeIntervalSince(start) < 30)
    // Not what the seed's code prints: a departure at its first byte, exit 1.
    #expect(result.status == 1)
    #expect(result.stderr.isEmpty)
    #expect(
      result.stdout.contains(
        "departure (In [77] line 24) at \(file.path):1:1: the saved output departs from the print "
          + "at In [77], line 24: the code prints `X:`"))
  }

  /// A text export of about 1 GB (less where the disk has no room for it), made here: the
  /// seed's cells, then an output that departs from the first print and goes on for the rest
  /// of the file. The departure is found at once, and the file is never held whole: the peak
  /// resident size stays under 100 MB where `/usr/bin/time` can tell.
  @Test func aGigabyteTextExportIsVerifiedInFlatMemory() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("huge.txt")
    let free =
      (try? FileManager.default.attributesOfFileSystem(forPath: folder.path)[.systemFreeSize]
        as? Int) ?? 0
    let size = free > 4 << 30 ? 1 << 30 : 200 << 20
    let seed = try String(contentsOf: FixturePath.url("seed/notebook.txt"), encoding: .utf8)
    let cut = try #require(seed.range(of: "\nX:\n"))
    let head = String(seed[..<cut.lowerBound]) + "\nx:\n"
    FileManager.default.createFile(atPath: file.path, contents: Data(head.utf8))
    let handle = try FileHandle(forWritingTo: file)
    try handle.seekToEnd()
    let line = Data(repeating: UInt8(ascii: "x"), count: 1023) + Data([0x0A])
    let block = Data((0..<1024).flatMap { _ in line })
    var written = head.utf8.count
    while written < size {
      try handle.write(contentsOf: block)
      written += block.count
    }
    try handle.close()
    let start = Date()
    var arguments = ["verify", file.path]
    var timed = false
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/time"),
      let executable = CommandRunner.executable
    {
      arguments = ["-f", "peak-kb %M", executable.path] + arguments
      timed = true
    }
    let result: CommandRunner.Result
    if timed {
      result = try CommandRunner.runProgram("/usr/bin/time", arguments)
    } else {
      result = try CommandRunner.run(arguments)
    }
    #expect(Date().timeIntervalSince(start) < 60)
    #expect(result.status == 1)
    #expect(result.stdout.contains("departure (In [77] line 24) at \(file.path):108:1"))
    if timed,
      let peak = result.stderr.split(separator: " ").last.flatMap({
        Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
      })
    {
      #expect(peak < 100 * 1024, "peak resident size \(peak) KB")
    }
  }

  /// A Jupyter notebook of 256 MB made here: the seed's cells, the main cell's stdout a list of
  /// lines that departs from the first print at once. The JSON is scanned a chunk at a time
  /// and the stream decoded from the file as it is matched: flat memory again.
  @Test func aLargeNotebookIsVerifiedInFlatMemory() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("huge.ipynb")
    var notebook =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: FixturePath.url("notebooks/seed-full.ipynb"))) as? [String: Any]
      ?? [:]
    var cells = notebook["cells"] as? [[String: Any]] ?? []
    let main = try #require(cells.lastIndex { $0["cell_type"] as? String == "code" })
    cells[main]["outputs"] = [
      ["output_type": "stream", "name": "stdout", "text": ["PLACEHOLDER"]] as [String: Any]
    ]
    notebook["cells"] = cells
    let json = String(
      decoding: try JSONSerialization.data(withJSONObject: notebook, options: [.sortedKeys]),
      as: UTF8.self)
    let parts = json.components(separatedBy: "\"PLACEHOLDER\"")
    #expect(parts.count == 2)
    FileManager.default.createFile(atPath: file.path, contents: Data(parts[0].utf8))
    let handle = try FileHandle(forWritingTo: file)
    try handle.seekToEnd()
    let line = "\"" + String(repeating: "x", count: 1018) + "\\n\", "
    let block = Data(String(repeating: line, count: 1024).utf8)
    var written = parts[0].utf8.count
    while written < 256 << 20 {
      try handle.write(contentsOf: block)
      written += block.count
    }
    try handle.write(contentsOf: Data(("\"end\\n\"" + parts[1]).utf8))
    try handle.close()
    let start = Date()
    var result = try CommandRunner.run(["verify", file.path])
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/time"),
      let executable = CommandRunner.executable
    {
      result = try CommandRunner.runProgram(
        "/usr/bin/time", ["-f", "peak-kb %M", executable.path, "verify", file.path])
      let peak = result.stderr.split(separator: " ").last.flatMap {
        Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
      }
      #expect((peak ?? 0) < 100 * 1024, "peak resident size \(peak ?? -1) KB")
    }
    #expect(Date().timeIntervalSince(start) < 120)
    #expect(result.status == 1)
    #expect(
      result.stdout.contains("departure (In [77] line 24) at \(file.path) (In [77] output):1:1"))
  }

  // MARK: - Line ends and byte order marks are read, not refused

  @Test(arguments: ["crlf", "mixed", "bom", "bom-crlf"])
  func lineEndsAndByteOrderMarkVerifyLikeTheSeed(_ variant: String) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let seed = try String(contentsOf: FixturePath.url("seed/notebook.txt"), encoding: .utf8)
    var lines = seed.components(separatedBy: "\n")
    switch variant {
    case "crlf", "bom-crlf": lines = [lines.joined(separator: "\r\n")]
    case "mixed":
      // Every third line ends in CRLF, the others in LF.
      lines = [
        lines.enumerated().map { $0.offset % 3 == 0 ? $0.element + "\r" : $0.element }
          .joined(separator: "\n")
      ]
    default: lines = [seed]
    }
    var bytes = Array(lines.joined().utf8)
    if variant.hasPrefix("bom") { bytes = [0xEF, 0xBB, 0xBF] + bytes }
    let file = folder.appendingPathComponent("\(variant).txt")
    try Data(bytes).write(to: file)
    let reference = try CommandRunner.run(["verify", "Fixtures/seed/notebook.txt"])
    let result = try CommandRunner.run(["verify", file.path])
    #expect(result.status == reference.status)
    #expect(result.stderr.isEmpty)
    #expect(
      result.stdout.replacingOccurrences(of: file.path, with: "NB")
        == reference.stdout.replacingOccurrences(of: "Fixtures/seed/notebook.txt", with: "NB"))
    #expect(result.stdout.contains("72 printed values: 72 exact"))
  }

  // MARK: - The notebook's code is read, never run

  /// Code that would act on this machine, each leaving a marker file if it ever ran.
  static let actingCode: [(String, String)] = [
    ("os.system", "import os\nos.system('touch MARKER')"),
    ("open", "f = open('MARKER', 'w')\nf.write('ran')\nf.close()"),
    ("subprocess", "import subprocess\nsubprocess.run(['touch', 'MARKER'])"),
  ]

  @Test(arguments: actingCode)
  func codeThatWouldActIsReportedAsUnsupportedAndNotRun(_ name: String, _ code: String) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let marker = folder.appendingPathComponent("ran-\(name)").path
    let acting = code.replacingOccurrences(of: "MARKER", with: marker)
    // As a text export: the code goes first in the main cell (In [77], file line 68).
    let seed = try String(contentsOf: FixturePath.url("seed/notebook.txt"), encoding: .utf8)
    let text = seed.replacingOccurrences(of: "In [77]:\n", with: "In [77]:\n\(acting)\n")
    let textFile = folder.appendingPathComponent("acting.txt")
    try Data(text.utf8).write(to: textFile)
    // As a Jupyter notebook: a cell of its own after the seed's cells.
    var notebook =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: FixturePath.url("notebooks/seed-full.ipynb"))) as? [String: Any]
      ?? [:]
    var cells = notebook["cells"] as? [Any] ?? []
    cells.insert(
      [
        "cell_type": "code", "execution_count": 5, "metadata": [String: Any](),
        "outputs": [Any](), "source": acting,
      ] as [String: Any], at: 1)
    notebook["cells"] = cells
    let ipynbFile = folder.appendingPathComponent("acting.ipynb")
    try JSONSerialization.data(withJSONObject: notebook).write(to: ipynbFile)

    let refused =
      name == "open"
      ? "retrace does not run 'open()': it could reach outside the notebook"
      : "retrace does not run 'import \(name.split(separator: ".")[0])': the module could reach "
        + "outside the notebook"
    // The column of the name refused: `open` after `f = `, the module after `import `.
    let column = name == "open" ? 5 : 8
    for command in ["verify", "replay", "explain", "parse"] {
      try expectRefusal(
        [command, textFile.path],
        "retrace: \(textFile.path): cell 7 (In [77]), line 1, column \(column): \(refused)\n")
      try expectRefusal(
        [command, ipynbFile.path],
        "retrace: \(ipynbFile.path): cell 2 (In [5]), line 1, column \(column): \(refused)\n")
    }
    #expect(!FileManager.default.fileExists(atPath: marker), "the notebook's code ran")
  }

  // MARK: - Reports: atomic, never over the input, clear when they cannot be written

  @Test func verifyWritesItsReportAtomicallyAndNeverOverTheInput() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = folder.appendingPathComponent("report.json")
    try Data("old".utf8).write(to: report)
    let result = try CommandRunner.run(["verify", "--format", "json", "-o", report.path])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty && result.stderr.isEmpty)
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
    #expect(json?["verdict"] as? String == "reproduced")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.json"])

    let notebook = folder.appendingPathComponent("nb.txt")
    let original = try Data(contentsOf: FixturePath.url("seed/notebook.txt"))
    try original.write(to: notebook)
    try expectRefusal(
      ["verify", notebook.path, "--output", notebook.path],
      "retrace: \(notebook.path): is the input notebook; a report never replaces its input\n")
    #expect(try Data(contentsOf: notebook) == original)

    try expectRefusal(
      ["verify", "-o", "/no/such/folder/report.txt"],
      "retrace: /no/such/folder/report.txt: cannot be written: the folder /no/such/folder "
        + "does not exist\n")
  }

  @Test func aReportThatCannotBeWrittenLeavesTheOldFileIntact() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = folder.appendingPathComponent("report.txt")
    try Data("old".utf8).write(to: report)
    guard let executable = CommandRunner.executable else {
      Issue.record("no retrace binary")
      return
    }
    // A file size limit of 1 KB (with SIGXFSZ ignored, so write(2) fails with EFBIG): the
    // report (the JUnit XML, about 3 KB) cannot be written whole.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" verify --format junit -o \"$1\"",
      executable.path,
      report.path,
    ]
    process.currentDirectoryURL = FixturePath.root
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let message = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(
      message
        == "retrace: \(report.path): cannot be written: File too large; the old file is "
        + "unchanged\n")
    #expect(try String(contentsOf: report, encoding: .utf8) == "old")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.txt"])
  }

  @Test func aFolderThatIsNotWritable() throws {
    let folder = try temporaryFolder()
    defer {
      chmod(folder.path, 0o755)
      try? FileManager.default.removeItem(at: folder)
    }
    let report = folder.appendingPathComponent("report.txt")
    try Data("old".utf8).write(to: report)
    #expect(chmod(folder.path, 0o555) == 0)
    if geteuid() == 0 {
      // root may write into a mode-555 folder (CI runs as root): the report is written whole.
      let result = try CommandRunner.run(["verify", "-o", report.path])
      #expect(result.status == 0)
      #expect(try String(contentsOf: report, encoding: .utf8).contains("reproduced"))
    } else {
      try expectRefusal(
        ["verify", "-o", report.path],
        "retrace: \(report.path): cannot be written: the folder \(folder.path) is not "
          + "writable\n")
      #expect(try String(contentsOf: report, encoding: .utf8) == "old")
    }
  }
}
