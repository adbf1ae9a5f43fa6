import NumPyKit

/// The printed values of a notebook, matched to the prints of its code (or, for a bare log, of
/// the built-in seed notebook's code).
public struct Trace: Sendable {
  /// The notebook's name (as in messages).
  public var notebook: String
  /// The form the notebook was read as.
  public var form: Notebook.Form
  /// Every printed value, in output order.
  public var records: [TraceRecord]
  /// Whether the output ends before the code's prints are done.
  public var isTruncated: Bool
  /// Where the output stops, when truncated.
  public var truncatedAt: TextPosition?
  /// The cell whose output is cut, when truncated.
  public var truncatedCell: String?
  /// The print programs the output was matched against, one per cell with prints.
  public var programs: [PrintProgram]
  /// Things worth saying that are not errors (output after the last print, …).
  public var notes: [String]
  /// The code the output was matched against, cell by cell, without the output (a text
  /// export's cells hold both). For a bare log, the built-in seed notebook's code.
  public var code: [CodeCell]
}

/// One cell's code, apart from its output.
public struct CodeCell: Sendable {
  /// The cell's name (`In [77]`).
  public var label: String
  /// The code.
  public var text: String
  /// Where the code starts in the file (1:1 for an `.ipynb` cell, whose lines count from
  /// the start of the cell's source).
  public var start: TextPosition
  /// Whether `start` counts within the cell (`.ipynb`) rather than within the file.
  public var isCellRelative: Bool
  /// The file the code is in (the built-in seed for a bare log).
  public var file: String
}
