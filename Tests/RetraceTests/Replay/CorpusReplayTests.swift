import Foundation
import Interpreter
import Testing

@testable import Retrace

/// The corpus notebooks (`Fixtures/corpus/`, run by real NumPy 2.4.6 when they were made)
/// replayed through the interpreter: each cell's stdout and `Out[N]` text against the saved
/// outputs, byte for byte.
@Suite("Corpus replayed through the interpreter")
struct CorpusReplayTests {
  /// The notebooks the interpreter reproduces byte for byte today: a ratchet (the closing
  /// note of issue 13 lists what stops the others).
  static let reproduced: Set<String> = [
    "broadcasting-rules", "confusion-matrix", "conv2d-pooling", "default-rng-tour",
    "elementary-automaton",
    "feature-scaling",
    "game-of-life", "gradient-check", "histogram-stats", "image-array-drills", "init-and-dropout",
    "kmeans-blobs",
    "knn-classifier", "linreg-gradient-descent", "matrix-drills", "logistic-regression-class",
    "markov-chain", "minibatch-sgd", "monte-carlo-pi", "moving-averages", "newton-bisection",
    "numpy-drills", "optimizers",
    "pca-power-iteration", "perceptron-gates", "random-walks", "softmax-classifier",
    "sorting-searching",
    "tanh-sine-regression", "training-history-dict", "two-layer-relu-warmup", "xor-sigmoid",
  ]

  static let corpus: [String] = {
    let folder = FixturePath.url("corpus")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".ipynb") }.map { String($0.dropLast(6)) }.sorted()
  }()

  /// Each code cell's saved stdout and execute_result text, in execution order, as the
  /// replay reports cells.
  static func savedOutputs(_ name: String) throws -> [(label: String, text: String)] {
    let data = try Data(contentsOf: FixturePath.url("corpus/\(name).ipynb"))
    let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let cells = (json?["cells"] as? [[String: Any]] ?? []).filter {
      $0["cell_type"] as? String == "code"
    }
    func text(_ value: Any?) -> String {
      if let lines = value as? [String] { return lines.joined() }
      return value as? String ?? ""
    }
    let numbered = cells.filter { $0["execution_count"] as? Int != nil }
      .sorted { ($0["execution_count"] as? Int ?? 0) < ($1["execution_count"] as? Int ?? 0) }
    let rest = cells.filter { $0["execution_count"] as? Int == nil }
    return (numbered + rest).map { cell in
      var saved = ""
      for output in cell["outputs"] as? [[String: Any]] ?? [] {
        switch output["output_type"] as? String {
        case "stream" where output["name"] as? String == "stdout":
          saved += text(output["text"])
        case "execute_result":
          let data = output["data"] as? [String: Any]
          saved += "Out: " + text(data?["text/plain"]) + "\n"
        default: break
        }
      }
      let count = cell["execution_count"] as? Int
      return (count.map { "In [\($0)]" } ?? "", saved)
    }
  }

  static func replayed(_ name: String) throws -> [String] {
    let notebook = try NotebookReader.read(path: FixturePath.url("corpus/\(name).ipynb").path)
    return try InterpreterReplay.run(notebook).map { run in
      run.output + (run.result.map { "Out: \($0)\n" } ?? "")
    }
  }

  @Test("the ratchet's notebooks are in the corpus")
  func ratchetIsInCorpus() {
    #expect(Self.reproduced.isSubset(of: Set(Self.corpus)))
    #expect(Self.reproduced.count >= 32)
  }

  @Test("a reproduced notebook replays its saved output byte for byte", arguments: corpus)
  func replaysCorpus(_ name: String) throws {
    let saved = try Self.savedOutputs(name)
    let replay = (try? Self.replayed(name)) ?? []
    let same = replay.count == saved.count && zip(replay, saved).allSatisfy { $0 == $1.text }
    if Self.reproduced.contains(name) {
      #expect(same, "\(name) no longer replays byte for byte")
    } else if same {
      print("\(name) now replays byte for byte: add it to the ratchet")
    }
  }

  @Test("the seed notebook's saved output is the start of what the interpreter prints")
  func seedReplays() throws {
    let notebook = NotebookReader.builtInSeed()
    let output = try InterpreterReplay.run(notebook).map(\.output).joined()
    let text = BuiltInSeed.text
    let start = try #require(text.range(of: "\nX:\n"))
    let saved = String(text[text.index(after: start.lowerBound)...])
    #expect(saved.utf8.count == 1000)
    #expect(output.hasPrefix(saved))
  }
}
