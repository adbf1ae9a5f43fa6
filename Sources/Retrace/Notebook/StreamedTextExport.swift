import Foundation
import NumPyKit

/// A text export too large to hold whole, read in two passes over its file: the first finds
/// the `In [N]:` header lines and keeps the start of each cell (its code, and the beginning of
/// its output); the output of a cell that goes on past that start is read again, as it is
/// verified, from its place in the file (`Notebook.Cell.outputFile`).
enum StreamedTextExport {
  /// How much of each cell is kept from the first pass: a cell's code is shorter.
  static let keptPerCell = 256 << 10  // NotebookReader.read(path:)'s default too

  /// A cell found by the first pass.
  struct Found {
    var number: String
    /// The raw offset of the body's first byte, and its line.
    var bodyStart: Int
    var bodyLine: Int
    /// The raw offset just past the body.
    var bodyEnd: Int
    /// The first `keptPerCell` raw bytes of the body.
    var kept: [UInt8]
  }

  /// Reads the cells of the text export at `path` (the file's size `size`).
  static func read(path: String, size: Int, keeping keptPerCell: Int = keptPerCell)
    throws(RetraceError) -> Notebook
  {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw RetraceError(file: path, "cannot be read")
    }
    defer { try? handle.close() }
    var found: [Found] = []
    var line = 1
    var offset = 0  // raw offset of the chunk's first byte
    var pending: [UInt8] = []  // the current line's first bytes (as many as may be needed)
    var lineStart = 0
    var previousCR = false
    /// Ends the line held in `pending`, whose next line starts at raw offset `next`.
    func endLine(next: Int, broken: Bool) {
      if let number = header(pending) {
        if var last = found.popLast() {
          last.bodyEnd = lineStart
          found.append(last)
        }
        found.append(
          Found(number: number, bodyStart: next, bodyLine: line + 1, bodyEnd: size, kept: []))
      } else if var last = found.popLast() {
        if last.kept.count < keptPerCell {
          last.kept += pending.prefix(keptPerCell - last.kept.count)
          if last.kept.count < keptPerCell && broken { last.kept.append(0x0A) }
        }
        found.append(last)
      }
      pending.removeAll(keepingCapacity: true)
      line += 1
      lineStart = next
    }
    /// How much of a line to hold: all of it while the current cell's start is kept, else
    /// enough to tell a header.
    func room() -> Int {
      let keeping = found.last.map { $0.kept.count < keptPerCell } ?? false
      return keeping ? keptPerCell : 64
    }
    while true {
      let data: Data
      do {
        data = try handle.read(upToCount: LogReader.chunkSize) ?? Data()
      } catch {
        throw RetraceError(file: path, "cannot be read: \(error.localizedDescription)")
      }
      if data.isEmpty { break }
      let bytes = [UInt8](data)
      bytes.withUnsafeBufferPointer { buffer in
        var index = 0
        if previousCR && buffer.first == 0x0A {
          // The LF of a CRLF split across chunks: the line after it starts one byte later.
          index = 1
          lineStart = offset + 1
          if var last = found.popLast() {
            if last.bodyStart == offset { last.bodyStart = offset + 1 }
            found.append(last)
          }
        }
        previousCR = false
        while index < buffer.count {
          // The next line break (memchr for LF; CR lines are rare and found one by one).
          let rest = UnsafeBufferPointer(rebasing: buffer[index...])
          var end =
            NotebookReader.firstOffset(of: 0x0A, in: rest).map { index + $0 } ?? buffer.count
          if let cr = NotebookReader.firstOffset(
            of: 0x0D, in: UnsafeBufferPointer(rebasing: buffer[index..<end]))
          {
            end = index + cr
          }
          let want = room() - pending.count
          if want > 0 {
            pending += UnsafeBufferPointer(rebasing: buffer[index..<min(end, index + want)])
          }
          guard end < buffer.count else { break }
          if buffer[end] == 0x0D {
            if end + 1 < buffer.count {
              let crlf = buffer[end + 1] == 0x0A
              endLine(next: offset + end + (crlf ? 2 : 1), broken: true)
              index = end + (crlf ? 2 : 1)
            } else {
              endLine(next: offset + end + 1, broken: true)
              previousCR = true
              index = end + 1
            }
          } else {
            endLine(next: offset + end + 1, broken: true)
            index = end + 1
          }
        }
      }
      offset += bytes.count
    }
    if !pending.isEmpty { endLine(next: offset, broken: false) }
    var cells: [Notebook.Cell] = []
    for (index, cell) in found.enumerated() {
      var kept = cell.kept
      if index == 0 && kept.starts(with: [0xEF, 0xBB, 0xBF]) { kept.removeFirst(3) }
      let whole = cell.bodyEnd - cell.bodyStart <= keptPerCell
      if !whole {
        // Cut at a character boundary: a valid file's kept start stays valid UTF-8.
        while let last = kept.last, last & 0xC0 == 0x80 { kept.removeLast() }
        if let last = kept.last, last >= 0xC0 { kept.removeLast() }
      }
      let text: String
      do {
        text = try NotebookReader.decode(Data(kept), name: path)
      } catch {
        throw RetraceError(
          file: path, at: TextPosition(offset: cell.bodyStart, line: cell.bodyLine, column: 1),
          error.message)
      }
      var parsed = Notebook.Cell(
        label: cell.number.isEmpty ? "In [ ]" : "In [\(cell.number)]",
        source: .init(
          text: text,
          start: TextPosition(offset: cell.bodyStart, line: cell.bodyLine, column: 1)),
        output: nil, outputIsCellRelative: false, position: index + 1)
      if !whole {
        parsed.outputFile = Notebook.OutputFile(
          path: path, bodyStart: cell.bodyStart, bodyEnd: cell.bodyEnd, kept: keptPerCell)
      }
      cells.append(parsed)
    }
    return Notebook(name: path, form: .textExport, cells: cells, log: nil)
  }

  /// The number of an `In [N]:` header line, nil for any other line.
  static func header(_ raw: [UInt8]) -> String? {
    let line = raw.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(raw.dropFirst(3)) : raw
    guard line.starts(with: Array("In [".utf8)) else { return nil }
    var index = 4
    var number: [UInt8] = []
    while index < line.count, line[index] == 0x20 || (0x30...0x39).contains(line[index]) {
      number.append(line[index])
      index += 1
    }
    guard index + 1 < line.count, line[index] == 0x5D, line[index + 1] == 0x3A else { return nil }
    guard line[(index + 2)...].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return nil }
    return String(decoding: number, as: UTF8.self).trimmingCharacters(in: .whitespaces)
  }

  /// The raw offset in a cell's file where its line `line` (1-based, counted in the body)
  /// starts, found by reading the body's kept start, or nil past it.
  static func rawOffset(ofLine target: Int, in file: Notebook.OutputFile) -> Int? {
    guard let handle = FileHandle(forReadingAtPath: file.path) else { return nil }
    defer { try? handle.close() }
    guard (try? handle.seek(toOffset: UInt64(file.bodyStart))) != nil,
      let data = try? handle.read(upToCount: min(file.kept, file.bodyEnd - file.bodyStart))
    else { return nil }
    var line = 1
    var index = 0
    let bytes = [UInt8](data)
    while line < target && index < bytes.count {
      if bytes[index] == 0x0A {
        line += 1
      } else if bytes[index] == 0x0D {
        line += 1
        if index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
      }
      index += 1
    }
    return line == target ? file.bodyStart + index : nil
  }
}
