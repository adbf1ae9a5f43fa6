import NumPyKit

/// A notebook as retrace reads it: its code cells and the printed output saved with them.
public struct Notebook: Sendable {
  /// The three forms a user has.
  public enum Form: String, Sendable, Codable {
    /// A text export: `In [N]:` headers, each cell's code followed by its printed output.
    case textExport = "text-export"
    /// A Jupyter notebook (nbformat 4).
    case ipynb
    /// A bare stdout log: printed output only.
    case log
  }

  /// A piece of text with the position of its first byte (in the file for text exports and
  /// logs; in the cell's output for `.ipynb` outputs, whose cell is named separately).
  public struct Segment: Sendable {
    /// The text, with CRLF read as LF and any UTF-8 byte order mark removed.
    public var text: String
    /// Where `text` starts.
    public var start: TextPosition
    /// Makes a segment.
    public init(text: String, start: TextPosition) {
      self.text = text
      self.start = start
    }
  }

  /// One code cell.
  public struct Cell: Sendable {
    /// How the cell is named to a user: `In [77]`, or `cell 7` when it has no number.
    public var label: String
    /// The cell's source. For a text export it also holds the cell's printed output, which
    /// `Trace` separates from the code using the cell's print templates.
    public var source: Segment
    /// The cell's printed output when stored apart from the code (`.ipynb`): stdout streams
    /// and `execute_result` text/plain, in order.
    public var output: Segment?
    /// The position of the output's first byte in the file, for `.ipynb` cells (the output
    /// positions then count from 1:1 within the cell's output).
    public var outputIsCellRelative: Bool
    /// The cell's 1-based place in the file among all its cells (markdown too, in an
    /// `.ipynb`), as a user counts them; 0 when not known.
    public var position: Int = 0
    /// The exception an `.ipynb` cell's `error` output records (a text export keeps its
    /// traceback in the output text).
    public var error: SavedError? = nil
    /// The outputs retrace does not check, as a user would name them (`stderr`,
    /// `display_data (image/png)`), in order.
    public var unchecked: [String] = []
    /// The warnings an `.ipynb` cell's stderr streams hold, in order.
    public var savedWarnings: [SavedWarning] = []
    /// For a cell of a text export too large to hold whole, where its body is in the file:
    /// `source` then holds only the body's start, and the output is read as it is verified.
    public var outputFile: OutputFile? = nil
    /// For a cell of a Jupyter notebook too large to hold whole: its saved output as parts in
    /// order (stdout texts still in the file, Out text in memory); `output` is then nil.
    public var outputParts: [OutputPart]? = nil
  }

  /// A part of a streamed notebook cell's saved output.
  public enum OutputPart: Sendable, Equatable {
    /// Text held (an `execute_result`'s, with its newline).
    case text(String)
    /// A stdout stream's text: the raw byte range of its JSON value (a string or a list of
    /// strings) in the file.
    case json([Range<Int>])
  }

  /// Where a streamed text-export cell's body is in its file (raw byte offsets).
  public struct OutputFile: Sendable, Equatable {
    public var path: String
    public var bodyStart: Int
    public var bodyEnd: Int
    /// How many of the body's first bytes `source` holds.
    public var kept: Int
  }

  /// An exception saved with a cell: its type and message (`ValueError`, `operands could not
  /// be broadcast together with shapes (4,4) (3,) `).
  public struct SavedError: Sendable, Equatable {
    public var type: String
    public var message: String
    public init(type: String, message: String) {
      self.type = type
      self.message = message
    }
    /// `Type: message`, as a traceback's last line shows it.
    public var description: String { message.isEmpty ? type : "\(type): \(message)" }
  }

  /// The name used in messages (the path as given, or `<built-in seed notebook>`).
  public var name: String
  /// The form the content was detected as.
  public var form: Form
  /// The code cells, in order (none for a bare log).
  public var cells: [Cell]
  /// The whole text of a bare log.
  public var log: Segment?
  /// A bare log too large to hold whole (over `NotebookReader.streamingThreshold`): its path,
  /// read a chunk at a time as it is verified (`log` is then nil).
  public var logFile: String? = nil
}
