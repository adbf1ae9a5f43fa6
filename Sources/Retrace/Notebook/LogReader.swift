import Foundation

/// A bare log read from its file a chunk at a time, for logs too large to hold whole: each
/// chunk decoded as `NotebookReader` decodes a file (the byte order mark dropped, CRLF and a
/// lone CR read as LF, UTF-8 validated, a NUL refused), so the verifier sees the same bytes in
/// flat memory whatever the file's size.
/// Decoded bytes handed out a chunk at a time (a streamed log, a streamed notebook's text).
protocol ChunkSource: AnyObject {
  /// The next bytes (empty once finished), and the failure that ends the stream after them.
  func next() -> (bytes: [UInt8], failure: LogReader.Failure?)
  /// Whether everything is handed out.
  var isFinished: Bool { get }
}

final class LogReader: ChunkSource {
  /// How much is read from the file at a time.
  static let chunkSize = 4 << 20

  let path: String
  private let handle: FileHandle
  /// Bytes read but not yet handed out: an incomplete UTF-8 sequence, or a CR whose LF may
  /// follow.
  private var carry: [UInt8] = []
  private var started = false
  /// Whether the file is read to its end and everything handed out.
  private(set) var isFinished = false

  /// Why a chunk could not be handed out whole: the offset (in the decoded stream, after the
  /// bytes handed out with it) and the message.
  struct Failure: Error {
    var message: String
  }

  /// The bytes left to read of the range asked for (nil: to the end of the file).
  private var left: Int?

  /// A reader of the whole file, or of `range` of its raw bytes (a text-export cell's output;
  /// a byte order mark is dropped only at the file's start).
  init(path: String, range: Range<Int>? = nil) throws(RetraceError) {
    self.path = path
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw RetraceError(file: path, "cannot be read")
    }
    self.handle = handle
    if let range {
      do {
        try handle.seek(toOffset: UInt64(range.lowerBound))
      } catch {
        throw RetraceError(file: path, "cannot be read: \(error.localizedDescription)")
      }
      left = range.count
      started = range.lowerBound > 0
    }
  }

  deinit { try? handle.close() }

  /// The next decoded bytes (empty once finished), and the failure that ends the stream after
  /// them, if the file holds invalid UTF-8 or a NUL there.
  func next() -> (bytes: [UInt8], failure: Failure?) {
    guard !isFinished else { return ([], nil) }
    let want = min(Self.chunkSize, left ?? Self.chunkSize)
    let data = want > 0 ? ((try? handle.read(upToCount: want)) ?? Data()) : Data()
    if let count = left { left = count - data.count }
    var bytes = carry + [UInt8](data)
    carry = []
    let atEnd = data.isEmpty
    if !started {
      if bytes.count < 3 && !atEnd {
        carry = bytes
        return ([], nil)
      }
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
      started = true
    }
    if !atEnd {
      // Keep back a trailing CR (its LF may come next) and an incomplete UTF-8 sequence.
      var keep = 0
      if bytes.last == 0x0D {
        keep = 1
      } else {
        var index = bytes.count - 1
        var seen = 0
        while index >= 0 && seen < 4 && bytes[index] & 0xC0 == 0x80 {
          index -= 1
          seen += 1
        }
        if index >= 0 && bytes[index] >= 0xC0 {
          let lead = bytes[index]
          let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
          if bytes.count - index < length { keep = bytes.count - index }
        }
      }
      carry = Array(bytes.suffix(keep))
      bytes.removeLast(keep)
    } else {
      isFinished = true
    }
    if NotebookReader.firstOffset(of: 0x0D, in: bytes) != nil {
      bytes = NotebookReader.normalizedLineEnds(bytes)
    }
    if let invalid = NotebookReader.firstInvalidUTF8(bytes) {
      let byte = bytes[invalid]
      isFinished = true
      return (
        Array(bytes[..<invalid]),
        Failure(message: "is not valid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)))")
      )
    }
    if let nul = NotebookReader.firstOffset(of: 0, in: bytes) {
      isFinished = true
      return (Array(bytes[..<nul]), Failure(message: "holds a NUL byte: this is not a text file"))
    }
    return (bytes, nil)
  }
}
