import Foundation
import Testing

@testable import Retrace

#if canImport(Glibc)
  import Glibc
#endif

/// Reports are written whole or not at all, never over an input, with clear errors.
@Suite struct AtomicFileTests {
  func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "retrace-atomic-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func writesANewFileAndReplacesAnOldOneLeavingNothingElse() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let report = dir.appendingPathComponent("report.txt")
    try AtomicFile.write(Data("first".utf8), to: report.path)
    #expect(try String(contentsOf: report, encoding: .utf8) == "first")
    try AtomicFile.write(Data("second".utf8), to: report.path)
    #expect(try String(contentsOf: report, encoding: .utf8) == "second")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.txt"])
  }

  @Test func anInputIsNeverReplacedByPathSymlinkOrHardLink() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("nb.txt")
    try Data("notebook".utf8).write(to: input)
    let symlink = dir.appendingPathComponent("link.txt")
    try FileManager.default.createSymbolicLink(at: symlink, withDestinationURL: input)
    let hardLink = dir.appendingPathComponent("hard.txt")
    try FileManager.default.linkItem(at: input, to: hardLink)
    let relative = dir.appendingPathComponent("sub/../nb.txt")
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
    for target in [input, symlink, hardLink, relative] {
      #expect(throws: RetraceError.self) {
        try AtomicFile.write(Data("report".utf8), to: target.path, inputs: [input.path])
      }
      do {
        try AtomicFile.write(Data("report".utf8), to: target.path, inputs: [input.path])
      } catch {
        #expect(error.message == "is the input notebook; a report never replaces its input")
      }
    }
    #expect(try String(contentsOf: input, encoding: .utf8) == "notebook")
  }

  @Test func aMissingFolderOrADirectoryTargetIsAClearError() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let missing = dir.appendingPathComponent("no/such/report.txt").path
    #expect(throws: RetraceError.self) { try AtomicFile.write(Data(), to: missing) }
    do {
      try AtomicFile.write(Data(), to: missing)
    } catch {
      #expect(error.description.hasSuffix("/no/such does not exist"))
    }
    do {
      try AtomicFile.write(Data(), to: dir.path)
      Issue.record("a directory was replaced")
    } catch {
      #expect(error.message == "cannot be written: it is a directory")
    }
  }

  @Test func aFolderThatIsNotWritableLeavesTheOldFileIntact() throws {
    let dir = try folder()
    defer {
      chmod(dir.path, 0o755)
      try? FileManager.default.removeItem(at: dir)
    }
    let report = dir.appendingPathComponent("report.txt")
    try Data("old".utf8).write(to: report)
    #expect(chmod(dir.path, 0o555) == 0)
    if geteuid() == 0 {
      // root writes into a read-only folder anyway (CI runs as root): the write succeeds and is
      // still whole, with no temporary file left behind.
      try AtomicFile.write(Data("new".utf8), to: report.path)
      #expect(try String(contentsOf: report, encoding: .utf8) == "new")
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.txt"])
    } else {
      do {
        try AtomicFile.write(Data("new".utf8), to: report.path)
        Issue.record("wrote into a read-only folder")
      } catch {
        #expect(error.message == "cannot be written: the folder \(dir.path) is not writable")
      }
      #expect(try String(contentsOf: report, encoding: .utf8) == "old")
    }
  }

  @Test func aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let report = dir.appendingPathComponent("report.txt")
    try Data("old".utf8).write(to: report)
    // A name too long for the file system: the temporary file cannot be made.
    let long = dir.appendingPathComponent(String(repeating: "r", count: 300))
    do {
      try AtomicFile.write(Data("new".utf8), to: long.path)
      Issue.record("wrote a 300-byte file name")
    } catch {
      #expect(error.message.hasPrefix("cannot be written: "))
    }
    #expect(try String(contentsOf: report, encoding: .utf8) == "old")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.txt"])
  }
}
