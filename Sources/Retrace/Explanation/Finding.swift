/// A structured piece of evidence, rendered as JSON in reports.
public indirect enum Evidence: Sendable, Equatable {
  /// A string.
  case text(String)
  /// A number (nan and ±inf are written as the strings "nan", "inf", "-inf").
  case number(Double)
  /// An integer.
  case integer(Int)
  /// true or false.
  case flag(Bool)
  /// A list.
  case list([Evidence])
  /// An object with keys in order.
  case object([(String, Evidence)])
  /// null.
  case null

  public static func == (lhs: Evidence, rhs: Evidence) -> Bool { lhs.json == rhs.json }

  /// The JSON text.
  public var json: String {
    switch self {
    case .text(let value): JSONWriter.string(value)
    case .number(let value): JSONWriter.number(value)
    case .integer(let value): String(value)
    case .flag(let value): value ? "true" : "false"
    case .list(let items): "[" + items.map(\.json).joined(separator: ", ") + "]"
    case .object(let pairs): JSONWriter.object(pairs.map { ($0.0, $0.1.json) })
    case .null: "null"
    }
  }
}

/// Something retrace found out about a notebook: why a value differs, or whether the code
/// computes what it claims.
public struct Finding: Sendable {
  /// The stable kinds of finding (their raw values appear in JSON as `kind`).
  public enum Kind: String, Sendable, CaseIterable, Codable {
    /// The output stops before the code's prints are done.
    case truncatedLog = "truncated-log"
    /// The output's text is not what the code prints (a label, a missing or extra print, an
    /// exception).
    case departure
    /// The cells ran in another order than the file's.
    case outOfOrder = "out-of-order"
    /// One printed value differs while everything printed after it matches.
    case isolatedValue = "isolated-value"
    /// From some value on, the output departs from the code and stays away.
    case divergence
    /// Differences inside the floating-point noise band.
    case summationNoise = "summation-noise"
    /// The output was printed with other print options than the code shows.
    case printOptions = "print-options"
    /// Values that cannot be reproduced by nature (the clock, an unseeded generator).
    case unverifiable
    /// A hand-written gradient that finite differences of the notebook's loss contradict.
    case gradientBug = "gradient-bug"
    /// The output was made with another seed than the code's.
    case wrongSeed = "wrong-seed"
    /// The output was made with another value of one of the code's constants.
    case codeChanged = "code-changed"
    /// The machine models that reproduce the whole output, and the values that separate them.
    case machine
  }

  /// The kind.
  public var kind: Kind
  /// One sentence.
  public var summary: String
  /// Lines of explanation and evidence, for people.
  public var details: [String]
  /// The evidence, for machines.
  public var evidence: [(String, Evidence)]
  /// How many mismatched values this finding explains.
  public var explainedMismatches: Int

  /// Makes a finding.
  public init(
    kind: Kind, summary: String, details: [String] = [], evidence: [(String, Evidence)] = [],
    explainedMismatches: Int = 0
  ) {
    self.kind = kind
    self.summary = summary
    self.details = details
    self.evidence = evidence
    self.explainedMismatches = explainedMismatches
  }

  /// The finding as a JSON object: kind, summary, details, explained_mismatches, evidence.
  public var json: String {
    JSONWriter.object([
      ("kind", JSONWriter.string(kind.rawValue)),
      ("summary", JSONWriter.string(summary)),
      ("details", JSONWriter.strings(details)),
      ("explained_mismatches", String(explainedMismatches)),
      ("evidence", Evidence.object(evidence).json),
    ])
  }
}
