import Interpreter
import PythonSyntax

/// How often each loop of a replay iterated and how many additive updates (`P -= …`,
/// `P += …`) ran while each was the loop whose iteration started last. The gradient audit
/// finds the training loop from it; verify's replay takes it as it runs, so the audit needs no
/// replay of its own to find the loop.
public struct LoopCensus: Sendable {
  /// A loop: the module (cell) its code is in and where it starts.
  public struct Loop: Hashable, Sendable {
    public var module: Int
    public var line: Int
    public var column: Int

    public init(module: Int, line: Int, column: Int) {
      self.module = module
      self.line = line
      self.column = column
    }
  }

  /// Iterations started so far, less one, by loop (the ordinal of the running iteration).
  public private(set) var ordinals: [Loop: Int] = [:]
  /// Additive updates by the loop whose iteration had started last.
  public private(set) var updates: [Loop: Int] = [:]
  /// The loop whose iteration started last (the innermost running one, or the last inner
  /// loop to have run).
  public private(set) var current: Loop?

  public init() {}

  /// Iterations by loop.
  public var iterations: [Loop: Int] { ordinals.mapValues { $0 + 1 } }

  /// A loop's iteration started; returns its ordinal (from 0).
  @discardableResult
  public mutating func started(_ interpreter: PythonInterpreter, _ range: SourceRange) -> (
    loop: Loop, ordinal: Int
  ) {
    let loop = Loop(
      module: interpreter.runningModule, line: range.start.line, column: range.start.column)
    current = loop
    let ordinal = ordinals[loop, default: -1] + 1
    ordinals[loop] = ordinal
    return (loop, ordinal)
  }

  /// An in-place update `target op= …` ran.
  public mutating func updated(_ op: BinaryOperator) {
    guard op == .sub || op == .add, let current else { return }
    updates[current, default: 0] += 1
  }

  /// The loop with the most additive updates (of two with as many, the first in the code)
  /// and its iteration count.
  public var trainingLoop: (loop: Loop, iterations: Int)? {
    func before(_ a: Loop, _ b: Loop) -> Bool {
      (a.module, a.line, a.column) < (b.module, b.line, b.column)
    }
    guard
      let (loop, _) = updates.max(by: {
        $0.value != $1.value ? $0.value < $1.value : before($1.key, $0.key)
      })
    else { return nil }
    return (loop, ordinals[loop, default: -1] + 1)
  }
}
