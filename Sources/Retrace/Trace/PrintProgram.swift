import NumPyKit

/// The order in which a notebook's code prints: prints at the top level run once, prints in
/// the body of one top-level `for … in range(…)` loop run once per iteration (epoch).
///
/// Read from the code's text, never by running it. Prints that retrace cannot place (inside a
/// function, an `if`, a `while`, a nested loop) are refused with the cell and line.
public struct PrintProgram: Sendable {
  /// One step of the program.
  public enum Step: Sendable {
    /// A print that runs once.
    case once(PrintTemplate)
    /// A `for VARIABLE in range(…)` loop whose body prints.
    case loop(Loop)
  }

  /// A top-level loop over `range(start, start + count)`.
  public struct Loop: Sendable {
    /// The loop variable (`epoch`).
    public var variable: String
    /// The first value of the loop variable.
    public var start: Int
    /// The number of iterations, when the code fixes it (`range(10)`, `range(epochs)` with
    /// `epochs = 10`); `nil` when retrace cannot tell, and the output decides.
    public var count: Int?
    /// The prints of one iteration, in order.
    public var body: [PrintTemplate]
  }

  /// The steps, in the order they run.
  public var steps: [Step]

  /// Every template, in code order.
  public var templates: [PrintTemplate] {
    steps.flatMap { step -> [PrintTemplate] in
      switch step {
      case .once(let template): [template]
      case .loop(let loop): loop.body
      }
    }
  }
}

/// The print program of one cell, with where its code's last print ends.
struct CellProgram: Sendable {
  var program: PrintProgram
  /// The 0-based index of the first line after the last print statement of the cell.
  var lineAfterLastPrint: Int
}

extension PrintProgram {
  /// Reads the print programs of `notebook`'s cells, in order; `integers` carries the top-level
  /// `NAME = <int>` assignments of earlier cells (for `range(epochs)`).
  static func cellPrograms(of notebook: Notebook) throws(RetraceError) -> [CellProgram] {
    var integers: [String: Int] = [:]
    var number = 0
    var programs: [CellProgram] = []
    for cell in notebook.cells {
      programs.append(
        try cellProgram(
          cell, notebook: notebook, integers: &integers, number: &number))
    }
    return programs
  }

  static func cellProgram(
    _ cell: Notebook.Cell, notebook: Notebook, integers: inout [String: Int], number: inout Int
  ) throws(RetraceError) -> CellProgram {
    let statements = PythonStatement.split(cell.source.text)
    var steps: [Step] = []
    var lineAfterLastPrint = 0
    // The enclosing compound statements of the current statement: (indent, header text).
    var blocks: [(indent: Int, header: String, line: Int)] = []
    var currentLoop: Loop? = nil
    var loopIndent = -1

    func failure(_ statement: PythonStatement, _ message: String) -> RetraceError {
      let line = statement.firstLine + 1
      if notebook.form == .ipynb || cell.source.start.line == 1 && notebook.form != .textExport {
        return RetraceError(file: notebook.name, "\(cell.label), line \(line): \(message)")
      }
      return RetraceError(
        file: notebook.name, line: cell.source.start.line + statement.firstLine, column: 1,
        "\(cell.label), line \(line): \(message)")
    }

    for statement in statements {
      while let last = blocks.last, statement.indent <= last.indent { blocks.removeLast() }
      if let loop = currentLoop, statement.indent <= loopIndent {
        steps.append(.loop(loop))
        currentLoop = nil
        loopIndent = -1
      }
      let text = statement.text
      if statement.indent == 0, blocks.isEmpty, let (name, value) = integerAssignment(text) {
        integers[name] = value
      }
      if isPrintCall(text) {
        let template: PrintTemplate
        do {
          guard let parts = try PrintTemplate.parts(ofPrintCall: text) else { continue }
          number += 1
          template = PrintTemplate(
            number: number, cell: cell.label, cellLine: statement.firstLine + 1, parts: parts)
        } catch {
          throw failure(statement, "\(error.reason) is not supported")
        }
        lineAfterLastPrint = statement.firstLine + statement.lineCount
        if blocks.isEmpty {
          steps.append(.once(template))
        } else if blocks.count == 1, currentLoop != nil {
          currentLoop?.body.append(template)
        } else {
          let enclosing = blocks.last.map { "`\($0.header)` (line \($0.line))" } ?? "a block"
          throw failure(
            statement,
            "a print inside \(enclosing) is not supported; retrace follows prints at the top "
              + "level and in the body of one top-level `for … in range(…)` loop")
        }
        continue
      }
      if text.hasPrefix("print ") || text.contains("print(") && isCompoundOneLiner(text) {
        throw failure(
          statement,
          "a print that is not a statement of its own is not supported; write it on its own line")
      }
      if isCompoundHeader(text) {
        let line = statement.firstLine + 1
        if statement.indent == 0, blocks.isEmpty, let loop = rangeLoop(text, integers: integers) {
          currentLoop = loop
          loopIndent = 0
        }
        blocks.append((statement.indent, headerSummary(text), line))
      }
    }
    if let loop = currentLoop { steps.append(.loop(loop)) }
    // Loops without prints are not steps.
    steps.removeAll { if case .loop(let loop) = $0 { loop.body.isEmpty } else { false } }
    return CellProgram(
      program: PrintProgram(steps: steps), lineAfterLastPrint: lineAfterLastPrint)
  }

  static func isPrintCall(_ text: String) -> Bool {
    guard text.hasPrefix("print") else { return false }
    let rest = text.dropFirst(5).drop(while: { $0 == " " })
    return rest.first == "("
  }

  static func isCompoundHeader(_ text: String) -> Bool {
    let keywords = [
      "for ", "while ", "if ", "elif ", "else", "def ", "class ", "with ", "try",
      "except", "finally", "async ",
    ]
    return text.hasSuffix(":") && keywords.contains { text.hasPrefix($0) }
  }

  static func isCompoundOneLiner(_ text: String) -> Bool {
    let keywords = ["for ", "while ", "if ", "elif ", "else", "with ", "def "]
    return keywords.contains { text.hasPrefix($0) }
  }

  static func headerSummary(_ text: String) -> String {
    let firstLine = text.split(separator: "\n").first.map(String.init) ?? text
    return firstLine.count > 60 ? String(firstLine.prefix(57)) + "..." : firstLine
  }

  /// `NAME = 123` (an int literal, optionally with underscores).
  static func integerAssignment(_ text: String) -> (String, Int)? {
    let pieces = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
    guard pieces.count == 2 else { return nil }
    let name = pieces[0].trimmingSpaces()
    let value = pieces[1].trimmingSpaces().replacingOccurrences(of: "_", with: "")
    guard isIdentifier(name), let number = Int(value) else { return nil }
    return (name, number)
  }

  static func isIdentifier(_ text: String) -> Bool {
    guard let first = text.first, first.isLetter || first == "_" else { return false }
    return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
  }

  /// `for NAME in range(ARGS):` with ARGS int literals or known names.
  static func rangeLoop(_ text: String, integers: [String: Int]) -> Loop? {
    guard text.hasPrefix("for "), text.hasSuffix(":") else { return nil }
    let header = text.dropFirst(4).dropLast()
    guard let inRange = header.range(of: " in ") else { return nil }
    let variable = header[..<inRange.lowerBound].trimmingSpaces()
    let iterable = header[inRange.upperBound...].trimmingSpaces()
    guard isIdentifier(variable), iterable.hasPrefix("range("), iterable.hasSuffix(")") else {
      return nil
    }
    let arguments = PrintTemplate.splitTopLevel(
      String(iterable.dropFirst(6).dropLast()), on: ","
    ).map { $0.trimmingSpaces() }
    func value(_ text: String) -> Int? {
      Int(text.replacingOccurrences(of: "_", with: "")) ?? integers[text]
    }
    var start = 0
    var stop: Int? = nil
    var step = 1
    switch arguments.count {
    case 1: stop = value(arguments[0])
    case 2:
      guard let first = value(arguments[0]) else {
        return Loop(variable: variable, start: 0, count: nil, body: [])
      }
      start = first
      stop = value(arguments[1])
    case 3:
      guard let first = value(arguments[0]), let by = value(arguments[2]), by > 0 else {
        return Loop(variable: variable, start: 0, count: nil, body: [])
      }
      start = first
      stop = value(arguments[1])
      step = by
    default: return nil
    }
    guard step == 1 else { return Loop(variable: variable, start: start, count: nil, body: []) }
    let count = stop.map { max(0, $0 - start) }
    return Loop(variable: variable, start: start, count: count, body: [])
  }
}
