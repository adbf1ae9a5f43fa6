import Foundation
import Interpreter
import NumPyKit
import Testing

@testable import Retrace

/// NumPy's RuntimeWarnings, against notebooks a real Jupyter kernel ran (Fixtures/warnings,
/// from Scripts/fixtures/warnings.py with NumPy 2.4.6): their stderr is what the replay must
/// show, warning for warning.
@Suite struct WarningsTests {
  static let trainings = ["sigmoid-overflow", "diverging-lr", "guarded-logs", "late-divergence"]

  static func index() throws -> [String: Int] {
    let data = try Data(contentsOf: FixturePath.url("warnings/index.json"))
    let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let notebooks = json?["notebooks"] as? [String: [String: Int]] ?? [:]
    return notebooks.mapValues { $0["warnings"] ?? 0 }
  }

  @Test(arguments: trainings + ["cases"])
  func everyWarningIsReproducedInTheNotebookAndItsTextExport(_ name: String) throws {
    let expected = try #require(try Self.index()[name])
    for form in ["ipynb", "txt"] {
      let verification = try verifyNotebook("warnings/\(name).\(form)")
      #expect(verification.isReproduced, "\(name).\(form): \(verification.departures)")
      #expect(verification.departures.isEmpty)
      #expect(verification.warningsChecked == expected, "\(name).\(form)")
    }
  }

  @Test(arguments: trainings + ["cases"])
  func aNotebookReadAsAStreamChecksTheSameWarnings(_ name: String) throws {
    let expected = try #require(try Self.index()[name])
    for form in ["ipynb", "txt"] {
      let path = FixturePath.url("warnings/\(name).\(form)").path
      let notebook = try NotebookReader.read(path: path, streamingAbove: 0, keepingPerCell: 4096)
      let verification = try verifyNotebook(notebook)
      #expect(verification.isReproduced, "\(name).\(form): \(verification.departures)")
      #expect(verification.warningsChecked == expected, "\(name).\(form)")
    }
  }

  @Test(arguments: trainings)
  func aLogWithItsStderrChecksItsWarningsAndOneWithoutListsThem(_ name: String) throws {
    // A script shows a warning once per place for the whole run (a notebook once per cell).
    let log = try String(contentsOf: FixturePath.url("warnings/\(name).log"), encoding: .utf8)
    let expected = log.components(separatedBy: "Warning: ").count - 1
    let full = try verifyNotebook("warnings/\(name).log", code: "warnings/\(name).py")
    #expect(full.isReproduced, "\(full.departures)")
    #expect(full.warningsChecked == expected)
    let bare = try verifyNotebook("warnings/\(name).stdout.log", code: "warnings/\(name).py")
    #expect(bare.isReproduced)
    #expect(bare.warningsChecked == 0)
    if expected > 0 {
      #expect(bare.notChecked.contains { $0.contains("the saved output holds no stderr") })
    }
  }

  /// The replay's stderr, cell by cell, is the kernel's: the same warnings in the same order,
  /// each with its line and source line; NumPy's own file, line and source line where NumPy
  /// warns from its Python code (`numpy/_core/_methods.py:168`).
  @Test func theReplaysStderrIsTheKernelsLineForLine() throws {
    let path = FixturePath.url("warnings/cases.ipynb").path
    let notebook = try NotebookReader.read(path: path)
    let runs = try InterpreterReplay.run(notebook)
    let data = try Data(contentsOf: FixturePath.url("warnings/cases.ipynb"))
    let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let cells = (json?["cells"] as? [[String: Any]]) ?? []
    #expect(cells.count == runs.count)
    func normalized(_ text: String) -> String {
      // A cell's file is the kernel's temporary file here and `<In [N]>` in the replay; NumPy's
      // files are under the installed path.
      text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        var line = String(line)
        if let range = line.range(of: "numpy/") {
          if !line.hasPrefix(" ") { line = String(line[range.lowerBound...]) }
        } else if !line.hasPrefix(" "), let colon = line.range(of: ".py:") ?? line.range(of: ">:") {
          line = "<cell>:" + line[colon.upperBound...]
        }
        return line
      }.joined(separator: "\n")
    }
    var compared = 0
    for (cell, run) in zip(cells, runs) {
      let outputs = (cell["outputs"] as? [[String: Any]]) ?? []
      let stderr = outputs.filter { $0["name"] as? String == "stderr" }.map { output -> String in
        if let text = output["text"] as? String { return text }
        return ((output["text"] as? [String]) ?? []).joined()
      }.joined()
      #expect(normalized(run.warnings) == normalized(stderr), "\(run.label)")
      compared += stderr.isEmpty ? 0 : 1
    }
    #expect(compared > 40)
  }

  @Test func everyNumPySiteIsALineTheKernelShowed() throws {
    let text = try String(contentsOf: FixturePath.url("warnings/cases.ipynb"), encoding: .utf8)
    // Sites used by the cases appear with their line and source in the saved stderr.
    for site in [
      NumPySite.all[0], NumPySite.all[4], NumPySite.all[5], NumPySite.all[6],
    ] {
      #expect(text.contains("\(site.file):\(site.line): "), "\(site.file):\(site.line)")
      #expect(text.contains("  \(site.source)".replacingOccurrences(of: "\"", with: "\\\"")))
    }
  }

  /// np.cov and np.linalg.norm(axis=...) warn from NumPy code retrace does not model: their
  /// saved warnings are listed as not checked (never a departure), the cell's others checked.
  @Test func warningsOfUnmodelledNumPyCodeAreListedNotChecked() throws {
    for form in ["ipynb", "txt"] {
      let verification = try verifyNotebook("warnings/unmodelled-sites.\(form)")
      #expect(verification.isReproduced, "\(form): \(verification.departures)")
      #expect(verification.warningsChecked == 1)
      let listed = verification.notChecked.filter { $0.contains("does not model") }
      #expect(listed.count == 2, "\(verification.notChecked)")
      #expect(
        listed.contains { $0.contains("np.cov") && $0.contains("overflow encountered in dot") })
      #expect(listed.contains { $0.contains("np.linalg.norm") })
    }
  }

  /// late-divergence.log: stdout block-buffered, so its warnings are written into the middle of
  /// line 292, between two pieces of a print. They are cut out and compared, and a value after
  /// the cut is still named at its place in the file.
  @Test func warningsWrittenIntoTheMiddleOfALineAreCutOutAndPositionsKept() throws {
    let log = try String(
      contentsOf: FixturePath.url("warnings/late-divergence.log"), encoding: .utf8)
    let lines = log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let glued = try #require(lines.firstIndex { $0.hasPrefix("epoch") && $0.contains("Warning: ") })
    let rest = try #require(
      lines[(glued + 1)...].firstIndex { !$0.hasPrefix("  ") && !$0.contains("Warning: ") })
    #expect(rest > glued + 4)
    // One digit changed in the rest of the cut line, and one on the next line.
    for (index, column) in [(rest, 1), (rest + 1, 0)] {
      var edited = lines
      var characters = Array(edited[index])
      let at = try #require(
        characters.indices.first {
          $0 >= column && characters[$0].isNumber && characters[$0] != "9"
        })
      characters[at] = Character(String(characters[at].wholeNumberValue! + 1))
      edited[index] = String(characters)
      let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "retrace-late-\(getpid())-\(index).log")
      try edited.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
      defer { try? FileManager.default.removeItem(at: url) }
      let verification = try verifyNotebook(
        try NotebookReader.read(path: url.path), code: "warnings/late-divergence.py")
      #expect(verification.departures.isEmpty, "\(verification.departures)")
      #expect(verification.warningsChecked == 4)
      let mismatch = try #require(
        verification.records.flatMap(\.values).first { $0.verdict == .mismatch })
      #expect(mismatch.position.line == index + 1)
      #expect(mismatch.position.column <= at + 1)
      #expect(mismatch.position.column + 12 >= at + 1)
    }
  }

  @Test func anEditedWarningIsOneDepartureNamingBothMessages() throws {
    var notebook = try NotebookReader.read(
      path: FixturePath.url("warnings/sigmoid-overflow.ipynb").path)
    let index = try #require(notebook.cells.firstIndex { !$0.savedWarnings.isEmpty })
    let original = notebook.cells[index].savedWarnings[0]
    notebook.cells[index].savedWarnings[0].message = original.message.replacingOccurrences(
      of: "overflow", with: "underflow")
    let verification = try verifyNotebook(notebook)
    #expect(!verification.isReproduced)
    #expect(verification.departures.count == 1)
    let departure = try #require(verification.departures.first)
    #expect(departure.kind == .warning)
    #expect(departure.codeLine == original.line)
    #expect(departure.message.contains("underflow encountered in exp"))
    #expect(departure.message.contains("where the replay warns RuntimeWarning: overflow"))
  }

  @Test func aWarningMissingFromTheSavedStderrOrAddedToItIsADeparture() throws {
    var notebook = try NotebookReader.read(
      path: FixturePath.url("warnings/sigmoid-overflow.ipynb").path)
    let index = try #require(notebook.cells.firstIndex { $0.savedWarnings.count >= 2 })
    let removed = notebook.cells[index].savedWarnings.removeLast()
    let missing = try verifyNotebook(notebook)
    #expect(missing.departures.count == 1)
    #expect(
      missing.departures.first?.message.contains("which the saved output does not show") == true)
    #expect(missing.departures.first?.message.contains(removed.message) == true)

    notebook.cells[index].savedWarnings.append(removed)
    notebook.cells[0].savedWarnings.append(removed)
    let extra = try verifyNotebook(notebook)
    #expect(extra.departures.count == 1)
    #expect(
      extra.departures.first?.message.contains("which the replay of the code does not give") == true
    )
  }

  @Test func aTextExportWithAWarningDeletedIsADepartureAtItsCell() throws {
    let text = try String(
      contentsOf: FixturePath.url("warnings/sigmoid-overflow.txt"), encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let at = try #require(lines.firstIndex { $0.contains("RuntimeWarning: divide by zero") })
    lines.removeSubrange(at...(at + 1))
    let edited = FileManager.default.temporaryDirectory.appendingPathComponent(
      "retrace-warning-deleted-\(getpid()).txt")
    try lines.joined(separator: "\n").write(to: edited, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: edited) }
    let verification = try verifyNotebook(try NotebookReader.read(path: edited.path))
    #expect(verification.departures.count == 1)
    #expect(verification.departures.first?.kind == .warning)
    #expect(
      verification.departures.first?.message.contains("divide by zero encountered in log") == true)
  }

  @Test func warningsOtherThanNumPysAreListedNotChecked() throws {
    var notebook = try NotebookReader.read(
      path: FixturePath.url("warnings/guarded-logs.ipynb").path)
    notebook.cells[0].savedWarnings.append(
      SavedWarning(
        file: "/usr/lib/python3/dist-packages/sklearn/base.py", line: 12,
        category: "FutureWarning", message: "a library's notice", position: .start))
    let verification = try verifyNotebook(notebook)
    #expect(verification.isReproduced)
    #expect(verification.notChecked.contains { $0.contains("FutureWarning: a library's notice") })
  }
}

/// The interpreter's floating-point error state and `warnings` filters, against CPython's and
/// NumPy's behaviour as the cases notebook records it, plus the refusals.
@Suite struct FloatErrorStateTests {
  final class Collector: InterpreterObserver {
    var warnings: [PythonWarning] = []
    func interpreter(_ interpreter: PythonInterpreter, warned warning: PythonWarning) {
      warnings.append(warning)
    }
  }

  func run(_ code: String) throws -> (String, [PythonWarning]) {
    let interpreter = PythonInterpreter()
    let collector = Collector()
    interpreter.observer = collector
    try interpreter.run(code)
    return (interpreter.output, collector.warnings)
  }

  @Test func aLoopWarnsOncePerPlaceAndANewCellAgain() throws {
    let interpreter = PythonInterpreter()
    let collector = Collector()
    interpreter.observer = collector
    try interpreter.run("import numpy as np\nfor i in range(5):\n    np.exp(np.array([1e3]))")
    #expect(collector.warnings.count == 1)
    #expect(collector.warnings.first?.line == 3)
    #expect(collector.warnings.first?.message == "overflow encountered in exp")
    try interpreter.run("np.exp(np.array([1e3]))\nnp.exp(np.array([1e3]))")
    #expect(collector.warnings.count == 3)
    // A script's registry lasts the run: a function's line warns once, whoever calls it.
    interpreter.warningsPerModule = false
    try interpreter.run("def g():\n    return np.exp(np.array([1e3]))")
    try interpreter.run("g()")
    try interpreter.run("g()")
    #expect(collector.warnings.count == 4)
    #expect(collector.warnings.last?.line == 2)
  }

  @Test func raiseModeRaisesFloatingPointError() throws {
    let (output, warnings) = try run(
      "import numpy as np\nnp.seterr(invalid='raise')\ntry:\n    np.sqrt(np.array([-1.0]))\n"
        + "except FloatingPointError as e:\n    print(e)\n")
    #expect(output == "invalid value encountered in sqrt\n")
    #expect(warnings.isEmpty)
  }

  @Test func catchWarningsWithRecordCollectsInsteadOfShowing() throws {
    let (output, warnings) = try run(
      "import numpy as np\nimport warnings\nwith warnings.catch_warnings(record=True) as w:\n"
        + "    warnings.simplefilter('always')\n    np.log(np.array([0.0]))\n"
        + "    np.log(np.array([0.0]))\nprint(len(w), w[0].message, w[0].category.__name__)\n"
        + "np.log(np.array([0.0]))\n")
    #expect(output == "2 divide by zero encountered in log RuntimeWarning\n")
    #expect(warnings.count == 1)
  }

  @Test func aWarningFilterSetToErrorRaisesTheWarning() throws {
    let (output, _) = try run(
      "import numpy as np\nimport warnings\nwarnings.simplefilter('error')\ntry:\n"
        + "    np.exp(np.array([1e3]))\nexcept RuntimeWarning as e:\n    print('raised', e)\n")
    #expect(output == "raised overflow encountered in exp\n")
  }

  @Test func underflowAndCallbackModesAreRefused() throws {
    for code in ["np.seterr(under='warn')", "np.seterr(all='call')", "np.errstate(over='log')"] {
      #expect(throws: PythonError.self) { try run("import numpy as np\n" + code) }
    }
    #expect(throws: PythonError.self) {
      try run("import numpy as np\nnp.seterr(over='sometimes')")
    }
  }

  @Test func flagsFollowIEEERulesNotTheKernelsPath() {
    let zero = StridedArray(shape: [2], reals: [0, 1])
    let ones = StridedArray(shape: [2], reals: [1, 1])
    #expect(
      FloatStatus.of(
        .trueDivide, ones, zero, result: StridedArray(shape: [2], reals: [.infinity, 1])) == .divide
    )
    let nanInput = StridedArray(shape: [1], reals: [.nan])
    #expect(FloatStatus.of(.exp, nanInput, result: nanInput).isEmpty)
    let big = StridedArray(shape: [1], reals: [1000])
    #expect(
      FloatStatus.of(.exp, big, result: StridedArray(shape: [1], reals: [.infinity])) == .overflow)
    #expect(FloatStatus.of(.exp, big, result: StridedArray(shape: [1], reals: [1])).isEmpty)
  }
}
