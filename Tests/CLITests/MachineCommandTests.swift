import Foundation
import Testing

/// `retrace machines` and `--machine`, against a script NumPy ran here under both of its exp
/// paths (Fixtures/numpy/machines, `python3 Scripts/make-fixtures.py machines`).
@Suite struct MachineCommandTests {
  static let folder = "Fixtures/numpy/machines"

  static func text(_ name: String) throws -> String {
    try String(
      contentsOf: FixturePath.root.appendingPathComponent("\(folder)/\(name)"), encoding: .utf8)
  }

  @Test func machinesListsEveryModelWithWhatItWasCheckedAgainst() throws {
    let result = try CommandRunner.run(["machines"])
    #expect(result.status == 0)
    for name in ["x86-64-avx2 (default)", "x86-64-avx2-1thread", "x86-64-avx512", "no-blas"] {
      #expect(
        result.stdout.contains("\n\(name)\n") || result.stdout.hasPrefix("\(name)\n"), "\(name)")
    }
    #expect(result.stdout.contains("not checked as a whole"))
    #expect(result.stdout.contains("not modelled: log2, "))
  }

  /// The same script prints NumPy's libm digits under the default model and SVML's under the
  /// AVX-512 one, byte for byte; the two logs differ.
  @Test func replayPrintsWhatEachMachinesNumPyPrinted() throws {
    let script = "\(Self.folder)/exp-notebook.py"
    let libm = try Self.text("exp-notebook.libm.log")
    let svml = try Self.text("exp-notebook.svml.log")
    #expect(libm != svml)
    let plain = try CommandRunner.run(["replay", script])
    #expect(plain.status == 0 && plain.stdout == libm)
    let avx512 = try CommandRunner.run(["replay", "--machine", "x86-64-avx512", script])
    #expect(avx512.status == 0 && avx512.stdout == svml)
  }

  @Test func verifyUnderTheMachineThatPrintedTheLogReproducesIt() throws {
    let arguments = [
      "verify", "\(Self.folder)/exp-notebook.svml.log", "--code", "\(Self.folder)/exp-notebook.py",
    ]
    // Within noise under the default model, and the machine named.
    let underDefault = try CommandRunner.run(arguments)
    #expect(underDefault.status == 0)
    #expect(underDefault.stdout.contains("within noise"))
    #expect(
      underDefault.stdout.contains("[machine] The output was printed by NumPy on x86-64-avx512"))
    let underAVX512 = try CommandRunner.run(arguments + ["--machine", "x86-64-avx512"])
    #expect(underAVX512.status == 0)
    #expect(underAVX512.stdout.contains("0 within noise, 0 mismatched"))
  }

  /// `explain` names the machine under the default model, and has nothing to explain under
  /// the machine that printed the log.
  @Test func explainNamesTheMachineAndTakesMachineToo() throws {
    let arguments = [
      "explain", "\(Self.folder)/exp-notebook.svml.log", "--code",
      "\(Self.folder)/exp-notebook.py",
    ]
    let plain = try CommandRunner.run(arguments + ["--format", "json"])
    #expect(plain.status == 0)
    #expect(plain.stdout.contains("\"kind\": \"machine\""))
    #expect(plain.stdout.contains("\"identified\": [\"x86-64-avx512\"]"))
    let under = try CommandRunner.run(arguments + ["--machine", "x86-64-avx512"])
    #expect(under.status == 0)
    #expect(under.stdout.contains("findings: none"))
  }

  @Test func anUnknownMachineIsAUsageErrorNamingTheModels() throws {
    let result = try CommandRunner.run(
      ["replay", "--machine", "pentium", "\(Self.folder)/exp-notebook.py"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("unknown machine model 'pentium'"))
    #expect(result.stderr.contains("x86-64-avx512"))
    #expect(result.stdout.isEmpty)
  }
}
