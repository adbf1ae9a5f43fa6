import PythonSyntax

/// What `retrace check` prints: each code cell, what it holds, and (on request) its tree.
public enum CodeReport {
  /// One line a cell and a closing summary; with `trees`, each cell's syntax tree below it.
  public static func text(_ cells: [ParsedCell], name: String, trees: Bool) -> String {
    var out = ""
    var statements = 0
    var escapes = 0
    for cell in cells {
      let count = cell.module.body.count
      let magic = cell.module.body.filter(\.holdsMagic).count
      statements += count
      escapes += magic
      var line = "\(place(cell)): \(plural(count, "statement")), \(plural(cell.lineCount, "line"))"
      if let output = cell.outputLine { line += " of code; the output starts at line \(output)" }
      if magic > 0 { line += "; \(plural(magic, "IPython escape")) (not Python, kept as such)" }
      out += line + "\n"
      if trees { out += SyntaxDump.dump(cell.module) }
    }
    out += "\(name): \(plural(cells.count, "code cell")), \(plural(statements, "statement"))"
    if escapes > 0 { out += ", \(plural(escapes, "IPython escape"))" }
    out += ": every cell parses as Python\n"
    return out
  }

  /// The same as JSON: `{"notebook", "cells": [{"label", "position", "statements", "lines",
  /// "output_line", "ipython_escapes", "tree"?}], "statements"}`.
  public static func json(_ cells: [ParsedCell], name: String, trees: Bool) -> String {
    var out = "{\"notebook\": \(JSONWriter.string(name)), \"cells\": ["
    var statements = 0
    for (index, cell) in cells.enumerated() {
      statements += cell.module.body.count
      out += index == 0 ? "\n" : ",\n"
      out += "  {\"label\": \(JSONWriter.string(cell.label)), \"position\": \(cell.position), "
      out += "\"statements\": \(cell.module.body.count), \"lines\": \(cell.lineCount), "
      out += "\"output_line\": \(cell.outputLine.map(String.init) ?? "null"), "
      out += "\"ipython_escapes\": \(cell.module.body.filter(\.holdsMagic).count)"
      if trees { out += ", \"tree\": \(JSONWriter.string(SyntaxDump.dump(cell.module)))" }
      out += "}"
    }
    out += "\n], \"statements\": \(statements)}\n"
    return out
  }

  static func place(_ cell: ParsedCell) -> String {
    if cell.position > 0 && cell.label != "cell \(cell.position)" {
      return "\(cell.label) (cell \(cell.position))"
    }
    return cell.label
  }

  static func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }
}
