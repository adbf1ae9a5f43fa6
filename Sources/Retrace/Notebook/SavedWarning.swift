import NumPyKit

/// A warning as a saved output shows it, in the form Python's `warnings` module writes to
/// stderr: `FILE:LINE: CATEGORY: MESSAGE` and, on the next line, the source line indented by
/// two spaces (`<ipython-input-4-…>:3: RuntimeWarning: overflow encountered in exp` /
/// `  return 1 / (1 + np.exp(-z))`).
public struct SavedWarning: Sendable, Equatable {
  /// The file as shown: a cell (`<ipython-input-4-…>`, Jupyter's `/tmp/ipykernel_…/….py`), a
  /// script, or one of NumPy's own files.
  public var file: String
  public var line: Int
  /// `RuntimeWarning`, `UserWarning`, ...
  public var category: String
  public var message: String
  /// Where the warning's first line starts (in the file, or in the cell's output for an
  /// `.ipynb`).
  public var position: TextPosition

  public init(file: String, line: Int, category: String, message: String, position: TextPosition) {
    self.file = file
    self.line = line
    self.category = category
    self.message = message
    self.position = position
  }

  /// Whether the line is NumPy's own code (its installed path differs from machine to machine,
  /// and its line from version to version).
  public var isInsideNumPy: Bool { file.contains("numpy/") }

  /// The execution count an IPython cell file names (`<ipython-input-4-…>` is In [4]).
  public var ipythonCount: Int? {
    guard file.hasPrefix("<ipython-input-") else { return nil }
    let digits = file.dropFirst("<ipython-input-".count).prefix(while: \.isNumber)
    return Int(digits)
  }

  /// Whether retrace replays warnings of this kind: NumPy's floating-point warnings and the
  /// program's own `warnings.warn` (a library's deprecation notices are not replayed).
  public var isReplayed: Bool {
    category == "RuntimeWarning" || category == "UserWarning"
  }

  /// `Category: message`, as reports show it.
  public var description: String { "\(category): \(message)" }
}

/// Finds warnings in saved text.
public enum WarningText {
  /// The warning whose first line starts at `offset` in `bytes`, and the offset just after its
  /// source line (or its first line when no indented line follows); nil when no warning starts
  /// there.
  public static func block(in bytes: [UInt8], at offset: Int) -> (
    file: String, line: Int, category: String, message: String, end: Int
  )? {
    var end = offset
    while end < bytes.count && bytes[end] != 0x0A { end += 1 }
    guard end < bytes.count || end > offset else { return nil }
    let line = bytes[offset..<end]
    // `FILE:LINE: CATEGORY: MESSAGE`: the first `:digits: ` followed by a name ending in
    // `Warning` and `: `.
    var k = line.startIndex
    while k < line.endIndex {
      guard line[k] == 0x3A else {
        k += 1
        continue
      }
      var d = k + 1
      while d < line.endIndex && line[d] >= 0x30 && line[d] <= 0x39 { d += 1 }
      if d > k + 1, d + 1 < line.endIndex, line[d] == 0x3A, line[d + 1] == 0x20 {
        var c = d + 2
        while c < line.endIndex
          && (isNameByte(line[c]) || line[c] == 0x2E)
        {
          c += 1
        }
        let category = String(decoding: line[(d + 2)..<c], as: UTF8.self)
        if category.hasSuffix("Warning"), c + 1 < line.endIndex, line[c] == 0x3A,
          line[c + 1] == 0x20, k > line.startIndex,
          let number = Int(String(decoding: line[(k + 1)..<d], as: UTF8.self))
        {
          let file = String(decoding: line[line.startIndex..<k], as: UTF8.self)
          // A file named with a space must be an absolute path (`/…`, `<…>`, `C:\…`): stdout's
          // text glued before a warning is not part of its file.
          if file.contains(" "), !Self.isAbsolute(file) { return nil }
          let message = String(decoding: line[(c + 2)...], as: UTF8.self)
          var after = min(end + 1, bytes.count)
          // The source line, indented by two spaces.
          if after + 1 < bytes.count, bytes[after] == 0x20, bytes[after + 1] == 0x20 {
            while after < bytes.count && bytes[after] != 0x0A { after += 1 }
            after = min(after + 1, bytes.count)
          }
          let shortCategory = String(category.split(separator: ".").last ?? "")
          return (file, number, shortCategory, message, after)
        }
      }
      k += 1
    }
    return nil
  }

  static func isAbsolute(_ file: String) -> Bool {
    if file.hasPrefix("/") || file.hasPrefix("<") { return true }
    let bytes = Array(file.utf8.prefix(3))
    return bytes.count == 3 && bytes[1] == 0x3A && (bytes[2] == 0x5C || bytes[2] == 0x2F)
      && ((bytes[0] >= 0x41 && bytes[0] <= 0x5A) || (bytes[0] >= 0x61 && bytes[0] <= 0x7A))
  }

  static func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
      || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
  }

  /// The warnings in a stderr stream's text, and whether anything else is there (a progress
  /// bar, a library's log).
  public static func parse(_ text: String, start: TextPosition = .start) -> (
    warnings: [SavedWarning], hasOtherText: Bool
  ) {
    let bytes = Array(text.utf8)
    var warnings: [SavedWarning] = []
    var other = false
    var offset = 0
    var line = start.line
    while offset < bytes.count {
      if let found = block(in: bytes, at: offset) {
        warnings.append(
          SavedWarning(
            file: found.file, line: found.line, category: found.category,
            message: found.message,
            position: TextPosition(offset: start.offset + offset, line: line, column: 1)))
        line += bytes[offset..<found.end].filter { $0 == 0x0A }.count
        offset = found.end
        continue
      }
      var end = offset
      while end < bytes.count && bytes[end] != 0x0A { end += 1 }
      if bytes[offset..<end].contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) {
        other = true
      }
      offset = end + 1
      line += 1
    }
    return (warnings, other)
  }
}
