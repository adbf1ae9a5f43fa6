import Foundation
import NumPyKit

/// Checks the notebook's gradients against the true gradient of its loss: the corrected
/// backward pass (`W1_grad = np.outer(B1_grad, X)`), cross-checked by central finite
/// differences of the loss `(y_true - y_pred)**2 / 2` with respect to every parameter.
public struct GradientAudit: Sendable {
  /// One gradient's check over the epochs.
  public struct Check: Sendable {
    /// `W1_grad`, `B1_grad`, ….
    public var name: String
    /// The largest |code − true| over all epochs and entries.
    public var largestDifference: Double
    /// The largest |true − finite difference| relative to max(1, |true|), over the entries
    /// whose activation pattern does not change within ±h (ReLU kinks are skipped).
    public var finiteDifferenceError: Double
    /// Entries skipped because a ±h step crossed a ReLU kink.
    public var kinks: Int
    /// Whether the code's gradient equals the true gradient everywhere (to rounding).
    public var isCorrect: Bool
  }

  /// One entry of W1's gradient in one epoch: what the code computes (and, where the log shows
  /// it, what it printed) against the true gradient.
  public struct Entry: Sendable {
    /// The epoch.
    public var epoch: Int
    /// (hidden-1 unit, input feature).
    public var index: [Int]
    /// The code's value (replayed).
    public var code: Double
    /// The printed token, if the log shows it.
    public var printed: String?
    /// The true gradient.
    public var truth: Double
    /// Whether they agree (to 1e-12 relative).
    public var coincides: Bool
  }

  /// Every gradient the code prints, checked.
  public var checks: [Check]
  /// W1's gradient entry by entry, every epoch.
  public var entries: [Entry]
  /// W1's gradient as the code computes it, by epoch.
  public var w1Code: [NDArray]
  /// The true W1 gradient, by epoch.
  public var w1True: [NDArray]
  /// Which hidden-2 units are active (Z2 > 0), by epoch.
  public var activeHidden2: [[Int]]
  /// Which hidden-1 units are active (Z1 > 0), by epoch.
  public var activeHidden1: [[Int]]
  /// The loss by epoch, as the code trains.
  public var lossAsWritten: [Double]
  /// The loss by epoch under correct SGD (the corrected backward pass).
  public var lossCorrected: [Double]
  /// The parameters after the last epoch, as the code trains.
  public var finalAsWritten: [String: NDArray]
  /// The parameters after the last epoch under correct SGD.
  public var finalCorrected: [String: NDArray]
  /// The widths: inputs, hidden-1, hidden-2.
  public var widths: (inputs: Int, hidden1: Int, hidden2: Int)
  /// The finding, when some gradient is wrong.
  public var finding: Finding?

  static let gradients = ["B3_grad", "W3_grad", "B2_grad", "W2_grad", "B1_grad", "W1_grad"]
  static let parameters = ["B3", "W3", "B2", "W2", "B1", "W1"]

  /// Audits `experiment`'s gradients over its epochs; `trace` supplies printed W1 gradients.
  public static func run(_ experiment: Experiment, trace: Trace?) throws(ReplayEngine.Failure)
    -> GradientAudit
  {
    var engine = ReplayEngine(experiment: experiment, rendersOutput: false)
    engine.capturesEpochs = true
    let asWritten = try engine.run()
    let corrected = try ReplayEngine(
      experiment: experiment, model: .corrected, rendersOutput: false
    ).run()
    var printedW1: [Int: ArrayLiteral] = [:]
    for record in trace?.records ?? [] where record.label == "W1_grad" {
      if let epoch = record.epoch { printedW1[epoch] = record.literal }
    }

    var differences = [String: Double]()
    var fdErrors = [String: Double]()
    var kinks = [String: Int]()
    var entries: [Entry] = []
    var w1Code: [NDArray] = []
    var w1True: [NDArray] = []
    var active2: [[Int]] = []
    var active1: [[Int]] = []
    var widths = (inputs: 0, hidden1: 0, hidden2: 0)
    let fdEpochs = sampledEpochs(asWritten.epochStates.count)

    for (epoch, state) in asWritten.epochStates.enumerated() {
      guard let x = state["X"], let b1Grad = state["B1_grad"], let z1 = state["Z1"],
        let z2 = state["Z2"], let w1 = state["W1_grad"]
      else { continue }
      widths = (x.count, z1.count, z2.count)
      let truth = NDArray.outer(b1Grad, x)
      w1Code.append(w1)
      w1True.append(truth)
      active2.append(z2.scalars.indices.filter { z2.scalars[$0] > 0 })
      active1.append(z1.scalars.indices.filter { z1.scalars[$0] > 0 })
      let trueGradients = trueGradients(state, w1True: truth)
      for name in gradients {
        guard let code = state[name], let real = trueGradients[name] else { continue }
        var largest = differences[name] ?? 0
        for (a, b) in zip(code.scalars, real.scalars) { largest = max(largest, abs(a - b)) }
        if code.count != real.count { largest = .infinity }
        differences[name] = largest
      }
      if fdEpochs.contains(epoch), let inputs = LossInputs(state),
        let (_, pattern) = inputs.loss()
      {
        for (parameter, gradient) in zip(parameters, gradients) {
          guard let real = trueGradients[gradient] else { continue }
          let (error, skipped) = finiteDifferenceError(
            inputs, pattern: pattern, parameter: parameter, truth: real)
          fdErrors[gradient] = max(fdErrors[gradient] ?? 0, error)
          kinks[gradient, default: 0] += skipped
        }
      }
      let printed = printedW1[epoch]
      for flat in 0..<min(w1.count, truth.count) {
        let columns = truth.shape.count == 2 ? truth.shape[1] : max(1, truth.count)
        let index = [flat / columns, flat % columns]
        var token: String? = nil
        if let printed, flat < printed.count { token = printed.texts[flat] }
        let code = w1.scalars[flat]
        let real = truth.scalars[flat]
        entries.append(
          Entry(
            epoch: epoch, index: index, code: code, printed: token, truth: real,
            coincides: abs(code - real) <= 1e-12 * max(1, abs(real))))
      }
    }
    let checks = gradients.compactMap { name -> Check? in
      guard let difference = differences[name] else { return nil }
      return Check(
        name: name, largestDifference: difference, finiteDifferenceError: fdErrors[name] ?? 0,
        kinks: kinks[name] ?? 0, isCorrect: difference <= 1e-12)
    }
    var audit = GradientAudit(
      checks: checks, entries: entries, w1Code: w1Code, w1True: w1True,
      activeHidden2: active2, activeHidden1: active1, lossAsWritten: asWritten.losses,
      lossCorrected: corrected.losses,
      finalAsWritten: asWritten.final.filter { parameters.contains($0.key) },
      finalCorrected: corrected.final.filter { parameters.contains($0.key) },
      widths: widths, finding: nil)
    audit.finding = audit.makeFinding(experiment)
    return audit
  }

  /// The epochs whose finite differences are computed: all of a short run, else a spread.
  static func sampledEpochs(_ count: Int) -> Set<Int> {
    guard count > 12 else { return Set(0..<count) }
    return Set([0, 1, 2, count / 4, count / 2, 3 * count / 4, count - 2, count - 1])
  }

  /// The corrected backward pass on an epoch's state: every gradient as the code computes it,
  /// except W1's, which is `np.outer(B1_grad, X)`.
  static func trueGradients(_ state: [String: NDArray], w1True: NDArray) -> [String: NDArray] {
    var result: [String: NDArray] = [:]
    for name in gradients where name != "W1_grad" { result[name] = state[name] }
    result["W1_grad"] = w1True
    return result
  }

  /// What the loss depends on: the input, the target and the six parameters of an epoch.
  /// A value type of eight arrays, so a perturbed copy copies one array, not an epoch's
  /// whole state.
  struct LossInputs {
    var x, yTrue, w1, b1, w2, b2, w3, b3: NDArray

    init?(_ state: [String: NDArray]) {
      guard let x = state["X"], let yTrue = state["y_true"], let w1 = state["W1"],
        let b1 = state["B1"], let w2 = state["W2"], let b2 = state["B2"], let w3 = state["W3"],
        let b3 = state["B3"]
      else { return nil }
      (self.x, self.yTrue, self.w1, self.b1) = (x, yTrue, w1, b1)
      (self.w2, self.b2, self.w3, self.b3) = (w2, b2, w3, b3)
    }

    /// The parameter named as in `GradientAudit.parameters`.
    subscript(parameter: String) -> NDArray? {
      get {
        switch parameter {
        case "W1": w1
        case "B1": b1
        case "W2": w2
        case "B2": b2
        case "W3": w3
        case "B3": b3
        default: nil
        }
      }
      set {
        guard let newValue else { return }
        switch parameter {
        case "W1": w1 = newValue
        case "B1": b1 = newValue
        case "W2": w2 = newValue
        case "B2": b2 = newValue
        case "W3": w3 = newValue
        case "B3": b3 = newValue
        default: break
        }
      }
    }

    /// The loss `(y_true - y_pred)**2 / 2` and the activation pattern of both hidden layers.
    func loss() -> (Double, [Bool])? {
      do throws(ArrayError) {
        let z1 = try NDArray.dot(w1, x) + b1
        let h1 = NDArray.maximum(0, z1)
        let z2 = try NDArray.dot(w2, h1) + b2
        let h2 = NDArray.maximum(0, z2)
        let y = try NDArray.dot(w3, h2) + b3
        let loss = try (yTrue - y).squared() / 2
        let pattern = z1.scalars.map { $0 > 0 } + z2.scalars.map { $0 > 0 }
        return (loss.scalars.first ?? .nan, pattern)
      } catch {
        return nil
      }
    }
  }

  /// The largest relative gap between `truth` and central differences of the loss in
  /// `parameter`, and how many entries were skipped at a ReLU kink (where the activation
  /// `pattern` of `inputs` changes).
  static func finiteDifferenceError(
    _ inputs: LossInputs, pattern: [Bool], parameter: String, truth: NDArray
  ) -> (Double, Int) {
    guard let values = inputs[parameter] else { return (0, 0) }
    var worst = 0.0
    var skipped = 0
    var plus = inputs
    var minus = inputs
    for flat in 0..<values.count where flat < truth.count {
      let theta = values.scalars[flat]
      let h = 1e-6 * max(1, abs(theta))
      var perturbed = values
      perturbed.scalars[flat] = theta + h
      plus[parameter] = perturbed
      perturbed.scalars[flat] = theta - h
      minus[parameter] = perturbed
      guard let (lossPlus, patternPlus) = plus.loss(), let (lossMinus, patternMinus) = minus.loss()
      else { continue }
      if patternPlus != pattern || patternMinus != pattern {
        skipped += 1
        continue
      }
      let estimate = (lossPlus - lossMinus) / (2 * h)
      let real = truth.scalars[flat]
      worst = max(worst, abs(estimate - real) / max(1, abs(real)))
    }
    return (worst, skipped)
  }

  func makeFinding(_ experiment: Experiment) -> Finding? {
    let wrong = checks.filter { !$0.isCorrect }
    guard !wrong.isEmpty else { return nil }
    let (n, h1, h2) = (widths.inputs, widths.hidden1, widths.hidden2)
    let line = experiment.w1GradientLine
    let names = wrong.map(\.name).joined(separator: ", ")
    var details: [String] = []
    details.append(
      "\(line.cell), line \(line.line): `\(line.text.trimmingCharacters(in: .whitespaces))`")
    if case .asWritten(let reshape) = experiment.w1Gradient {
      let shapes =
        "y_diff (1,) * W3 (1,\(h2)) * (Z2>0) (\(h2),) * W2.T (\(h1),\(h2)) * "
        + "(np.reshape(Z1, \(Shape.text(reshape)))>0) \(Shape.text(reshape)) * X (\(n),)"
      details.append(
        "Broadcasting: \(shapes) gives shape (\(h1),\(max(h2, n))). Entry [i, j] is "
          + "y_diff·W3[j]·[Z2[j]>0]·W2[j, i]·[Z1[i]>0]·X[j]: hidden-2 unit j is paired with "
          + "input feature j. The true gradient is dL/dW1[i, k] = (Σ_j y_diff·W3[j]·[Z2[j]>0]"
          + "·W2[j, i])·[Z1[i]>0]·X[k] = np.outer(B1_grad, X)[i, k]: a sum over the hidden-2 "
          + "units, times feature k.")
      var widthsNote =
        "NumPy accepts the line only because the hidden-2 width equals the input width "
        + "(\(h2) = \(n))."
      let other = h2 + 1
      do throws(ArrayError) {
        _ = try Shape.broadcast([h1, other], [n])
      } catch {
        widthsNote +=
          " With \(other) hidden-2 units the same line raises: ValueError: "
          + error.message.trimmingCharacters(in: .whitespaces) + "."
      }
      widthsNote +=
        " With one hidden-2 unit it broadcasts (\(h1),1)·(\(n),) to (\(h1),\(n)) and the sum has "
        + "one term, so it happens to be right."
      details.append(widthsNote)
    }
    // Which entries coincide, and why.
    var coincidingColumns: [Int] = []
    var zeroRows: [Int] = []
    if let first = w1Code.first, first.shape.count == 2 {
      let rows = first.shape[0]
      let columns = first.shape[1]
      coincidingColumns = (0..<columns).filter { column in
        entries.filter { $0.index[1] == column }.allSatisfy(\.coincides)
      }
      zeroRows = (0..<rows).filter { row in
        entries.filter { $0.index[0] == row }.allSatisfy { $0.code == 0 && $0.truth == 0 }
      }
    }
    let alwaysActive = activeHidden2.dropFirst().reduce(Set(activeHidden2.first ?? [])) {
      $0.intersection($1)
    }
    var coincidence =
      "Only the active hidden-2 units (Z2 > 0) contribute to the true sum; in every epoch the "
      + "active hidden-2 units are \(listText(Array(alwaysActive).sorted()))"
    if activeHidden2.allSatisfy({ $0.count == 1 }) {
      coincidence +=
        " and no other, so column j of the code's gradient equals the true column "
        + "exactly when unit j is that unit"
    }
    coincidence +=
      ". Columns that coincide with the true gradient in every epoch: "
      + "\(listText(coincidingColumns)). Rows that are zero in both (hidden-1 units never "
      + "active): \(listText(zeroRows))."
    details.append(coincidence)
    let lastWritten = lossAsWritten.last ?? .nan
    let lastCorrected = lossCorrected.last ?? .nan
    details.append(
      "Cost over \(lossAsWritten.count) epochs: the loss goes from "
        + "\(format(lossAsWritten.first ?? .nan)) to \(format(lastWritten)) as written, and "
        + "to \(format(lastCorrected)) with correct SGD.")
    var parameterGaps: [(String, Evidence)] = []
    for name in GradientAudit.parameters {
      guard let a = finalAsWritten[name], let b = finalCorrected[name] else { continue }
      let gap = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
      parameterGaps.append((name, .number(gap)))
    }
    let gapText = parameterGaps.map { name, value in
      if case .number(let gap) = value { return "\(name) \(format(gap))" }
      return name
    }.joined(separator: ", ")
    details.append("Largest difference of the final parameters, as written vs correct: \(gapText).")
    for check in checks {
      details.append(
        "\(check.name): \(check.isCorrect ? "equals" : "differs from") the true gradient "
          + "(largest difference \(format(check.largestDifference))); the true gradient agrees "
          + "with central finite differences to \(format(check.finiteDifferenceError))"
          + (check.kinks > 0 ? " (\(check.kinks) entries at a ReLU kink skipped)" : ""))
    }
    let summary =
      "\(names) is not the gradient of the loss: the W1 line pairs hidden-2 unit j with input "
      + "feature j instead of summing over the hidden-2 units, which NumPy broadcasting accepts "
      + "only because \(h2) = \(n)."
    var evidence: [(String, Evidence)] = [
      ("gradient", .text("W1_grad")),
      ("cell", .text(line.cell)), ("line", .integer(line.line)),
      ("code", .text(line.text.trimmingCharacters(in: .whitespaces))),
      (
        "widths",
        .object([("inputs", .integer(n)), ("hidden1", .integer(h1)), ("hidden2", .integer(h2))])
      ),
      ("coinciding_columns", .list(coincidingColumns.map { .integer($0) })),
      ("zero_rows", .list(zeroRows.map { .integer($0) })),
      ("active_hidden2_by_epoch", .list(activeHidden2.map { .list($0.map { .integer($0) }) })),
      ("loss_as_written", .list(lossAsWritten.map { .number($0) })),
      ("loss_corrected", .list(lossCorrected.map { .number($0) })),
      ("final_parameter_gap", .object(parameterGaps)),
      (
        "checks",
        .list(
          checks.map { check in
            .object([
              ("gradient", .text(check.name)), ("correct", .flag(check.isCorrect)),
              ("largest_difference", .number(check.largestDifference)),
              ("finite_difference_error", .number(check.finiteDifferenceError)),
              ("kinks_skipped", .integer(check.kinks)),
            ])
          })
      ),
    ]
    evidence.append(
      (
        "w1_entries",
        .list(
          entries.map { entry in
            .object([
              ("epoch", .integer(entry.epoch)), ("index", .list(entry.index.map { .integer($0) })),
              ("code", .number(entry.code)), ("printed", entry.printed.map { .text($0) } ?? .null),
              ("true", .number(entry.truth)), ("coincides", .flag(entry.coincides)),
            ])
          })
      ))
    return Finding(kind: .gradientBug, summary: summary, details: details, evidence: evidence)
  }
}

func listText(_ values: [Int]) -> String {
  values.isEmpty ? "none" : values.map(String.init).joined(separator: ", ")
}

/// A short human rendering of a number (8 significant digits).
func format(_ value: Double) -> String {
  if value.isNaN { return "nan" }
  if value.isInfinite { return value < 0 ? "-inf" : "inf" }
  if value == 0 { return "0" }
  return String(format: "%.8g", value)
}
