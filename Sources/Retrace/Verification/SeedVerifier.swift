import NumPyKit

/// Compares every printed value of a trace with the replay of the notebook's code.
public enum SeedVerifier {
  /// The summation orders whose spread makes the noise band.
  public static let noiseOrders: [SummationOrder] = [
    .sequential, .reversed, .pairwise, .fusedMultiplyAdd,
  ]

  /// Verifies `trace` against its code's `experiment`.
  ///
  /// The replay runs as many epochs as the code says, or as many as the log shows when that is
  /// more (a bare log read with the seed's code may come from a longer run).
  public static func verify(
    _ trace: Trace, experiment: Experiment, model: ReplayEngine.Model = .asWritten
  ) throws(ReplayEngine.Failure) -> SeedVerification {
    let shownEpochs = (trace.records.compactMap(\.epoch).max() ?? -1) + 1
    var epochs: Int? = nil
    if trace.form == .log, shownEpochs > (experiment.epochs ?? 0) { epochs = shownEpochs }
    let replay = try ReplayEngine(
      experiment: experiment, model: model, epochs: epochs, rendersOutput: false
    ).run()
    // Replayed values by (print, epoch, label, occurrence); records are paired with them by the
    // same key, so a print shown twice in one epoch pairs in order.
    var byKey: [Key: Int] = [:]
    var seen: [Key: Int] = [:]
    for (index, value) in replay.values.enumerated() {
      byKey[Key.next(value.print, value.epoch, value.label, &seen)] = index
    }
    var occurrences: [Key: Int] = [:]
    var checks: [SeedRecordCheck] = []
    for record in trace.records {
      let index = byKey[Key.next(record.print, record.epoch, record.label, &occurrences)]
      var recordCheck = check(record, replayed: index.map { replay.values[$0] }, band: [])
      recordCheck.replayedIndex = index
      checks.append(recordCheck)
    }
    // The noise-band replays run only when some value is not printed exactly as replayed (as
    // in `StreamingVerifier`): a notebook that reproduces never pays for them. Those records
    // are checked again with the band.
    let inexact = checks.indices.compactMap { i -> (check: Int, replayed: Int)? in
      guard let index = checks[i].replayedIndex,
        checks[i].values.contains(where: { $0.verdict != .exact })
      else { return nil }
      return (i, index)
    }
    if !inexact.isEmpty {
      var bands: [Replay] = []
      for order in noiseOrders {
        if let other = try? ReplayEngine(
          experiment: experiment, model: model, order: order, epochs: epochs,
          rendersOutput: false
        ).run() {
          bands.append(other)
        }
      }
      for (i, index) in inexact {
        var recordCheck = check(
          checks[i].record, replayed: replay.values[index],
          band: bands.compactMap { index < $0.values.count ? $0.values[index] : nil })
        recordCheck.replayedIndex = index
        checks[i] = recordCheck
      }
    }
    return SeedVerification(
      notebook: trace.notebook, form: trace.form, model: model, records: checks, trace: trace,
      replay: replay)
  }

  struct Key: Hashable {
    var print: Int
    var epoch: Int?
    var label: String
    var occurrence: Int

    /// The key of the next occurrence of (print, epoch, label), counted in `seen`.
    static func next(_ print: Int, _ epoch: Int?, _ label: String, _ seen: inout [Key: Int])
      -> Key
    {
      let base = Key(print: print, epoch: epoch, label: label, occurrence: 0)
      let occurrence = seen[base, default: 0]
      seen[base] = occurrence + 1
      return Key(print: print, epoch: epoch, label: label, occurrence: occurrence)
    }
  }

  static func check(_ record: TraceRecord, replayed: ReplayedValue?, band: [ReplayedValue])
    -> SeedRecordCheck
  {
    let literal = record.literal
    func unchecked(_ problem: String, shape: [Int]?) -> SeedRecordCheck {
      let values = literal.values.indices.map { ordinal in
        ValueCheck(
          ordinal: ordinal, index: literal.index(ofToken: ordinal),
          flatIndex: literal.flatIndex(ofToken: ordinal), printed: literal.text(ofToken: ordinal),
          replayed: nil, printedValue: literal.values[ordinal], replayedValue: nil,
          verdict: .mismatch, absoluteDifference: nil, lastDigitUnits: nil, noiseBand: nil,
          position: literal.position(ofToken: ordinal))
      }
      return SeedRecordCheck(record: record, replayedShape: shape, problem: problem, values: values)
    }
    guard let replayed else {
      return unchecked("the code prints nothing here: it was not replayed", shape: nil)
    }
    // The replayed value as NumPy prints it: its tokens, as the reader would read them.
    let array: NDArray
    switch replayed.value {
    case .array(let value): array = value
    case .integer(let value):
      array = NDArray(unchecked: [], scalars: [Double(value)], dtype: .int64)
    case .number(let value): array = NDArray(scalar: value)
    }
    guard let printedBack = ReplayedTokens(replayed, form: literal.form) else {
      return unchecked("the replayed value does not print as an array", shape: array.shape)
    }
    let shapeMatches =
      literal.isPartial
      ? literal.count <= printedBack.count
      : (printedBack.shape == literal.shape && printedBack.count == literal.count)
    guard shapeMatches else {
      return unchecked(
        "printed with shape \(Shape.text(literal.shape)) but the code gives "
          + Shape.text(array.shape), shape: array.shape)
    }
    var values: [ValueCheck] = []
    values.reserveCapacity(literal.count)
    for ordinal in 0..<literal.count {
      let printedToken = literal.text(ofToken: ordinal)
      let sameText = printedBack.hasSameText(ordinal, as: literal)
      let replayedToken = sameText ? printedToken : printedBack.text(ordinal)
      let index = printedBack.index(ordinal)
      var flat = 0
      for (axis, component) in index.enumerated() where axis < array.shape.count {
        flat = flat * array.shape[axis] + component
      }
      if array.shape.isEmpty { flat = 0 }
      let exactValue = flat < array.scalars.count ? array.scalars[flat] : Double.nan
      let printedValue = literal.values[ordinal]
      var check = ValueCheck(
        ordinal: ordinal, index: index, flatIndex: flat, printed: printedToken,
        replayed: replayedToken, printedValue: printedValue, replayedValue: exactValue,
        verdict: .exact, absoluteDifference: nil, lastDigitUnits: nil, noiseBand: nil,
        position: literal.position(ofToken: ordinal))
      if !sameText {
        var low = exactValue
        var high = exactValue
        for other in band {
          if case .array(let value) = other.value, flat < value.scalars.count {
            low = min(low, value.scalars[flat])
            high = max(high, value.scalars[flat])
          }
        }
        if !low.isNaN && !high.isNaN { check.noiseBand = low...high }
        let difference = abs(printedValue - exactValue)
        check.absoluteDifference = difference.isNaN ? nil : difference
        let unit = lastDigitUnit(of: printedToken)
        if let unit, unit > 0, difference.isFinite { check.lastDigitUnits = difference / unit }
        let half = (unit ?? 0) / 2 * (1 + 1e-9)
        if let unit, unit > 0, difference.isFinite, difference <= half {
          check.verdict = .withinRounding
        } else if let unit, unit > 0, printedValue.isFinite, low.isFinite, high.isFinite,
          printedValue >= low - half, printedValue <= high + half
        {
          check.verdict = .withinNoise
        } else {
          check.verdict = .mismatch
        }
      }
      values.append(check)
    }
    return SeedRecordCheck(record: record, replayedShape: array.shape, problem: nil, values: values)
  }
}
