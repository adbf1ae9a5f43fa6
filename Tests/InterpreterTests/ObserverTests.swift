import Foundation
import PythonSyntax
import Testing

@testable import Interpreter

/// Records what the interpreter reports.
final class Recorder: InterpreterObserver {
  var prints: [PrintEvent] = []
  var iterations: [Int] = []
  var updates: [String] = []
  var draws: [(String, String, Int)] = []
  var raised: [String] = []

  func interpreter(_ interpreter: PythonInterpreter, printed event: PrintEvent) {
    prints.append(event)
  }
  func interpreter(_ interpreter: PythonInterpreter, iteration index: Int, of loop: SourceRange) {
    iterations.append(index)
  }
  func interpreter(
    _ interpreter: PythonInterpreter, updated target: PythonSyntax.Expression,
    with op: BinaryOperator, operand: PythonSyntax.Expression, value: Value
  ) {
    if case .name(let name, _) = target.kind { updates.append("\(name) \(op.symbol)=") }
  }
  func interpreter(
    _ interpreter: PythonInterpreter, drew count: Int, from generator: String, method: String
  ) {
    draws.append((generator, method, count))
  }
  func interpreter(
    _ interpreter: PythonInterpreter, raised error: PythonError,
    at location: PythonSyntax.SourceLocation?
  ) {
    raised.append(error.description)
  }
}

@Suite("Observer hooks, unverifiable values, sinks and snapshots")
struct ObserverTests {
  func run(_ source: String, _ recorder: Recorder) throws -> PythonInterpreter {
    let interpreter = PythonInterpreter()
    interpreter.observer = recorder
    try interpreter.run(source)
    return interpreter
  }

  @Test("print events split the text into literal and value pieces, and add up to stdout")
  func printPieces() throws {
    let recorder = Recorder()
    let interpreter = try run(
      """
      import numpy as np
      loss = np.float64(0.25)
      w = np.array([1.5, -2.0])
      print("loss:", loss, sep=" ", end="\\n")
      print(f"epoch {3:>2} loss {loss:.4f}", w)
      """, recorder)
    #expect(recorder.prints.map(\.text).joined() == interpreter.output)
    let second = try #require(recorder.prints.last)
    #expect(
      second.pieces.map(\.kind) == [.literal, .value, .literal, .value, .literal, .value, .literal])
    // The literal pieces are the source's own text; a value piece is what printing wrote.
    let literals = second.pieces.filter { $0.kind == .literal }.map(\.text)
    #expect(literals == ["epoch ", " loss ", " ", "\n"])
    #expect(second.pieces[5].text == (try interpreter.str(try #require(second.pieces[5].value))))
    if case .npScalar(.float64(let x))? = second.pieces[3].value {
      #expect(x == 0.25)
    } else {
      Issue.record("the f-string field's piece does not carry the NumPy scalar")
    }
  }

  @Test("loops, in-place updates through a function, draws and exceptions are reported")
  func hooks() throws {
    let recorder = Recorder()
    _ = try run(
      """
      import numpy as np
      np.random.seed(0)
      W = np.random.randn(2, 2)
      def apply_gradient(P, G, lr):
          P -= lr * G
      for i in range(3):
          apply_gradient(W, np.ones((2, 2)), 0.1)
      try:
          1 / 0
      except ZeroDivisionError:
          pass
      """, recorder)
    #expect(recorder.iterations == [0, 1, 2])
    #expect(recorder.updates == ["P -=", "P -=", "P -="])
    #expect(recorder.draws.count == 1)
    #expect(recorder.draws.first?.0 == "np.random")
    #expect(recorder.draws.first?.1 == "randn")
    #expect(recorder.draws.first?.2 == 4)
    #expect(recorder.raised == ["ZeroDivisionError: division by zero"])
  }

  @Test("the clock, id() and unseeded generators give unverifiable values, marked downstream")
  func unverifiable() throws {
    let recorder = Recorder()
    let interpreter = try run(
      """
      import time, random
      import numpy as np
      t0 = time.time()
      x = np.random.rand(2)
      elapsed = time.time() - t0
      rng = np.random.default_rng(1)
      y = rng.random()
      print(elapsed > 0, f"{elapsed:.3f}", x.sum(), id(x) > 0, random.random() < 1, y)
      """, recorder)
    let pieces = try #require(recorder.prints.first).pieces.filter { $0.kind == .value }
    #expect(pieces.count == 6)
    #expect(pieces[0].unverifiable == "read from the clock")
    #expect(pieces[1].unverifiable == "read from the clock")
    #expect(pieces[2].unverifiable?.contains("never seeds") == true)
    #expect(pieces[3].unverifiable == "an object's address (id())")
    #expect(pieces[4].unverifiable?.contains("random module") == true)
    #expect(pieces[5].unverifiable == nil)
    #expect(interpreter.output.hasPrefix("True 0.001 "))
  }

  @Test("matplotlib calls are no-ops returning unverifiable objects; tqdm passes items through")
  func sinks() throws {
    let interpreter = PythonInterpreter()
    let echoed = try interpreter.run(
      try PythonParser.parse(
        """
        import matplotlib.pyplot as plt
        from tqdm import tqdm
        total = 0
        for i in tqdm(range(4), desc="train"):
            total += i
        fig, ax = plt.subplots(1, 2, figsize=(8, 3))
        ax[0].plot([1, 2, 3])
        plt.title("loss")
        print(total)
        plt.show()
        plt.plot([1, 2])
        """), echoingLast: true)
    #expect(interpreter.output == "6\n")
    #expect(echoed?.hasPrefix("<matplotlib.") == true)
  }

  @Test("a cell's echoed last expression is an event of its own, marked as a result")
  func echoIsAnEvent() throws {
    let recorder = Recorder()
    let interpreter = PythonInterpreter()
    interpreter.observer = recorder
    let echoed = try interpreter.run(
      try PythonParser.parse("import numpy as np\nprint('x')\nnp.arange(3) * 2\n"),
      echoingLast: true)
    #expect(echoed == "array([0, 2, 4])")
    #expect(recorder.prints.map(\.isResult) == [false, true])
    #expect(recorder.prints.last?.text == "array([0, 2, 4])")
    #expect(interpreter.output == "x\n")
  }

  @Test("a snapshot restores arrays, aliases, views, generators and globals in place")
  func snapshotRestores() throws {
    let source = """
      import numpy as np
      np.random.seed(3)
      W = np.random.randn(3, 3)
      row = W[0]
      history = []
      """
    let step = """
      W -= 0.1 * np.random.randn(3, 3)
      history.append(float(row.sum()))
      extra = len(history)
      print(repr(W[0, 0]), history[-1])
      """
    let interpreter = PythonInterpreter()
    try interpreter.run(source)
    try interpreter.run(step)
    let saved = interpreter.snapshot()
    #expect(saved.objectCount > 0)
    let before = interpreter.output
    try interpreter.run(step)
    try interpreter.run(step)
    let firstRun = String(interpreter.output.dropFirst(before.count))
    interpreter.restore(saved)
    #expect(interpreter.output == before)
    try interpreter.run(step)
    try interpreter.run(step)
    let secondRun = String(interpreter.output.dropFirst(before.count))
    #expect(firstRun == secondRun)
    // The view still aliases W after the restore.
    try interpreter.run("W[0, 0] = 42.0\nprint(row[0])")
    #expect(interpreter.output.hasSuffix("42.0\n"))
  }
}

/// Jupyter's `Out[N]:` text for a cell's last value is IPython's pretty printer's, not repr:
/// `Fixtures/interpreter/pretty.json` holds IPython's own output for each expression.
@Suite("A cell's echoed value as IPython prints it")
struct PrettyEchoTests {
  struct Fixture: Decodable {
    struct Case: Decodable, CustomStringConvertible {
      var source: String
      var expected: String
      var description: String { source }
    }
    var cases: [Case]
  }

  static let cases: [Fixture.Case] = {
    guard let data = try? FixturePath.data("interpreter/pretty.json") else { return [] }
    return (try? JSONDecoder().decode(Fixture.self, from: data).cases) ?? []
  }()

  @Test("the table is there")
  func tableIsThere() {
    #expect(Self.cases.count >= 15)
  }

  @Test("the echo is IPython's pretty text", arguments: cases)
  func echo(_ item: Fixture.Case) throws {
    let interpreter = PythonInterpreter()
    let echoed = try interpreter.run(
      try PythonParser.parse("import numpy as np\n" + item.source + "\n"), echoingLast: true)
    #expect(echoed == item.expected)
  }
}
