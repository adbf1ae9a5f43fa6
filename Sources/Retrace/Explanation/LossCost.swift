import Interpreter
import NumPyKit
import PythonSyntax

/// What a wrong gradient costs: the loss at each iteration of the training loop as the code is
/// written, against the same run with every confirmed fix in place (a fix is confirmed only
/// when its gradient agrees with finite differences of the loss entry by entry, so the fixed
/// run is the run with the true gradient, to the audit's tolerance).
public struct LossCost: Sendable {
  /// The loss per iteration (the value the iteration computed before its first update), as
  /// written and as fixed, over the iterations the saved output covers.
  public var written: [Double]
  public var fixed: [Double]

  /// Every how many iterations the report's points are taken (at most 1,000 points).
  public var stride: Int { max(1, (max(written.count, fixed.count) + 999) / 1_000) }

  /// A curve's points for the report: every `stride`-th iteration.
  public func points(_ values: [Double]) -> [Double] {
    Swift.stride(from: 0, to: values.count, by: stride).map { values[$0] }
  }

  /// The cost in words: where each run ends, and how far apart.
  public var summary: String {
    guard let a = written.last, let b = fixed.last else { return "no loss was recorded" }
    let iterations = min(written.count, fixed.count)
    var text =
      "over \(iterations) iteration\(iterations == 1 ? "" : "s") the loss goes from "
      + "\(format(written[0])) to \(format(a)) as written, to \(format(b)) with the fix"
    if b != 0, a.isFinite, b.isFinite, abs(a / b - 1) > 1e-3 {
      text += " (\(format(a / b)) times the fixed run's)"
    }
    return text
  }

  /// The loss per iteration of `loop` in `plan`'s replay: the whole run as the code has it,
  /// not only what the saved output covers (a run cut after its first epoch still costs what
  /// its later epochs do), up to `Recorder.maximumPoints` iterations.
  static func curve(
    _ plan: ReplayPlan, loop: GradientAudit.LoopKey, loss: String, parameters: Set<String>,
    limits: InterpreterLimits
  ) -> [Double] {
    let recorder = Recorder(loop: loop, loss: loss, parameters: parameters)
    GradientAudit.replay(plan, limits: limits, observer: recorder)
    return recorder.values
  }

  /// Reads the loss at each iteration's first update of a parameter (the audited ones: not
  /// `scores = scores - scores.max()`, which the interpreter tells as an update too).
  final class Recorder: GradientAudit.Observer {
    let loop: GradientAudit.LoopKey
    let loss: Expression
    let parameters: Set<String>
    var values: [Double] = []
    var recorded = -1
    /// The most iterations recorded: the replay stops after them.
    static let maximumPoints = 1_000

    init(loop: GradientAudit.LoopKey, loss: String, parameters: Set<String>) {
      self.loop = loop
      self.parameters = parameters
      let nowhere = SourceLocation(line: 0, column: 0)
      self.loss = Expression(.name(loss, .load), SourceRange(start: nowhere, end: nowhere))
    }

    override func updated(
      _ interpreter: PythonInterpreter, _ target: Expression, _ op: BinaryOperator,
      _ operand: Expression, _ value: Value
    ) {
      guard current == loop, let iteration = ordinal[loop], iteration > recorded,
        parameters.contains(GradientAudit.Capture.text(target))
      else { return }
      guard values.count < Self.maximumPoints else {
        interpreter.requestStop()
        return
      }
      recorded = iteration
      if let value = interpreter.evaluateAtUpdate(loss).flatMap(GradientAudit.scalar) {
        values.append(value)
      }
    }
  }
}
