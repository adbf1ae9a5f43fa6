import Foundation
import Retrace

/// When and how `retrace verify` and `retrace parse` stream a bare log instead of reading it
/// whole.
enum StreamingInput {
  /// Logs larger than this stream without `--stream`.
  static let automaticSize = 64 << 20

  /// Whether to stream `path`: a bare log, with `--stream` or larger than `automaticSize`.
  static func shouldStream(_ path: String?, forced: Bool) -> Bool {
    guard let path else { return false }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    guard forced || size > automaticSize else { return false }
    return LogStream.isLog(path: path)
  }

  /// Verifies the log at `path` as it streams.
  static func verify(_ path: String, model: ReplayEngine.Model) throws -> SeedVerification {
    do {
      return try StreamingVerifier.verify(path: path, model: model)
    } catch let error as RetraceError {
      throw UsageError(error.description)
    } catch let error as ReplayEngine.Failure {
      throw UsageError("\(path): \(error.description)")
    }
  }

  /// Writes the trace of the log at `path` as it streams.
  static func parse(_ path: String, format: TraceStreamWriter.Format) throws {
    let output = FileHandle.standardOutput
    var buffered = ""
    var writer = TraceStreamWriter(format: format) { text in buffered += text }
    do {
      var stream = try LogStream(path: path)
      writer.begin(stream.trace)
      while let records = try stream.next() {
        writer.add(records)
        if buffered.utf8.count >= 1 << 20 {
          output.write(Data(buffered.utf8))
          buffered = ""
        }
      }
      writer.end(stream.trace)
      output.write(Data(buffered.utf8))
    } catch {
      output.write(Data(buffered.utf8))
      throw UsageError(error.description)
    }
  }
}
