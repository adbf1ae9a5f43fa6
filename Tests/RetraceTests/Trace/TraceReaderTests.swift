import Foundation
import NumPyKit
import Testing

@testable import Retrace

/// The notebooks of Fixtures/notebooks (made by Scripts/fixtures/notebooks.py with real NumPy).
struct NotebookFixture: CustomTestStringConvertible, Sendable {
  var name: String
  var epochs: Int
  var testDescription: String { name }

  static let all: [NotebookFixture] = [
    .init(name: "seed-full", epochs: 10), .init(name: "seed43", epochs: 10),
    .init(name: "corrected", epochs: 10), .init(name: "printopts", epochs: 10),
    .init(name: "wide", epochs: 10), .init(name: "sizes-2-4-5", epochs: 10),
    .init(name: "long", epochs: 60), .init(name: "overflow", epochs: 300),
  ]

  func trace(_ form: String) throws -> Trace {
    let path = FixturePath.url("notebooks/\(name).\(form)").path
    return try TraceReader.read(NotebookReader.read(path: path))
  }
}

@Suite struct TraceReaderTests {
  let seedLabels = ["X", "W1", "B1", "W2", "B2", "W3", "B3"]
  let epochLabels = [
    "Z1", "H1", "Z2", "H2", "y_pred", "loss", "B3_grad", "W3_grad", "B2_grad", "W2_grad",
    "B1_grad", "W1_grad", "B3", "W3", "B2", "W2", "B1", "W1",
  ]

  @Test func seedShowsSixteenCompleteRecordsThenAPartialW2Grad() throws {
    let trace = try TraceReader.read(NotebookReader.builtInSeed())
    #expect(trace.form == .textExport)
    #expect(trace.records.count == 17)
    let complete = trace.records.prefix(16)
    #expect(complete.allSatisfy { !$0.isPartial })
    #expect(complete.map(\.label) == seedLabels + Array(epochLabels.prefix(9)))
    #expect(
      complete.map(\.epoch) == Array(repeating: nil, count: 7) + Array(repeating: 0, count: 9))
    let last = try #require(trace.records.last)
    #expect(last.label == "W2_grad")
    #expect(last.isPartial)
    #expect(
      last.printed == [
        "-0.", "-0.", "-0.", "-0.", "0.05351791", "0.00228918", "0.", "0.",
        "0.", "0.", "0.",
      ])
    #expect(trace.isTruncated)
    // The seed ends on line 132 after "[ 0.          0.          0.      ".
    #expect(trace.truncatedAt?.line == 132)
    #expect(trace.truncatedAt?.column == 36)
    #expect(trace.records[1].shape == [4, 3])
    #expect(
      trace.records[1].position
        == TextPosition(offset: 0, line: 111, column: 1).with(
          offset: trace.records[1].position.offset))
  }

  @Test func seedIsAPrefixOfItsFullRun() throws {
    let seed = try TraceReader.read(NotebookReader.builtInSeed())
    let full = try NotebookFixture(name: "seed-full", epochs: 10).trace("txt")
    for (cut, whole) in zip(seed.records.dropLast(), full.records) {
      #expect(cut.printed == whole.printed)
      #expect(cut.label == whole.label)
      #expect(cut.position.line == whole.position.line)
    }
    let partial = try #require(seed.records.last)
    let whole = full.records[16]
    #expect(Array(whole.printed.prefix(partial.printed.count)) == partial.printed)
  }

  @Test(arguments: NotebookFixture.all)
  func threeFormsGiveTheSameRecords(_ fixture: NotebookFixture) throws {
    let text = try fixture.trace("txt")
    let notebook = try fixture.trace("ipynb")
    let log = try fixture.trace("log")
    #expect(text.records.count == seedLabels.count + epochLabels.count * fixture.epochs)
    #expect(!text.isTruncated && !notebook.isTruncated && !log.isTruncated)
    #expect(text.notes.isEmpty && notebook.notes.isEmpty && log.notes.isEmpty)
    for other in [notebook, log] {
      #expect(other.records.count == text.records.count)
      #expect(other.records.map(\.label) == text.records.map(\.label))
      #expect(other.records.map(\.epoch) == text.records.map(\.epoch))
      #expect(other.records.map(\.printed) == text.records.map(\.printed))
      #expect(other.records.map(\.shape) == text.records.map(\.shape))
    }
    // In the log, positions are the log's own; in the text export they are shifted by the code.
    #expect(log.records.first?.position.line == 2)
    #expect(notebook.records.first?.isCellRelative == true)
  }

  @Test func bareLogReadsWithTheSeedTemplatesAndStopsWhereTheLogStops() throws {
    let full = try FixturePath.text("notebooks/seed-full.log")
    let cut = String(full.prefix(3000))
    let trace = try TraceReader.read(NotebookReader.read(data: Data(cut.utf8), name: "cut.log"))
    #expect(trace.form == .log)
    #expect(trace.isTruncated)
    #expect(trace.records.last?.isPartial == true || trace.records.last != nil)
  }

  @Test(arguments: [
    ("bad/ragged.log", ":5:2: ragged nesting: this array has 2 entries but the one at 4:2 has 3"),
    ("bad/malformed-number.log", ":2:13: malformed number '3.x'"),
    ("bad/unclosed.log", ":3:3: expected ']' to close the array opened at 2:1, found '('"),
  ])
  func badArraysNameLineAndColumn(_ path: String, _ message: String) throws {
    let url = FixturePath.url(path)
    do {
      _ = try TraceReader.read(NotebookReader.read(path: url.path))
      Issue.record("expected an error")
    } catch {
      #expect(error.description.hasPrefix(url.path + message), "\(error)")
    }
  }

  @Test func outputThatDepartsFromTheCodeNamesThePlace() throws {
    let log = "X:\n[ 1.5 -2.   3. ]\n, (W7:\n[[1.]]\n"
    do {
      _ = try TraceReader.read(NotebookReader.read(data: Data(log.utf8), name: "odd.log"))
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description
          == "odd.log:3:5: the printed output departs from print #1 (In [77], line 24): "
          + "expected '1:\\n' here")
    }
  }

  @Test func aHundredMegabyteLineEndsWithAnErrorNotAHang() throws {
    let line = String(repeating: "a", count: 100 << 20)
    do {
      _ = try TraceReader.read(NotebookReader.read(data: Data(line.utf8), name: "big.log"))
      Issue.record("expected an error")
    } catch {
      #expect(error.description.hasPrefix("big.log:1:1: the printed output departs from print #1"))
    }
  }

  @Test func printsInsideAFunctionOrAnIfAreRefusedWithCellAndLine() throws {
    let code = "In [1]:\nimport numpy as np\nfor i in range(3):\n  if i > 1:\n    print(i)\n"
    do {
      _ = try TraceReader.read(NotebookReader.read(data: Data(code.utf8), name: "if.txt"))
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description
          == "if.txt:5:1: In [1], line 4: a print inside `if i > 1:` (line 3) is not supported; "
          + "retrace follows prints at the top level and in the body of one top-level "
          + "`for … in range(…)` loop")
    }
  }
}

extension TextPosition {
  func with(offset: Int) -> TextPosition {
    TextPosition(offset: offset, line: line, column: column)
  }
}
