import NumPyKit

/// One printed value of a notebook: one value piece of one replayed print (an argument of
/// `print`, an f-string field, a cell's echoed result), with the saved text it was read from.
public struct PrintRecord: Sendable {
  /// The cell whose code printed it (`In [4]`).
  public var cell: String
  /// Whether `position` counts within the cell's output (`.ipynb`) rather than the file.
  public var isCellRelative: Bool
  /// The printed expression's line in the cell's code (1-based) and column (1-based, in
  /// UTF-8 bytes as CPython counts them, plus one).
  public var line: Int
  public var column: Int
  /// The printed expression as written (`loss`, `weights.shape`, `np.mean(errors)`).
  public var expression: String
  /// The print statement's number among the notebook's prints, in the order they first ran
  /// (1-based).
  public var print: Int
  /// How many times this print had run before (0 the first time; a loop's iteration).
  public var occurrence: Int
  /// Whether it is a cell's echoed last expression (`Out[N]`), not a `print`.
  public var isResult: Bool
  /// Where the value's saved text starts.
  public var position: TextPosition
  /// The shape read from the saved text (empty for scalars; the values of a container count
  /// as one axis).
  public var shape: [Int]
  /// Whether the saved output stops inside this value.
  public var isPartial: Bool
  /// Why the replayed value cannot be reproduced, when it cannot.
  public var unverifiable: String?
  /// Whether a random generator had drawn before this print ran (its values may depend on
  /// the seed).
  public var afterDraw = false

  /// How reports name it: `In [4] line 12: loss`.
  public var name: String { "\(cell) line \(line): \(expression)" }
}

/// One record checked: its values' verdicts, or what is wrong with it as a whole.
public struct RecordCheck: Sendable {
  /// The record as printed.
  public var record: PrintRecord
  /// The replayed value's printed shape.
  public var replayedShape: [Int]?
  /// What is wrong with the record as a whole (the saved text has another shape).
  public var problem: String?
  /// Every printed value, checked.
  public var values: [ValueCheck]

  /// The values that do not match.
  public var mismatches: [ValueCheck] { values.filter { $0.verdict == .mismatch } }
}

/// A place where the saved output is not what the replay prints as text: other words where
/// the code prints a label, a print missing or extra, a traceback where the code printed
/// values or the reverse. It counts as a mismatch and ends the alignment of its cell.
public struct Departure: Sendable {
  public enum Kind: String, Sendable {
    /// The saved text differs from the replay's literal text.
    case text
    /// The code prints more here than the cell's saved output holds.
    case missingOutput = "missing-output"
    /// The saved output goes on after the code's last print of the cell.
    case extraOutput = "extra-output"
    /// The code raises where the output shows none, or the output shows another exception.
    case exception
    /// A NumPy warning the saved output shows and the replay does not give, or the reverse.
    case warning
  }
  public var kind: Kind
  /// The cell.
  public var cell: String
  /// Whether `position` counts within the cell's output.
  public var isCellRelative: Bool
  /// Where in the saved output the departure starts.
  public var position: TextPosition
  /// The cell whose code was running (for a log, one of its code's cells).
  public var codeCell: String
  /// The code's line and column (1-based) of the print or statement involved, if any.
  public var codeLine: Int?
  public var codeColumn: Int?
  /// What the replay prints there (a line at most).
  public var expected: String
  /// What the saved output shows there (a line at most).
  public var found: String
  /// One sentence saying what happened.
  public var message: String
}

/// Where a saved output stops before the code's prints are done.
public struct Truncation: Sendable {
  /// The cell whose output stops.
  public var cell: String
  /// Whether `position` counts within the cell's output.
  public var isCellRelative: Bool
  /// The end of the saved output.
  public var position: TextPosition
  /// The record cut off in the middle, if the output stops inside a value.
  public var partialRecord: String?
}

/// Counts over every printed value, including those whose records a very long run does not
/// keep.
public struct VerdictCounts: Sendable, Equatable {
  public var byVerdict: [ValueVerdict: Int] = [:]
  /// Records with a problem (their values count as mismatches).
  public var problems = 0
  /// Records in all.
  public var records = 0
  public init() {}
  /// All values checked.
  public var checked: Int { byVerdict.values.reduce(0, +) }
}

/// The outcome of `retrace verify`: every printed value of a notebook compared with what its
/// code prints when retrace replays it.
public struct Verification: Sendable {
  /// The notebook's name.
  public var notebook: String
  /// Its form.
  public var form: Notebook.Form
  /// The file the code was read from when it is not the notebook (a log's `--code`).
  public var codeFile: String?
  /// The records kept, in output order: every record up to `RecordLimits.kept`, then only
  /// those with a mismatch or a problem, up to `RecordLimits.mismatched`.
  public var records: [RecordCheck]
  /// The departures, in output order.
  public var departures: [Departure]
  /// Where the output stops early, if it does.
  public var truncation: Truncation?
  /// Outputs not checked, by cell (`In [3]: stderr`).
  public var notChecked: [String]
  /// Things worth saying that are not mismatches.
  public var notes: [String]
  /// Counts over every value.
  public var counts: VerdictCounts
  /// Records not kept in `records` (a very long run).
  public var recordsNotKept: Int
  /// The warnings found both in the saved output and in the replay (NumPy's `RuntimeWarning`s,
  /// the program's own).
  public var warningsChecked = 0
  /// How many prints (and echoed results) the replay made before it stopped: where the saved
  /// output ends, or where the code does.
  public var printsReplayed = 0
  /// The replay's loops, iterations and updates (the gradient audit's training loop), when
  /// the replay ran to the code's end (nil when it stopped where the saved output does).
  public var loops: LoopCensus?
  /// The machine model the notebook was replayed under.
  public var machine = MachineModel.default.name
  /// That model.
  public var machineModel: MachineModel { MachineModel.named(machine) ?? .default }
  /// The other machine models under which every printed value is reproduced, when some value
  /// is not under `machine` (replayed in full under each that reproduces the band's values).
  public var machineMatches: [MachineMatch] = []

  /// The number of printed values checked.
  public var checked: Int { counts.checked }
  /// How many values got each verdict.
  public func count(_ verdict: ValueVerdict) -> Int { counts.byVerdict[verdict, default: 0] }
  /// The number of mismatched values.
  public var mismatched: Int { count(.mismatch) }
  /// Whether every printed value is reproduced (exact, within rounding or noise, or
  /// unverifiable by nature) and the output follows the code's prints throughout.
  public var isReproduced: Bool { mismatched == 0 && counts.problems == 0 && departures.isEmpty }
  /// "reproduced" or "mismatch".
  public var verdict: String { isReproduced ? "reproduced" : "mismatch" }
}

/// How many records a verification keeps for its report.
public enum RecordLimits {
  /// Every record up to this many.
  public static let kept = 10_000
  /// After that, records with a mismatch, up to this many.
  public static let mismatched = 1_000
}

/// A machine model under which a notebook's whole output is reproduced.
public struct MachineMatch: Sendable, Equatable {
  /// The model's name and what it stands for.
  public var model: String
  public var summary: String
  /// What the replay ran that the model does not model (`MachineModel.unmodelled`).
  public var unmodelledUsed: [String]
  /// Whether it names the machine: the model was checked against a real NumPy and the
  /// notebook ran nothing it does not model.
  public var isIdentification: Bool
}
