import Interpreter
import NumPyKit
import PythonSyntax

/// What a replay runs: a notebook's code cells in the order they ran, each with the output
/// saved with it.
///
/// A text export's and an `.ipynb`'s cells carry their own saved output; a bare log is one
/// output that the cells of its code (a script, or the built-in seed notebook's cells) print
/// into one after another, so its cells share `log`.
public struct ReplayPlan: Sendable {
  /// One code cell.
  public struct Cell: Sendable {
    /// The cell's code, parsed.
    public var parsed: ParsedCell
    /// The cell's saved output (stdout and `execute_result` text, a text export's tracebacks),
    /// nil for a log's cells.
    public var output: Notebook.Segment?
    /// Whether `output`'s positions count within the cell's output (`.ipynb`).
    public var outputIsCellRelative: Bool
    /// The exception an `.ipynb` saved for the cell.
    public var error: Notebook.SavedError?
    /// The outputs not checked (stderr other than warnings, images, HTML).
    public var unchecked: [String]
    /// The cell's place among the code cells in file order (0-based).
    public var fileIndex: Int
    /// The warnings an `.ipynb` saved in the cell's stderr streams.
    public var savedWarnings: [SavedWarning] = []
    /// For a streamed text export's long cell: its output's raw byte range in the file and the
    /// position of its first byte (`output` is then nil).
    public var outputStream: OutputStream? = nil
  }

  /// A saved output read from its file as it is verified.
  public struct OutputStream: Sendable {
    public var path: String
    public var range: Range<Int>
    public var start: TextPosition
    /// A streamed notebook's parts (then `range` is unused and positions count in the cell).
    public var parts: [Notebook.OutputPart]? = nil
  }

  /// The notebook's name, as in messages.
  public var name: String
  /// The form its output was read from.
  public var form: Notebook.Form
  /// The cells in the order they are replayed.
  public var cells: [Cell]
  /// The whole saved output of a bare log.
  public var log: Notebook.Segment?
  /// A bare log read as it is verified (`Notebook.logFile`).
  public var logFile: String? = nil
  /// The file the code came from, when it is not the notebook (a log's `--code` script, or
  /// the built-in seed).
  public var codeFile: String?

  /// How Python shows `warning` on stderr, `origin` being the plan index of the cell whose
  /// code issued it: a script's lines under the script's name; a notebook cell's under
  /// `<In [N]>` (IPython names the cell `<ipython-input-N-…>`, Jupyter's kernel a temporary
  /// file); NumPy's own lines under their file within NumPy.
  public func stderrText(_ warning: PythonWarning, origin: Int?) -> String {
    let cell = origin.map { cells[$0] }
    let file: String
    if form == .log {
      file = codeFile ?? name
    } else {
      file = cell.map { "<\($0.parsed.label)>" } ?? "<cell>"
    }
    let sourceLine = cell.flatMap { cell -> String? in
      let lines = cell.parsed.code.split(separator: "\n", omittingEmptySubsequences: false)
      return lines.indices.contains(warning.line - 1) ? String(lines[warning.line - 1]) : nil
    }
    return warning.stderrText(file: file, sourceLine: sourceLine)
  }

  /// Whether the cells are replayed in an order other than their order in the file.
  public var isOutOfFileOrder: Bool {
    cells.map(\.fileIndex) != cells.map(\.fileIndex).sorted()
  }

  /// The same cells in file order.
  public var inFileOrder: ReplayPlan {
    var plan = self
    plan.cells.sort { $0.fileIndex < $1.fileIndex }
    return plan
  }

  /// The plan for `notebook`: its cells by execution count (cells without one after them, in
  /// file order); for a bare log, `code` (a script's or a notebook's cells), or the built-in
  /// seed notebook's cells when `code` is nil.
  public static func make(
    _ notebook: Notebook, code: [ParsedCell]? = nil, codeFile: String? = nil,
    inFileOrder: Bool = false
  ) throws(RetraceError) -> ReplayPlan {
    if notebook.form == .log {
      let cells: [ParsedCell]
      if let code {
        cells = code
      } else {
        cells = try NotebookCode.read(NotebookReader.builtInSeed())
      }
      let ordered = inFileOrder ? cells : InterpreterReplay.order(cells)
      let plan = ordered.map { parsed in
        Cell(
          parsed: parsed, output: nil, outputIsCellRelative: false, error: nil, unchecked: [],
          fileIndex: cells.firstIndex { $0.label == parsed.label && $0.position == parsed.position }
            ?? 0)
      }
      var result = ReplayPlan(
        name: notebook.name, form: .log, cells: plan,
        log: notebook.log ?? .init(text: "", start: .start),
        codeFile: codeFile ?? (code == nil ? NotebookReader.builtInName : nil))
      result.logFile = notebook.logFile
      return result
    }
    let parsed = try NotebookCode.read(notebook)
    var cells: [Cell] = []
    for (index, (cell, code)) in zip(notebook.cells, parsed).enumerated() {
      var output = cell.output
      var stream: OutputStream? = nil
      if notebook.form == .textExport {
        output = textExportOutput(cell.source, outputLine: code.outputLine)
        if let file = cell.outputFile, let segment = output {
          // The output runs on past the kept start: read it from the file instead.
          // The code must end well inside the kept start, or a cut could pass for its end.
          guard let outputLine = code.outputLine,
            let from = StreamedTextExport.rawOffset(ofLine: outputLine, in: file),
            from - file.bodyStart <= file.kept / 2
          else {
            throw RetraceError(
              file: notebook.name, at: cell.source.start,
              "cannot tell where this cell's output starts in the first half of its first "
                + "\(file.kept) bytes (a cell of code that long is not read from a file this "
                + "large)")
          }
          stream = OutputStream(
            path: file.path, range: from..<file.bodyEnd,
            start: TextPosition(offset: from, line: segment.start.line, column: 1))
          output = nil
        }
      }
      if let parts = cell.outputParts, !parts.isEmpty {
        stream = OutputStream(path: notebook.name, range: 0..<0, start: .start, parts: parts)
        output = nil
      } else if cell.outputParts != nil {
        output = .init(text: "", start: .start)
      }
      var planned = Cell(
        parsed: code, output: output, outputIsCellRelative: cell.outputIsCellRelative,
        error: cell.error, unchecked: cell.unchecked, fileIndex: index)
      planned.outputStream = stream
      planned.savedWarnings = cell.savedWarnings
      cells.append(planned)
    }
    if !inFileOrder {
      let order = InterpreterReplay.order(parsed)
      var used = Set<Int>()
      cells = order.map { parsedCell in
        let index = cells.indices.first {
          !used.contains($0) && cells[$0].parsed.label == parsedCell.label
            && cells[$0].parsed.position == parsedCell.position
        }!
        used.insert(index)
        return cells[index]
      }
    }
    return ReplayPlan(
      name: notebook.name, form: notebook.form, cells: cells, log: nil, codeFile: codeFile)
  }

  /// A script run on its own (`retrace replay SCRIPT.py`): one cell, no saved output.
  public static func script(_ cell: ParsedCell, name: String) -> ReplayPlan {
    ReplayPlan(
      name: name, form: .log,
      cells: [
        Cell(
          parsed: cell, output: nil, outputIsCellRelative: false, error: nil, unchecked: [],
          fileIndex: 0)
      ], log: .init(text: "", start: .start), codeFile: name)
  }

  /// A text-export cell's output: the cell's text from line `outputLine` (1-based) on.
  static func textExportOutput(_ source: Notebook.Segment, outputLine: Int?)
    -> Notebook.Segment?
  {
    guard let outputLine else { return nil }
    var line = 1
    var offset = 0
    let bytes = Array(source.text.utf8)
    while line < outputLine, offset < bytes.count {
      if bytes[offset] == 0x0A { line += 1 }
      offset += 1
    }
    guard line == outputLine else { return nil }
    let text = String(decoding: bytes[offset...], as: UTF8.self)
    let start = TextPosition(
      offset: source.start.offset + offset, line: source.start.line + outputLine - 1, column: 1)
    return Notebook.Segment(text: text, start: start)
  }
}

/// One thing a replayed cell did that the saved output shows.
public enum ReplayEvent {
  /// A `print` (or an echoed last expression, `event.isResult`), split into pieces.
  case printed(PrintEvent)
  /// An exception the cell did not catch: the cell ends here, and the next cell runs.
  case raised(PythonError)
  /// A warning shown on stderr (NumPy's `RuntimeWarning: overflow encountered in exp`), with
  /// the plan index of the cell whose code issued it (a function's defining cell), nil for a
  /// line of NumPy's own code.
  case warned(PythonWarning, origin: Int?)
}

/// Runs a replay plan through the interpreter, handing each event to a consumer as it happens;
/// the consumer says whether it needs more, and when it does not the replay stops at once (a
/// truncated output stops the run where the output stops).
///
/// The replay is driven by the interpreter (its prints call the consumer), not pulled from a
/// suspended interpreter: the effect is the same, one event alive at a time and nothing run
/// past the consumer's need, without running the recursive evaluator on a second thread.
public final class NotebookReplay {
  /// What the consumer says after each event.
  public enum Demand {
    /// Go on.
    case more
    /// Stop the rest of this cell (its alignment has departed) but run the next cells.
    case skipCell
    /// Stop the replay.
    case stop
  }

  public let plan: ReplayPlan
  public var limits: InterpreterLimits
  /// The BLAS whose summation order products take (the noise band replays under others).
  public var blas: BLASOrder
  /// The math library of elementwise loops.
  public var math: MathLibrary
  /// Where the machine-dependent operations the replay runs are noted, when set.
  public var operations: OperationLog?

  public init(
    _ plan: ReplayPlan, limits: InterpreterLimits = InterpreterLimits(),
    blas: BLASOrder = .haswell, math: MathLibrary = .glibc
  ) {
    self.plan = plan
    self.limits = limits
    self.blas = blas
    self.math = math
  }

  /// A replay under a machine model's BLAS and math library.
  public convenience init(
    _ plan: ReplayPlan, limits: InterpreterLimits = InterpreterLimits(), machine: MachineModel
  ) {
    self.init(plan, limits: limits, blas: machine.blas, math: machine.math)
  }

  /// Runs the cells. `cellStarted` is called with each cell's index in the plan before it runs
  /// and `cellEnded` after, `consume` with each event.
  ///
  /// - Returns: whether the replay ran to the end (false: a consumer stopped it).
  /// - Throws: `RetraceError` for a refusal (a module or construct retrace does not run, a
  ///   budget), naming the cell and line; a bare log's code also stops at its first uncaught
  ///   exception, as a script does.
  @discardableResult
  public func run(
    cellStarted: (Int) -> Demand = { _ in .more },
    consume: @escaping (Int, ReplayEvent) throws(RetraceError) -> Demand,
    cellEnded: (Int) -> Demand = { _ in .more }, census: ((LoopCensus) -> Void)? = nil,
    draws: ((DrawCall) -> Void)? = nil
  ) throws(RetraceError) -> Bool {
    let interpreter = PythonInterpreter(limits: limits)
    interpreter.keepsOutput = false
    interpreter.blas = blas
    interpreter.math = math
    interpreter.operations = operations
    let forwarder = Forwarder()
    forwarder.drawCall = draws
    interpreter.observer = forwarder
    let isScript = plan.form == .log
    interpreter.warningsPerModule = !isScript
    var failure: RetraceError?
    /// The plan's cell of each module number the interpreter gave a cell.
    var cellOfModule: [Int: Int] = [:]
    let finished = { () -> Bool in
      for (index, cell) in plan.cells.enumerated() {
        if cellStarted(index) == .stop { return false }
        var skipping = false
        forwarder.handle = { [unowned interpreter] event in
          guard !skipping else { return }
          do throws(RetraceError) {
            switch try consume(index, .printed(event)) {
            case .more: break
            case .skipCell:
              skipping = true
            case .stop:
              interpreter.requestStop()
            }
          } catch {
            failure = error
            interpreter.requestStop()
          }
        }
        forwarder.warn = { [unowned interpreter] warning in
          guard !skipping else { return }
          let origin = warning.module.flatMap { cellOfModule[$0] }
          do throws(RetraceError) {
            if try consume(index, .warned(warning, origin: origin)) == .stop {
              interpreter.requestStop()
            }
          } catch {
            failure = error
            interpreter.requestStop()
          }
        }
        cellOfModule[interpreter.runCount + 1] = index
        do throws(PythonError) {
          _ = try interpreter.run(cell.parsed.module, echoingLast: !isScript)
        } catch {
          if failure != nil || error.isStop { return false }
          if error.typeName == nil {
            // Named by the cell whose code the location is in (a function's, when it was
            // defined in another cell).
            let origin = error.module.flatMap { cellOfModule[$0] }.map { plan.cells[$0] } ?? cell
            let place = error.location.map { ", line \($0.line), column \($0.column + 1)" } ?? ""
            failure = RetraceError(
              file: plan.codeFile ?? plan.name,
              "\(NotebookCode.origin(label: origin.parsed.label, position: origin.parsed.position))"
                + "\(place): \(error.message)")
            return false
          }
          if !skipping {
            do throws(RetraceError) {
              if try consume(index, .raised(error)) == .stop { return false }
            } catch {
              failure = error
              return false
            }
          }
          if isScript {
            // A script ends at its first uncaught exception.
            _ = cellEnded(index)
            return true
          }
        }
        if failure != nil || cellEnded(index) == .stop { return false }
      }
      return true
    }()
    census?(forwarder.census)
    if let failure { throw failure }
    return finished
  }

  private final class Forwarder: InterpreterObserver {
    var handle: (PrintEvent) -> Void = { _ in }
    var warn: (PythonWarning) -> Void = { _ in }
    /// Whether a random generator has drawn yet.
    var drawn = false
    var drawCall: ((DrawCall) -> Void)?
    var census = LoopCensus()
    func interpreter(_ interpreter: PythonInterpreter, drewCall call: DrawCall) {
      drawCall?(call)
    }
    func interpreter(_ interpreter: PythonInterpreter, iteration index: Int, of loop: SourceRange) {
      census.started(interpreter, loop)
    }
    func interpreter(
      _ interpreter: PythonInterpreter, updated target: PythonSyntax.Expression,
      with op: BinaryOperator, operand: PythonSyntax.Expression, value: Value
    ) {
      census.updated(op)
    }
    func interpreter(_ interpreter: PythonInterpreter, printed event: PrintEvent) {
      var event = event
      event.afterDraw = drawn
      handle(event)
    }
    func interpreter(
      _ interpreter: PythonInterpreter, drew count: Int, from generator: String, method: String
    ) {
      drawn = true
    }
    func interpreter(_ interpreter: PythonInterpreter, warned warning: PythonWarning) {
      warn(warning)
    }
  }
}
