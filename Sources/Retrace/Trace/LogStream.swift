import Foundation
import NumPyKit

/// Reads a bare stdout log print by print from a file, in chunks, keeping memory flat in the
/// length of the log: what `TraceReader.read` does for a log, without holding the log or its
/// trace.
///
/// The file is read 4 MB at a time into a window that holds the unread output; each print is
/// matched (PCRE2 template, then `ArrayLiteralParser`) at the front of the window, and the
/// window is refilled and compacted as prints are consumed. A print that runs past the window
/// is retried with a larger window, so a print is never cut by a chunk boundary. Records,
/// positions, truncation and notes equal those of `TraceReader.read` on the whole file.
///
/// Differences from reading the whole file: the form is decided from the first chunk (a file
/// that starts as a log is read as one), and invalid UTF-8 or a NUL byte is reported when the
/// stream reaches it, after the records before it.
public struct LogStream: ~Copyable {
  /// The default size of one read.
  public static let defaultChunkSize = 4 << 20

  /// The size of one read.
  let chunkSize: Int

  /// The trace without its records: the seed's code and program; once the stream has ended,
  /// the truncation and the notes.
  public private(set) var trace: Trace

  private let file: FileHandle
  private var matcher: Matcher
  private var window: [UInt8] = []
  /// The file offset (after decoding) of `window[0]`.
  private var base = 0
  /// Where the next print starts in `window` (offset) and in the file (line, column).
  private var state: Matcher.State
  private var atEOF = false
  private var isFirstChunk = true
  /// A CR ended the last chunk: an LF that starts the next one belongs to it.
  private var pendingCR = false
  /// The bytes of a UTF-8 sequence cut by the end of the last chunk.
  private var carry: [UInt8] = []
  /// The program's position: step, iteration of the loop, template in the loop's body.
  private var step = 0
  private var iteration = 0
  private var bodyIndex = 0
  private var finished = false
  private var lookahead: Int
  private var started = false
  /// The first shape of each print's hole in the loop, to refuse one that changes.
  private var shapes = EpochShapeCheck()

  /// Whether the file at `path` reads as a bare log (not a `.ipynb`, no `In [N]:` header in
  /// its first chunk).
  public static func isLog(path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: defaultChunkSize) else { return false }
    let text = String(decoding: data, as: UTF8.self)
    if text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).first == "{" { return false }
    let header = TextExportReader.header
    guard let header, let matches = try? header.allMatches(in: text) else { return true }
    return matches.isEmpty
  }

  /// Opens the log at `path`; `name` is used in messages. `chunkSize` is the size of one read
  /// (small ones let tests put chunk boundaries everywhere).
  public init(path: String, name: String? = nil, chunkSize: Int = LogStream.defaultChunkSize)
    throws(RetraceError)
  {
    let name = name ?? path
    let trace = try TraceReader.logHeader(name: name)
    guard let file = FileHandle(forReadingAtPath: path) else {
      throw RetraceError(file: name, "cannot be read")
    }
    let matcher = try Matcher(notebook: name, program: trace.programs[0])
    self.file = file
    self.trace = trace
    self.matcher = matcher
    self.state = Matcher.State(offset: 0, position: .start)
    self.chunkSize = max(1, chunkSize)
    self.lookahead = min(1 << 20, self.chunkSize)
  }

  /// Reads the first chunk; an empty log is an error, as for a whole file.
  private mutating func start() throws(RetraceError) {
    started = true
    try fill(upTo: lookahead)
    if atEOF && window.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 }) {
      throw RetraceError(
        file: trace.notebook, "is empty: there is no code and no printed output to read")
    }
  }

  /// The records of the next print, in output order; `nil` once the log is done (then `trace`
  /// holds the truncation and the notes).
  public mutating func next() throws(RetraceError) -> [TraceRecord]? {
    if !started { try start() }
    let steps = trace.programs[0].steps
    while !finished {
      guard step < steps.count else {
        try finish()
        return nil
      }
      switch steps[step] {
      case .once(let template):
        step += 1
        if let records = try match(template, epoch: nil) { return records }
      case .loop(let loop):
        if bodyIndex == 0 {
          // A new iteration starts only where output other than whitespace is left.
          if let count = loop.count, iteration >= count {
            step += 1
            iteration = 0
            continue
          }
          if loop.count == nil, try restIsWhitespace() {
            step += 1
            iteration = 0
            continue
          }
        }
        let template = loop.body[bodyIndex]
        let epoch = loop.start + iteration
        bodyIndex += 1
        if bodyIndex == loop.body.count {
          bodyIndex = 0
          iteration += 1
        }
        if let records = try match(template, epoch: epoch) { return records }
      }
    }
    return nil
  }

  /// Matches one print at the front of the window; `nil` when the output ended inside it.
  private mutating func match(_ template: PrintTemplate, epoch: Int?) throws(RetraceError)
    -> [TraceRecord]?
  {
    compact()
    while true {
      if !atEOF && window.count - state.offset < lookahead { try fill(upTo: lookahead) }
      var scratch = trace
      scratch.records = []
      var attempt = state
      let stop: Matcher.Stop? = window.withUnsafeBufferPointer { buffer -> Matcher.Stop? in
        do throws(Matcher.Stop) {
          try matcher.matchOne(
            template, epoch: epoch, buffer, &attempt, "log", false, &scratch)
          return nil
        } catch {
          return error
        }
      }
      let needsMore: Bool
      switch stop {
      case nil: needsMore = attempt.offset >= window.count
      case .truncated?: needsMore = true
      case .departs(let position, _)?: needsMore = position.offset + 65_536 >= window.count
      }
      if needsMore && !atEOF {
        lookahead = max(lookahead, window.count - state.offset) * 2
        continue
      }
      // The records are moved out of the scratch trace and shifted in place: no copies of
      // their literals' storage.
      var records: [TraceRecord] = []
      swap(&records, &scratch.records)
      for i in records.indices {
        records[i].literal.shiftOffsets(by: base)
        try shapes.check(records[i], notebook: trace.notebook)
      }
      switch stop {
      case nil:
        state = attempt
        return records
      case .truncated(let position)?:
        finished = true
        trace.isTruncated = true
        trace.truncatedAt = shifted(position)
        trace.truncatedCell = "log"
        return records.isEmpty ? nil : records
      case .departs(let position, let message)?:
        throw RetraceError(file: trace.notebook, at: shifted(position), message)
      }
    }
  }

  private func shifted(_ position: TextPosition) -> TextPosition {
    var moved = position
    moved.offset += base
    return moved
  }

  /// Whether only spaces, newlines and tabs are left (reading on as far as needed).
  private mutating func restIsWhitespace() throws(RetraceError) -> Bool {
    var index = state.offset
    while true {
      while index < window.count {
        let byte = window[index]
        if byte != 0x20 && byte != 0x0A && byte != 0x09 { return false }
        index += 1
      }
      if atEOF { return true }
      try fill(upTo: window.count - state.offset + chunkSize)
    }
  }

  /// At the end of the program: output left over is a note, as in `TraceReader`.
  private mutating func finish() throws(RetraceError) {
    finished = true
    if try !restIsWhitespace() {
      let position = window.withUnsafeBufferPointer {
        state.position.advanced(to: state.offset, in: $0)
      }
      trace.notes.append(
        "log: output after the code's last print was not read (from \(shifted(position)))")
    }
  }

  /// Drops the consumed front of the window once it is large.
  private mutating func compact() {
    guard state.offset >= chunkSize else { return }
    window.removeSubrange(0..<state.offset)
    base += state.offset
    state.offset = 0
    state.position.offset = 0
  }

  /// Reads until the window holds `count` unread bytes or the file ends.
  private mutating func fill(upTo count: Int) throws(RetraceError) {
    while !atEOF && window.count - state.offset < count {
      let data: Data?
      do {
        data = try file.read(upToCount: chunkSize)
      } catch {
        throw RetraceError(file: trace.notebook, "cannot be read: \(error.localizedDescription)")
      }
      guard let data, !data.isEmpty else {
        atEOF = true
        try append([])
        return
      }
      try append([UInt8](data))
    }
  }

  /// Decodes one chunk as `NotebookReader` decodes a whole file (byte order mark, CRLF or
  /// CR as LF, UTF-8 and NUL checks) and appends it to the window.
  private mutating func append(_ raw: [UInt8]) throws(RetraceError) {
    var bytes = carry
    carry = []
    var start = 0
    if pendingCR, raw.first == 0x0A { start = 1 }
    pendingCR = false
    if isFirstChunk {
      isFirstChunk = false
      if raw.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
    }
    bytes.reserveCapacity(bytes.count + raw.count)
    if raw.contains(0x0D) {
      var index = start
      while index < raw.count {
        let byte = raw[index]
        if byte == 0x0D {
          bytes.append(0x0A)
          if index + 1 < raw.count {
            if raw[index + 1] == 0x0A { index += 1 }
          } else {
            pendingCR = true
          }
        } else {
          bytes.append(byte)
        }
        index += 1
      }
    } else {
      bytes.append(contentsOf: raw[start...])
    }
    if !atEOF {
      // Hold back a UTF-8 sequence cut by the end of the chunk.
      var lead = bytes.count - 1
      while lead >= 0, lead >= bytes.count - 3, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
      if lead >= 0, bytes[lead] >= 0xC0 {
        let length = bytes[lead] >= 0xF0 ? 4 : bytes[lead] >= 0xE0 ? 3 : 2
        if lead + length > bytes.count {
          carry = Array(bytes[lead...])
          bytes.removeSubrange(lead...)
        }
      }
    }
    let problem: (Int, String)?
    if let invalid = NotebookReader.firstInvalidUTF8(bytes) {
      let hex = String(bytes[invalid], radix: 16, uppercase: true)
      problem = (invalid, "is not valid UTF-8 (byte 0x\(hex))")
    } else if let nul = bytes.firstIndex(of: 0) {
      problem = (nul, "holds a NUL byte: this is not a text file")
    } else {
      problem = nil
    }
    let appendedAt = window.count
    window.append(contentsOf: bytes)
    if let (index, message) = problem {
      let position = window.withUnsafeBufferPointer {
        state.position.advanced(to: appendedAt + index, in: $0)
      }
      throw RetraceError(file: trace.notebook, at: shifted(position), message)
    }
  }
}
