import NumPyKit

/// How many values got each verdict, over every record of a verification.
public struct SeedVerdictCounts: Sendable, Equatable {
  /// The number of printed values checked.
  public var checked = 0
  /// Values by verdict.
  public var byVerdict: [ValueVerdict: Int] = [:]
  /// Records with a record-level problem (a shape that differs, nothing replayed).
  public var problems = 0
  /// Records that hold a mismatch or a problem but were not kept (past the limit).
  public var recordsLeftOut = 0

  /// Adds one checked record.
  mutating func add(_ check: SeedRecordCheck) {
    checked += check.values.count
    for value in check.values { byVerdict[value.verdict, default: 0] += 1 }
    if check.problem != nil { problems += 1 }
  }
}

/// Verifies a bare log as it streams by (`LogStream`): replays the code epoch by epoch in
/// lockstep with the printed output, checks each record as it comes and then drops it, and keeps
/// the counts and the first `mismatchLimit` mismatched values' records. Memory stays flat in
/// the length of the log.
///
/// The verdicts are those of `SeedVerifier.verify` on the whole trace (the same `SeedVerifier.check` on
/// the same replayed values): same counts, same mismatches, in the same order.
public enum StreamingVerifier {
  /// The number of mismatched values whose records are kept for the report.
  public static let mismatchLimit = 1000

  /// Verifies the log at `path`. `onRecord` sees every record as it is read.
  ///
  /// - Throws: `RetraceError` for unusable input, `ReplayEngine.Failure` when the code raises.
  public static func verify(
    path: String, name: String? = nil, model: ReplayEngine.Model = .asWritten,
    chunkSize: Int = LogStream.defaultChunkSize
  ) throws -> SeedVerification {
    var stream = try LogStream(path: path, name: name, chunkSize: chunkSize)
    let experiment = try ExperimentReader.read(stream.trace)
    var main = LockstepReplay(experiment: experiment, model: model, order: .openBLAS)
    // The noise-band replays run only when a value is not printed exactly as replayed, catching
    // up epoch by epoch then: a log that reproduces never pays for them.
    var noise = SeedVerifier.noiseOrders.map {
      LockstepReplay(experiment: experiment, model: model, order: $0)
    }
    var band: [[ReplayedValue]]? = nil
    var counts = SeedVerdictCounts()
    var kept: [SeedRecordCheck] = []
    var keptMismatches = 0
    // The replayed values of the epoch being checked, keyed as `SeedVerifier` keys them.
    var currentEpoch: Int?? = .none
    var values: [ReplayedValue] = []
    // While the records come in the order of the values (the usual case), the `cursor`-th
    // record of the epoch is the `cursor`-th value: same print and label, hence the same
    // occurrence and key. From the first record out of that order on, the keys decide.
    var cursor = 0
    var tokens = TokenCache()
    var byKey: [SeedVerifier.Key: Int]? = nil
    var occurrences: [SeedVerifier.Key: Int] = [:]
    while let records = try stream.next() {
      for record in records {
        if currentEpoch != .some(record.epoch) {
          values = try main.values(of: record.epoch)
          currentEpoch = .some(record.epoch)
          band = nil
          cursor = 0
          byKey = nil
        }
        let index: Int?
        if byKey == nil, cursor < values.count, values[cursor].print == record.print,
          values[cursor].epoch == record.epoch, values[cursor].label == record.label
        {
          index = cursor
          cursor += 1
        } else {
          if byKey == nil {
            byKey = SeedVerifier.keys(of: values)
            occurrences = [:]
            for value in values[..<cursor] {
              let base = SeedVerifier.Key(
                print: value.print, epoch: value.epoch, label: value.label, occurrence: 0)
              occurrences[base, default: 0] += 1
            }
          }
          let base = SeedVerifier.Key(
            print: record.print, epoch: record.epoch, label: record.label, occurrence: 0)
          var key = base
          key.occurrence = occurrences[base, default: 0]
          occurrences[base] = key.occurrence + 1
          index = byKey?[key]
        }
        let form = record.literal.form
        if let index,
          isPrintedExactly(record.literal, as: tokens.of(values[index], at: index, form: form))
        {
          // Every value `.exact`, as `SeedVerifier.check` finds (without building the checks).
          counts.checked += record.literal.count
          counts.byVerdict[.exact, default: 0] += record.literal.count
          continue
        }
        if index != nil && band == nil { band = bandValues(record.epoch, &noise) }
        let check = SeedVerifier.check(
          record, replayed: index.map { values[$0] },
          band: index.map { i in (band ?? []).compactMap { i < $0.count ? $0[i] : nil } } ?? [])
        counts.add(check)
        let mismatched = check.values.reduce(0) { $0 + ($1.verdict == .mismatch ? 1 : 0) }
        guard check.problem != nil || mismatched > 0 else { continue }
        if keptMismatches < mismatchLimit {
          kept.append(check)
          keptMismatches += max(mismatched, 1)
        } else {
          counts.recordsLeftOut += 1
        }
      }
    }
    // The code's own epochs beyond the log still run (as the whole-trace replay runs them), so
    // that code that raises later raises here too.
    if let epochs = experiment.epochs, currentEpoch != nil {
      while main.epochsRun < epochs { _ = try main.runEpoch() }
    }
    var trace = stream.trace
    if counts.recordsLeftOut > 0 {
      trace.notes.append(
        "streamed: \(counts.recordsLeftOut) more records with mismatches are not listed "
          + "(the first \(kept.count) are)")
    }
    var verification = SeedVerification(
      notebook: trace.notebook, form: trace.form, model: model, records: kept, trace: trace,
      replay: Replay(values: [], output: "", losses: [], final: main.state.arrays))
    verification.streamedCounts = counts
    return verification
  }

  /// The values the noise-order replays print in `epoch` (`nil`: before the loop). A replay
  /// that raises is dropped from the band, as `SeedVerifier` drops it.
  static func bandValues(_ epoch: Int?, _ replays: inout [LockstepReplay]) -> [[ReplayedValue]] {
    var result: [[ReplayedValue]] = []
    var failed: [Int] = []
    for index in replays.indices {
      do throws(ReplayEngine.Failure) {
        result.append(try replays[index].values(of: epoch))
      } catch {
        failed.append(index)
      }
    }
    for index in failed.reversed() { replays.remove(at: index) }
    return result
  }

  /// Whether NumPy prints `replayed` with exactly `literal`'s tokens and shape, which is when
  /// `SeedVerifier.check` finds every value `.exact` and the record without a problem.
  static func isPrintedExactly(_ literal: ArrayLiteral, as replayed: ReplayedValue) -> Bool {
    isPrintedExactly(literal, as: ReplayedTokens(replayed, form: literal.form))
  }

  /// Whether `back` (a replayed value's tokens) are exactly `literal`'s tokens and shape.
  static func isPrintedExactly(_ literal: ArrayLiteral, as back: ReplayedTokens?) -> Bool {
    guard let back else { return false }
    let shapeMatches =
      literal.isPartial
      ? literal.count <= back.count
      : (back.shape == literal.shape && back.count == literal.count)
    guard shapeMatches else { return false }
    for ordinal in 0..<literal.count where !back.hasSameText(ordinal, as: literal) {
      return false
    }
    return true
  }
}

/// The tokens of the values replayed at each position of an epoch, kept for the next epoch: an
/// array with the same bits, print options and form prints the same tokens, so they are made
/// again only when the value changed (a converged run prints the same arrays epoch after epoch).
struct TokenCache {
  private struct Entry {
    var array: NDArray
    var options: PrintOptions
    var form: ArrayLiteral.Form
    var tokens: ReplayedTokens?
  }

  private var entries: [Entry?] = []

  /// The tokens of `replayed`, the `index`-th value of its epoch, printed in `form`.
  mutating func of(_ replayed: ReplayedValue, at index: Int, form: ArrayLiteral.Form)
    -> ReplayedTokens?
  {
    guard case .array(let array) = replayed.value else {
      return ReplayedTokens(replayed, form: form)
    }
    if index < entries.count, let entry = entries[index], entry.form == form,
      entry.options == replayed.options, TokenCache.hasSameBits(entry.array, array)
    {
      return entry.tokens
    }
    let tokens = ReplayedTokens(replayed, form: form)
    if index >= entries.count {
      entries.append(contentsOf: repeatElement(nil, count: index + 1 - entries.count))
    }
    entries[index] = Entry(array: array, options: replayed.options, form: form, tokens: tokens)
    return tokens
  }

  /// Whether two arrays have the same shape, dtype and element bits (`-0.` is not `0.`).
  static func hasSameBits(_ a: NDArray, _ b: NDArray) -> Bool {
    guard a.dtype == b.dtype, a.shape == b.shape, a.count == b.count else { return false }
    for i in 0..<a.count where a.scalars[i].bitPattern != b.scalars[i].bitPattern {
      return false
    }
    return true
  }
}

extension SeedVerifier {
  /// The index of each value in `values`, by (print, epoch, label, occurrence).
  static func keys(of values: [ReplayedValue]) -> [Key: Int] {
    var byKey: [Key: Int] = [:]
    var seen: [Key: Int] = [:]
    for (index, value) in values.enumerated() {
      var key = Key(print: value.print, epoch: value.epoch, label: value.label, occurrence: 0)
      let base = key
      key.occurrence = seen[base, default: 0]
      seen[base] = key.occurrence + 1
      byKey[key] = index
    }
    return byKey
  }
}

/// One replay of an experiment run a step at a time: the code before the loop, then one epoch
/// per call, exactly as `ReplayEngine.run` runs them (same state, same failures).
struct LockstepReplay {
  var state: ReplayEngine.State
  let prelude: [Experiment.Step]
  let loop: (variable: String, body: [Experiment.Step], step: Experiment.Step)?
  var startedPrelude = false
  var epochsRun = 0

  init(experiment: Experiment, model: ReplayEngine.Model, order: SummationOrder) {
    let engine = ReplayEngine(
      experiment: experiment, model: model, order: order, rendersOutput: false)
    state = ReplayEngine.State(engine: engine)
    var prelude: [Experiment.Step] = []
    var loop: (String, [Experiment.Step], Experiment.Step)? = nil
    for step in experiment.steps {
      if case .loop(let variable, _, let body) = step, loop == nil {
        loop = (variable, body, step)
      } else if loop == nil {
        prelude.append(step)
      }
    }
    self.prelude = prelude
    self.loop = loop
  }

  /// The values printed before the loop (`epoch == nil`) or in `epoch`, running what is needed.
  mutating func values(of epoch: Int?) throws(ReplayEngine.Failure) -> [ReplayedValue] {
    if !startedPrelude {
      startedPrelude = true
      try state.run(prelude, epoch: nil, topLevel: true)
      if epoch == nil { return take() }
    }
    guard let epoch else { return [] }
    _ = take()
    while epochsRun < epoch { _ = try runEpoch() }
    return try runEpoch()
  }

  /// Runs the next epoch and returns its values.
  mutating func runEpoch() throws(ReplayEngine.Failure) -> [ReplayedValue] {
    guard let loop else { return [] }
    let iteration = epochsRun
    epochsRun += 1
    state.integers[loop.variable] = iteration
    do throws(ReplayEngine.Failure) {
      try state.run(loop.body, epoch: iteration, topLevel: false)
    } catch {
      throw ReplayEngine.Failure(
        message: "\(error.message) (epoch \(iteration), \(error.step))", epoch: nil,
        step: state.name(of: loop.step))
    }
    return take()
  }

  /// The values printed since the last call (and nothing else kept).
  mutating func take() -> [ReplayedValue] {
    let values = state.values
    state.values.removeAll(keepingCapacity: true)
    state.losses.removeAll(keepingCapacity: true)
    return values
  }
}
