import Foundation
import NumPyKit
import PCRE2

/// Matches a notebook's printed output against the prints its code runs, with PCRE2, and turns
/// every hole into a `TraceRecord`.
///
/// Each template becomes one anchored pattern: its literal text escaped, each hole a
/// bracket-balanced recursive group (a `str` array), an `array(…)` (a `repr`), or a scalar
/// token. A full match yields the holes' text, which `ArrayLiteralParser` reads into values. An
/// output that ends inside a print (PCRE2 reports a partial match) is read piece by piece up to
/// its end and marked truncated; nothing before that point is lost.
public enum TraceReader {
  /// Reads the trace of `notebook`.
  ///
  /// - Throws: `RetraceError` when the code cannot be followed, or when the output does not
  ///   follow the code's prints (with the line and column where it departs).
  public static func read(_ notebook: Notebook) throws(RetraceError) -> Trace {
    try read(notebook, readsDirectly: true)
  }

  /// `read(_:)`, with the direct reading of well-formed prints switched off or on (tests read
  /// every fixture both ways and compare).
  static func read(_ notebook: Notebook, readsDirectly: Bool) throws(RetraceError) -> Trace {
    var trace = Trace(
      notebook: notebook.name, form: notebook.form, records: [], isTruncated: false,
      truncatedAt: nil, truncatedCell: nil, programs: [], notes: [], code: [])
    switch notebook.form {
    case .log:
      trace = try logHeader(name: notebook.name)
      let combined = trace.programs[0]
      guard let log = notebook.log else { return trace }
      var matcher = try Matcher(notebook: notebook.name, program: combined)
      matcher.readsDirectly = readsDirectly
      try matcher.run(segment: log, from: 0, cell: "log", cellRelative: false, into: &trace)
    case .textExport, .ipynb:
      let programs = try PrintProgram.cellPrograms(of: notebook)
      guard programs.contains(where: { !$0.program.steps.isEmpty }) else {
        throw RetraceError(
          file: notebook.name,
          "nothing to verify: the code prints nothing (no print(...) to stdout in any cell)")
      }
      for (cell, cellProgram) in zip(notebook.cells, programs) {
        let program = cellProgram.program
        var code = CodeCell(
          label: cell.label, text: cell.source.text, start: cell.source.start,
          isCellRelative: notebook.form == .ipynb, file: notebook.name)
        defer { trace.code.append(code) }
        guard !program.steps.isEmpty, !trace.isTruncated else { continue }
        trace.programs.append(program)
        var matcher = try Matcher(notebook: notebook.name, program: program)
        matcher.readsDirectly = readsDirectly
        if let output = cell.output {
          try matcher.run(
            segment: output, from: 0, cell: cell.label, cellRelative: true, into: &trace)
        } else if let start = try matcher.outputStart(
          in: cell.source, afterLine: cellProgram.lineAfterLastPrint)
        {
          code.text = String(decoding: Array(cell.source.text.utf8)[..<start], as: UTF8.self)
          try matcher.run(
            segment: cell.source, from: start, cell: cell.label, cellRelative: false,
            into: &trace)
        }
      }
    }
    try checkShapesAcrossEpochs(trace)
    return trace
  }

  /// One print in a loop prints arrays of one shape every epoch (the code retrace replays has
  /// fixed shapes); an output whose arrays change shape was not written by that code.
  static func checkShapesAcrossEpochs(_ trace: Trace) throws(RetraceError) {
    var check = EpochShapeCheck()
    for record in trace.records { try check.check(record, notebook: trace.notebook) }
  }

  /// A shape as Python writes a tuple: `(4,)`, `(3, 4)`.
  static func tuple(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }
}

extension TraceReader {
  /// The trace of a bare log before any output is read: the built-in seed's code, and its
  /// prints as one program whose loop runs as long as the log goes on.
  static func logHeader(name: String) throws(RetraceError) -> Trace {
    var trace = Trace(
      notebook: name, form: .log, records: [], isTruncated: false, truncatedAt: nil,
      truncatedCell: nil, programs: [], notes: [], code: [])
    let seed = NotebookReader.builtInSeed()
    trace.code = try read(seed).code
    // A bare log may come from a longer or shorter run than the seed's: its output, not the
    // seed's `epochs`, decides how many iterations it holds.
    let programs = try PrintProgram.cellPrograms(of: seed).map(\.program)
    let steps = programs.flatMap(\.steps).map { step -> PrintProgram.Step in
      guard case .loop(var loop) = step else { return step }
      loop.count = nil
      return .loop(loop)
    }
    trace.programs = [PrintProgram(steps: steps)]
    return trace
  }
}

/// One template compiled to an anchored pattern.
struct CompiledTemplate {
  let template: PrintTemplate
  let pattern: Pattern
  let holeGroups: [Int]

  static let definitions =
    #"(?(DEFINE)(?<arr>\[(?:[^\[\]]++|(?&arr))*+\])"#
    + #"(?<rep>array\((?&arr)(?:,\s*(?:shape=\([0-9, ]*\)|dtype=[\w.]+))*\))"#
    + #"(?<sca>[^\s\[\],()]+))"#

  init(_ template: PrintTemplate) throws(PCRE2Error) {
    var source = CompiledTemplate.definitions
    var groups: [Int] = []
    var group = 4  // groups 1–3 are the DEFINE subpatterns
    for part in template.parts {
      switch part {
      case .literal(let text): source += CompiledTemplate.escape(text)
      case .hole:
        source += "((?&arr)|(?&rep)|(?&sca))"
        groups.append(group)
        group += 1
      }
    }
    self.template = template
    self.pattern = try Pattern(source)
    self.holeGroups = groups
  }

  static func escape(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      if "\\^$.|?*+()[]{}-/#&~ ".unicodeScalars.contains(scalar) {
        result += "\\" + String(scalar)
      } else if scalar == "\n" {
        result += "\\n"
      } else if scalar == "\t" {
        result += "\\t"
      } else if scalar.value < 0x20 {
        result += String(format: "\\x{%x}", scalar.value)
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}

struct Matcher: ~Copyable {
  let notebook: String
  let program: PrintProgram
  let compiled: [Int: CompiledTemplate]
  let parser = ArrayLiteralParser()
  /// One scratch area for every template's matches (sized for the template with most holes).
  var data: MatchData
  /// Whether well-formed prints are read without the pattern (`readDirectly`).
  var readsDirectly = true

  init(notebook: String, program: PrintProgram) throws(RetraceError) {
    self.notebook = notebook
    self.program = program
    var compiled: [Int: CompiledTemplate] = [:]
    for template in program.templates {
      do {
        compiled[template.number] = try CompiledTemplate(template)
      } catch {
        throw RetraceError(
          file: notebook,
          "\(template.cell), line \(template.cellLine): the print cannot be matched: \(error)")
      }
    }
    self.compiled = compiled
    self.data = MatchData(pairs: (compiled.values.map(\.pattern.captureCount).max() ?? 0) + 1)
  }

  /// In a text-export cell (code then output), the byte offset where the output starts: the
  /// first line at or after `afterLine` at which the cell's first print matches.
  mutating func outputStart(in segment: Notebook.Segment, afterLine: Int) throws(RetraceError)
    -> Int?
  {
    guard let first = program.templates.first, let template = compiled[first.number] else {
      return nil
    }
    let bytes = Array(segment.text.utf8)
    var lineStarts: [Int] = [0]
    for (offset, byte) in bytes.enumerated() where byte == 0x0A { lineStarts.append(offset + 1) }
    guard afterLine < lineStarts.count else { return nil }
    // Each line is tried in turn, so an attempt must not read the rest of the text every time
    // (100,000 lines of "X:\n[" took minutes): it reads 128 bytes, and more (4 times as many
    // each time) only while the match runs into the end of what it reads. Windows after the
    // first count against a budget that keeps the whole search linear in the text.
    var budget = 16 * bytes.count + (16 << 20)
    return try bytes.withUnsafeBufferPointer { (buffer) throws(RetraceError) -> Int? in
      for start in lineStarts[afterLine...] where start < buffer.count {
        var window = 128
        while true {
          var end = min(buffer.count, start + window)
          // Cut at a character boundary: the text is valid UTF-8 and stays so.
          while end < buffer.count && buffer[end] & 0xC0 == 0x80 { end -= 1 }
          if window > 128 { budget -= end - start }
          guard budget >= 0 else {
            let base = TextPosition(
              offset: 0, line: segment.start.line, column: segment.start.column)
            throw RetraceError(
              file: notebook, at: base.advanced(to: start, in: buffer),
              "cannot tell where this cell's output starts: too many of its lines begin like "
                + "its first print")
          }
          let outcome: Pattern.Outcome
          do {
            outcome = try template.pattern.match(
              in: UnsafeBufferPointer(rebasing: buffer[..<end]), from: start, anchored: true,
              partial: true, checkedUTF8: true, using: &data)
          } catch {
            break
          }
          if case .partial = outcome, end < buffer.count {
            window *= 4
            continue
          }
          if outcome != .noMatch { return start }
          break
        }
      }
      return nil
    }
  }

  enum Stop: Error {
    case truncated(TextPosition)
    case departs(TextPosition, String)
  }

  /// Matches the program against `segment` from byte `from`, appending records to `trace`.
  mutating func run(
    segment: Notebook.Segment, from: Int, cell: String, cellRelative: Bool, into trace: inout Trace
  ) throws(RetraceError) {
    let bytes = Array(segment.text.utf8)
    // Offsets below count within the segment; lines and columns within the file.
    let base = TextPosition(offset: 0, line: segment.start.line, column: segment.start.column)
    var state = State(
      offset: from, position: bytes.withUnsafeBufferPointer { base.advanced(to: from, in: $0) })
    let stop: Stop? = bytes.withUnsafeBufferPointer { buffer -> Stop? in
      do throws(Stop) {
        for step in program.steps {
          switch step {
          case .once(let template):
            try matchOne(template, epoch: nil, buffer, &state, cell, cellRelative, &trace)
          case .loop(let loop):
            if let count = loop.count {
              for iteration in 0..<count {
                for template in loop.body {
                  try matchOne(
                    template, epoch: loop.start + iteration, buffer, &state, cell, cellRelative,
                    &trace)
                }
              }
            } else {
              var iteration = 0
              while state.offset < buffer.count, !onlyWhitespace(buffer, from: state.offset) {
                for template in loop.body {
                  try matchOne(
                    template, epoch: loop.start + iteration, buffer, &state, cell, cellRelative,
                    &trace)
                }
                iteration += 1
              }
            }
          }
        }
        return nil
      } catch {
        return error
      }
    }
    switch stop {
    case .truncated(let position)?:
      trace.isTruncated = true
      trace.truncatedAt = position
      trace.truncatedCell = cell
    case .departs(let position, let message)?:
      throw RetraceError(file: notebook, at: position, message)
    case nil:
      if state.offset < bytes.count,
        !bytes.withUnsafeBufferPointer({ onlyWhitespace($0, from: state.offset) })
      {
        let position = bytes.withUnsafeBufferPointer {
          state.position.advanced(to: state.offset, in: $0)
        }
        trace.notes.append(
          "\(cell): output after the code's last print was not read (from \(position))")
      }
    }
  }

  struct State {
    var offset: Int
    var position: TextPosition
  }

  func onlyWhitespace(_ buffer: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
    var index = from
    while index < buffer.count {
      let byte = buffer[index]
      if byte != 0x20 && byte != 0x0A && byte != 0x09 { return false }
      index += 1
    }
    return true
  }

  mutating func matchOne(
    _ template: PrintTemplate, epoch: Int?, _ buffer: UnsafeBufferPointer<UInt8>,
    _ state: inout State, _ cell: String, _ cellRelative: Bool, _ trace: inout Trace
  ) throws(Stop) {
    guard let compiled = compiled[template.number] else { return }
    if state.offset >= buffer.count { throw .truncated(state.position) }
    if readsDirectly,
      let direct = readDirectly(template, epoch: epoch, buffer, state, cell, cellRelative)
    {
      if trace.records.isEmpty {
        trace.records = direct.records
      } else {
        trace.records.append(contentsOf: direct.records)
      }
      state = direct.state
      return
    }
    var outcome = Pattern.Outcome.noMatch
    do {
      outcome = try compiled.pattern.match(
        in: buffer, from: state.offset, anchored: true, partial: true, checkedUTF8: true,
        using: &data)
    } catch {
      // A resource limit: fall back to the piece-by-piece reading below, which is linear.
      outcome = .noMatch
    }
    if case .match(let match) = outcome {
      var records: [TraceRecord] = []
      for (holeIndex, group) in compiled.holeGroups.enumerated() {
        guard let range = match[group] else { continue }
        let position = state.position.advanced(to: range.lowerBound, in: buffer)
        let literal: ArrayLiteral
        do {
          literal = try parser.parse(buffer, at: position)
        } catch {
          throw .departs(
            TextPosition(offset: error.offset, line: error.line, column: error.column),
            error.message)
        }
        guard literal.endOffset == range.upperBound else {
          throw .departs(position, "the printed value does not end where the print expects")
        }
        let hole = template.holes[holeIndex]
        try refuseOverflow(literal, hole, template)
        state.position = literal.end
        state.offset = literal.endOffset
        records.append(
          TraceRecord(
            print: template.number, epoch: epoch, label: hole.expression, cell: cell,
            isCellRelative: cellRelative, literal: literal))
      }
      trace.records.append(contentsOf: records)
      state.position = state.position.advanced(to: match.range.upperBound, in: buffer)
      state.offset = match.range.upperBound
      return
    }
    try walk(template, epoch: epoch, buffer, &state, cell, cellRelative, &trace)
  }

  /// The common case without the pattern: a print whose text parts are there byte for byte
  /// and whose holes are all `str` arrays (`[` … `]`) the array reader reads whole. What the
  /// pattern would find then is the same: a `str` hole is a bracket-balanced group, and the
  /// reader ends a literal at the bracket that closes its first one. Anything else (a cut
  /// print, a departure, `repr` or scalar holes, a number beyond float64) returns nil, and the
  /// pattern and `walk` decide it as before, with their diagnostics.
  func readDirectly(
    _ template: PrintTemplate, epoch: Int?, _ buffer: UnsafeBufferPointer<UInt8>,
    _ state: State, _ cell: String, _ cellRelative: Bool
  ) -> (records: [TraceRecord], state: State)? {
    var index = state.offset
    var position = state.position
    var records: [TraceRecord] = []
    for part in template.parts {
      switch part {
      case .literal(let text):
        for byte in text.utf8 {
          guard index < buffer.count, buffer[index] == byte else { return nil }
          index += 1
        }
      case .hole(let hole):
        guard index < buffer.count, buffer[index] == UInt8(ascii: "[") else { return nil }
        position = position.advanced(to: index, in: buffer)
        guard let literal = try? parser.parse(buffer, at: position),
          (try? refuseOverflow(literal, hole, template)) != nil
        else { return nil }
        records.append(
          TraceRecord(
            print: template.number, epoch: epoch, label: hole.expression, cell: cell,
            isCellRelative: cellRelative, literal: literal))
        position = literal.end
        index = literal.endOffset
      }
    }
    return (records, State(offset: index, position: position.advanced(to: index, in: buffer)))
  }

  /// Reads a print piece by piece: for an output that ends inside it (truncated) or departs
  /// from it (a diagnostic naming the place).
  func walk(
    _ template: PrintTemplate, epoch: Int?, _ buffer: UnsafeBufferPointer<UInt8>,
    _ state: inout State, _ cell: String, _ cellRelative: Bool, _ trace: inout Trace
  ) throws(Stop) {
    var holeIndex = 0
    var index = state.offset
    var position = state.position
    for part in template.parts {
      switch part {
      case .literal(let text):
        let utf8 = Array(text.utf8)
        for (consumed, byte) in utf8.enumerated() {
          if index >= buffer.count { throw .truncated(position.advanced(to: index, in: buffer)) }
          if buffer[index] != byte {
            let at = position.advanced(to: index, in: buffer)
            let rest = String(decoding: utf8[consumed...], as: UTF8.self)
            throw .departs(
              at,
              "the printed output departs from print #\(template.number) (\(template.cell), "
                + "line \(template.cellLine)): expected \(quoted(rest)) here")
          }
          index += 1
        }
      case .hole(let hole):
        position = position.advanced(to: index, in: buffer)
        if index >= buffer.count { throw .truncated(position) }
        let literal: ArrayLiteral
        do {
          literal = try parser.parse(buffer, at: position, allowPartial: true)
        } catch {
          throw .departs(
            TextPosition(offset: error.offset, line: error.line, column: error.column),
            "\(error.message) (in {\(hole.expression)} of print #\(template.number))")
        }
        try refuseOverflow(literal, hole, template)
        if literal.count > 0 || literal.isPartial {
          trace.records.append(
            TraceRecord(
              print: template.number, epoch: epoch, label: hole.expression, cell: cell,
              isCellRelative: cellRelative, literal: literal))
        }
        if literal.isPartial {
          throw .truncated(position.advanced(to: buffer.count, in: buffer))
        }
        index = literal.endOffset
        holeIndex += 1
      }
    }
    state.position = position.advanced(to: index, in: buffer)
    state.offset = index
  }

  /// A finite-looking token beyond float64 (`1e999`) is read by `float()` as inf, but NumPy
  /// never prints one (it prints `inf`): the output was not written by NumPy.
  func refuseOverflow(
    _ literal: ArrayLiteral, _ hole: PrintTemplate.Hole, _ template: PrintTemplate
  ) throws(Stop) {
    for ordinal in literal.values.indices where literal.values[ordinal].isInfinite {
      let text = literal.text(ofToken: ordinal)
      guard !text.hasSuffix("inf") else { continue }
      throw .departs(
        literal.position(ofToken: ordinal),
        "number \(quoted(text)) is beyond float64's range; NumPy prints such a value as inf "
          + "(in {\(hole.expression)} of print #\(template.number))")
    }
  }

  func quoted(_ text: String) -> String {
    var shown = text.replacingOccurrences(of: "\n", with: "\\n")
    if shown.count > 40 { shown = String(shown.prefix(37)) + "..." }
    return "'\(shown)'"
  }
}

/// Remembers the first shape of each print's hole in the loop and refuses a later epoch that
/// prints it with another shape (used by the whole-file and the streamed reading alike).
struct EpochShapeCheck {
  /// A hole of a print.
  private struct Key: Hashable {
    var print: Int
    var label: String
  }
  /// Where a hole was first printed in the loop, and with which shape.
  private struct First {
    var shape: [Int]
    var epoch: Int
    var position: TextPosition
  }
  private var first: [Key: First] = [:]

  /// Checks one record; records outside the loop and partial ones pass.
  mutating func check(_ record: TraceRecord, notebook: String) throws(RetraceError) {
    guard let epoch = record.epoch, !record.isPartial else { return }
    let key = Key(print: record.print, label: record.label)
    guard let earlier = first[key] else {
      first[key] = First(shape: record.shape, epoch: epoch, position: record.position)
      return
    }
    guard earlier.shape != record.shape else { return }
    let earlierEpoch = earlier.epoch
    let cell = record.isCellRelative ? "\(record.cell) output: " : ""
    throw RetraceError(
      file: notebook, at: record.position,
      "\(cell){\(record.label)} of print #\(record.print) has shape "
        + "\(TraceReader.tuple(record.shape)) in epoch \(epoch) but "
        + "\(TraceReader.tuple(earlier.shape)) in epoch \(earlierEpoch) (at "
        + "\(earlier.position)): the printed arrays change shape between epochs")
  }
}
