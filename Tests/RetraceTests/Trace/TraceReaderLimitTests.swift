import Foundation
import Testing

@testable import Retrace

/// Inputs that made reading grow faster than linearly, now linear or refused.
@Suite struct TraceReaderLimitTests {
  func read(_ text: String) throws(RetraceError) -> Trace {
    try TraceReader.read(NotebookReader.read(data: Data(text.utf8), name: "nb.txt"))
  }

  static let header = "In [1]:\nimport numpy as np\n\nIn [2]:\nprint(f\"X:\\n{X}\\nend\")\n"

  /// Every line from the print on begins like the print's output and opens a bracket that
  /// closes only at the end: trying each line read the rest of the text each time (20,000
  /// lines took 47 s in a release build, 100,000 would take about 20 minutes).
  @Test func linesThatAllBeginLikeTheOutputAreRefusedInLinearTime() throws {
    let lines = 20_000
    let text =
      Self.header + "\n" + String(repeating: "X:\n[\n", count: lines)
      + String(repeating: "]\n", count: lines) + "zzz\n"
    let start = Date()
    do {
      _ = try read(text)
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description
          == "nb.txt:127:1: cannot tell where this cell's output starts: too many of its lines "
          + "begin like its first print")
    }
    #expect(Date().timeIntervalSince(start) < 10)
  }

  /// Many lines of code after the last print are skipped at a constant cost each.
  @Test func manyLinesOfCodeAfterTheLastPrintStillFindTheOutput() throws {
    let code = String(repeating: "y = [1,\n     2]\n", count: 50_000)
    let trace = try read(Self.header + code + "\nX:\n[1. 2.]\nend\n")
    #expect(trace.records.count == 1)
    #expect(trace.records.first?.values == [1, 2])
    #expect(trace.records.first?.position.line == 100_008)
  }
}
