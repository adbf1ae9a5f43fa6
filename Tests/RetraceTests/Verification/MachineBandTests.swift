import Foundation
import NumPyKit
import Testing

@testable import Retrace

/// The noise band over the machine models and the `machine` finding, against a script NumPy
/// ran here under its SVML and its libm exp paths (Fixtures/numpy/machines, made by
/// `python3 Scripts/make-fixtures.py machines`).
@Suite struct MachineBandTests {
  static let folder = "numpy/machines"

  static func verify(_ log: String, machine: MachineModel = .default, text: String? = nil)
    throws -> Verification
  {
    let notebook: Notebook
    if let text {
      notebook = try NotebookReader.read(data: Data(text.utf8), name: "\(log)-edited.log")
    } else {
      notebook = try NotebookReader.read(path: FixturePath.url("\(folder)/\(log)").path)
    }
    let code = try NotebookCode.readScript(
      FixturePath.text("\(folder)/exp-notebook.py"), name: "exp-notebook.py")
    let plan = try ReplayPlan.make(notebook, code: [code], codeFile: "exp-notebook.py")
    return try NotebookVerifier.verify(plan, machine: machine)
  }

  /// The numbers of a log, as whitespace-separated tokens.
  static func tokens(_ name: String) throws -> [Substring] {
    try FixturePath.text("\(folder)/\(name)").split(whereSeparator: { " \n[](),".contains($0) })
  }

  static func values(_ v: Verification) -> [ValueCheck] { v.records.flatMap(\.values) }

  /// What NumPy printed with SVML's exp is within noise under the default (libm) model, never
  /// a mismatch: exactly the tokens where the two NumPy runs differ, each naming the model
  /// that prints it so; the finding names that machine, and replayed under it all is exact.
  @Test func theAVX512MachinesOutputIsWithinNoiseAndIdentified() throws {
    let differing = zip(
      try Self.tokens("exp-notebook.svml.log"), try Self.tokens("exp-notebook.libm.log")
    )
    .filter { $0 != $1 }.count
    #expect(differing >= 10)
    let v = try Self.verify("exp-notebook.svml.log")
    #expect(v.isReproduced && v.mismatched == 0)
    let noisy = Self.values(v).filter { $0.verdict == .withinNoise }
    #expect(noisy.count == differing)
    #expect(noisy.allSatisfy { $0.machines == ["x86-64-avx512"] })
    #expect(v.machineMatches.map(\.model) == ["x86-64-avx512"])
    #expect(v.machineMatches.first?.isIdentification == true)
    let finding = try #require(Explainer.explain(v).findings.first { $0.kind == .machine })
    #expect(finding.summary.contains("printed by NumPy on x86-64-avx512"))
    let facts = Dictionary(uniqueKeysWithValues: finding.evidence.map { ($0.0, $0.1.json) })
    #expect(facts["identified"] == "[\"x86-64-avx512\"]")
    #expect(facts["replayed_under"] == "\"x86-64-avx2\"")
    let under = try Self.verify("exp-notebook.svml.log", machine: .x86AVX512)
    #expect(under.count(.exact) == under.checked && under.machineMatches.isEmpty)
  }

  /// The libm run is exact under the default model, with no band and no finding; replayed
  /// under the AVX-512 model it is within noise, and the glibc models reproduce it (the one
  /// that is not checked against a real NumPy, no-blas, is not an identification).
  @Test func theLibmMachinesOutputIsExactUnderTheDefaultAndNamedUnderAVX512() throws {
    let plain = try Self.verify("exp-notebook.libm.log")
    #expect(plain.count(.exact) == plain.checked && plain.machineMatches.isEmpty)
    #expect(!Explainer.explain(plain).findings.contains { $0.kind == .machine })
    let under = try Self.verify("exp-notebook.libm.log", machine: .x86AVX512)
    #expect(under.isReproduced && under.count(.withinNoise) > 0)
    #expect(
      Set(under.machineMatches.map(\.model)) == ["x86-64-avx2", "x86-64-avx2-1thread", "no-blas"])
    #expect(
      under.machineMatches.filter(\.isIdentification).map(\.model).sorted() == [
        "x86-64-avx2", "x86-64-avx2-1thread",
      ])
  }

  /// Scripts NumPy ran here under other machines' configurations (`OPENBLAS_CORETYPE`,
  /// `OPENBLAS_NUM_THREADS`, its SVML or libm exp): each is within noise, never a mismatch,
  /// under the default model, the `machine` finding names the model the manifest gives, and
  /// replayed under that model every value is reproduced exactly.
  @Test func notebooksMadeUnderOtherMachinesAreIdentified() throws {
    let data = try FixturePath.data("\(Self.folder)/manifest.json")
    let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let notebooks = try #require(manifest["notebooks"] as? [String: [String: Any]])
    #expect(notebooks.count >= 2)
    for (name, entry) in notebooks.sorted(by: { $0.key < $1.key }) {
      let expected = try #require(entry["machine"] as? String)
      let model = try #require(MachineModel.named(expected))
      let notebook = try NotebookReader.read(
        path: FixturePath.url("\(Self.folder)/\(name).log").path)
      let code = try NotebookCode.readScript(
        FixturePath.text("\(Self.folder)/\(name).py"), name: "\(name).py")
      let plan = try ReplayPlan.make(notebook, code: [code], codeFile: "\(name).py")
      let plain = try NotebookVerifier.verify(plan)
      #expect(plain.mismatched == 0 && plain.count(.withinNoise) > 0, "\(name)")
      let identified = plain.machineMatches.filter(\.isIdentification).map(\.model)
      #expect(identified == [expected], "\(name): \(identified)")
      let under = try NotebookVerifier.verify(plan, machine: model)
      #expect(under.isReproduced && under.count(.withinNoise) == 0, "\(name)")
      #expect(under.count(.exact) + under.count(.withinRounding) == under.checked, "\(name)")
    }
  }

  /// A loss printed in full (its repr, 16 digits) by another machine is that machine's double,
  /// not the replayed one rounded: within noise, never "within rounding" with a print-options
  /// finding (0.1234388591822786 is the AVX-512 run's; the default replays 0.12343885918227858,
  /// which rounds to it).
  @Test func aFloatPrintedInFullIsAnotherDoubleNotARounding() throws {
    let notebook = try NotebookReader.read(
      path: FixturePath.url("\(Self.folder)/crossentropy-avx512.log").path)
    let code = try NotebookCode.readScript(
      FixturePath.text("\(Self.folder)/crossentropy-avx512.py"), name: "crossentropy-avx512.py")
    let plan = try ReplayPlan.make(notebook, code: [code], codeFile: "crossentropy-avx512.py")
    let v = try NotebookVerifier.verify(plan)
    let loss = try #require(Self.values(v).first { $0.printed == "0.1234388591822786" })
    #expect(loss.replayed == "0.12343885918227858")
    #expect(loss.verdict == .withinNoise && loss.machines == ["x86-64-avx512"])
    #expect(v.count(.withinRounding) == 0 && v.mismatched == 0)
    #expect(!Explainer.explain(v).findings.contains { $0.kind == .printOptions })
  }

  /// One printed digit edited is a mismatch under every model, and no model reproduces it all.
  @Test func anEditedDigitIsAMismatchUnderEveryModel() throws {
    let text = try FixturePath.text("\(Self.folder)/exp-notebook.svml.log")
    let original = "0.6065306597126334"
    #expect(text.components(separatedBy: original).count == 2)
    let edited = text.replacingOccurrences(of: original, with: "0.6065306597126335")
    for model in MachineModel.all {
      let v = try Self.verify("exp-notebook.svml.log", machine: model, text: edited)
      let bad = Self.values(v).filter { $0.printed == "0.6065306597126335" }
      #expect(bad.count == 1 && bad.allSatisfy { $0.verdict == .mismatch }, "\(model.name)")
      #expect(v.machineMatches.isEmpty, "\(model.name)")
    }
  }
}
