import Foundation
import Interpreter
import PythonSyntax

/// A notebook's code cells replayed through the interpreter, in the order they ran (by
/// execution count; cells without one in file order, after them), in one shared namespace,
/// as a kernel does: what each cell printed. An exception ends its cell, as in Jupyter, and
/// the next cell runs; a refusal (a module or a construct retrace does not run, a budget)
/// stops the replay.
public enum InterpreterReplay {
  /// One cell's replay: what it printed, and the exception that ended it.
  public struct CellRun: Sendable {
    public var label: String
    public var output: String
    /// `TypeError: ...` with its line and column, when the cell raised.
    public var exception: String?
    /// Where the exception was raised in the cell (line 1-based, column in UTF-8 bytes from 0).
    public var location: SourceLocation?
    /// The repr of the cell's last bare expression, as Jupyter shows it after `Out[N]:`.
    public var result: String?
    /// The warnings it showed on stderr, as Python writes them.
    public var warnings = ""
  }

  /// The cells in execution order.
  public static func order(_ cells: [ParsedCell]) -> [ParsedCell] {
    func count(_ cell: ParsedCell) -> Int? {
      guard cell.label.hasPrefix("In ["), cell.label.hasSuffix("]") else { return nil }
      return Int(cell.label.dropFirst(4).dropLast().trimmingCharacters(in: .whitespaces))
    }
    let numbered = cells.enumerated().filter { count($0.element) != nil }
      .sorted { (count($0.element) ?? 0, $0.offset) < (count($1.element) ?? 0, $1.offset) }
    let rest = cells.enumerated().filter { count($0.element) == nil }
    return (numbered + rest).map(\.element)
  }

  /// Replays `notebook`, each cell's stdout and `Out` text collected (`NotebookReplay`
  /// underneath, as `verify` runs it).
  ///
  /// - Throws: `RetraceError` for a syntax error, and for a refusal with the cell and line.
  public static func run(_ notebook: Notebook, limits: InterpreterLimits = InterpreterLimits())
    throws(RetraceError) -> [CellRun]
  {
    let plan = try ReplayPlan.make(notebook)
    var runs = plan.cells.map {
      CellRun(label: $0.parsed.label, output: "", exception: nil, location: nil, result: nil)
    }
    try NotebookReplay(plan, limits: limits).run(consume: { index, event in
      switch event {
      case .printed(let printed):
        if printed.isResult {
          runs[index].result = printed.text
        } else {
          runs[index].output += printed.text
        }
      case .raised(let error):
        let place = error.location.map { ", line \($0.line), column \($0.column + 1)" } ?? ""
        runs[index].exception = "\(error.description) (\(runs[index].label)\(place))"
        runs[index].location = error.location
      case .warned(let warning, _) where warning.isUnmodelled:
        break
      case .warned(let warning, let origin):
        runs[index].warnings += plan.stderrText(warning, origin: origin)
      }
      return .more
    })
    return runs
  }
}
