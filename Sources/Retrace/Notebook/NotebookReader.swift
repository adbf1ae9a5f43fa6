import Foundation
import NumPyKit
import PCRE2

/// Reads a notebook in any of its three forms, detected from the content (not the file name):
/// a Jupyter `.ipynb` (a JSON object with `cells` and `nbformat`), a text export (`In [N]:`
/// headers), or else a bare stdout log.
public enum NotebookReader {
  /// The name the built-in seed notebook goes by in messages.
  public static let builtInName = "<built-in seed notebook>"

  /// The largest file retrace reads (a guard against reading a disk image by mistake).
  public static let maximumFileSize = 2 << 30

  /// Reads the file at `path`.
  ///
  /// - Throws: `RetraceError` (exit code 2) for a missing file, a directory, a device or pipe,
  ///   an unreadable or empty file, invalid UTF-8 (with line:column), malformed JSON or another
  ///   nbformat.
  ///
  /// A bare log larger than `threshold` bytes is not read here but as it is verified
  /// (`Notebook.logFile`).
  public static func read(
    path: String, streamingAbove threshold: Int = streamingThreshold,
    keepingPerCell kept: Int = 256 << 10
  ) throws(RetraceError) -> Notebook {
    let data = try data(path: path)
    if data.count > threshold {
      let prefix = data.prefix(1 << 16)
      if try isLog(prefix: prefix, name: path) {
        // Too large to hold: read as it is verified, a chunk at a time.
        return Notebook(name: path, form: .log, cells: [], log: nil, logFile: path)
      }
      if !isJSON(prefix: prefix) {
        return try StreamedTextExport.read(path: path, size: data.count, keeping: kept)
      }
      return try StreamedNotebook.read(path: path)
    }
    return try read(data: data, name: path)
  }

  /// Logs larger than this many bytes are read as they are verified (`LogReader`), in flat
  /// memory; smaller files are read whole.
  public static let streamingThreshold = 16 << 20

  /// Whether a file that starts with `prefix` is JSON (a Jupyter notebook).
  static func isJSON(prefix: Data) -> Bool {
    var bytes = [UInt8](prefix)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    return bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == 0x7B
  }

  /// Whether a file that starts with `prefix` is a bare log (neither a Jupyter notebook nor a
  /// text export).
  static func isLog(prefix: Data, name: String) throws(RetraceError) -> Bool {
    var bytes = [UInt8](prefix)
    // Cut at a character boundary: the prefix of valid UTF-8 stays valid.
    while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
    if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
    // Read leniently: the form only; invalid UTF-8 is reported with its place when the
    // stream reaches it.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    let text = String(decoding: bytes, as: UTF8.self)
    if text.drop(while: { $0.isWhitespace }).first == "{" { return false }
    return (try? TextExportReader.cells(in: text, name: name)) == nil
  }

  /// The text of a Python script (`.py`), decoded as a notebook is.
  public static func readText(path: String) throws(RetraceError) -> String {
    let text = try decode(data(path: path), name: path)
    guard !text.allSatisfy({ $0.isWhitespace }) else {
      throw RetraceError(file: path, "is empty: there is no code to read")
    }
    return text
  }

  /// The bytes of a regular, readable file of at most `maximumFileSize`.
  static func data(path: String) throws(RetraceError) -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw RetraceError(file: path, "no such file")
    }
    guard !isDirectory.boolValue else {
      throw RetraceError(file: path, "is a directory, not a notebook")
    }
    // A device, pipe or socket could be read forever (/dev/zero) or block (a FIFO).
    var info = stat()
    if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
      throw RetraceError(file: path, "is not a regular file (a device, pipe or socket)")
    }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw RetraceError(file: path, "cannot be read (permission denied)")
    }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw RetraceError(file: path, "cannot be read: \(error.localizedDescription)")
    }
    guard data.count <= maximumFileSize else {
      throw RetraceError(file: path, "is larger than \(maximumFileSize >> 20) MB")
    }
    return data
  }

  /// The built-in seed notebook (`Fixtures/seed/notebook.txt`, carried in the binary).
  public static func builtInSeed() -> Notebook {
    do {
      return try read(data: Data(BuiltInSeed.text.utf8), name: builtInName)
    } catch {
      // The built-in text is a constant that the test suite reads; it cannot fail here.
      preconditionFailure("the built-in seed notebook does not read: \(error)")
    }
  }

  /// Reads a notebook from bytes; `name` is used in messages.
  public static func read(data: Data, name: String) throws(RetraceError) -> Notebook {
    let text = try decode(data, name: name)
    guard !text.allSatisfy({ $0.isWhitespace }) else {
      throw RetraceError(file: name, "is empty: there is no code and no printed output to read")
    }
    let trimmed = text.drop(while: { $0.isWhitespace })
    if trimmed.first == "{" {
      return try IPythonNotebookReader.read(text: text, name: name)
    }
    if let cells = try TextExportReader.cells(in: text, name: name) {
      return Notebook(name: name, form: .textExport, cells: cells, log: nil)
    }
    return Notebook(
      name: name, form: .log, cells: [], log: .init(text: text, start: .start))
  }

  /// UTF-8 → String, with the byte order mark dropped and CRLF (or a lone CR) read as LF.
  ///
  /// Linear, and fast in every build configuration: the scans are memchr and the standard
  /// library's UTF-8 validation (a 200 MB file decodes in well under a second).
  static func decode(_ data: Data, name: String) throws(RetraceError) -> String {
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    if firstOffset(of: 0x0D, in: bytes) != nil { bytes = normalizedLineEnds(bytes) }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      let invalid = firstInvalidUTF8(bytes) ?? 0
      let position = bytes.withUnsafeBufferPointer {
        TextPosition.start.advanced(to: invalid, in: $0)
      }
      throw RetraceError(
        file: name, at: position,
        "is not valid UTF-8 (byte 0x\(String(bytes[invalid], radix: 16, uppercase: true)))")
    }
    if let nul = firstOffset(of: 0, in: bytes) {
      let position = bytes.withUnsafeBufferPointer { TextPosition.start.advanced(to: nul, in: $0) }
      throw RetraceError(file: name, at: position, "holds a NUL byte: this is not a text file")
    }
    return text
  }

  /// CRLF and lone CR as LF, copied a line at a time.
  static func normalizedLineEnds(_ bytes: [UInt8]) -> [UInt8] {
    var normalized: [UInt8] = []
    normalized.reserveCapacity(bytes.count)
    bytes.withUnsafeBufferPointer { buffer in
      var index = 0
      while index < buffer.count {
        let rest = UnsafeBufferPointer(rebasing: buffer[index...])
        guard let cr = firstOffset(of: 0x0D, in: rest) else {
          normalized.append(contentsOf: rest)
          break
        }
        normalized.append(contentsOf: UnsafeBufferPointer(rebasing: rest[..<cr]))
        normalized.append(0x0A)
        index += cr + 1
        if index < buffer.count && buffer[index] == 0x0A { index += 1 }
      }
    }
    return normalized
  }

  /// The offset of the first `byte` in `bytes` (memchr), if any.
  static func firstOffset(of byte: UInt8, in bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { firstOffset(of: byte, in: $0) }
  }

  /// The offset of the first `byte` in `buffer` (memchr), if any.
  static func firstOffset(of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = buffer.baseAddress, let found = memchr(base, Int32(byte), buffer.count)
    else { return nil }
    return UnsafeRawPointer(found) - UnsafeRawPointer(base)
  }

  /// The offset of the first byte that does not belong to well-formed UTF-8, if any.
  static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var index = 0
    let count = bytes.count
    while index < count {
      let lead = bytes[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      let length: Int
      var lower: UInt8 = 0x80
      var upper: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        lower = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        upper = 0x9F
      case 0xF0:
        length = 4
        lower = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        upper = 0x8F
      default: return index
      }
      guard index + length <= count else { return index }
      let second = bytes[index + 1]
      guard second >= lower && second <= upper else { return index }
      for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return index }
      index += length
    }
    return nil
  }
}
