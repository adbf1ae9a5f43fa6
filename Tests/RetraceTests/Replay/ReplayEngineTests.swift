import Foundation
import NumPyKit
import Testing

@testable import Retrace

/// Every notebook of Fixtures/notebooks (made by Scripts/fixtures/notebooks.py, NumPy 2.4.6).
let replayFixtures = [
  "seed-full", "seed43", "corrected", "printopts", "wide", "sizes-2-4-5", "long", "overflow",
]

func experiment(_ path: String) throws -> (Trace, Experiment) {
  let trace = try TraceReader.read(NotebookReader.read(path: FixturePath.url(path).path))
  return (trace, try ExperimentReader.read(trace))
}

@Suite struct ReplayEngineTests {
  @Test(arguments: replayFixtures)
  func replayIsByteIdenticalToNumPysOutput(_ name: String) throws {
    for form in ["txt", "ipynb"] {
      let (_, experiment) = try experiment("notebooks/\(name).\(form)")
      let replay = try ReplayEngine(experiment: experiment).run()
      let numpy = try FixturePath.text("notebooks/\(name).log")
      #expect(replay.output == numpy, "\(name).\(form)")
    }
  }

  @Test func theSeedAsGivenReplaysToNumPysFullOutput() throws {
    let (_, experiment) = try experiment("seed/notebook.txt")
    let replay = try ReplayEngine(experiment: experiment).run()
    #expect(replay.output == (try FixturePath.text("notebooks/seed-full.log")))
    #expect(experiment.epochs == 10)
    #expect(experiment.w1Gradient == .asWritten(reshape: [4, 1]))
    #expect(experiment.w1GradientLine.cell == "In [73]")
    #expect(experiment.w1GradientLine.line == 13)
  }

  @Test func theCorrectedModelIsTheCorrectedNotebook() throws {
    let (_, asWritten) = try experiment("seed/notebook.txt")
    let corrected = try ReplayEngine(experiment: asWritten, model: .corrected).run()
    #expect(corrected.output == (try FixturePath.text("notebooks/corrected.log")))
  }

  @Test func theW1GradientShapeComesFromBroadcasting() throws {
    let (_, experiment) = try experiment("seed/notebook.txt")
    let replay = try ReplayEngine(experiment: experiment, epochs: 1).run()
    #expect(replay.final["W1_grad"]?.shape == [4, 3])
  }

  @Test func otherWidthsMakeTheAsWrittenLineRaiseAsNumPyDoes() throws {
    // sizes-2-4-5's code with the as-written W1 line: hidden-2 width 5 against 2 inputs.
    var text = try FixturePath.text("notebooks/sizes-2-4-5.txt")
    text = text.replacingOccurrences(
      of: "W1_grad = np.outer(B1_grad, X)",
      with: "W1_grad = y_diff * W3 * (Z2>0) * W2.T * (np.reshape(Z1, (4,1))>0) * X")
    let trace = try TraceReader.read(NotebookReader.read(data: Data(text.utf8), name: "x.txt"))
    let experiment = try ExperimentReader.read(trace)
    #expect(throws: ReplayEngine.Failure.self) { try ReplayEngine(experiment: experiment).run() }
    do {
      _ = try ReplayEngine(experiment: experiment).run()
    } catch {
      #expect(error.message.contains("operands could not be broadcast together with shapes"))
      #expect(error.step == "the main cell" || error.step == "backward")
    }
  }

  @Test func epochsCanBeOverridden() throws {
    let (_, experiment) = try experiment("seed/notebook.txt")
    let replay = try ReplayEngine(experiment: experiment, epochs: 2).run()
    #expect(replay.losses.count == 2)
    #expect(replay.output.components(separatedBy: "loss:").count == 3)
  }
}

@Suite struct ExperimentReaderTests {
  func refusal(_ replace: String, with replacement: String) throws -> String {
    let text = try FixturePath.text("seed/notebook.txt").replacingOccurrences(
      of: replace, with: replacement)
    let trace = try TraceReader.read(NotebookReader.read(data: Data(text.utf8), name: "nb.txt"))
    do {
      _ = try ExperimentReader.read(trace)
      return "no error"
    } catch {
      return error.description
    }
  }

  @Test func anotherActivationIsRefusedWithCellAndLine() throws {
    let message = try refusal("a = np.maximum(0, a)", with: "a = np.tanh(a)")
    #expect(
      message.hasPrefix(
        "nb.txt:7:3: In [70], line 3: `a = np.tanh(a)` is not something retrace models"))
  }

  @Test func anotherLossIsRefused() throws {
    let message = try refusal(
      "loss = (y_true - y_pred)**2 / 2", with: "loss = np.abs(y_true - y_pred)")
    #expect(message.hasPrefix("nb.txt:27:3: In [72], line 3: `loss = np.abs(y_true - y_pred)`"))
  }

  @Test func anExtraLayerIsRefused() throws {
    let message = try refusal(
      "  y_pred = np.dot(W3, H2) + B3",
      with: "  H3 = relu(np.dot(W3, H2) + B3)\n  y_pred = np.dot(W4, H3) + B4")
    #expect(message.contains("In [71], line 9: `H3 = relu(np.dot(W3, H2) + B3)` is not something"))
  }

  @Test(arguments: ["import os\nos.system('rm -rf /')", "import subprocess", "f = open('x', 'w')"])
  func codeThatWouldActIsReportedNotRun(_ code: String) throws {
    let message = try refusal("import numpy as np\n", with: "import numpy as np\n\(code)\n")
    #expect(message.contains("In [69], line 2:"))
    #expect(message.contains("is not something retrace models"))
  }

  @Test func printOptionsAreRead() throws {
    let (_, experiment) = try experiment("notebooks/printopts.txt")
    #expect(experiment.printOptions.precision == 4)
    #expect(experiment.printOptions.suppress)
  }
}
