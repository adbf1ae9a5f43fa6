import NumPyKit
import PythonSyntax

/// One code cell's code, parsed: where it is, and its syntax tree.
public struct ParsedCell: Sendable {
  /// `In [7]`, or `cell 3` when the cell has no execution count.
  public var label: String
  /// The cell's 1-based place among the file's cells (0 for a script).
  public var position: Int
  /// The code alone (for a text export, without the printed output after it).
  public var code: String
  /// Where the code's first byte is in the file (1:1 of the cell for an `.ipynb`).
  public var start: TextPosition
  /// The number of lines of code.
  public var lineCount: Int
  /// For a text export, the 1-based line of the cell body where its output starts.
  public var outputLine: Int?
  /// The tree.
  public var module: Module
}

/// Reads the code of a notebook's cells with `PythonSyntax`, as CPython would parse them.
///
/// A text export holds each cell's code followed by its printed output, with nothing that
/// marks where one ends: the code is the whole cell when it parses; otherwise the longest run
/// of lines before a blank line that parses, provided what follows does not look like code
/// (an indented line, or a line that opens with a Python keyword). Anything else is the
/// syntax error it is.
public enum NotebookCode {
  /// The parsed code cells of `notebook`, in file order.
  ///
  /// - Throws: `RetraceError` (exit code 2) for a syntax error, with the cell, the line and
  ///   column within it and a caret under the place; for a bare log, which holds no code.
  public static func read(_ notebook: Notebook, limits: ParsingLimits = .standard)
    throws(RetraceError) -> [ParsedCell]
  {
    guard notebook.form != .log else {
      throw RetraceError(
        file: notebook.name,
        "is a bare stdout log: it holds no code to read (a .py script is read as code)")
    }
    var cells: [ParsedCell] = []
    for cell in notebook.cells {
      cells.append(try read(cell, form: notebook.form, name: notebook.name, limits: limits))
    }
    return cells
  }

  /// A Python script (`.py`): one cell of code.
  public static func readScript(_ text: String, name: String, limits: ParsingLimits = .standard)
    throws(RetraceError) -> ParsedCell
  {
    do {
      let module = try PythonParser.parse(text, limits: limits)
      return ParsedCell(
        label: "script", position: 0, code: text, start: .start,
        lineCount: lineCount(text), outputLine: nil, module: module)
    } catch {
      throw RetraceError(file: name, error.rendered(origin: ""))
    }
  }

  /// The cell magics whose body is Python: in a text export, its output follows the body.
  static let pythonCellMagics: Set<Substring> = ["time", "timeit", "capture", "prun"]

  static func read(_ cell: Notebook.Cell, form: Notebook.Form, name: String, limits: ParsingLimits)
    throws(RetraceError) -> ParsedCell
  {
    let text = cell.source.text
    if form == .textExport, text.hasPrefix("%%"),
      let newline = text.firstIndex(of: "\n"),
      pythonCellMagics.contains(text.dropFirst(2).prefix(while: { $0.isLetter }))
    {
      // `%%time` and its body: the body's code is found as a cell's is, the output after it.
      var body = cell
      body.source.text = String(text[text.index(after: newline)...])
      body.source.start.line += 1
      body.source.start.offset += text.utf8.distance(from: text.utf8.startIndex, to: newline) + 1
      let inner = try read(body, form: form, name: name, limits: limits)
      let code = String(text[...newline]) + inner.code
      do {
        let module = try PythonParser.parse(code, limits: limits)
        return ParsedCell(
          label: cell.label, position: cell.position, code: code, start: cell.source.start,
          lineCount: inner.lineCount + 1, outputLine: inner.outputLine.map { $0 + 1 },
          module: module)
      } catch {
        throw RetraceError(file: name, error.rendered(origin: origin(of: cell)))
      }
    }
    let origin = origin(of: cell)
    func failure(_ error: SyntaxError) -> RetraceError {
      let fileLine = form == .textExport ? cell.source.start.line + error.location.line - 1 : nil
      return RetraceError(file: name, error.rendered(origin: origin, fileLine: fileLine))
    }
    do {
      let module = try PythonParser.parse(text, limits: limits)
      if form == .textExport, let output = trailingLiteralOutput(module, text) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let code = codeLines(lines[..<(output - 1)])
        if let codeModule = try? PythonParser.parse(code, limits: limits) {
          return ParsedCell(
            label: cell.label, position: cell.position, code: code, start: cell.source.start,
            lineCount: output - 1, outputLine: output, module: codeModule)
        }
      }
      return ParsedCell(
        label: cell.label, position: cell.position, code: text, start: cell.source.start,
        lineCount: lineCount(text), outputLine: nil, module: module)
    } catch {
      guard form == .textExport else { throw failure(error) }
      if let split = splitCodeAndOutput(text, failingAt: error.location.line, limits: limits) {
        return ParsedCell(
          label: cell.label, position: cell.position, code: split.code, start: cell.source.start,
          lineCount: split.outputLine - 1, outputLine: split.outputLine, module: split.module)
      }
      throw failure(error)
    }
  }

  /// `cell 3 (In [7])`, or the label alone when it is already the cell's place.
  static func origin(of cell: Notebook.Cell) -> String {
    origin(label: cell.label, position: cell.position)
  }

  static func origin(label: String, position: Int) -> String {
    if position > 0 && label != "cell \(position)" { return "cell \(position) (\(label))" }
    return label
  }

  /// Where a text-export cell's output starts: the last blank-line boundary at or before the
  /// failing line whose code before it parses and whose text after it does not look like code.
  static func splitCodeAndOutput(_ text: String, failingAt line: Int, limits: ParsingLimits)
    -> (code: String, outputLine: Int, module: Module)?
  {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var boundary = min(line, lines.count)
    while boundary >= 2 {
      defer { boundary -= 1 }
      let before = lines[boundary - 2]
      guard before.allSatisfy({ $0 == " " || $0 == "\t" }) else { continue }
      guard let first = lines[(boundary - 1)...].first(where: { !$0.allSatisfy(\.isWhitespace) })
      else { continue }
      if looksLikeCode(first) { continue }
      let code = codeLines(lines[..<(boundary - 1)])
      if let module = try? PythonParser.parse(code, limits: limits) {
        return (code, boundary, module)
      }
    }
    return nil
  }

  /// Keywords that open a block: a line starting with one is code when it ends with `:`.
  static let blockKeywords: Set<Substring> = [
    "def", "class", "for", "while", "if", "elif", "else", "try", "except", "finally", "with",
    "async",
  ]

  /// Keywords that make a statement of a line of their own.
  static let statementKeywords: Set<Substring> = [
    "return", "raise", "assert", "del", "global", "nonlocal", "pass", "break", "continue",
  ]

  /// Whether the first line after a blank line reads as code rather than printed output: a
  /// decorator, a block header ending in `:`, an import, a statement keyword, or an indented
  /// assignment or call.
  static func looksLikeCode(_ line: Substring) -> Bool {
    var text = line
    if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
    while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
    let stripped = text.drop(while: { $0 == " " || $0 == "\t" })
    guard let first = stripped.first else { return false }
    if first == "@" { return true }
    let word = stripped.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
    let rest = stripped.dropFirst(word.count)
    if blockKeywords.contains(word) && text.hasSuffix(":") { return true }
    if statementKeywords.contains(word) && (rest.isEmpty || rest.first == " ") { return true }
    if word == "import" && rest.first == " " { return true }
    if word == "from" && rest.contains(" import ") { return true }
    let indented = stripped.count < text.count
    if indented && !word.isEmpty {
      // `    name = ...`, `    name.attr(...)`, `    name[...] += ...`
      let afterName = rest.drop(while: { $0.isLetter || $0.isNumber || "_.[]'\"".contains($0) })
        .drop(while: { $0 == " " })
      if afterName.hasPrefix("(") { return true }
      for op in ["=", "+=", "-=", "*=", "/=", "@=", "**=", "//=", "%="]
      where afterName.hasPrefix(op) && !afterName.hasPrefix("==") {
        return true
      }
    }
    return false
  }

  /// In a text export that parses whole: trailing expression statements made of literals
  /// only (`0.5`, `[1.5, 2.0]`, `{'W': 0.1}`, `True`), after a blank line, are the printed
  /// output of the code before them, not code.
  static func trailingLiteralOutput(_ module: Module, _ text: String) -> Int? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var index = module.body.count
    while index > 0, isOutputLike(module.body[index - 1]) { index -= 1 }
    guard index < module.body.count else { return nil }
    // The output starts after the last blank line before the first trailing literal.
    var line = module.body[index].range.start.line
    while line >= 2 {
      let before = lines[line - 2]
      if before.allSatisfy({ $0 == " " || $0 == "\t" }) {
        if index == 0 || module.body[index - 1].range.end.line < line - 1 { return line }
        return nil
      }
      if index < module.body.count && line <= module.body[index].range.start.line - 1 {
        return nil
      }
      line -= 1
    }
    return nil
  }

  /// A statement that is more likely a printed line than code: a literal (`0.5`,
  /// `{'W': 1.0}`), literals side by side (`(120, 3) (120,)` reads as a call), `label: 0.5`
  /// (reads as an annotation), `Out[4]: ...` (IPython's result line).
  static func isOutputLike(_ statement: Statement) -> Bool {
    switch statement.kind {
    case .expression(let value):
      return isLiteral(value)
    case .annAssign(let target, let annotation, nil, _):
      if case .subscript(let base, let index, _) = target.kind, case .name("Out", _) = base.kind,
        case .constant(.int) = index.kind
      {
        return true
      }
      if case .name = target.kind { return isLiteral(annotation) }
      return false
    default:
      return false
    }
  }

  static func isLiteral(_ value: Expression) -> Bool {
    switch value.kind {
    case .constant: return true
    case .unaryOp(.uSub, let operand), .unaryOp(.uAdd, let operand):
      if case .constant = operand.kind { return true }
      return false
    case .list(let items, _), .tuple(let items, _), .set(let items):
      return items.allSatisfy(isLiteral)
    case .dict(let keys, let values):
      return keys.allSatisfy { $0.map(isLiteral) ?? false } && values.allSatisfy(isLiteral)
    case .call(let function, let arguments, let keywords):
      // NumPy 2's scalar reprs, np.float64(0.5); or two printed tuples side by side.
      guard keywords.isEmpty && arguments.allSatisfy(isLiteral) else { return false }
      if case .attribute(let base, _, _) = function.kind, case .name("np", _) = base.kind {
        return true
      }
      return isLiteral(function)
    default: return false
    }
  }

  /// The code's lines without the blank lines that end it, and a final newline.
  static func codeLines(_ lines: ArraySlice<Substring>) -> String {
    var end = lines.endIndex
    while end > lines.startIndex && lines[end - 1].allSatisfy(\.isWhitespace) { end -= 1 }
    return lines[lines.startIndex..<end].joined(separator: "\n") + "\n"
  }

  static func lineCount(_ text: String) -> Int {
    var count = 0
    for byte in text.utf8 where byte == 0x0A { count += 1 }
    if let last = text.utf8.last, last != 0x0A { count += 1 }
    return count
  }
}
