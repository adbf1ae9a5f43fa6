import Foundation
import NumPyKit

/// A Jupyter notebook too large to hold whole, read in two passes over its file: the first
/// scans the JSON a chunk at a time, keeping each code cell's source, execution count, Out
/// text and error, and only where each stdout stream's text is in the file; the streams are
/// decoded from the file again as the cell is verified (`JSONTextReader`).
enum StreamedNotebook {
  /// The longest string kept whole from the first pass (a cell's source, an Out text).
  static let keptString = 16 << 20

  static func read(path: String) throws(RetraceError) -> Notebook {
    var scanner = try JSONScanner(path: path)
    var cells: [Notebook.Cell] = []
    var format: Int?
    var sawCells = false
    try scanner.skipWhitespace()
    try scanner.expect(0x7B)
    try scanner.members { (key, scanner) throws(RetraceError) in
      switch key {
      case "nbformat":
        format = try scanner.integer()
      case "cells":
        sawCells = true
        var index = 0
        try scanner.elements { (scanner) throws(RetraceError) in
          index += 1
          if let cell = try cell(&scanner, index: index, path: path) { cells.append(cell) }
        }
      default:
        try scanner.skipValue()
      }
    }
    guard let format else {
      throw RetraceError(file: path, "is JSON but not a Jupyter notebook (no 'nbformat')")
    }
    guard format == 4 else {
      throw RetraceError(file: path, "is an nbformat \(format) notebook; retrace reads nbformat 4")
    }
    guard sawCells else { throw RetraceError(file: path, "is a notebook without a 'cells' list") }
    return Notebook(name: path, form: .ipynb, cells: cells, log: nil)
  }

  /// One cell (nil for markdown and raw cells).
  static func cell(_ scanner: inout JSONScanner, index: Int, path: String) throws(RetraceError)
    -> Notebook.Cell?
  {
    var type: String?
    var count: Int?
    var source = ""
    var parts: [Notebook.OutputPart] = []
    var error: Notebook.SavedError?
    var unchecked: [String] = []
    var warnings: [SavedWarning] = []
    try scanner.expect(0x7B)
    try scanner.members { (key, scanner) throws(RetraceError) in
      switch key {
      case "cell_type": type = try scanner.string(limit: 64)
      case "execution_count": count = try scanner.integerOrNull()
      case "source": source = try scanner.text(limit: keptString)
      case "outputs":
        try scanner.elements { (scanner) throws(RetraceError) in
          try output(
            &scanner, into: &parts, error: &error, unchecked: &unchecked, warnings: &warnings)
        }
      default: try scanner.skipValue()
      }
    }
    guard type == "code" else { return nil }
    let label = count.map { "In [\($0)]" } ?? "cell \(index)"
    var cell = Notebook.Cell(
      label: label,
      source: .init(text: source.replacingOccurrences(of: "\r\n", with: "\n"), start: .start),
      output: nil, outputIsCellRelative: true, position: index)
    cell.error = error
    cell.unchecked = unchecked
    cell.savedWarnings = warnings
    cell.outputParts = parts
    return cell
  }

  static func output(
    _ scanner: inout JSONScanner, into parts: inout [Notebook.OutputPart],
    error: inout Notebook.SavedError?, unchecked: inout [String],
    warnings: inout [SavedWarning]
  ) throws(RetraceError) {
    var stderr: String?
    var type: String?
    var name: String?
    var texts: [Range<Int>] = []
    var plain: String?
    var rich: [String] = []
    var ename: String?
    var evalue: String?
    try scanner.expect(0x7B)
    try scanner.members { (key, scanner) throws(RetraceError) in
      switch key {
      case "output_type": type = try scanner.string(limit: 64)
      case "name": name = try scanner.string(limit: 64)
      case "text":
        // A stderr stream is read for its warnings (Jupyter writes `name` before `text`).
        if name == "stderr" {
          stderr = try scanner.text(limit: keptString)
        } else {
          texts = [try scanner.valueRange()]
        }
      case "ename": ename = try scanner.text(limit: keptString)
      case "evalue": evalue = try scanner.text(limit: keptString)
      case "data":
        try scanner.expect(0x7B)
        try scanner.members { (kind, scanner) throws(RetraceError) in
          if kind == "text/plain" {
            plain = try scanner.text(limit: keptString)
          } else {
            rich.append(kind)
            try scanner.skipValue()
          }
        }
      default: try scanner.skipValue()
      }
    }
    switch type {
    case "stream":
      if name == "stdout" {
        parts.append(.json(texts))
      } else if name == "stderr", let stderr {
        let parsed = WarningText.parse(stderr)
        warnings += parsed.warnings
        if parsed.hasOtherText { unchecked.append("stderr") }
      } else if name == "stderr" {
        // `text` came before `name`: not read, and not taken as the notebook's stderr.
        unchecked.append("stderr (not read)")
      } else {
        unchecked.append(name ?? "stream")
      }
    case "execute_result":
      if let plain {
        parts.append(.text(plain.replacingOccurrences(of: "\r\n", with: "\n") + "\n"))
        if !rich.isEmpty {
          unchecked.append("execute_result (\(rich.sorted().joined(separator: ", ")))")
        }
      }
    case "error":
      error = Notebook.SavedError(type: ename ?? "", message: evalue ?? "")
    case let kind?:
      unchecked.append(rich.isEmpty ? kind : "\(kind) (\(rich.sorted().joined(separator: ", ")))")
    case nil: break
    }
  }
}

/// A pull scanner over a JSON file read a chunk at a time, with the line and column of each
/// byte for messages. Strings are decoded only where asked for; elsewhere they are skipped or
/// their ranges noted.
struct JSONScanner {
  let path: String
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var index = 0
  /// The raw offset of `buffer[0]`.
  private var base = 0
  private var line = 1
  private var column = 1
  private var depth = 0
  private var ended = false

  init(path: String) throws(RetraceError) {
    self.path = path
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw RetraceError(file: path, "cannot be read")
    }
    self.handle = handle
    refill()
    if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
  }

  /// The raw offset of the next byte.
  var offset: Int { base + index }

  private mutating func refill() {
    guard !ended else { return }
    if index > 0 {
      buffer.removeFirst(index)
      base += index
      index = 0
    }
    let data = (try? handle.read(upToCount: LogReader.chunkSize)) ?? Data()
    if data.isEmpty { ended = true }
    buffer += data
  }

  private mutating func peek() -> UInt8? {
    if index >= buffer.count { refill() }
    return index < buffer.count ? buffer[index] : nil
  }

  private mutating func advance() {
    if buffer[index] == 0x0A {
      line += 1
      column = 1
    } else if buffer[index] & 0xC0 != 0x80 {
      column += 1
    }
    index += 1
  }

  func failure(_ message: String) -> RetraceError {
    RetraceError(file: path, line: line, column: column, "is not valid JSON: \(message)")
  }

  mutating func skipWhitespace() throws(RetraceError) {
    while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
      advance()
    }
  }

  mutating func expect(_ byte: UInt8) throws(RetraceError) {
    try skipWhitespace()
    guard let next = peek() else { throw failure("it ends too early") }
    guard next == byte else { throw failure("Invalid value") }
    advance()
  }

  /// Calls `body` with each key of the object whose `{` was just read, the scanner at the
  /// key's value.
  mutating func members(
    _ body: (String, inout JSONScanner) throws(RetraceError) -> Void
  ) throws(RetraceError) {
    depth += 1
    defer { depth -= 1 }
    guard depth <= IPythonNotebookReader.maximumNesting else {
      throw RetraceError(
        file: path, line: line, column: column - 1,
        "JSON nests deeper than \(IPythonNotebookReader.maximumNesting) levels; a notebook needs 5")
    }
    try skipWhitespace()
    if peek() == 0x7D {
      advance()
      return
    }
    while true {
      let key = try string(limit: 1 << 10)
      try expect(0x3A)
      try skipWhitespace()
      try body(key, &self)
      try skipWhitespace()
      guard let next = peek() else { throw failure("it ends too early") }
      advance()
      if next == 0x7D { return }
      guard next == 0x2C else { throw failure("Invalid value") }
    }
  }

  /// Calls `body` with the scanner at each element of an array (its `[` not yet read).
  mutating func elements(_ body: (inout JSONScanner) throws(RetraceError) -> Void)
    throws(RetraceError)
  {
    try expect(0x5B)
    depth += 1
    defer { depth -= 1 }
    try skipWhitespace()
    if peek() == 0x5D {
      advance()
      return
    }
    while true {
      try skipWhitespace()
      try body(&self)
      try skipWhitespace()
      guard let next = peek() else { throw failure("it ends too early") }
      advance()
      if next == 0x5D { return }
      guard next == 0x2C else { throw failure("Invalid value") }
    }
  }

  /// A string value, decoded (at most `limit` bytes of it).
  mutating func string(limit: Int) throws(RetraceError) -> String {
    try skipWhitespace()
    guard peek() == 0x22 else { throw failure("Invalid value") }
    advance()
    var bytes: [UInt8] = []
    while true {
      guard let byte = peek() else { throw failure("it ends too early") }
      advance()
      if byte == 0x22 { break }
      if byte == 0x5C {
        guard let escaped = peek() else { throw failure("it ends too early") }
        advance()
        var hex: [UInt8] = []
        if escaped == 0x75 {
          for _ in 0..<4 {
            guard let digit = peek() else { throw failure("it ends too early") }
            advance()
            hex.append(digit)
          }
        }
        var scalar: [UInt8] = [0x5C, escaped] + hex
        // A surrogate pair: the low half follows as its own \u escape.
        if escaped == 0x75, let value = UInt32(String(decoding: hex, as: UTF8.self), radix: 16),
          (0xD800...0xDBFF).contains(value)
        {
          for _ in 0..<6 {
            guard let next = peek() else { throw failure("it ends too early") }
            advance()
            scalar.append(next)
          }
        }
        guard let decoded = JSONTextReader.unescape(scalar) else {
          throw failure("Invalid escape sequence")
        }
        if bytes.count < limit { bytes += decoded }
      } else if bytes.count < limit {
        bytes.append(byte)
      }
    }
    guard bytes.count < limit else {
      throw RetraceError(
        file: path, line: line, column: column,
        "holds a string longer than \(limit >> 20) MB where retrace keeps one whole")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw RetraceError(file: path, line: line, column: column, "is not valid UTF-8")
    }
    return text
  }

  /// A string or a list of strings, decoded and joined (nbformat's multiline strings).
  mutating func text(limit: Int) throws(RetraceError) -> String {
    try skipWhitespace()
    if peek() == 0x5B {
      var parts: [String] = []
      var total = 0
      try elements { (scanner) throws(RetraceError) in
        let part = try scanner.string(limit: limit)
        total += part.utf8.count
        guard total < limit else {
          throw RetraceError(
            file: scanner.path,
            "holds a text longer than \(limit >> 20) MB where retrace keeps one whole")
        }
        parts.append(part)
      }
      return parts.joined()
    }
    if peek() == 0x6E {
      try skipValue()
      return ""
    }
    return try string(limit: limit)
  }

  /// The raw range of the value here (a string with its quotes, a list with its brackets),
  /// skipped.
  mutating func valueRange() throws(RetraceError) -> Range<Int> {
    try skipWhitespace()
    let start = offset
    try skipValue()
    return start..<offset
  }

  /// Skips a string; its raw range inside the quotes.
  mutating func skipString() throws(RetraceError) -> Range<Int> {
    try skipWhitespace()
    guard peek() == 0x22 else { throw failure("Invalid value") }
    advance()
    let start = offset
    while true {
      guard let byte = peek() else { throw failure("it ends too early") }
      if byte == 0x22 {
        let end = offset
        advance()
        return start..<end
      }
      advance()
      if byte == 0x5C {
        guard peek() != nil else { throw failure("it ends too early") }
        advance()
      }
    }
  }

  mutating func integer() throws(RetraceError) -> Int? {
    try skipWhitespace()
    var digits: [UInt8] = []
    while let byte = peek(), (0x30...0x39).contains(byte) || byte == 0x2D {
      digits.append(byte)
      advance()
    }
    guard !digits.isEmpty else {
      try skipValue()
      return nil
    }
    return Int(String(decoding: digits, as: UTF8.self))
  }

  mutating func integerOrNull() throws(RetraceError) -> Int? {
    try skipWhitespace()
    if peek() == 0x6E {
      try skipValue()
      return nil
    }
    return try integer()
  }

  /// Skips any value.
  mutating func skipValue() throws(RetraceError) {
    try skipWhitespace()
    guard let byte = peek() else { throw failure("it ends too early") }
    switch byte {
    case 0x22: _ = try skipString()
    case 0x7B:
      advance()
      try members { (_, scanner) throws(RetraceError) in try scanner.skipValue() }
    case 0x5B:
      try elements { (scanner) throws(RetraceError) in try scanner.skipValue() }
    default:
      // A number, true, false or null.
      var any = false
      while let next = peek(),
        (0x30...0x39).contains(next) || (0x61...0x7A).contains(next) || next == 0x2D
          || next == 0x2B || next == 0x2E || next == 0x45
      {
        any = true
        advance()
      }
      guard any else { throw failure("Invalid value") }
    }
  }
}

/// The stdout text of a streamed notebook's cell, decoded from its JSON values in the file a
/// chunk at a time (a string, or a list of strings read one after another; escapes undone,
/// CRLF read as LF), with the cell's in-memory parts (Out text) between them, in order. It
/// holds one chunk and one escape, however many lines the list has.
final class JSONTextReader: ChunkSource {
  private let handle: FileHandle
  private var parts: [Notebook.OutputPart]
  /// The values of the current stdout part, and the next one to read.
  private var ranges: [Range<Int>] = []
  private var nextRange = 0
  /// Raw bytes left to read of the current value.
  private var left = 0
  /// Whether the scan is inside a string, and the escape being collected.
  private var inString = false
  private var escape: [UInt8] = []
  private var pendingCR = false
  private(set) var isFinished = false

  init(path: String, parts: [Notebook.OutputPart]) throws(RetraceError) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw RetraceError(file: path, "cannot be read")
    }
    self.handle = handle
    self.parts = parts
  }

  deinit { try? handle.close() }

  func next() -> (bytes: [UInt8], failure: LogReader.Failure?) {
    while true {
      if left > 0 {
        let data = (try? handle.read(upToCount: min(left, LogReader.chunkSize))) ?? Data()
        if data.isEmpty {
          left = 0
          continue
        }
        left -= data.count
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        for byte in data {
          if !escape.isEmpty {
            escape.append(byte)
            guard Self.isComplete(escape) else { continue }
            guard let decoded = Self.unescape(escape) else {
              isFinished = true
              return (out, LogReader.Failure(message: "is not valid JSON: Invalid escape sequence"))
            }
            escape = []
            out += decoded
          } else if !inString {
            if byte == 0x22 { inString = true }
          } else if byte == 0x5C {
            escape = [byte]
          } else if byte == 0x22 {
            inString = false
          } else {
            out.append(byte)
          }
        }
        return (normalize(out), nil)
      }
      if nextRange < ranges.count {
        let range = ranges[nextRange]
        nextRange += 1
        try? handle.seek(toOffset: UInt64(range.lowerBound))
        left = range.count
        inString = false
        escape = []
        continue
      }
      guard !parts.isEmpty else {
        isFinished = true
        return (pendingCR ? [0x0D] : [], nil)
      }
      switch parts.removeFirst() {
      case .text(let text): return (normalize(Array(text.utf8)), nil)
      case .json(let list):
        ranges = list
        nextRange = 0
      }
    }
  }

  /// Whether `escape` (from its backslash) is a whole escape: two bytes, six for `\uXXXX`,
  /// twelve for a surrogate pair.
  static func isComplete(_ escape: [UInt8]) -> Bool {
    guard escape.count >= 2 else { return false }
    guard escape[1] == 0x75 else { return true }
    guard escape.count >= 6 else { return false }
    let high = UInt32(String(decoding: escape[2..<6], as: UTF8.self), radix: 16) ?? 0
    return !(0xD800...0xDBFF).contains(high) || escape.count >= 12
  }

  /// CRLF as LF (as the whole reader reads a notebook's text), across chunks: a CR at a
  /// chunk's end is held until the next byte shows whether an LF follows.
  private func normalize(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 1)
    for byte in bytes {
      if pendingCR {
        pendingCR = false
        if byte != 0x0A { out.append(0x0D) }
      }
      if byte == 0x0D {
        pendingCR = true
      } else {
        out.append(byte)
      }
    }
    return out
  }

  /// A JSON string's raw inside with its escapes undone, nil for an invalid escape.
  static func unescape(_ raw: [UInt8]) -> [UInt8]? {
    guard raw.contains(0x5C) else { return raw }
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var index = 0
    func hex(_ at: Int) -> UInt32? {
      guard at + 4 <= raw.count else { return nil }
      return UInt32(String(decoding: raw[at..<(at + 4)], as: UTF8.self), radix: 16)
    }
    while index < raw.count {
      let byte = raw[index]
      guard byte == 0x5C else {
        out.append(byte)
        index += 1
        continue
      }
      guard index + 1 < raw.count else { return nil }
      let escaped = raw[index + 1]
      index += 2
      switch escaped {
      case 0x22, 0x5C, 0x2F: out.append(escaped)
      case 0x62: out.append(0x08)
      case 0x66: out.append(0x0C)
      case 0x6E: out.append(0x0A)
      case 0x72: out.append(0x0D)
      case 0x74: out.append(0x09)
      case 0x75:
        guard var value = hex(index) else { return nil }
        index += 4
        if (0xD800...0xDBFF).contains(value) {
          guard index + 6 <= raw.count, raw[index] == 0x5C, raw[index + 1] == 0x75,
            let low = hex(index + 2), (0xDC00...0xDFFF).contains(low)
          else { return nil }
          value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
          index += 6
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        out += Array(String(Character(scalar)).utf8)
      default: return nil
      }
    }
    return out
  }
}
