import Foundation
import Testing

@testable import Retrace

/// A few bytes of code must not make the replay allocate gigabytes, run for hours or trap:
/// draws, loop counts and integers beyond what retrace replays are refused with cell and line.
@Suite struct ExperimentReaderLimitTests {
  func refusal(_ replace: String, with replacement: String) throws -> String {
    let seed = try FixturePath.text("seed/notebook.txt")
    #expect(seed.contains(replace))
    let text = seed.replacingOccurrences(of: replace, with: replacement)
    let trace = try TraceReader.read(NotebookReader.read(data: Data(text.utf8), name: "nb.txt"))
    do {
      _ = try ExperimentReader.read(trace)
      return "no error"
    } catch {
      return error.description
    }
  }

  @Test(arguments: [
    (
      "W1 = np.random.randn(4, 3)", "W1 = np.random.randn(100000, 100000)",
      "nb.txt:74:1: In [77], line 7: `W1 = np.random.randn(100000, 100000)` draws more than "
        + "10000000 values, the most retrace replays in one draw"
    ),
    (
      "W1 = np.random.randn(4, 3)", "W1 = np.random.randn(4294967296, 4294967296, 4294967296)",
      "nb.txt:74:1: In [77], line 7: `W1 = np.random.randn(4294967296, 4294967296, 4294967296)` "
        + "draws more than 10000000 values, the most retrace replays in one draw"
    ),
    (
      "W1 = np.random.randn(4, 3)", "W1 = np.random.randn(4, 99999999999999999999)",
      "nb.txt:74:1: In [77], line 7: `W1 = np.random.randn(4, 99999999999999999999)` draws more "
        + "than 10000000 values, the most retrace replays in one draw"
    ),
    (
      "epochs = 10", "epochs = 10000000000",
      "nb.txt:95:1: In [77], line 28: `for epoch in range(epochs):` runs more than "
        + "1000000 epochs, the most retrace replays"
    ),
    (
      "for epoch in range(epochs):", "for epoch in range(1_000_001):",
      "nb.txt:95:1: In [77], line 28: `for epoch in range(1_000_001):` runs more than "
        + "1000000 epochs, the most retrace replays"
    ),
    (
      "epochs = 10", "epochs = 99999999999999999999",
      "nb.txt:93:1: In [77], line 26: `epochs = 99999999999999999999` is an integer too large "
        + "for retrace (64 bits)"
    ),
  ])
  func oversizedStatementsAreRefusedWithCellAndLine(
    _ replace: String, _ replacement: String, _ message: String
  ) throws {
    let got = try refusal(replace, with: replacement)
    #expect(got == message)
  }

  @Test func aLiteralLoopCountWithUnderscoresIsRead() throws {
    let text = try FixturePath.text("seed/notebook.txt").replacingOccurrences(
      of: "for epoch in range(epochs):", with: "for epoch in range(1_0):")
    let trace = try TraceReader.read(NotebookReader.read(data: Data(text.utf8), name: "nb.txt"))
    #expect(try ExperimentReader.read(trace).epochs == 10)
  }

  @Test func theLimitsThemselvesAreAccepted() throws {
    #expect(try refusal("epochs = 10", with: "epochs = 1_000_000") == "no error")
    #expect(
      try refusal("B1 = np.random.randn(4)", with: "B1 = np.random.randn(10000000)")
        == "no error")
  }
}
