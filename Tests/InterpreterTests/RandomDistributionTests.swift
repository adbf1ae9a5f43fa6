import Foundation
import Testing

@testable import Interpreter

/// Short programs drawing from np.random's distributions, dtype-aware integers, get_state /
/// set_state, Generator methods and SeedSequence seeds, run through the interpreter: each
/// must print what python3 + NumPy printed for it (Fixtures/numpy/random/programs.json, made
/// by `python3 Scripts/make-fixtures.py random`).
@Suite("np.random distributions through the interpreter")
struct RandomDistributionTests {
  /// One recorded program.
  struct Program: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var source: String
    var stdout: String
    var testDescription: String { name }
  }

  struct ProgramFile: Decodable, Sendable {
    var numpy: String
    var programs: [Program]
  }

  static func programs() -> [Program] {
    guard let data = try? FixturePath.data("numpy/random/programs.json"),
      let file = try? JSONDecoder().decode(ProgramFile.self, from: data)
    else { return [] }
    return file.programs
  }

  @Test("prints what NumPy printed", arguments: programs())
  func printsWhatNumPyPrinted(_ program: Program) throws {
    let interpreter = PythonInterpreter()
    try interpreter.run(program.source)
    #expect(interpreter.output == program.stdout)
  }

  @Test func everyProgramIsRecorded() throws {
    let data = try FixturePath.data("numpy/random/programs.json")
    let file = try JSONDecoder().decode(ProgramFile.self, from: data)
    #expect(file.programs.count >= 6)
    #expect(file.numpy == "2.4.6")
  }

  @Test func stateRestoredFromAnUnseededGeneratorStaysUnverifiable() throws {
    let interpreter = PythonInterpreter()
    try interpreter.run(
      "import numpy as np\nst = np.random.get_state()\nnp.random.set_state(st)\n"
        + "x = np.random.poisson(3.0)\n")
    let x = try #require(interpreter.globals.values["x"])
    #expect(x.unverifiableReason != nil)
    try interpreter.run("np.random.seed(1)\nst = np.random.get_state()\nnp.random.set_state(st)\n")
    try interpreter.run("y = np.random.poisson(3.0)\n")
    #expect(try #require(interpreter.globals.values["y"]).unverifiableReason == nil)
  }
}
