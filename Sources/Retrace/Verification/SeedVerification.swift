import NumPyKit

/// One printed record (one hole of one print in one epoch) checked against the replay.
public struct SeedRecordCheck: Sendable {
  /// The record as printed.
  public var record: TraceRecord
  /// The replayed array's shape, when something was replayed for it.
  public var replayedShape: [Int]?
  /// What is wrong with the record as a whole (a shape that differs, nothing replayed).
  public var problem: String?
  /// Every printed value, checked.
  public var values: [ValueCheck]
  /// Where the replayed value compared with this record stands in `Replay.values`.
  public var replayedIndex: Int? = nil

  /// The values that do not match.
  public var mismatches: [ValueCheck] { values.filter { $0.verdict == .mismatch } }
}

/// The outcome of `retrace verify`: every printed value of a notebook compared with what its
/// code computes.
public struct SeedVerification: Sendable {
  /// The notebook's name.
  public var notebook: String
  /// Its form.
  public var form: Notebook.Form
  /// As written or corrected.
  public var model: ReplayEngine.Model
  /// The records, in output order.
  public var records: [SeedRecordCheck]
  /// The trace that was verified.
  public var trace: Trace
  /// The replay that the trace was compared with.
  public var replay: Replay

  /// For a streamed verification (`StreamingVerifier`), whose `records` keep only the first
  /// records with mismatches: the counts over every record. `nil` otherwise.
  public var streamedCounts: SeedVerdictCounts? = nil

  /// The number of printed values checked.
  public var checked: Int {
    streamedCounts?.checked ?? records.reduce(0) { $0 + $1.values.count }
  }
  /// How many values got each verdict.
  public func count(_ verdict: ValueVerdict) -> Int {
    if let streamedCounts { return streamedCounts.byVerdict[verdict, default: 0] }
    return records.reduce(0) { $0 + $1.values.filter { $0.verdict == verdict }.count }
  }
  /// The number of mismatched values (a record-level problem counts its values).
  public var mismatched: Int { count(.mismatch) }
  /// Whether every printed value is reproduced (exact, within rounding, or within noise).
  public var isReproduced: Bool {
    if let streamedCounts { return mismatched == 0 && streamedCounts.problems == 0 }
    return mismatched == 0 && records.allSatisfy { $0.problem == nil }
  }
  /// "reproduced" or "mismatch".
  public var verdict: String { isReproduced ? "reproduced" : "mismatch" }
}
