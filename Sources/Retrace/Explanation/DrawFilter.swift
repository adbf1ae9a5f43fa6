import Foundation
import Interpreter
import NumPyKit

/// The seed search's quick test of a candidate seed, when the notebook prints a NumPy
/// generator's draws as they were drawn (`W = np.random.randn(3, 2)` then `print(W)`,
/// `sample = rng.normal(size=5)` then `print(sample)`).
///
/// It is learnt from the notebook's own replay, never written for an API: that replay reports
/// each call of the seeded generator with closures that reseed it and make the same call again
/// (`DrawCall`); the first print made after a draw shows, as one of its values, the very array
/// object one of those calls returned. For a candidate seed the filter reseeds, repeats the
/// calls up to that one and compares the new array with the printed numbers to their printed
/// digits: a few microseconds instead of a replay of the notebook. It only rejects; a seed it
/// admits is confirmed by a full replay.
///
/// A filter is used only after it has been checked against the general path: for two other
/// seeds its arrays equal, bit for bit, what the notebook's replay with that seed prints there.
/// (That catches the cases where the shortcut would be wrong: the array changed in place before
/// the print, the calls' arguments depend on earlier draws, the print depends on the seed by
/// another route.)
struct DrawFilter {
  /// The calls since the seeding, up to the one whose result is printed.
  var calls: [DrawCall]
  /// The printed numbers of that result: its flat (C-order) index, the printed value and how
  /// far the drawn value may be from it (half a unit of the last printed digit, and a few ulps
  /// for a math library's last bit).
  var targets: [(flat: Int, value: Double, tolerance: Double)]
  /// The printed record it stands for.
  var record: PrintRecord
  /// How many 32-bit words the calls took from a legacy generator with the code's seed (nil:
  /// not a legacy generator, or more than the first 226 of a block).
  var wordsDrawn: Int?
  /// When the printed call is the legacy generator's first since seeding and is `randn` or
  /// `standard_normal` (NumPy's unscaled Gaussians), and its first value is printed: that
  /// value's target, tested from the first words alone before the call is made.
  var firstGaussian: (value: Double, tolerance: Double)?

  static let unscaledGaussians: Set<String> = ["randn", "standard_normal"]

  /// The generator the seeding API names drives these `DrawCall.generator`s.
  static func generators(for api: String) -> Set<String> {
    switch api {
    case "np.random.seed": return ["np.random"]
    case "RandomState": return ["RandomState"]
    case "default_rng": return ["Generator"]
    default: return []
    }
  }

  /// The filter for the seed `literal` of the plan, or nil when the notebook does not print
  /// one of its first draws as drawn (or the check against the general path fails).
  static func make(
    _ plan: ReplayPlan, literal: CodeSearch.Literal, verification: Verification,
    limits: InterpreterLimits
  ) -> DrawFilter? {
    guard let filter = learn(plan, literal: literal, verification: verification, limits: limits)
    else { return nil }
    // Checked against the notebook's own replay with two other seeds.
    let value = Int(literal.value)
    for other in [value + 1, value + 2] where other >= 0 {
      guard let drawn = filter.draws(other),
        let edited = CodeSearch.edited(plan, literal, to: String(other)),
        let replayed = try? NotebookVerifier.run(
          edited, limits: limits, band: false, untilFailure: true,
          machine: verification.machineModel),
        let check = replayed.records.first(where: { filter.isSame($0.record) }),
        check.values.count == filter.targets.count
      else { return nil }
      for value in check.values {
        guard let flat = value.flatIndex, flat < drawn.count,
          let replayedValue = value.replayedValue,
          replayedValue.bitPattern == drawn[flat].bitPattern
            || (replayedValue.isNaN && drawn[flat].isNaN)
        else { return nil }
      }
    }
    return filter
  }

  /// Whether `other` is the same printed value (cell, place and run of its print).
  func isSame(_ other: PrintRecord) -> Bool {
    other.cell == record.cell && other.line == record.line && other.column == record.column
      && other.print == record.print && other.occurrence == record.occurrence
  }

  /// Replays the plan to the first print after a draw, collecting the seeded generator's calls.
  static func learn(
    _ plan: ReplayPlan, literal: CodeSearch.Literal, verification: Verification,
    limits: InterpreterLimits
  ) -> DrawFilter? {
    guard case .seed(let api) = literal.role, literal.isInteger,
      let seed = Int(exactly: literal.value)
    else { return nil }
    let generators = generators(for: api)
    // The first print after a draw, as the verification recorded it.
    guard let first = verification.records.first(where: { $0.record.afterDraw }) else {
      return nil
    }
    let candidates = verification.records.filter {
      $0.record.afterDraw && $0.record.print == first.record.print
        && $0.record.occurrence == first.record.occurrence && !$0.values.isEmpty
    }
    var calls: [DrawCall] = []
    var found: DrawFilter?
    let replay = NotebookReplay(plan, limits: limits)
    _ = try? replay.run(
      consume: { index, event in
        guard case .printed(let print) = event else { return .more }
        let label = plan.cells[index].parsed.label
        var ranOurs = false
        for piece in print.pieces {
          guard let range = piece.range,
            let check = candidates.first(where: {
              $0.record.cell == label && $0.record.line == range.start.line
                && $0.record.column == range.start.column + 1
            })
          else { continue }
          ranOurs = true
          guard case .array(let object)? = piece.value,
            let position = calls.firstIndex(where: {
              if case .array(let drawn) = $0.result { return drawn === object }
              return false
            })
          else { continue }
          let values = object.array.realValues()
          var targets: [(flat: Int, value: Double, tolerance: Double)] = []
          for value in check.values {
            guard let flat = value.flatIndex, flat < values.count,
              let unit = lastDigitUnit(of: value.printed)
            else {
              targets = []
              break
            }
            let tolerance = unit / 2 * (1 + 1e-9) + abs(value.printedValue) * 0x1p-48
            targets.append((flat, value.printedValue, tolerance))
          }
          guard !targets.isEmpty else { continue }
          var filter = DrawFilter(
            calls: Array(calls[...position]), targets: targets, record: check.record)
          if let words = filter.calls.first?.position, filter.draws(seed) != nil,
            words() > 0, words() <= MT19937.stateCount - 398
          {
            filter.wordsDrawn = words()
            if filter.calls.count == 1, unscaledGaussians.contains(filter.calls[0].method),
              let first = targets.first(where: { $0.flat == 0 })
            {
              filter.firstGaussian = (first.value, first.tolerance)
            }
          }
          found = filter
          return .stop
        }
        return ranOurs ? .stop : .more
      },
      draws: { call in
        guard generators.contains(call.generator), call.seed == seed else { return }
        if call.index == 0 { calls = [] }
        if call.index == calls.count { calls.append(call) }
      })
    return found
  }

  /// The seeds of `seeds` the filter admits, in order. A legacy generator's first words are
  /// made for many seeds at once (`MT19937.prefixes`), only as many as the draws take (their
  /// count varies with the rejections of a polar Gaussian: twice what the code's seed took,
  /// and a full seeding when that is not enough).
  func admitted(_ seeds: Range<Int>) -> [Int] {
    guard let restart = calls.first?.restart, let position = calls.first?.position,
      let words = wordsDrawn, seeds.lowerBound >= 0, seeds.upperBound <= Int(UInt32.max)
    else { return seeds.filter(admits) }
    let prefix = min(words * 2 + 16, MT19937.stateCount - 398)
    var admitted: [Int] = []
    let candidates = seeds.map { UInt32($0) }
    MT19937.prefixes(candidates, prefix: prefix) { index, words in
      if let first = firstGaussian,
        let z = RandomState.firstStandardNormal(fromTwisted: words),
        !(abs(z - first.value) <= first.tolerance)
      {
        return
      }
      restart(words)
      var values = drawn()
      if position() < MT19937.stateCount - prefix { values = draws(Int(candidates[index])) }
      if admits(drawn: values) { admitted.append(Int(candidates[index])) }
    }
    return admitted
  }

  /// The values the printed call draws after reseeding with `seed` (C order), nil when a call
  /// fails.
  func draws(_ seed: Int) -> [Double]? {
    guard let first = calls.first else { return nil }
    do throws(PythonError) {
      try first.reseed(seed)
    } catch {
      return nil
    }
    return drawn()
  }

  /// The values the printed call draws from the generator's current state.
  func drawn() -> [Double]? {
    do throws(PythonError) {
      var result = Value.none
      for call in calls { result = try call.draw() }
      guard case .array(let object) = result else { return nil }
      return object.array.realValues()
    } catch {
      return nil
    }
  }

  /// Whether `seed`'s draws print as the saved numbers (true too when they cannot be drawn:
  /// the full replay decides).
  func admits(_ seed: Int) -> Bool { admits(drawn: draws(seed)) }

  func admits(drawn values: [Double]?) -> Bool {
    guard let values else { return true }
    for target in targets {
      let value = values[target.flat]
      if value.isNaN != target.value.isNaN { return false }
      if !value.isNaN, !(abs(value - target.value) <= target.tolerance) {
        if value != target.value { return false }
      }
    }
    return true
  }
}
