import Foundation
import NumPyKit
import Testing

@testable import Retrace

/// The fixture logs, and the chunk sizes to stream them with: the default, and small ones that
/// put chunk boundaries inside prints, tokens, CRLF pairs and UTF-8 sequences.
private let logs = [
  "corrected", "long", "noise", "overflow", "printopts", "seed-full", "seed43",
  "sizes-2-4-5", "wide",
]
private let chunkSizes = [LogStream.defaultChunkSize, 97, 4096]

/// A temporary copy of `text` as a file; removed by the caller.
private func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
  let path = FileManager.default.temporaryDirectory
    .appendingPathComponent("retrace-stream-\(UUID().uuidString)-\(name)").path
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  return path
}

/// Every record of a log, streamed.
private func streamedRecords(_ path: String, name: String, chunkSize: Int) throws
  -> (records: [TraceRecord], trace: Trace)
{
  var stream = try LogStream(path: path, name: name, chunkSize: chunkSize)
  var records: [TraceRecord] = []
  while let next = try stream.next() { records.append(contentsOf: next) }
  return (records, stream.trace)
}

/// What a record says, as comparable text: place, tokens, values (bits) and token positions.
private func summary(_ record: TraceRecord) -> String {
  let literal = record.literal
  let tokens = (0..<literal.count).map { ordinal in
    "\(literal.text(ofToken: ordinal))=\(literal.values[ordinal].bitPattern)@"
      + "\(literal.position(ofToken: ordinal).offset):\(literal.position(ofToken: ordinal))"
  }
  return "\(record.print) \(record.epoch ?? -1) \(record.label) \(record.shape) "
    + "\(record.isPartial) \(literal.start.offset) \(literal.end.offset) \(literal.end) "
    + tokens.joined(separator: " ")
}

private func wholeTrace(_ bytes: [UInt8], name: String) throws -> Trace {
  try TraceReader.read(NotebookReader.read(data: Data(bytes), name: name))
}

@Suite struct StreamingTests {
  /// Streaming reads the same records, truncation and notes as reading the whole file.
  @Test(arguments: logs, chunkSizes)
  func streamedRecordsEqualTheWholeTrace(_ log: String, _ chunkSize: Int) throws {
    let path = FixturePath.url("notebooks/\(log).log").path
    let bytes = [UInt8](try FixturePath.data("notebooks/\(log).log"))
    let whole = try wholeTrace(bytes, name: path)
    let (records, trace) = try streamedRecords(path, name: path, chunkSize: chunkSize)
    #expect(records.map(summary) == whole.records.map(summary))
    #expect(trace.isTruncated == whole.isTruncated)
    #expect(trace.truncatedAt == whole.truncatedAt)
    #expect(trace.notes == whole.notes)
  }

  /// A log cut anywhere (inside a print, a token, a line) streams to the same partial records
  /// and truncation point; CRLF line ends, a byte order mark and non-ASCII text read alike.
  @Test(arguments: [97, 4096])
  func cutAndReencodedLogsEqualTheWholeTrace(_ chunkSize: Int) throws {
    let original = [UInt8](try FixturePath.data("notebooks/seed-full.log"))
    var variants: [[UInt8]] = []
    for cut in stride(from: 150, to: original.count, by: 1_237) {
      variants.append(Array(original[..<cut]))
    }
    var crlf: [UInt8] = [0xEF, 0xBB, 0xBF]
    for byte in original { if byte == 0x0A { crlf += [0x0D, 0x0A] } else { crlf.append(byte) } }
    variants.append(crlf)
    variants.append(Array(crlf[..<5_001]))
    // Text after the last print, with characters past ASCII, departs from the prints.
    variants.append(original + Array("done: ✓ é\n".utf8))
    for (number, bytes) in variants.enumerated() {
      let path = try temporaryFile(bytes, name: "\(number).log")
      defer { try? FileManager.default.removeItem(atPath: path) }
      var expected: [String]
      do {
        let whole = try wholeTrace(bytes, name: path)
        expected =
          whole.records.map(summary) + ["\(String(describing: whole.truncatedAt))"]
          + whole.notes
      } catch {
        expected = ["\(error)"]
      }
      var got: [String]
      do {
        let (records, trace) = try streamedRecords(path, name: path, chunkSize: chunkSize)
        got = records.map(summary) + ["\(String(describing: trace.truncatedAt))"] + trace.notes
      } catch {
        got = ["\(error)"]
      }
      #expect(got == expected, "variant \(number)")
    }
  }

  /// A departure from the prints, invalid UTF-8 and a NUL byte give the whole-file message.
  @Test(arguments: ["bad/malformed-number.log", "bad/ragged.log", "bad/invalid-utf8.log"])
  func badLogsFailWithTheSameMessage(_ fixture: String) throws {
    let path = FixturePath.url(fixture).path
    let bytes = [UInt8](try FixturePath.data(fixture))
    var wholeMessage = ""
    do { _ = try wholeTrace(bytes, name: path) } catch { wholeMessage = "\(error)" }
    var streamMessage = ""
    do {
      _ = try streamedRecords(path, name: path, chunkSize: 97)
    } catch {
      streamMessage = "\(error)"
    }
    #expect(!wholeMessage.isEmpty)
    #expect(streamMessage == wholeMessage)
  }

  /// Streamed verification gives the counts and the mismatches (up to the listing limit) of
  /// verifying the whole trace.
  @Test(arguments: logs, [LogStream.defaultChunkSize, 97])
  func streamedVerificationEqualsTheWholeOne(_ log: String, _ chunkSize: Int) throws {
    let path = FixturePath.url("notebooks/\(log).log").path
    let notebook = try NotebookReader.read(path: path)
    let trace = try TraceReader.read(notebook)
    let experiment = try ExperimentReader.read(trace)
    let whole: SeedVerification
    do {
      whole = try SeedVerifier.verify(trace, experiment: experiment)
    } catch {
      // The code raises: streaming raises the same.
      #expect(throws: ReplayEngine.Failure.self) {
        try StreamingVerifier.verify(path: path, chunkSize: chunkSize)
      }
      return
    }
    let streamed = try StreamingVerifier.verify(path: path, chunkSize: chunkSize)
    #expect(streamed.checked == whole.checked)
    for verdict in ValueVerdict.allCases {
      #expect(streamed.count(verdict) == whole.count(verdict), "\(verdict)")
    }
    #expect(streamed.isReproduced == whole.isReproduced)
    func mismatches(_ v: SeedVerification) -> [String] {
      v.records.flatMap { check in
        let problem = check.problem.map { ["\(check.record.print) \($0)"] } ?? []
        return problem
          + check.mismatches.map { value in
            "\(check.record.print) \(check.record.epoch ?? -1) \(check.record.label) "
              + "\(value.index) \(value.printed) \(value.replayed ?? "-") \(value.position)"
          }
      }
    }
    let expected = mismatches(whole)
    let got = mismatches(streamed)
    #expect(got == Array(expected.prefix(got.count)))
    #expect(got.count >= min(expected.count, StreamingVerifier.mismatchLimit))
  }
}
