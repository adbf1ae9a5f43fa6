// libFuzzer target: PythonParser on arbitrary bytes (Scripts/fuzz.sh python-syntax N).
// Compiled into the PythonSyntax module (internal API in reach); never part of the package build.

/// Parses `data` as a cell's source. An accepted input must dump to a tree whose every range
/// runs forward and lies in the text, and must dump the same on a second parse; a rejected one
/// must name a line of the text and render without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPythonSyntax(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let lines = lineCount(bytes)
  do throws(SyntaxError) {
    let module = try PythonParser.parse(utf8: bytes)
    let dump = SyntaxDump.dump(module)
    checkRanges(dump, lines: lines)
    // Determinism: the same bytes must give the same tree.
    do throws(SyntaxError) {
      let again = SyntaxDump.dump(try PythonParser.parse(utf8: bytes))
      if again != dump { fatalError("a second parse dumps differently:\n\(dump)\n---\n\(again)") }
    } catch {
      fatalError("a second parse fails (\(error.kind.rawValue): \(error)) after the first passed")
    }
  } catch {
    check(error, lines: lines)
  }
  return 0
}

/// The lines of the text as the parser counts them (LF, CRLF and a lone CR each end one), the
/// last one (after the final terminator, perhaps empty) included.
private func lineCount(_ bytes: [UInt8]) -> Int {
  var count = 1
  var index = 0
  while index < bytes.count {
    if bytes[index] == 0x0A {
      count += 1
    } else if bytes[index] == 0x0D {
      count += 1
      if index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
    }
    index += 1
  }
  return count
}

private func check(_ error: SyntaxError, lines: Int) {
  let location = error.location
  if location.line < 1 || location.line > lines + 1 {
    fatalError(
      "error \(error.kind.rawValue) '\(error.message)' on line \(location.line) of \(lines)")
  }
  if location.column < 0 {
    fatalError("error \(error.kind.rawValue) '\(error.message)' at column \(location.column)")
  }
  if error.message.isEmpty { fatalError("error \(error.kind.rawValue) without a message") }
  let rendered = error.rendered(origin: "fuzz.ipynb: cell 1")
  if !rendered.hasPrefix("fuzz.ipynb: cell 1, line ") {
    fatalError("rendered error does not start with its origin: \(rendered)")
  }
  _ = error.rendered(origin: "", fileLine: 7)
  _ = error.description
}

/// Checks every dump line's place: `@L:C-L:C` (start <= end, by line then column) or `@L` (a
/// statement holding an IPython escape), lines within the text. Strings in the dump are quoted
/// with newlines escaped, and end in `"`, so a place can only be a line's suffix.
private func checkRanges(_ dump: String, lines: Int) {
  var lineNumber = 0
  for line in dump.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
    lineNumber += 1
    guard let at = lastPlaceMarker(line) else { continue }
    let place = Array(line[at...].dropFirst(2))  // after " @"
    guard let numbers = parsePlace(place) else {
      fatalError(
        "dump line \(lineNumber) has a malformed place: \(String(decoding: line, as: UTF8.self))")
    }
    let text = String(decoding: line, as: UTF8.self)
    let start = SourceLocation(line: numbers[0], column: numbers.count == 4 ? numbers[1] : 0)
    if start.line < 1 || start.line > lines + 1 {
      fatalError("node starts on line \(start.line) of \(lines): dump line \(lineNumber): \(text)")
    }
    guard numbers.count == 4 else { continue }
    let end = SourceLocation(line: numbers[2], column: numbers[3])
    if end < start {
      fatalError("node ends before it starts: dump line \(lineNumber): \(text)")
    }
    if end.line > lines + 1 {
      fatalError("node ends on line \(end.line) of \(lines): dump line \(lineNumber): \(text)")
    }
  }
}

/// The index of the last ` @` in a dump line, if what follows it is digits, `:` and `-` only.
private func lastPlaceMarker(_ line: Substring.UTF8View) -> String.Index? {
  var index = line.endIndex
  while index > line.startIndex {
    index = line.index(before: index)
    let byte = line[index]
    if byte == UInt8(ascii: "@") {
      guard index > line.startIndex, line[line.index(before: index)] == 0x20 else { return nil }
      return line.index(before: index)
    }
    guard
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ":")
        || byte == UInt8(ascii: "-")
    else { return nil }
  }
  return nil
}

/// `L` or `L:C-L:C` as its numbers (nil for anything else).
private func parsePlace(_ bytes: [UInt8]) -> [Int]? {
  var numbers: [Int] = []
  var current: Int? = nil
  var separators: [UInt8] = []
  for byte in bytes {
    if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
      let digit = Int(byte - UInt8(ascii: "0"))
      let (times, overflow1) = (current ?? 0).multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times.addingReportingOverflow(digit)
      if overflow1 || overflow2 { return nil }
      current = sum
    } else {
      guard let value = current else { return nil }
      numbers.append(value)
      separators.append(byte)
      current = nil
    }
  }
  guard let last = current else { return nil }
  numbers.append(last)
  switch numbers.count {
  case 1: return separators.isEmpty ? numbers : nil
  case 4:
    return separators == [UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: ":")] ? numbers : nil
  default: return nil
  }
}
