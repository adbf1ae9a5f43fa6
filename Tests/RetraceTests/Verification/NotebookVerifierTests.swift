import Foundation
import NumPyKit
import Testing

@testable import Retrace

/// The seed notebook's fixtures (Fixtures/notebooks, printed by NumPy 2.4.6 through
/// Scripts/fixtures/notebooks.py), each reproduced in both forms.
let seedFixtures = [
  "seed-full", "seed43", "corrected", "printopts", "wide", "sizes-2-4-5", "long", "overflow",
]

/// Verifies the notebook at `Fixtures/<relative>` (a log with `code`, a script or notebook
/// under Fixtures, or the built-in seed's code).
func verifyNotebook(_ relative: String, code: String? = nil) throws -> Verification {
  try verifyNotebook(
    NotebookReader.read(path: FixturePath.url(relative).path), code: code)
}

func verifyNotebook(_ notebook: Notebook, code: String? = nil) throws -> Verification {
  var cells: [ParsedCell]? = nil
  if let code {
    cells = [
      try NotebookCode.readScript(FixturePath.text(code), name: code)
    ]
  }
  return try NotebookVerifier.verify(ReplayPlan.make(notebook, code: cells, codeFile: code))
}

/// One edit of Fixtures/notebooks/index.json.
struct Edit: Decodable {
  var name: String
  var line: Int
  var column: Int
  var original: String
  var edited: String
  var epoch: Int
  var label: String
  var index: [Int]
}

struct EditRecord: Decodable {
  var file: String
  var cell: String
  var line: Int
  var column: Int
  var digitColumn: Int
  var original: String
  var edited: String
  var cellRelative: Bool
  var code: String?
}

struct Variants: Decodable {
  struct Log: Decodable {
    var name: String
    var raises: Bool
    var unverifiable: Bool
  }
  struct Tampered: Decodable {
    var name: String
    var edits: [EditRecord]
  }
  var logs: [Log]
  var tampered: [Tampered]

  static let loaded: Variants? = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try? decoder.decode(Variants.self, from: FixturePath.data("corpus/variants.json"))
  }()
}

@Suite struct NotebookVerifierTests {
  @Test func theSeedAsGivenIsReproducedUpToItsCut() throws {
    let verification = try NotebookVerifier.verify(ReplayPlan.make(NotebookReader.builtInSeed()))
    #expect(verification.isReproduced)
    let truncation = try #require(verification.truncation)
    #expect(truncation.position.line == 132 && truncation.position.column == 36)
    #expect(truncation.cell == "In [77]")
    #expect(verification.checked == 72)
    #expect(verification.count(.exact) == 72)
    // The value the output is cut in: W2_grad, 11 of its 12 entries shown.
    let last = try #require(verification.records.last)
    #expect(last.record.isPartial && last.record.expression == "W2_grad")
    #expect(last.values.count == 11)
  }

  @Test func aMillionEpochsCutAfterTheFirstStopAtTheCut() throws {
    // The seed with `epochs = 1000000`: the replay stops where the output stops.
    let text = BuiltInSeed.text.replacingOccurrences(
      of: "epochs = 10\n", with: "epochs = 1000000\n")
    #expect(text != BuiltInSeed.text)
    let notebook = try NotebookReader.read(data: Data(text.utf8), name: "million.txt")
    let verification = try verifyNotebook(notebook)
    #expect(verification.isReproduced)
    #expect(verification.truncation != nil)
    #expect(verification.checked == 72)
  }

  @Test(arguments: seedFixtures)
  func everySeedFixtureIsReproducedExactlyInBothForms(_ name: String) throws {
    for form in ["txt", "ipynb"] {
      let verification = try verifyNotebook("notebooks/\(name).\(form)")
      #expect(verification.isReproduced, "\(name).\(form)")
      #expect(verification.checked > 800, "\(name).\(form)")
      #expect(verification.count(.exact) == verification.checked, "\(name).\(form)")
      #expect(verification.truncation == nil)
    }
  }

  /// Past the 10,000 records a verification keeps, a print whose saved text is exactly the
  /// replayed one is only counted (nothing read back): every value still counted, and one
  /// edited digit there still found, where the hand edit put it.
  @Test func printsPastTheRecordsKeptAreCountedAndAnEditThereIsFound() throws {
    struct Index: Decodable {
      struct Entry: Decodable {
        var name: String
        var values: Int?
      }
      struct Edit: Decodable {
        var name: String
        var line: Int
        var column: Int
        var edited: String
      }
      var notebooks: [Entry]
      var edits: [Edit]
    }
    let index = try JSONDecoder().decode(
      Index.self, from: FixturePath.data("notebooks/index.json"))
    let values = try #require(index.notebooks.first { $0.name == "many-records" }?.values)
    let verification = try verifyNotebook("notebooks/many-records.txt")
    #expect(verification.isReproduced)
    #expect(verification.checked == values)
    #expect(verification.count(.exact) == values)
    #expect(verification.recordsNotKept > 0)
    #expect(verification.counts.records == verification.records.count + verification.recordsNotKept)

    let edit = try #require(index.edits.first { $0.name == "many-records-edited" })
    let edited = try verifyNotebook("notebooks/many-records-edited.txt")
    #expect(!edited.isReproduced)
    #expect(edited.checked == values)
    #expect(edited.count(.mismatch) == 1 && edited.count(.exact) == values - 1)
    let mismatch = try #require(
      edited.records.flatMap(\.values).first { $0.verdict == .mismatch })
    #expect(mismatch.printed == edit.edited)
    #expect(mismatch.position.line == edit.line && mismatch.position.column == edit.column)
  }

  @Test func theFullSeedLogIsReproducedWithTheSeedsCode() throws {
    let verification = try verifyNotebook("notebooks/seed-full.log")
    #expect(verification.form == .log)
    #expect(verification.codeFile == NotebookReader.builtInName)
    #expect(verification.isReproduced)
    #expect(verification.checked == 898)
  }

  @Test func anotherRunsLogUnderTheSeedsCodeMismatches() throws {
    let verification = try verifyNotebook("notebooks/seed43.log")
    #expect(!verification.isReproduced)
    let first = try #require(verification.records.first { !$0.mismatches.isEmpty })
    #expect(first.record.expression == "W1")
    #expect(first.mismatches.first?.index == [0, 0])
  }

  @Test func oneAlteredDigitIsNamedWithItsPlace() throws {
    struct Index: Decodable { var edits: [Edit] }
    let edits = try JSONDecoder().decode(
      Index.self, from: FixturePath.data("notebooks/index.json")
    ).edits
    let edit = try #require(edits.first)
    let verification = try verifyNotebook("notebooks/\(edit.name).txt")
    #expect(!verification.isReproduced)
    #expect(verification.mismatched == 1)
    #expect(verification.departures.isEmpty)
    let record = try #require(verification.records.first { !$0.mismatches.isEmpty })
    let value = try #require(record.mismatches.first)
    #expect(record.record.expression == edit.label)
    #expect(record.record.occurrence == edit.epoch)
    #expect(record.record.name == "In [77] line 39: W2")
    #expect(value.index == edit.index)
    #expect(value.printed == edit.edited)
    #expect(value.replayed == edit.original)
    #expect(value.position.line == edit.line)
    #expect(value.position.column == edit.column)
    #expect(abs((value.lastDigitUnits ?? 0) - 1000) < 0.5)
  }

  @Test func summationNoiseIsWithinNoiseNotAMismatch() throws {
    for form in ["txt", "ipynb"] {
      let verification = try verifyNotebook("notebooks/noise.\(form)")
      #expect(verification.isReproduced, "noise.\(form)")
      #expect(verification.count(.withinNoise) > 0)
      let noisy = verification.records.filter { check in
        check.values.contains { $0.verdict == .withinNoise }
      }
      #expect(noisy.contains { $0.record.expression == "loss" })
      // The band is the spread over the other orders: it holds the printed value.
      for check in noisy {
        for value in check.values where value.verdict == .withinNoise {
          let band = try #require(value.noiseBand)
          let half = (lastDigitUnit(of: value.printed) ?? 0) / 2 * (1 + 1e-9)
          #expect(value.printedValue >= band.lowerBound - half)
          #expect(value.printedValue <= band.upperBound + half)
        }
      }
    }
  }

  @Test func printOptionsOfAnotherRunAreWithinRounding() throws {
    // precision=4 output under code without it: the same values, fewer digits.
    let verification = try verifyNotebook("notebooks/mismatch-printopts.txt")
    #expect(verification.mismatched == 0)
    #expect(verification.count(.withinRounding) > 0)
  }

  @Test func valuesAreCheckedAgainstTheFilesOwnPositions() throws {
    let text = try FixturePath.text("notebooks/seed-full.txt")
    let lines = text.components(separatedBy: "\n")
    let verification = try verifyNotebook("notebooks/seed-full.txt")
    for check in verification.records {
      for value in check.values {
        let line = Array(lines[value.position.line - 1])
        let token = String(line[(value.position.column - 1)...].prefix(value.printed.count))
        #expect(token == value.printed)
      }
    }
  }

  // MARK: - The corpus

  static let corpus: [String] = {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: FixturePath.url("corpus").path))
      ?? []
    return names.filter { $0.hasSuffix(".ipynb") }.map { String($0.dropLast(6)) }.sorted()
  }()

  @Test(arguments: corpus)
  func everyCorpusNotebookIsReproducedInBothForms(_ name: String) throws {
    for form in ["txt", "ipynb"] {
      let path = "corpus/\(name).\(form)"
      if name == "polyfit-normal-equations" {
        // LAPACK is not modelled: a refusal with the cell and line, never a verdict.
        #expect(throws: RetraceError.self) { try verifyNotebook(path) }
        continue
      }
      let verification = try verifyNotebook(path)
      #expect(verification.isReproduced, "\(path)")
      #expect(verification.checked > 0, "\(path)")
      #expect(verification.departures.isEmpty, "\(path)")
      if name == "unverifiable-demo" {
        #expect(verification.count(.unverifiable) > 0)
      } else {
        #expect(verification.count(.exact) == verification.checked, "\(path)")
      }
    }
  }

  @Test func cellsRunOutOfOrderAreReplayedInTheirOrderAndSaidSo() throws {
    let verification = try verifyNotebook("corpus/markov-chain.ipynb")
    #expect(verification.isReproduced)
    #expect(verification.notes.contains { $0.contains("by execution count") })
    #expect(verification.notes.contains { $0.contains("run out of order") })
  }

  @Test func anExceptionIsComparedByTypeAndMessage() throws {
    // broadcasting-rules ends in NumPy's broadcast error, saved as an error output (.ipynb)
    // and as a traceback (text export): both reproduced.
    for form in ["txt", "ipynb"] {
      let verification = try verifyNotebook("corpus/broadcasting-rules.\(form)")
      #expect(verification.isReproduced)
    }
    // Another message in the saved error is a departure of kind exception.
    var text = try FixturePath.text("corpus/broadcasting-rules.txt")
    text = text.replacingOccurrences(of: "shapes (4,4) (3,) ", with: "shapes (4,4) (5,) ")
    let verification = try verifyNotebook(
      NotebookReader.read(data: Data(text.utf8), name: "edited.txt"))
    #expect(!verification.isReproduced)
    let departure = try #require(verification.departures.first)
    #expect(departure.kind == .exception)
    #expect(departure.cell == "In [5]")
    #expect(departure.found.hasSuffix("(5,) "))
  }

  @Test func anEditedLabelIsADepartureAtItsPlace() throws {
    let text = try FixturePath.text("notebooks/seed-full.txt")
    let edited = text.replacingOccurrences(of: "\nZ1:[", with: "\nz1:[", options: [], range: nil)
    let verification = try verifyNotebook(
      NotebookReader.read(data: Data(edited.utf8), name: "label.txt"))
    #expect(!verification.isReproduced)
    let departure = try #require(verification.departures.first)
    #expect(departure.kind == .text)
    #expect(departure.found.hasPrefix("z1:["))
    #expect(departure.expected.hasPrefix("Z1:["))
    // The first `Z1:` of the output is on line 132 of the file (the seed's text export).
    let line = text.components(separatedBy: "\n").firstIndex { $0.hasPrefix("Z1:[") }
    #expect(departure.position.line == (line ?? -1) + 1)
    #expect(departure.position.column == 1)
  }

  @Test func outputAfterTheLastPrintIsExtraOutput() throws {
    let text = try FixturePath.text("notebooks/seed-full.txt")
    let edited = text + "one more line\n"
    let verification = try verifyNotebook(
      NotebookReader.read(data: Data(edited.utf8), name: "extra.txt"))
    #expect(verification.departures.map(\.kind) == [.extraOutput])
    #expect(verification.departures.first?.found == "one more line")
  }

  // MARK: - Bare logs and tampered copies

  @Test func everyCorpusLogIsReproducedWithItsScript() throws {
    let variants = try #require(Variants.loaded)
    #expect(variants.logs.count >= 25)
    for log in variants.logs {
      let path = "corpus/logs/\(log.name).log"
      let code = "corpus/logs/\(log.name).py"
      if log.name == "polyfit-normal-equations" {
        #expect(throws: RetraceError.self) { try verifyNotebook(path, code: code) }
        continue
      }
      let verification = try verifyNotebook(path, code: code)
      #expect(verification.isReproduced, "\(log.name)")
      #expect(verification.checked > 0, "\(log.name)")
      if log.raises {
        #expect(verification.notes.contains { $0.contains("where a script stops") })
      }
    }
  }

  @Test func everyTamperedCopyIsLocatedToItsLineAndColumn() throws {
    let variants = try #require(Variants.loaded)
    #expect(variants.tampered.count >= 30)
    for notebook in variants.tampered {
      for edit in notebook.edits {
        let path = "corpus/tampered/\(edit.file)"
        let verification = try verifyNotebook(path, code: edit.code.map { "corpus/\($0)" })
        #expect(!verification.isReproduced, "\(path)")
        // One thing is wrong, where the edit is: the value (its token's first character)
        // or, for a digit in literal text, a departure at the digit.
        let mismatches = verification.records.flatMap { check in
          check.mismatches.map { (check, $0) }
        }
        #expect(mismatches.count + verification.departures.count == 1, "\(path)")
        if let (check, value) = mismatches.first {
          #expect(value.position.line == edit.line, "\(path)")
          #expect(value.position.column == edit.column, "\(path)")
          #expect(value.printed.contains(edit.edited) || edit.edited.contains(value.printed))
          #expect(check.record.cell == (edit.code == nil ? edit.cell : "script"), "\(path)")
        } else if let departure = verification.departures.first {
          #expect(departure.position.line == edit.line, "\(path)")
          #expect(departure.position.column == edit.digitColumn, "\(path)")
        }
      }
    }
  }

  // MARK: - Reports

  @Test func theJSONReportCountsUnverifiableValuesAndDepartures() throws {
    let verification = try verifyNotebook("corpus/unverifiable-demo.ipynb")
    let json = VerificationReport.json(verification)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(object["verdict"] as? String == "reproduced")
    #expect((object["unverifiable"] as? Int ?? 0) > 0)
    #expect((object["departures"] as? [Any])?.isEmpty == true)
    #expect(object["checked"] as? Int == verification.checked)
  }
}

/// Bare logs read as they are verified (`LogReader`), forced for small files by a threshold of
/// 0: the same verdicts, counts and places as read whole.
@Suite struct StreamedLogTests {
  func streamed(_ path: String, code: String? = nil) throws -> Verification {
    let notebook = try NotebookReader.read(path: path, streamingAbove: 0)
    #expect(notebook.logFile == path)
    var cells: [ParsedCell]? = nil
    if let code { cells = [try NotebookCode.readScript(FixturePath.text(code), name: code)] }
    return try NotebookVerifier.verify(ReplayPlan.make(notebook, code: cells, codeFile: code))
  }

  func temporaryFile(_ bytes: [UInt8], name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "retrace-stream-\(UUID().uuidString)-\(name)")
    try Data(bytes).write(to: url)
    return url
  }

  @Test(arguments: ["seed-full", "seed43", "long"])
  func aStreamedLogGivesWhatTheWholeLogGives(_ name: String) throws {
    let path = FixturePath.url("notebooks/\(name).log").path
    let whole = try verifyNotebook("notebooks/\(name).log")
    let streamed = try streamed(path)
    #expect(streamed.counts == whole.counts)
    #expect(streamed.isReproduced == whole.isReproduced)
    #expect(streamed.departures.map(\.position) == whole.departures.map(\.position))
    #expect(
      streamed.records.map { $0.values.map(\.position) }
        == whole.records.map { $0.values.map(\.position) })
  }

  @Test func aCorpusLogStreamsWithItsScript() throws {
    let path = FixturePath.url("corpus/logs/perceptron-gates.log").path
    let verification = try streamed(path, code: "corpus/logs/perceptron-gates.py")
    #expect(verification.isReproduced && verification.checked > 0)
  }

  @Test func lineEndsAndAByteOrderMarkAcrossChunksReadAsInAWholeFile() throws {
    let log = [UInt8](try FixturePath.data("notebooks/seed-full.log"))
    var crlf: [UInt8] = [0xEF, 0xBB, 0xBF]
    for byte in log {
      if byte == 0x0A { crlf.append(0x0D) }
      crlf.append(byte)
    }
    let url = try temporaryFile(crlf, name: "crlf.log")
    defer { try? FileManager.default.removeItem(at: url) }
    let verification = try streamed(url.path)
    #expect(verification.isReproduced && verification.checked == 898)
  }

  @Test func invalidUTF8InAStreamedLogIsNamedWithItsPlace() throws {
    var log = [UInt8](try FixturePath.data("notebooks/seed-full.log"))
    // Line 4, column 3 (inside W1's first row) becomes a byte that is never UTF-8.
    var line = 1
    var column = 1
    for index in log.indices {
      if line == 4 && column == 3 {
        log[index] = 0xFF
        break
      }
      if log[index] == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    let url = try temporaryFile(log, name: "bad.log")
    defer { try? FileManager.default.removeItem(at: url) }
    do {
      _ = try streamed(url.path)
      Issue.record("invalid UTF-8 was read")
    } catch let error as RetraceError {
      #expect(error.description == "\(url.path):4:3: is not valid UTF-8 (byte 0xFF)")
    }
  }
}

/// Text exports too large to hold, read in two passes (`StreamedTextExport`): forced here for
/// small files by a threshold of 0 and a kept start of a few KB per cell, so that a long
/// cell's output is read from the file as it is verified.
@Suite struct StreamedTextExportTests {
  @Test(arguments: ["seed-full", "noise", "seed-full-edited", "mismatch-seed", "long"])
  func aStreamedTextExportGivesWhatTheWholeOneGives(_ name: String) throws {
    let path = FixturePath.url("notebooks/\(name).txt").path
    let whole = try verifyNotebook("notebooks/\(name).txt")
    let notebook = try NotebookReader.read(path: path, streamingAbove: 0, keepingPerCell: 4096)
    #expect(notebook.cells.contains { $0.outputFile != nil })
    let streamed = try NotebookVerifier.verify(ReplayPlan.make(notebook))
    #expect(streamed.counts == whole.counts, "\(name)")
    #expect(streamed.isReproduced == whole.isReproduced)
    #expect(
      streamed.records.map { $0.values.map(\.position) }
        == whole.records.map { $0.values.map(\.position) }, "\(name)")
    #expect(
      streamed.records.map { $0.values.map(\.printed) }
        == whole.records.map { $0.values.map(\.printed) })
  }

  @Test(arguments: ["xor-sigmoid", "broadcasting-rules", "markov-chain", "numpy-drills"])
  func corpusTextExportsStreamAsTheyRead(_ name: String) throws {
    let path = FixturePath.url("corpus/\(name).txt").path
    let whole = try verifyNotebook("corpus/\(name).txt")
    let notebook = try NotebookReader.read(path: path, streamingAbove: 0, keepingPerCell: 8192)
    let streamed = try NotebookVerifier.verify(ReplayPlan.make(notebook))
    #expect(streamed.counts == whole.counts, "\(name)")
    #expect(streamed.isReproduced && whole.isReproduced)
    #expect(streamed.notes == whole.notes)
  }

  @Test func theSeedWithAMillionEpochsStreamsAndStopsAtItsCut() throws {
    let text = BuiltInSeed.text.replacingOccurrences(
      of: "epochs = 10\n", with: "epochs = 1000000\n")
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "retrace-million-\(UUID().uuidString).txt")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let notebook = try NotebookReader.read(path: url.path, streamingAbove: 0, keepingPerCell: 4096)
    let verification = try NotebookVerifier.verify(ReplayPlan.make(notebook))
    #expect(verification.isReproduced && verification.checked == 72)
    #expect(verification.truncation?.position.line == 132)
    #expect(verification.truncation?.position.column == 36)
  }
}

/// Jupyter notebooks too large to hold, scanned a chunk at a time (`StreamedNotebook`) with
/// their stdout decoded from the file as they are verified: forced here by a threshold of 0.
@Suite struct StreamedNotebookTests {
  static let notebooks = [
    "notebooks/seed-full", "notebooks/noise", "notebooks/long", "corpus/numpy-drills",
    "corpus/broadcasting-rules", "corpus/markov-chain", "corpus/unverifiable-demo",
    "corpus/tampered/xor-sigmoid",
  ]

  @Test(arguments: notebooks)
  func aStreamedNotebookGivesWhatTheWholeOneGives(_ name: String) throws {
    let path = FixturePath.url("\(name).ipynb").path
    let whole = try verifyNotebook("\(name).ipynb")
    let notebook = try NotebookReader.read(path: path, streamingAbove: 0)
    #expect(notebook.cells.contains { $0.outputParts != nil })
    let streamed = try NotebookVerifier.verify(ReplayPlan.make(notebook))
    #expect(streamed.counts == whole.counts, "\(name)")
    #expect(streamed.isReproduced == whole.isReproduced)
    #expect(streamed.departures.map(\.position) == whole.departures.map(\.position))
    #expect(
      streamed.records.map { $0.values.map(\.position) }
        == whole.records.map { $0.values.map(\.position) }, "\(name)")
    #expect(streamed.notChecked == whole.notChecked && streamed.notes == whole.notes)
  }

  @Test func escapesCutAtAChunkBoundaryAreUndone() {
    #expect(
      JSONTextReader.unescape(Array(#"a\n\"b\u00e9\ud83d\ude00"#.utf8)) == Array("a\n\"bé😀".utf8))
    #expect(JSONTextReader.unescape(Array(#"\q"#.utf8)) == nil)
  }

  @Test func malformedJSONInALargeNotebookNamesItsPlace() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "retrace-json-\(UUID().uuidString).ipynb")
    try Data(#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "x"#.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(throws: RetraceError.self) {
      _ = try NotebookReader.read(path: url.path, streamingAbove: 0)
    }
  }
}
