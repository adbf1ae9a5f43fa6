import Foundation
import Interpreter
import PythonSyntax

/// Runs a notebook's code cells through the interpreter, in the order they ran (by execution
/// count; cells without one in file order, after them), one shared namespace, as a kernel
/// does. An exception ends its cell, as in Jupyter, and the next cell runs; a refusal (a
/// module or a construct retrace does not run, a budget) stops the replay.
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

  /// Replays `notebook`.
  ///
  /// - Throws: `RetraceError` for a syntax error, and for a refusal with the cell and line.
  public static func run(_ notebook: Notebook, limits: InterpreterLimits = InterpreterLimits())
    throws(RetraceError) -> [CellRun]
  {
    try run(order(try NotebookCode.read(notebook)), name: notebook.name, limits: limits)
  }

  /// Replays parsed cells (a notebook's, in execution order, or one script's).
  public static func run(
    _ cells: [ParsedCell], name: String, limits: InterpreterLimits = InterpreterLimits()
  ) throws(RetraceError) -> [CellRun] {
    let interpreter = PythonInterpreter(limits: limits)
    var runs: [CellRun] = []
    for cell in cells {
      let before = interpreter.output.utf8.count
      var exception: String?
      var result: String?
      var location: SourceLocation?
      do {
        result = try interpreter.run(cell.module, echoingLast: true)
      } catch {
        let place = error.location.map { ", line \($0.line)" } ?? ""
        if error.typeName == nil {
          throw RetraceError(
            file: name,
            "\(NotebookCode.origin(label: cell.label, position: cell.position))\(place): \(error.message)"
          )
        }
        let column = error.location.map { ", column \($0.column + 1)" } ?? ""
        exception = "\(error.description) (\(cell.label)\(place)\(column))"
        location = error.location
      }
      let output = String(decoding: Array(interpreter.output.utf8)[before...], as: UTF8.self)
      runs.append(
        CellRun(
          label: cell.label, output: output, exception: exception, location: location,
          result: result))
    }
    return runs
  }
}
