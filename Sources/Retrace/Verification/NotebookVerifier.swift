import Interpreter
import NumPyKit
import PCRE2
import PythonSyntax

/// Verifies a notebook: replays its cells through the interpreter and matches each replayed
/// print, as it happens, against the cell's saved output.
///
/// Literal text is compared byte for byte; value pieces are found with one anchored PCRE2
/// pattern per print built from what the replay printed (`PrintMatcher`) and read back into
/// values, each then compared with the replayed value (exact, within the rounding of its
/// printed digits, within the noise band of other summation orders, or a mismatch). Values
/// the interpreter marks unverifiable (the clock, an unseeded generator, `id()`) are read and
/// listed but never fail. Where the saved text is not what the code prints, a `Departure` is
/// recorded and the cell's alignment ends. A saved output that stops inside the code's prints
/// stops the replay there.
public enum NotebookVerifier {
  /// The simple summation orders the noise band of a replay under `machine` spreads over
  /// besides the other machine models: those no other model stands for.
  public static func bandOrders(for machine: MachineModel) -> [BLASOrder] {
    BLASOrder.noiseOrders.filter { order in
      order != machine.blas
        && !MachineModel.all.contains {
          $0 != machine && $0.blas == order && $0.math == machine.math
        }
    }
  }

  /// Verifies `plan`.
  ///
  /// - Throws: `RetraceError` (exit code 2) for a refusal of the replay, an unreadable value
  ///   in the saved output, or a notebook that prints nothing.
  public static func verify(
    _ plan: ReplayPlan, limits: InterpreterLimits = InterpreterLimits(),
    machine: MachineModel = .default
  ) throws(RetraceError) -> Verification {
    var verification = try run(plan, limits: limits, band: true, machine: machine)
    if plan.isOutOfFileOrder, plan.form != .log {
      let order = plan.cells.map(\.parsed.label).joined(separator: ", ")
      verification.notes.append(
        "the cells ran in the order \(order) (by execution count) and were replayed in that order")
      if let other = try? run(
        plan.inFileOrder, limits: limits, band: false, untilFailure: true, machine: machine)
      {
        switch (verification.isReproduced, other.isReproduced) {
        case (true, false):
          verification.notes.append(
            "replayed in file order instead, the code does not reproduce the saved output: the "
              + "notebook was run out of order")
        case (false, true):
          verification.notes.append(
            "replayed in file order instead, the code reproduces the saved output: the outputs "
              + "were made in file order, not in the order of the execution counts")
        case (false, false):
          verification.notes.append(
            "replayed in file order instead, the code does not reproduce the saved output "
              + "either: in neither order")
        case (true, true): break
        }
      }
    }
    return verification
  }

  /// One replay of `plan`, matched as it runs; with `band`, the values not printed exactly are
  /// checked again against the other summation orders.
  static func run(
    _ plan: ReplayPlan, limits: InterpreterLimits, band: Bool, untilFailure: Bool = false,
    machine: MachineModel = .default, operations: OperationLog? = nil
  ) throws(RetraceError) -> Verification {
    let run = Run(plan: plan)
    run.machine = machine
    run.verification.machine = machine.name
    run.stopsAtFirstFailure = untilFailure
    if let path = plan.logFile { run.saved = SavedText(streaming: try LogReader(path: path)) }
    var loops: LoopCensus?
    let replay = NotebookReplay(plan, limits: limits, machine: machine)
    replay.operations = operations
    let finished = try replay.run(
      cellStarted: { index in run.startCell(index) },
      consume: { (index, event) throws(RetraceError) in try run.consume(index, event) },
      cellEnded: { index in run.endCell(index) },
      census: { census in loops = census })
    // A census of a replay stopped early (where a cut output ends) counts only what ran
    // before that print; the audit then surveys the loops itself.
    if finished { run.verification.loops = loops }
    try run.finish()
    if band && !run.inexact.isEmpty { run.applyNoiseBand(limits: limits) }
    run.verification.printsReplayed = run.events
    return run.verification
  }
}

extension NotebookVerifier {
  /// A value token kept for the noise band: where its record and value are, and which piece of
  /// which print produced it.
  struct Pending {
    var record: Int
    var value: Int
    var event: Int
    var piece: Int
    var ordinal: Int
  }

  /// The state of one verification while the replay runs.
  final class Run {
    let plan: ReplayPlan
    var verification: Verification
    /// The machine model the replay runs under (the noise band replays under the others).
    var machine = MachineModel.default
    var matcher = PrintMatcher()
    /// The saved text being matched and how far it has been read.
    var saved: SavedText?
    /// Whether the current cell's alignment has ended (a departure) or its output was cut.
    var departed = false
    /// Print statements by place, numbered in the order they first ran, and how often each ran.
    var printNumbers: [PrintKey: Int] = [:]
    var occurrences: [PrintKey: Int] = [:]
    /// The source text of each printed expression, sliced once.
    var expressions: [ExpressionKey: String] = [:]
    /// Events replayed so far (the key of a value in the band replays).
    var events = 0
    var inexact: [Pending] = []
    var sawEvent = false
    var sawSavedText = false
    /// Whether the replay stops at the first mismatch or departure (a check that only needs
    /// to know whether the output is reproduced).
    var stopsAtFirstFailure = false
    /// An error reading a streamed output found where no error could be thrown (at a cell's
    /// end), thrown when the replay ends.
    var readFailure: RetraceError?
    /// The label of the cell being replayed (a log's saved text spans its code's cells).
    var currentCell = ""
    /// For each cell (by plan index), whether a later cell has saved output.
    let laterOutput: [Bool]
    /// The warnings the replay showed and those the saved output holds, not yet compared: a
    /// cell's (a notebook) or the run's (a log).
    var replayedWarnings: [(warning: PythonWarning, origin: Int?)] = []
    var savedWarnings: [SavedWarning] = []
    /// Whether the saved output holds stderr: an `.ipynb` with a stderr stream in any cell; a
    /// text export or a log once it shows a warning (a log written without `2>&1` holds none).
    var holdsStderr: Bool
    /// Replayed warnings of a text export not found in its output while it has shown none:
    /// departures if a saved warning appears later, otherwise listed as not checked.
    var unsavedWarnings: [(warning: PythonWarning, origin: Int?, cell: String)] = []
    /// The first function in the cell (a log: the run) that may have warned from code retrace
    /// does not model (`np.einsum`), if any: the saved warnings left over are then not checked.
    var unmodelledIn: String?
    var unsavedCount = 0

    struct ExpressionKey: Hashable {
      var cell: Int
      var range: SourceRange
    }

    struct PrintKey: Hashable {
      var cell: Int
      var line: Int
      var column: Int
    }

    init(plan: ReplayPlan) {
      self.plan = plan
      verification = Verification(
        notebook: plan.name, form: plan.form, codeFile: plan.codeFile, records: [],
        departures: [], truncation: nil, notChecked: [], notes: [], counts: VerdictCounts(),
        recordsNotKept: 0)
      var later = [Bool](repeating: false, count: plan.cells.count)
      var seen = false
      for index in plan.cells.indices.reversed() {
        later[index] = seen
        let cell = plan.cells[index]
        if let output = cell.output, !output.text.allSatisfy(\.isWhitespace) { seen = true }
        if cell.error != nil || cell.outputStream != nil { seen = true }
      }
      laterOutput = later
      // An `.ipynb` holds stderr when any of its cells saved a stderr stream (a notebook
      // written by a tool that drops stderr, or with its warnings ignored, holds none).
      holdsStderr =
        plan.form == .ipynb
        && plan.cells.contains { !$0.savedWarnings.isEmpty || $0.unchecked.contains("stderr") }
      if plan.form == .log, let log = plan.log {
        saved = SavedText(log, cell: "log", isCellRelative: false)
        sawSavedText = !log.text.allSatisfy(\.isWhitespace) || plan.logFile != nil
      }
      for cell in plan.cells {
        for item in cell.unchecked {
          verification.notChecked.append("\(cell.parsed.label): \(item)")
        }
      }
    }

    var isLog: Bool { plan.form == .log }

    func startCell(_ index: Int) -> NotebookReplay.Demand {
      currentCell = plan.cells[index].parsed.label
      guard !isLog else { return departed ? .stop : .more }
      departed = false
      let cell = plan.cells[index]
      replayedWarnings = []
      savedWarnings = cell.savedWarnings
      unmodelledIn = nil
      if let stream = cell.outputStream {
        do {
          if let parts = stream.parts {
            let reader = try JSONTextReader(path: stream.path, parts: parts)
            saved = SavedText(
              streaming: reader, cell: cell.parsed.label, start: .start, isCellRelative: true)
          } else {
            let reader = try LogReader(path: stream.path, range: stream.range)
            saved = SavedText(streaming: reader, cell: cell.parsed.label, start: stream.start)
          }
          sawSavedText = true
        } catch {
          readFailure = error
          return .stop
        }
      } else if let output = cell.output {
        saved = SavedText(
          output, cell: cell.parsed.label, isCellRelative: cell.outputIsCellRelative)
        if !output.text.allSatisfy(\.isWhitespace) { sawSavedText = true }
      } else {
        saved = SavedText(
          .init(text: "", start: cell.parsed.start), cell: cell.parsed.label, isCellRelative: false)
      }
      return .more
    }

    func endCell(_ index: Int) -> NotebookReplay.Demand {
      currentCell = plan.cells[index].parsed.label
      if verification.truncation != nil { return laterOutput[index] ? .more : .stop }
      if !isLog, !departed, var text = saved {
        do {
          try skipSavedWarnings(&text)
        } catch {
          readFailure = error
          return .stop
        }
        saved = text
      }
      if !isLog, !departed || plan.form == .ipynb { compareWarnings() }
      guard !isLog, !departed, var text = saved else { return .more }
      let cell = plan.cells[index]
      if let error = cell.error {
        departure(
          .exception, at: text.cursor, in: &text, code: nil, expected: "(no exception)",
          found: error.description,
          message: "the saved output shows \(error.type) but the replay of this cell raises none")
        saved = text
        return .more
      }
      do {
        // A streamed cell: read on while what follows is blank.
        while !text.atEnd, text.remaining.allSatisfy({ $0 == 0x20 || $0 == 0x0A }) {
          try text.fill(ahead: text.remaining.count + (1 << 20), name: plan.name)
        }
      } catch {
        readFailure = error
        return .stop
      }
      let rest = text.remaining
      if !rest.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) {
        let skip = rest.prefix(while: { $0 == 0x20 || $0 == 0x0A }).count
        departure(
          .extraOutput, at: text.cursor + skip, in: &text, code: nil, expected: "(nothing more)",
          found: text.line(from: text.cursor + skip),
          message: "the saved output goes on, but the code prints nothing more in this cell")
      }
      saved = text
      return .more
    }

    func finish() throws(RetraceError) {
      if let readFailure { throw readFailure }
      if isLog, !departed, verification.truncation == nil, var text = saved {
        try skipSavedWarnings(&text)
        saved = text
        compareWarnings()
        while text.remaining.allSatisfy({ $0 == 0x20 || $0 == 0x0A }), !text.atEnd {
          try text.fill(ahead: text.remaining.count + (1 << 20), name: plan.name)
        }
        let rest = text.remaining
        if !rest.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) {
          departure(
            .extraOutput, at: text.cursor, in: &text, code: nil, expected: "(nothing more)",
            found: text.line(from: text.cursor),
            message: "the log goes on, but the code prints nothing more")
        }
        saved = text
      }
      if !unsavedWarnings.isEmpty || unsavedCount > 0 {
        if holdsStderr {
          for item in unsavedWarnings {
            unsavedDeparture(item.warning, origin: item.origin, cell: item.cell)
          }
        } else {
          verification.notChecked.append(
            "\(unsavedCount) warning(s) the replay shows on stderr (first: "
              + "\(unsavedWarnings.first.map { "\($0.warning.category): \($0.warning.message)" } ?? "")): "
              + "the saved output holds no stderr")
        }
      }
      if !sawEvent && !sawSavedText && verification.departures.isEmpty {
        throw RetraceError(
          file: plan.name,
          "nothing to verify: the code prints nothing (no print(...) to stdout in any cell)")
      }
    }

    // MARK: - Events

    func consume(_ index: Int, _ event: ReplayEvent) throws(RetraceError)
      -> NotebookReplay.Demand
    {
      if case .warned(let warning, let origin) = event {
        // Compared as a set when the cell (a log: the run) ends, not in place: stderr does
        // not interleave with stdout where it was written.
        if warning.isUnmodelled {
          if unmodelledIn == nil { unmodelledIn = warning.message }
        } else if replayedWarnings.count < 10_000 {
          replayedWarnings.append((warning, origin))
        }
        return .more
      }
      guard !departed, var text = saved else { return isLog ? .stop : .skipCell }
      defer { saved = text }
      let cell = plan.cells[index]
      currentCell = cell.parsed.label
      let demand: NotebookReplay.Demand
      switch event {
      case .warned: demand = .more
      case .raised(let error):
        sawEvent = true
        demand = exception(error, cell: cell, text: &text)
      case .printed(let printed):
        sawEvent = true
        events += 1
        demand = try match(printed, cellIndex: index, cell: cell, text: &text)
      }
      if stopsAtFirstFailure && !verification.isReproduced { return .stop }
      return demand
    }

    /// An exception the replay raised, against the saved output's.
    func exception(_ error: PythonError, cell: ReplayPlan.Cell, text: inout SavedText)
      -> NotebookReplay.Demand
    {
      let line = error.location?.line
      let column = error.location.map { $0.column + 1 }
      let replayed = error.description
      if isLog {
        verification.notes.append(
          "the code raises \(replayed) (\(cell.parsed.label)\(line.map { ", line \($0)" } ?? "")), "
            + "where a script stops: a log holds no traceback (it goes to stderr)")
        return .stop
      }
      if let saved = cell.error {
        let rest = text.remaining
        if !rest.allSatisfy({ $0 == 0x20 || $0 == 0x0A }) {
          departure(
            .extraOutput, at: text.cursor, in: &text, code: (line, column),
            expected: "(the traceback of \(replayed))", found: text.line(from: text.cursor),
            message: "the saved output goes on where the code raises \(replayed)")
          return .skipCell
        }
        if saved.description != replayed {
          departure(
            .exception, at: text.cursor, in: &text, code: (line, column), expected: replayed,
            found: saved.description,
            message: "the cell raises \(replayed) but the saved output shows \(saved.description)")
        }
        text.cursor = text.bytes.count
        departed = true
        return .skipCell
      }
      // A text export: the traceback is in the output text.
      do {
        try skipSavedWarnings(&text)
        try text.fill(ahead: 1 << 16, name: plan.name)
      } catch {
        readFailure = error
        return .stop
      }
      let marker = Array("Traceback (most recent call last):".utf8)
      let start = text.cursor + text.remaining.prefix(while: { $0 == 0x0A }).count
      if text.bytes[start...].starts(with: marker) {
        // The traceback runs to its first unindented line after the header: `Type: message`.
        var lineStart = start
        var shown: String?
        var end = text.bytes.count
        while lineStart < text.bytes.count {
          var lineEnd = lineStart
          while lineEnd < text.bytes.count && text.bytes[lineEnd] != 0x0A { lineEnd += 1 }
          if lineStart > start, text.bytes[lineStart] != 0x20 {
            shown = String(decoding: text.bytes[lineStart..<lineEnd], as: UTF8.self)
            end = min(text.bytes.count, lineEnd + 1)
            break
          }
          lineStart = lineEnd + 1
        }
        if let shown, shown == replayed {
          text.cursor = end
          departed = false
          return .skipCell
        }
        departure(
          .exception, at: start, in: &text, code: (line, column), expected: replayed,
          found: shown ?? "a traceback without an exception line",
          message:
            "the cell raises \(replayed) but the saved traceback shows \(shown ?? "no exception")")
        return .skipCell
      }
      departure(
        .exception, at: text.cursor, in: &text, code: (line, column), expected: replayed,
        found: text.line(from: text.cursor),
        message: "the code raises \(replayed) here, but the saved output shows no traceback")
      return .skipCell
    }

    /// The pieces of `event` as the saved output shows them (a text export prefixes an echoed
    /// result with `Out[N]: `; both forms end it with a newline).
    func pieces(of event: PrintEvent, cell: ReplayPlan.Cell) -> [PrintPiece] {
      guard event.isResult else { return event.pieces }
      var pieces = event.pieces
      func literal(_ text: String) -> PrintPiece {
        PrintPiece(
          kind: .literal, text: text, value: nil, range: nil, unverifiable: nil,
          options: pieces.first?.options ?? PrintOptions())
      }
      if plan.form == .textExport {
        let label = cell.parsed.label.replacingOccurrences(of: "In [", with: "Out[")
        let multiline = event.text.contains("\n")
        pieces.insert(literal(multiline ? "\(label):\n" : "\(label): "), at: 0)
      }
      pieces.append(literal("\n"))
      return pieces
    }

    func match(
      _ event: PrintEvent, cellIndex: Int, cell: ReplayPlan.Cell, text: inout SavedText
    ) throws(RetraceError) -> NotebookReplay.Demand {
      let pieces = pieces(of: event, cell: cell)
      let whole = pieces.map(\.text).joined()
      try skipSavedWarnings(&text)
      try text.fill(ahead: whole.utf8.count + (1 << 16), name: plan.name)
      var start = text.cursor
      // Where the print is in the code.
      let key = PrintKey(
        cell: cellIndex, line: event.range?.start.line ?? 0,
        column: event.range?.start.column ?? 0)
      let number = printNumbers[key] ?? (printNumbers.count + 1)
      printNumbers[key] = number
      let occurrence = occurrences[key, default: 0]
      occurrences[key] = occurrence + 1
      let context = RecordContext(
        cell: cell, cellIndex: cellIndex, event: event, number: number, occurrence: occurrence,
        eventNumber: events)

      if text.remaining.isEmpty && text.atEnd && !whole.isEmpty {
        return endOfOutput(cellIndex: cellIndex, cell: cell, text: &text, event: event)
      }
      let exact = text.bytes[start...].starts(with: whole.utf8)
      // Past the records kept, a print whose saved text is exactly the replayed one is only
      // counted: its arrays' values are exact, and nothing is parsed (the general path below
      // would read both texts back only to find every token the same).
      if exact, verification.records.count >= RecordLimits.kept,
        let counts = PrintMatcher.exactValueCounts(pieces, repr: event.isResult)
      {
        for count in counts { countExactNotKept(values: count) }
        text.cursor = start + whole.utf8.count
        return .more
      }
      let replayed = pieces.map { PrintMatcher.replayed($0, repr: event.isResult) }
      let shapes = replayed.map(\.shape)
      if !exact, plan.form != .ipynb {
        exciseWarnings(in: &text, from: start, span: whole.utf8.count)
      }
      // The saved text holds exactly what the replay printed: every value exact.
      if exact || text.bytes[start...].starts(with: whole.utf8) {
        var offset = start
        for (k, piece) in pieces.enumerated() {
          let length = piece.text.utf8.count
          if piece.kind == .value, case .literal = replayed[k].shape {
          } else if piece.kind == .value {
            try read(
              replayed[k], piece: piece, k: k, savedRange: offset..<(offset + length),
              partial: false, text: &text, context: context)
          }
          offset += length
        }
        text.cursor = offset
        return .more
      }
      let compiled: PrintMatcher.Compiled
      do {
        compiled = try matcher.compiled(shapes)
      } catch {
        throw RetraceError(
          file: plan.name,
          "\(cell.parsed.label), line \(key.line): the print cannot be matched: \(error)")
      }
      var outcome: Pattern.Outcome = .noMatch
      var failure: PCRE2Error?
      while true {
        do throws(PCRE2Error) {
          outcome = try text.bytes.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
            try compiled.pattern.match(
              in: buffer, from: start, anchored: true, partial: true, checkedUTF8: true,
              using: &matcher.data)
          }
        } catch {
          failure = error
          break
        }
        // A streamed log whose window ends inside this print: read on and try again.
        guard case .partial = outcome, !text.atEnd else { break }
        try text.fill(ahead: 2 * (text.bytes.count - start) + (1 << 20), name: plan.name)
        start = text.cursor
      }
      if let error = failure {
        // A pattern that runs into PCRE2's limits (brackets nested 100,000 deep): the pieces
        // read one by one, with the array reader's own errors.
        if error.isResourceLimit,
          let end = try walk(pieces: pieces, replayed: replayed, text: &text, context: context)
        {
          text.cursor = end
          return .more
        }
        throw RetraceError(
          file: plan.name, at: text.position(at: start),
          "the saved output cannot be matched against the print at \(cell.parsed.label), line "
            + "\(key.line): \(error)")
      }
      var result = outcome
      if case .partial = outcome,
        case .match(let found)? = try? text.bytes.withUnsafeBufferPointer({ buffer in
          try compiled.pattern.match(
            in: buffer, from: start, anchored: true, checkedUTF8: true, using: &matcher.data)
        }), found.range.upperBound == text.bytes.count
      {
        // A complete match that reaches the end of the output (a print with `end=""`).
        result = .match(found)
      }
      if case .noMatch = outcome, text.atEnd,
        text.remaining.allSatisfy({ $0 == 0x20 || $0 == 0x0A })
      {
        return endOfOutput(cellIndex: cellIndex, cell: cell, text: &text, event: event)
      }
      switch result {
      case .match(let found):
        for (k, piece) in pieces.enumerated() where piece.kind == .value {
          let groups = compiled.groups[k]
          guard !groups.isEmpty else { continue }
          let ranges = groups.compactMap { found[$0] }
          guard ranges.count == groups.count else { continue }
          try read(
            replayed[k], piece: piece, k: k,
            savedRange: ranges[0].lowerBound..<ranges.last!.upperBound,
            groupRanges: ranges, partial: false, text: &text, context: context)
        }
        text.cursor = found.range.upperBound
        return .more
      case .partial:
        try walk(
          pieces: pieces, replayed: replayed, text: &text, context: context, partial: true)
        truncate(cell: cell, text: &text)
        return laterOutput[cellIndex] && !isLog ? .skipCell : .stop
      case .noMatch:
        let common = zip(text.bytes[start...], whole.utf8).prefix { $0 == $1 }.count
        let at = start + common
        let replayedLine = Self.lineOf(Array(whole.utf8), from: common)
        departure(
          .text, at: at, in: &text, code: (key.line, key.column + 1), expected: replayedLine,
          found: text.line(from: at),
          message:
            "the saved output departs from the print at \(cell.parsed.label), line \(key.line)")
        return isLog ? .stop : .skipCell
      }
    }

    /// The replay printed more after the cell's saved output ended.
    func endOfOutput(
      cellIndex: Int, cell: ReplayPlan.Cell, text: inout SavedText, event: PrintEvent
    ) -> NotebookReplay.Demand {
      if isLog || !laterOutput[cellIndex] {
        truncate(cell: cell, text: &text)
        return .stop
      }
      let line = event.range?.start.line
      departure(
        .missingOutput, at: text.cursor, in: &text,
        code: (line, event.range.map { $0.start.column + 1 }),
        expected: Self.lineOf(Array(event.text.utf8), from: 0), found: "(the cell's output ends)",
        message: "the code prints more in \(cell.parsed.label) than its saved output holds")
      return .skipCell
    }

    func truncate(cell: ReplayPlan.Cell, text: inout SavedText) {
      guard verification.truncation == nil else { return }
      let partial = verification.records.last.flatMap { $0.record.isPartial ? $0.record.name : nil }
      verification.truncation = Truncation(
        cell: text.cell, isCellRelative: text.isCellRelative,
        position: text.position(at: text.bytes.count), partialRecord: partial)
      text.cursor = text.bytes.count
      departed = true
    }

    /// The pieces of a print read one after another from the cursor without one pattern for
    /// the whole print: where the print ends in the saved text, or nil when a literal piece is
    /// not there. With `partial` (an output that ends inside this print), each piece is read
    /// as far as the text goes, and the walk stops where it ends.
    @discardableResult
    func walk(
      pieces: [PrintPiece], replayed: [ReplayedPiece], text: inout SavedText,
      context: RecordContext, partial: Bool = false
    ) throws(RetraceError) -> Int? {
      var offset = text.cursor
      for (k, piece) in pieces.enumerated() {
        if partial && offset >= text.bytes.count { return nil }
        switch replayed[k].shape {
        case .literal(let literal):
          guard text.bytes[min(offset, text.bytes.count)...].starts(with: literal.utf8) else {
            return nil
          }
          offset += literal.utf8.count
        case .array:
          let saved = try savedLiteral(
            at: offset, partial: partial, text: &text, context: context, piece: piece)
          try record(replayed[k], piece: piece, k: k, saved: saved, text: &text, context: context)
          if saved.isPartial { return nil }
          offset = saved.endOffset
        case .numbers, .free:
          // The piece's own pattern, anchored where it starts.
          guard let compiled = try? matcher.compiled([replayed[k].shape]),
            case .match(let found)? = try? text.bytes.withUnsafeBufferPointer({ buffer in
              try compiled.pattern.match(
                in: buffer, from: offset, anchored: true, partial: partial, checkedUTF8: true,
                using: &matcher.data)
            })
          else { return nil }
          let ranges = compiled.groups[0].compactMap { found[$0] }
          try read(
            replayed[k], piece: piece, k: k,
            savedRange: (ranges.first?.lowerBound ?? offset)..<(ranges.last?.upperBound ?? offset),
            groupRanges: ranges, partial: false, text: &text, context: context)
          offset = found.range.upperBound
        }
      }
      return offset
    }

    // MARK: - Warnings

    /// Reads past the warnings the saved text shows at the cursor (a text export's or a log's
    /// stderr, between two prints), keeping them to compare when the cell ends.
    func skipSavedWarnings(_ text: inout SavedText) throws(RetraceError) {
      guard plan.form != .ipynb else { return }
      while true {
        try text.fill(ahead: 1 << 12, name: plan.name)
        guard let found = WarningText.block(in: text.bytes, at: text.cursor) else { return }
        savedWarnings.append(
          SavedWarning(
            file: found.file, line: found.line, category: found.category, message: found.message,
            position: text.position(at: text.cursor)))
        holdsStderr = true
        text.cursor = found.end
      }
    }

    /// Cuts out the warnings that stderr wrote into the middle of the saved text of one print
    /// (from `start`, `span` bytes and a little more), keeping them to compare: `FILE:LINE:
    /// CategoryWarning: message` and its source line, where FILE is an absolute path (as
    /// Python names a script and NumPy's files) or `<...>` glued to the print's text before it.
    func exciseWarnings(in text: inout SavedText, from start: Int, span: Int) {
      let marker = Array("Warning: ".utf8)
      var k = start
      while k + marker.count <= min(text.bytes.count, start + span + 512) {
        guard text.bytes[k] == 0x57, text.bytes[k..<(k + marker.count)].elementsEqual(marker)
        else {
          k += 1
          continue
        }
        // Back to the header's start: over the category's name, `: `, the line number and
        // `:`, then the file path, which holds no space or newline.
        var c = k
        while c > start, WarningText.isNameByte(text.bytes[c - 1]) || text.bytes[c - 1] == 0x2E {
          c -= 1
        }
        var d = c - 2
        guard d > start, text.bytes[d] == 0x3A, text.bytes[d + 1] == 0x20 else {
          k += 1
          continue
        }
        while d > start, text.bytes[d - 1] >= 0x30, text.bytes[d - 1] <= 0x39 { d -= 1 }
        let colon = d - 1
        guard colon > start, text.bytes[colon] == 0x3A else {
          k += 1
          continue
        }
        var p = colon
        while p > start, text.bytes[p - 1] != 0x0A, text.bytes[p - 1] != 0x20 { p -= 1 }
        var header: Int?
        for q in p..<colon where text.bytes[q] == 0x2F || text.bytes[q] == 0x3C {
          if let found = WarningText.block(in: text.bytes, at: q),
            found.file.hasSuffix(".py") || found.file.hasSuffix(">")
          {
            header = q
            break
          }
        }
        guard let from = header, let found = WarningText.block(in: text.bytes, at: from) else {
          k += 1
          continue
        }
        savedWarnings.append(
          SavedWarning(
            file: found.file, line: found.line, category: found.category, message: found.message,
            position: text.position(at: from)))
        holdsStderr = true
        text.excise(from..<found.end)
        k = from
      }
    }

    /// Whether a saved warning is one retrace replays: NumPy's floating-point and reduction
    /// warnings, and a program's own `warnings.warn` from its lines.
    static func isReplayedKind(_ warning: SavedWarning) -> Bool {
      if warning.category == "RuntimeWarning" {
        return warning.message.contains(" encountered in ")
          || warning.message == "Mean of empty slice"
          || warning.message == "Degrees of freedom <= 0 for slice"
      }
      return warning.category == "UserWarning" && !warning.isInsideNumPy
    }

    /// Compares the replayed warnings with the saved ones, as multisets: the same category and
    /// message, at the same line of the same cell (NumPy's own lines: anywhere in NumPy, whose
    /// path and line numbers differ between machines and versions).
    func compareWarnings() {
      defer {
        replayedWarnings = []
        savedWarnings = []
        unmodelledIn = nil
      }
      guard !replayedWarnings.isEmpty || !savedWarnings.isEmpty else { return }
      var saved = savedWarnings
      var unmatched: [(warning: PythonWarning, origin: Int?)] = []
      for (warning, origin) in replayedWarnings {
        let label = origin.map { plan.cells[$0].parsed.label }
        let count = label.flatMap { label -> Int? in
          guard label.hasPrefix("In [") else { return nil }
          return Int(label.dropFirst(4).dropLast())
        }
        let found = saved.firstIndex { item in
          guard item.category == warning.category, item.message == warning.message else {
            return false
          }
          if warning.site != nil { return item.isInsideNumPy }
          guard !item.isInsideNumPy, item.line == warning.line else { return false }
          if let savedCount = item.ipythonCount, let count { return savedCount == count }
          return true
        }
        if let found {
          saved.remove(at: found)
          verification.warningsChecked += 1
        } else {
          unmatched.append((warning, origin))
        }
      }
      for item in saved {
        guard Self.isReplayedKind(item) else {
          verification.notChecked.append(
            "\(currentCell): \(item.description) (a warning retrace does not replay)")
          continue
        }
        if let function = unmodelledIn {
          verification.notChecked.append(
            "\(currentCell): \(item.description) (\(function) computes an infinity or a NaN here "
              + "in code whose warnings retrace does not model)")
          continue
        }
        // A replayed warning at the same place with another message: one departure for both.
        let other = unmatched.firstIndex { replayed in
          replayed.warning.site == nil
            ? !item.isInsideNumPy && item.line == replayed.warning.line
            : item.isInsideNumPy
        }
        let expected = other.map {
          "\(unmatched[$0].warning.category): \(unmatched[$0].warning.message)"
        }
        if let other { unmatched.remove(at: other) }
        verification.departures.append(
          Departure(
            kind: .warning, cell: isLog ? "log" : currentCell,
            isCellRelative: plan.form == .ipynb, position: item.position, codeCell: currentCell,
            codeLine: item.isInsideNumPy ? nil : item.line, codeColumn: nil,
            expected: expected ?? "(no warning)",
            found: "\(item.file):\(item.line): \(item.description)",
            message: expected.map {
              "the saved output shows \(item.description) where the replay warns \($0)"
            }
              ?? "the saved output shows \(item.description), which the replay of the code does "
              + "not give"))
      }
      for (warning, origin) in unmatched {
        if holdsStderr {
          unsavedDeparture(warning, origin: origin, cell: currentCell)
        } else {
          unsavedCount += 1
          if unsavedWarnings.count < 100 {
            unsavedWarnings.append((warning, origin, currentCell))
          }
        }
      }
    }

    func unsavedDeparture(_ warning: PythonWarning, origin: Int?, cell: String) {
      let shown = plan.stderrText(warning, origin: origin)
      let firstLine = String(shown.prefix { $0 != "\n" })
      let place = origin.map { plan.cells[$0].parsed.label } ?? cell
      verification.departures.append(
        Departure(
          kind: .warning, cell: isLog ? "log" : cell, isCellRelative: plan.form == .ipynb,
          position: .start, codeCell: place, codeLine: warning.site == nil ? warning.line : nil,
          codeColumn: nil, expected: firstLine, found: "(no such warning)",
          message:
            "the replay warns \(warning.category): \(warning.message), which the saved output "
            + "does not show"))
    }

    static func lineOf(_ bytes: [UInt8], from offset: Int) -> String {
      var end = offset
      while end < bytes.count && bytes[end] != 0x0A && end - offset < 120 { end += 1 }
      return String(decoding: bytes[min(offset, bytes.count)..<end], as: UTF8.self)
    }

    func departure(
      _ kind: Departure.Kind, at offset: Int, in text: inout SavedText,
      code: (line: Int?, column: Int?)?, expected: String, found: String, message: String
    ) {
      verification.departures.append(
        Departure(
          kind: kind, cell: text.cell, isCellRelative: text.isCellRelative,
          position: text.position(at: offset), codeCell: currentCell, codeLine: code?.line,
          codeColumn: code?.column, expected: expected, found: found, message: message))
      departed = true
    }
  }

  /// What a record needs to know about the print it comes from.
  struct RecordContext {
    var cell: ReplayPlan.Cell
    var cellIndex: Int
    var event: PrintEvent
    var number: Int
    var occurrence: Int
    var eventNumber: Int
  }
}

// MARK: - Reading and checking values

extension NotebookVerifier.Run {
  /// The saved array literal at `offset`.
  func savedLiteral(
    at offset: Int, partial: Bool, text: inout SavedText, context: NotebookVerifier.RecordContext,
    piece: PrintPiece
  ) throws(RetraceError) -> ArrayLiteral {
    let position = text.localPosition(at: offset)
    let result = text.bytes.withUnsafeBufferPointer {
      buffer -> Result<ArrayLiteral, ReadingError> in
      do throws(ReadingError) {
        return .success(
          try ArrayLiteralParser().parse(buffer, at: position, allowPartial: partial))
      } catch {
        return .failure(error)
      }
    }
    switch result {
    case .success(let literal): return literal
    case .failure(let error):
      let place = TextPosition(offset: error.offset, line: error.line, column: error.column)
      throw RetraceError(
        file: plan.name, at: text.absolute(place),
        "\(error.message) (in \(expressionText(context, piece: piece)), \(context.cell.parsed.label) "
          + "line \(context.event.range?.start.line ?? 0))")
    }
  }

  /// Reads and checks one value piece whose saved text is `savedRange`.
  func read(
    _ replayed: ReplayedPiece, piece: PrintPiece, k: Int, savedRange: Range<Int>,
    groupRanges: [Range<Int>] = [], partial: Bool, text: inout SavedText,
    context: NotebookVerifier.RecordContext
  ) throws(RetraceError) {
    switch replayed.shape {
    case .literal: return
    case .array:
      let saved = try savedLiteral(
        at: savedRange.lowerBound, partial: partial, text: &text, context: context, piece: piece)
      try record(replayed, piece: piece, k: k, saved: saved, text: &text, context: context)
    case .numbers, .free:
      var ranges = groupRanges
      if ranges.isEmpty {
        // An exact print: the tokens are where the replayed text has them.
        if case .free = replayed.shape {
          ranges = [savedRange]
        } else {
          let matches = (try? PrintMatcher.numberToken.allMatches(in: piece.text)) ?? []
          ranges = matches.map {
            (savedRange.lowerBound + $0.range.lowerBound)..<(savedRange.lowerBound
              + $0.range.upperBound)
          }
        }
      }
      recordTokens(replayed, piece: piece, k: k, ranges: ranges, text: &text, context: context)
    }
  }

  func expressionText(_ context: NotebookVerifier.RecordContext, piece: PrintPiece?) -> String {
    guard let range = piece?.range ?? context.event.range else { return "the print" }
    let key = ExpressionKey(cell: context.cellIndex, range: range)
    if let known = expressions[key] { return known }
    let text = SourceSlice.text(context.cell.parsed.code, range)
    expressions[key] = text
    return text
  }

  func newRecord(
    piece: PrintPiece, context: NotebookVerifier.RecordContext, position: TextPosition,
    shape: [Int], partial: Bool, text: SavedText
  ) -> PrintRecord {
    let range = piece.range ?? context.event.range
    var record = PrintRecord(
      cell: context.cell.parsed.label, isCellRelative: text.isCellRelative,
      line: range?.start.line ?? 0, column: (range?.start.column ?? 0) + 1,
      expression: expressionText(context, piece: piece), print: context.number,
      occurrence: context.occurrence, isResult: context.event.isResult, position: position,
      shape: shape, isPartial: partial, unverifiable: piece.unverifiable)
    record.afterDraw = context.event.afterDraw
    return record
  }

  /// Counts a record past the records kept whose `values` are all exact (it is not kept).
  func countExactNotKept(values: Int) {
    verification.counts.records += 1
    verification.counts.byVerdict[.exact, default: 0] += values
    verification.recordsNotKept += 1
  }

  /// Checks the tokens of a numbers piece.
  func recordTokens(
    _ replayed: ReplayedPiece, piece: PrintPiece, k: Int, ranges: [Range<Int>],
    text: inout SavedText, context: NotebookVerifier.RecordContext
  ) {
    guard let first = ranges.first else { return }
    if verification.records.count >= RecordLimits.kept, replayed.unverifiable == nil,
      ranges.count == replayed.tokens.count,
      zip(ranges, replayed.tokens).allSatisfy({ range, token in
        text.bytes[range].elementsEqual(token.text.utf8)
      })
    {
      countExactNotKept(values: ranges.count)
      return
    }
    let position = text.position(at: first.lowerBound)
    var values: [ValueCheck] = []
    var pending: [(value: Int, ordinal: Int)] = []
    for (ordinal, range) in ranges.enumerated() {
      let printed = String(decoding: text.bytes[range], as: UTF8.self)
      let token: (text: String, exact: Double) =
        ordinal < replayed.tokens.count ? replayed.tokens[ordinal] : (printed, Double.nan)
      let free: Bool
      if case .free = replayed.shape { free = true } else { free = false }
      let printedValue = PrintMatcher.tokenValue(printed) ?? .nan
      var check = ValueCheck(
        ordinal: ordinal, index: ranges.count == 1 ? [] : [ordinal], flatIndex: ordinal,
        printed: printed, replayed: free ? piece.text : token.text, printedValue: printedValue,
        replayedValue: free ? nil : token.exact, verdict: .exact, absoluteDifference: nil,
        lastDigitUnits: nil, noiseBand: nil, position: text.position(at: range.lowerBound))
      if replayed.unverifiable != nil {
        check.verdict = .unverifiable
      } else if printed != token.text {
        Self.judge(&check, band: nil)
        if check.verdict != .exact && check.verdict != .withinRounding {
          pending.append((values.count, ordinal))
        }
      }
      values.append(check)
    }
    let record = newRecord(
      piece: piece, context: context, position: position,
      shape: ranges.count == 1 ? [] : [ranges.count], partial: false, text: text)
    keep(
      RecordCheck(record: record, replayedShape: nil, problem: nil, values: values),
      pending: pending, context: context, piece: k)
  }

  /// Checks an array piece against its saved literal.
  func record(
    _ replayed: ReplayedPiece, piece: PrintPiece, k: Int, saved: ArrayLiteral,
    text: inout SavedText, context: NotebookVerifier.RecordContext
  ) throws(RetraceError) {
    guard let mine = replayed.literal else { return }
    if verification.records.count >= RecordLimits.kept, replayed.unverifiable == nil,
      !saved.isPartial, saved.shape == mine.shape, saved.count == mine.count,
      (0..<saved.count).allSatisfy({ mine.hasSameText($0, as: saved, $0) })
    {
      // Past the records kept, an exact record is only counted.
      countExactNotKept(values: saved.count)
      return
    }
    let record = newRecord(
      piece: piece, context: context, position: text.absolute(saved.start), shape: saved.shape,
      partial: saved.isPartial, text: text)
    let shapeMatches =
      saved.isPartial
      ? saved.count <= mine.count
      : (saved.shape == mine.shape && saved.count == mine.count)
    var values: [ValueCheck] = []
    values.reserveCapacity(saved.count)
    var pending: [(value: Int, ordinal: Int)] = []
    for ordinal in 0..<saved.count {
      let printed = saved.text(ofToken: ordinal)
      var check = ValueCheck(
        ordinal: ordinal, index: saved.index(ofToken: ordinal),
        flatIndex: saved.flatIndex(ofToken: ordinal), printed: printed, replayed: nil,
        printedValue: saved.values[ordinal], replayedValue: nil,
        verdict: shapeMatches ? .exact : .mismatch, absoluteDifference: nil,
        lastDigitUnits: nil, noiseBand: nil,
        position: text.absolute(saved.position(ofToken: ordinal)))
      if shapeMatches {
        let flat = Self.flatIndex(mine.index(ofToken: ordinal), shape: replayed.arrayShape)
        check.index = mine.index(ofToken: ordinal).enumerated().map { axis, i in
          i < 0 && axis < replayed.arrayShape.count ? replayed.arrayShape[axis] + i : i
        }
        check.flatIndex = flat
        let same = mine.hasSameText(ordinal, as: saved, ordinal)
        check.replayed = same ? printed : mine.text(ofToken: ordinal)
        check.replayedValue = flat < replayed.elements.count ? replayed.elements[flat] : .nan
        if replayed.unverifiable != nil {
          check.verdict = .unverifiable
        } else if !same {
          Self.judge(&check, band: nil)
          if check.verdict != .exact && check.verdict != .withinRounding {
            pending.append((values.count, ordinal))
          }
        }
      }
      values.append(check)
    }
    let problem =
      shapeMatches
      ? nil
      : "printed with shape \(Shape.text(saved.shape)) but the code gives \(Shape.text(mine.shape))"
    keep(
      RecordCheck(record: record, replayedShape: mine.shape, problem: problem, values: values),
      pending: pending, context: context, piece: k)
  }

  static func flatIndex(_ index: [Int], shape: [Int]) -> Int {
    var flat = 0
    for (axis, component) in index.enumerated() where axis < shape.count {
      let i = component < 0 ? shape[axis] + component : component
      flat = flat * shape[axis] + i
    }
    return flat
  }

  /// The verdict of a value whose printed token differs from the replayed one.
  static func judge(_ check: inout ValueCheck, band: ClosedRange<Double>?) {
    guard let exact = check.replayedValue else {
      check.verdict = .mismatch
      return
    }
    let printedValue = check.printedValue
    let difference = abs(printedValue - exact)
    check.absoluteDifference = difference.isNaN ? nil : difference
    let unit = lastDigitUnit(of: check.printed)
    if let unit, unit > 0, difference.isFinite { check.lastDigitUnits = difference / unit }
    check.noiseBand = band
    let half = (unit ?? 0) / 2 * (1 + 1e-9)
    // Both tokens the shortest digits of their doubles (a float's repr, a NumPy scalar's str)
    // with 15 digits or more: two different doubles printed in full, not one rounded.
    let bothInFull =
      check.replayed.map { isShortestDigits($0, of: exact) } ?? false
      && isShortestDigits(check.printed, of: printedValue)
      && significantDigits(of: check.printed).count >= 15
    if printedValue.isNaN && exact.isNaN {
      check.verdict = .exact
    } else if !bothInFull, let unit, unit > 0, difference.isFinite, difference <= half {
      check.verdict = .withinRounding
    } else if let unit, unit > 0, let band, printedValue.isFinite, band.lowerBound.isFinite,
      band.upperBound.isFinite, printedValue >= band.lowerBound - half,
      printedValue <= band.upperBound + half
    {
      check.verdict = .withinNoise
    } else {
      check.verdict = .mismatch
    }
  }

  /// Counts a record and keeps it (all of them up to `RecordLimits.kept`, then only those
  /// with mismatches).
  func keep(
    _ check: RecordCheck, pending: [(value: Int, ordinal: Int)],
    context: NotebookVerifier.RecordContext, piece: Int
  ) {
    verification.counts.records += 1
    if check.problem != nil { verification.counts.problems += 1 }
    for value in check.values { verification.counts.byVerdict[value.verdict, default: 0] += 1 }
    let failing = check.problem != nil || check.values.contains { $0.verdict == .mismatch }
    let kept = verification.records.count
    if kept < RecordLimits.kept
      || (failing && kept < RecordLimits.kept + RecordLimits.mismatched)
    {
      verification.records.append(check)
      if check.problem == nil, inexact.count < 1_000_000 {
        for (value, ordinal) in pending {
          inexact.append(
            NotebookVerifier.Pending(
              record: kept, value: value, event: context.eventNumber, piece: piece,
              ordinal: ordinal))
        }
      }
    } else {
      verification.recordsNotKept += 1
    }
  }

  // MARK: - The noise band

  /// The simple summation orders the noise band also spreads over: stand-ins for BLASes no
  /// machine model covers, under the replayed model's math library.
  func bandOrders() -> [BLASOrder] { NotebookVerifier.bandOrders(for: machine) }

  /// The noise band. Each other machine model replays the notebook once, in full and matched
  /// as this replay was: its value of each value not printed exactly here joins the band, the
  /// value is told whether that model prints it as its token (`ValueCheck.machines`), and a
  /// model whose replay reproduces the whole output is a `MachineMatch`. The simple orders
  /// (`bandOrders`) replay as far as the last such value only. Then each value is judged again
  /// against the spread.
  func applyNoiseBand(limits: InterpreterLimits) {
    var spreads: [[Double]] = Array(repeating: [], count: inexact.count)
    var reproducers: [[String]] = Array(repeating: [], count: inexact.count)
    for model in MachineModel.all where model != machine {
      let operations = OperationLog()
      guard
        let other = try? NotebookVerifier.run(
          plan, limits: limits, band: false, machine: model, operations: operations)
      else { continue }
      for (i, item) in inexact.enumerated() {
        guard item.record < other.records.count,
          Self.isSame(other.records[item.record].record, verification.records[item.record].record),
          item.value < other.records[item.record].values.count,
          let value = other.records[item.record].values[item.value].replayedValue
        else { continue }
        spreads[i].append(value)
        var probe = verification.records[item.record].values[item.value]
        probe.replayedValue = value
        Self.judge(&probe, band: nil)
        if probe.verdict == .exact || probe.verdict == .withinRounding {
          reproducers[i].append(model.name)
        }
      }
      if other.isReproduced, other.checked > 0 {
        let unmodelled = operations.unmodelled(by: model)
        verification.machineMatches.append(
          MachineMatch(
            model: model.name, summary: model.summary, unmodelledUsed: unmodelled,
            isIdentification: model.isIdentifiable && unmodelled.isEmpty))
      }
    }
    let last = inexact.map(\.event).max() ?? 0
    var wanted: [Int: [Int: [Int]]] = [:]  // event → piece → ordinals
    for item in inexact {
      wanted[item.event, default: [:]][item.piece, default: []].append(item.ordinal)
    }
    var indexOf: [Key: Int] = [:]
    for (i, item) in inexact.enumerated() {
      indexOf[Key(event: item.event, piece: item.piece, ordinal: item.ordinal)] = i
    }
    for order in bandOrders() {
      var count = 0
      let plan = self.plan
      let replay = NotebookReplay(plan, limits: limits, blas: order, math: machine.math)
      var found: [(Int, Double)] = []
      _ = try? replay.run(consume: { (index, event) in
        guard case .printed(let printed) = event else { return .more }
        count += 1
        if let pieces = wanted[count] {
          for (piece, ordinals) in pieces {
            let all = Self.exactValues(printed, piece: piece, plan: plan, cellIndex: index)
            for ordinal in ordinals where ordinal < all.count {
              if let i = indexOf[Key(event: count, piece: piece, ordinal: ordinal)] {
                found.append((i, all[ordinal]))
              }
            }
          }
        }
        return count >= last ? .stop : .more
      })
      for (i, value) in found { spreads[i].append(value) }
    }
    for (i, item) in inexact.enumerated() {
      var check = verification.records[item.record].values[item.value]
      check.machines = reproducers[i]
      defer { verification.records[item.record].values[item.value] = check }
      guard let exact = check.replayedValue else { continue }
      let values = [exact] + spreads[i]
      guard let low = values.min(), let high = values.max(), !low.isNaN, !high.isNaN else {
        continue
      }
      let before = check.verdict
      Self.judge(&check, band: low...high)
      if before != check.verdict {
        verification.counts.byVerdict[before, default: 0] -= 1
        verification.counts.byVerdict[check.verdict, default: 0] += 1
      }
    }
  }

  /// Whether two records are the same printed value (place and run of its print).
  static func isSame(_ a: PrintRecord, _ b: PrintRecord) -> Bool {
    a.cell == b.cell && a.line == b.line && a.column == b.column && a.print == b.print
      && a.occurrence == b.occurrence
  }

  struct Key: Hashable {
    var event: Int
    var piece: Int
    var ordinal: Int
  }

  /// The exact values of piece `piece` of a replayed print, by token ordinal.
  static func exactValues(_ event: PrintEvent, piece: Int, plan: ReplayPlan, cellIndex: Int)
    -> [Double]
  {
    var pieces = event.pieces
    if event.isResult && plan.form == .textExport {
      pieces.insert(
        PrintPiece(
          kind: .literal, text: "", value: nil, range: nil, unverifiable: nil,
          options: PrintOptions()), at: 0)
    }
    guard piece < pieces.count else { return [] }
    let replayed = PrintMatcher.replayed(pieces[piece], repr: event.isResult)
    if let literal = replayed.literal {
      return (0..<literal.count).map { ordinal in
        let flat = flatIndex(literal.index(ofToken: ordinal), shape: replayed.arrayShape)
        return flat < replayed.elements.count ? replayed.elements[flat] : .nan
      }
    }
    return replayed.tokens.map(\.exact)
  }
}

/// The text of a source range in a cell's code (an f-string field without its braces and
/// format spec).
enum SourceSlice {
  static func text(_ code: String, _ range: SourceRange) -> String {
    let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
    guard range.start.line >= 1, range.start.line <= lines.count else { return "?" }
    var bytes: [UInt8] = []
    for line in range.start.line...min(range.end.line, lines.count) {
      let utf8 = Array(lines[line - 1].utf8)
      let from = line == range.start.line ? min(range.start.column, utf8.count) : 0
      let to = line == range.end.line ? min(max(from, range.end.column), utf8.count) : utf8.count
      if !bytes.isEmpty { bytes.append(0x0A) }
      bytes += utf8[from..<to]
    }
    var text = String(decoding: bytes, as: UTF8.self)
    if text.hasPrefix("{") && text.hasSuffix("}") {
      text = String(text.dropFirst().dropLast())
      var depth = 0
      for (offset, character) in text.enumerated() {
        if "([{".contains(character) { depth += 1 }
        if ")]}".contains(character) { depth -= 1 }
        if depth == 0 && (character == ":" || character == "!") {
          text = String(text.prefix(offset))
          break
        }
      }
      if text.hasSuffix("=") { text.removeLast() }
    }
    return text.count > 80 ? String(text.prefix(77)) + "..." : text
  }
}

/// A cell's saved output as bytes, read from `cursor` on, with positions for messages. A
/// streamed log holds a window of its file: what is read ahead of the cursor, refilled as the
/// matching needs more and cut at the cursor as it moves on.
struct SavedText {
  private(set) var bytes: [UInt8]
  /// Where `bytes[0]` of the whole text is (line and column in the file or cell output; offset
  /// in the file).
  let start: TextPosition
  let cell: String
  let isCellRelative: Bool
  var cursor = 0
  /// The decoded stream's offset of `bytes[0]` (0 unless a streamed log was cut), and the
  /// position there.
  private var windowStart = 0
  private var windowOrigin: TextPosition
  /// The streamed log's reader, while it has more to give.
  private var source: ChunkSource?
  /// The last position computed (positions are asked for in increasing order), shared by
  /// copies.
  private let known: Box
  /// Text cut out of `bytes`: warnings that stderr wrote into the middle of stdout's text
  /// (a script's block-buffered stdout is written 8 KB at a time, its warnings at once), so
  /// that positions after a cut are still the file's.
  private var cuts: [Cut] = []

  struct Cut {
    /// Where in `bytes` the cut text was, and the position there (local, without cuts).
    var at: Int
    var line: Int
    var column: Int
    var length: Int
    var newlines: Int
    /// The file's column of the first byte after the cut text.
    var endColumn: Int
  }

  final class Box {
    var position: TextPosition
    init(_ position: TextPosition) { self.position = position }
  }

  init(_ segment: Notebook.Segment, cell: String, isCellRelative: Bool) {
    bytes = Array(segment.text.utf8)
    start = segment.start
    self.cell = cell
    self.isCellRelative = isCellRelative
    windowOrigin = TextPosition(offset: 0, line: segment.start.line, column: segment.start.column)
    known = Box(windowOrigin)
  }

  /// A log (or a streamed text-export cell's output) read from `reader` as it is needed;
  /// `start` is where its first byte is in the file.
  init(
    streaming reader: ChunkSource, cell: String = "log", start: TextPosition = .start,
    isCellRelative: Bool = false
  ) {
    bytes = []
    self.start = TextPosition(offset: start.offset, line: start.line, column: start.column)
    self.cell = cell
    self.isCellRelative = isCellRelative
    source = reader
    windowOrigin = TextPosition(offset: 0, line: start.line, column: start.column)
    known = Box(windowOrigin)
  }

  /// Whether everything there is to read is in `bytes`.
  var atEnd: Bool { source == nil }

  var remaining: ArraySlice<UInt8> { bytes[min(cursor, bytes.count)...] }

  /// Reads on until `ahead` bytes follow the cursor or the log ends; true when it read more.
  ///
  /// - Throws: the file's invalid UTF-8 or NUL, with its line and column, once the matching
  ///   reaches it.
  @discardableResult
  mutating func fill(ahead: Int, name: String) throws(RetraceError) -> Bool {
    guard let reader = source, bytes.count - cursor < ahead else { return false }
    // Drop what lies behind the cursor first (its position is remembered).
    if cursor > (1 << 20), cuts.allSatisfy({ $0.at <= cursor }) {
      let here = corrected(localPosition(at: cursor))
      bytes.removeFirst(cursor)
      windowStart += here.offset
      windowOrigin = TextPosition(offset: 0, line: here.line, column: here.column)
      known.position = windowOrigin
      cuts = []
      cursor = 0
    }
    var grew = false
    while bytes.count - cursor < ahead {
      let (chunk, failure) = reader.next()
      bytes += chunk
      grew = grew || !chunk.isEmpty
      if let failure {
        source = nil
        throw RetraceError(
          file: name, at: position(at: bytes.count), failure.message)
      }
      if reader.isFinished {
        source = nil
        break
      }
    }
    return grew
  }

  /// The position of `bytes[offset]`, with its offset local to `bytes`.
  func localPosition(at offset: Int) -> TextPosition {
    if offset < known.position.offset { known.position = windowOrigin }
    let target = min(offset, bytes.count)
    let from = known.position
    known.position = bytes.withUnsafeBufferPointer { from.advanced(to: target, in: $0) }
    return known.position
  }

  /// The position of `bytes[offset]` in the file (or the cell's output).
  func position(at offset: Int) -> TextPosition {
    absolute(corrected(localPosition(at: offset)))
  }

  /// A local position in `bytes` as the file counts it, the cut text put back before it.
  func corrected(_ position: TextPosition) -> TextPosition {
    guard !cuts.isEmpty else { return position }
    var result = position
    for cut in cuts where cut.at <= position.offset {
      result.offset += cut.length
      result.line += cut.newlines
      if position.line == cut.line {
        result.column = cut.endColumn + (position.column - cut.column)
      }
    }
    return result
  }

  /// Cuts `bytes[range]` out of the text (a warning written into the middle of a print).
  mutating func excise(_ range: Range<Int>) {
    let local = localPosition(at: range.lowerBound)
    let before = corrected(local)
    let removed = bytes[range]
    let newlines = removed.count(where: { $0 == 0x0A })
    var endColumn = before.column
    if let last = removed.lastIndex(of: 0x0A) {
      endColumn = 1 + removed[(last + 1)...].count(where: { $0 & 0xC0 != 0x80 })
    } else {
      endColumn += removed.count(where: { $0 & 0xC0 != 0x80 })
    }
    bytes.removeSubrange(range)
    cuts.append(
      Cut(
        at: range.lowerBound, line: local.line, column: local.column, length: range.count,
        newlines: newlines, endColumn: endColumn))
    known.position = windowOrigin
  }

  /// A local position made absolute.
  func absolute(_ position: TextPosition) -> TextPosition {
    TextPosition(
      offset: position.offset + start.offset + windowStart, line: position.line,
      column: position.column)
  }

  /// The saved text from `offset` to the end of its line (120 bytes at most).
  func line(from offset: Int) -> String {
    NotebookVerifier.Run.lineOf(bytes, from: offset)
  }
}
