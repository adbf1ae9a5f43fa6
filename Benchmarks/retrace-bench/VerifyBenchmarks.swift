import Foundation
import Retrace

/// `retrace-bench verify FILE`: `retrace verify` of a notebook read whole (trace, replay in five
/// summation orders, value-by-value check), best of 3; `retrace-bench verify-stream FILE`: the
/// streamed verification of a bare log (`StreamingVerifier`), once; `retrace-bench
/// parse-stream FILE`: reading a bare log print by print (`LogStream`) without verifying, once.
enum VerifyBenchmarks {
  /// `retrace-bench replay [EPOCHS]`: the seed notebook's code replayed for EPOCHS epochs
  /// (default 42,000, the 56.7 MB log's) without rendering its output: the replay alone, as the
  /// verification runs it, best of 3, in epochs per second.
  static func replay(_ arguments: [String]) {
    let epochs = arguments.first.flatMap { Int($0) } ?? 42_000
    do {
      let trace = try TraceReader.read(NotebookReader.builtInSeed())
      let experiment = try ExperimentReader.read(trace)
      var failure: Error? = nil
      var values = 0
      let seconds = bestSeconds(repeats: 3) {
        do {
          values = try ReplayEngine(experiment: experiment, epochs: epochs, rendersOutput: false)
            .run().values.count
        } catch {
          failure = error
        }
      }
      if let failure { throw failure }
      report(workload: "replay", seconds: seconds, items: Double(epochs), unit: "epochs")
      print("{\"workload\": \"replay\", \"values\": \(values)}")
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
      switch workload {
      case "verify":
        var failure: Error? = nil
        let seconds = bestSeconds(repeats: 3) {
          do {
            let plan = try ReplayPlan.make(NotebookReader.read(path: path))
            values = try NotebookVerifier.verify(plan).checked
          } catch {
            failure = error
          }
        }
        if let failure { throw failure }
        report(workload: workload, seconds: seconds, items: bytes, unit: "bytes")
      case "verify-stream":
        var failure: Error? = nil
        let seconds = bestSeconds(repeats: 1) {
          do {
            values = try StreamingVerifier.verify(path: path).checked
          } catch {
            failure = error
          }
        }
        if let failure { throw failure }
        report(workload: workload, seconds: seconds, items: bytes, unit: "bytes")
      default:  // parse-stream
        var failure: Error? = nil
        let seconds = bestSeconds(repeats: 1) {
          do {
            var stream = try LogStream(path: path)
            while let records = try stream.next() {
              for record in records { values += record.literal.count }
            }
          } catch {
            failure = error
          }
        }
        if let failure { throw failure }
        report(workload: workload, seconds: seconds, items: bytes, unit: "bytes")
      }
    } catch {
      FileHandle.standardError.write(Data("retrace-bench \(workload): \(error)\n".utf8))
      exit(2)
    }
    print("{\"workload\": \"\(workload)\", \"values\": \(values)}")
  }
}
