import Foundation
import Retrace

/// `retrace-bench verify FILE`: `retrace verify` of a notebook (the replay matched against the
/// saved output as it runs, the noise band where a value is not exact), best of 3;
/// `verify-stream` and `parse-stream` the same, once (there is one path now).
enum VerifyBenchmarks {
  /// `retrace-bench replay [EPOCHS]`: the seed notebook's code replayed through the
  /// interpreter for EPOCHS epochs (default 42,000, the 56.7 MB log's), its prints handed to a
  /// consumer that counts them: the replay alone, best of 3, in epochs per second.
  static func replay(_ arguments: [String]) {
    let epochs = arguments.first.flatMap { Int($0) } ?? 42_000
    do {
      let text = BuiltInSeed.text.replacingOccurrences(
        of: "epochs = 10\n", with: "epochs = \(epochs)\n")
      let notebook = try NotebookReader.read(data: Data(text.utf8), name: "seed")
      let plan = try ReplayPlan.make(notebook)
      var failure: Error? = nil
      var values = 0
      let seconds = bestSeconds(repeats: 3) {
        do {
          values = 0
          try NotebookReplay(plan).run(consume: { _, _ in
            values += 1
            return .more
          })
        } catch {
          failure = error
        }
      }
      if let failure { throw failure }
      report(workload: "replay", seconds: seconds, items: Double(epochs), unit: "epochs")
      print("{\"workload\": \"replay\", \"prints\": \(values)}")
    } catch {
      FileHandle.standardError.write(Data("retrace-bench replay: \(error)\n".utf8))
      exit(2)
    }
  }

  static func run(_ workload: String, _ arguments: [String]) {
    guard let path = arguments.first else {
      FileHandle.standardError.write(Data("retrace-bench \(workload): FILE is required\n".utf8))
      exit(2)
    }
    let bytes = Double(
      (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
    var values = 0
    do {
      // verify, verify-stream and parse-stream are one path now: the replay matched against
      // the output as it runs.
      var failure: Error? = nil
      let seconds = bestSeconds(repeats: workload == "verify" ? 3 : 1) {
        do {
          let plan = try ReplayPlan.make(NotebookReader.read(path: path))
          values = try NotebookVerifier.verify(plan).checked
        } catch {
          failure = error
        }
      }
      if let failure { throw failure }
      report(workload: workload, seconds: seconds, items: bytes, unit: "bytes")
    } catch {
      FileHandle.standardError.write(Data("retrace-bench \(workload): \(error)\n".utf8))
      exit(2)
    }
    print("{\"workload\": \"\(workload)\", \"values\": \(values)}")
  }
}
