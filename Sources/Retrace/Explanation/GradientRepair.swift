import Interpreter
import NumPyKit
import PythonSyntax

extension GradientAudit {
  /// The plan with the audit's confirmed gradient fixes in place of the lines they replace
  /// (`retrace verify --corrected`), nil when there are none.
  public func corrected(_ plan: ReplayPlan) -> ReplayPlan? {
    fixes.isEmpty ? nil : GradientRepair.corrected(plan, fixes)
  }
}

/// A line that makes a wrong gradient agree with finite differences of the loss.
public struct GradientFix: Sendable {
  /// The parameter whose gradient was wrong.
  public var parameter: String
  /// The statement replaced: its cell and line, its code as written and as fixed.
  public var cell: String
  public var line: Int
  public var original: String
  public var replacement: String
  /// The slip the replacement undoes (`a wrong sign`, `a missing activation derivative` …).
  public var slip: String
  /// The audited iteration compared, and how many of its compared entries agree.
  public var iteration: Int
  public var agreeing: Int
  public var compared: Int
  /// The edit itself: the cell (its index in the plan) and the range of code replaced.
  var cellIndex: Int
  var range: SourceRange
  var text: String
}

/// Finds a fix for each wrong gradient by trying the common slips' undoing — a sign, a
/// transpose, a constant factor, the axis of a sum, a missing activation derivative, the
/// pre-activation used for the activation, a sum over an axis a broadcast paired with another
/// of equal size, a vector's missing new axis — on the gradient's statement and the statements it
/// is computed from, each replayed up to the audited iteration's update: a rewrite is a fix only
/// when its gradient agrees with the finite differences of the loss there, entry by entry.
/// (retrace writes the candidates; finite differences alone accept one.)
enum GradientRepair {
  /// Candidates replayed per wrong gradient, at most.
  static let maximumCandidates = 400

  static func fixes(
    _ plan: ReplayPlan, audit: GradientAudit, loop: GradientAudit.LoopKey,
    limits: InterpreterLimits
  ) -> [GradientFix] {
    var fixes: [GradientFix] = []
    guard let first = audit.checks.map(\.iteration).min() else { return [] }
    let activations = Self.activations(in: plan)
    for check in audit.checks
    where check.iteration == first && check.isWrong && !check.entriesCompared.isEmpty {
      // A fix already found (a shared `delta`) may fix this gradient too.
      if let shared = fixes.first(where: {
        agrees(edited(plan, $0), check: check, loop: loop, iteration: first, limits: limits) != nil
      }) {
        var fix = shared
        fix.parameter = check.parameter
        fixes.append(fix)
        continue
      }
      var tried = 0
      search: for (cellIndex, site) in sites(of: check.gradient, in: plan) {
        let code = plan.cells[cellIndex].parsed.code
        guard case .assign(let targets, let value) = site.kind, let target = targets.first else {
          continue
        }
        for (range, text, slip) in candidates(value, code: code, check: check, activations) {
          tried += 1
          if tried > maximumCandidates { break search }
          var fix = GradientFix(
            parameter: check.parameter, cell: plan.cells[cellIndex].parsed.label,
            line: site.range.start.line,
            original: SourceSlice.text(code, site.range), replacement: "", slip: slip,
            iteration: first, agreeing: 0, compared: check.entriesCompared.count,
            cellIndex: cellIndex, range: range, text: text)
          guard
            let agreeing = agrees(
              edited(plan, fix), check: check, loop: loop, iteration: first, limits: limits)
          else { continue }
          // The statement as fixed: its value with the edit spliced in.
          let start = offset(value.range.start, code)
          let valueText = SourceSlice.text(code, value.range)
          fix.replacement =
            SourceSlice.text(code, target.range) + " = "
            + splice(
              valueText, at: offset(range.start, code) - start,
              offset(range.end, code) - start, text)
          fix.agreeing = agreeing
          fixes.append(fix)
          break search
        }
      }
    }
    return fixes
  }

  /// The plan with every fix applied (the fixes of one statement are one edit).
  static func corrected(_ plan: ReplayPlan, _ fixes: [GradientFix]) -> ReplayPlan? {
    var plan = plan
    var seen = Set<String>()
    // Later edits first, so that earlier ranges stay where they were.
    let order = fixes.sorted {
      ($0.cellIndex, $0.range.start.line, $0.range.start.column)
        > ($1.cellIndex, $1.range.start.line, $1.range.start.column)
    }
    for fix in order
    where seen.insert("\(fix.cellIndex):\(fix.range)").inserted {
      guard let next = edited(plan, fix) else { return nil }
      plan = next
    }
    return plan
  }

  // MARK: - Replaying a candidate

  /// How many compared entries the candidate's gradient agrees with, when all do: the replay
  /// runs up to the end of the audited iteration.
  static func agrees(
    _ plan: ReplayPlan?, check: GradientAudit.Check, loop: GradientAudit.LoopKey, iteration: Int,
    limits: InterpreterLimits
  ) -> Int? {
    guard let plan else { return nil }
    let capture = GradientAudit.Capture(loop: loop, audited: [iteration], plan: plan)
    capture.stopsAfterAudited = true
    GradientAudit.replay(plan, limits: limits, observer: capture)
    guard
      let update = capture.updates[iteration]?.first(where: {
        $0.parameterText == check.parameter && $0.line == check.updateLine
      })
    else { return nil }
    let values = update.gradient.realValues()
    let tiny = check.tiny
    for entry in check.entriesCompared {
      guard values.indices.contains(entry.flat) else { return nil }
      let analytic = update.sign * values[entry.flat]
      let error =
        abs(entry.numeric - analytic) / max(abs(entry.numeric), abs(analytic), tiny)
      if !(error < GradientAudit.tolerance) { return nil }
    }
    return check.entriesCompared.count
  }

  static func edited(_ plan: ReplayPlan, _ fix: GradientFix) -> ReplayPlan? {
    CodeSearch.edited(plan, cell: fix.cellIndex, range: fix.range, to: fix.text)
  }

  static func offset(_ location: SourceLocation, _ code: String) -> Int {
    CodeSearch.offset(of: location, in: Array(code.utf8)) ?? Int.max
  }

  /// `text` with its bytes `start..<end` replaced by `part` (unchanged when out of range).
  static func splice(_ text: String, at start: Int, _ end: Int, _ part: String) -> String {
    var bytes = Array(text.utf8)
    guard 0 <= start, start <= end, end <= bytes.count else { return text }
    bytes.replaceSubrange(start..<end, with: Array(part.utf8))
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: - Where to look

  /// The statements that assign the gradient (`dW = …`, not `a, dW = f(…)`), then those, in
  /// the same block, whose names its value uses (`delta`), nearest first, at most four.
  static func sites(of gradient: String, in plan: ReplayPlan) -> [(Int, Statement)] {
    var found: [(Int, Statement)] = []
    func assigns(_ statement: Statement, _ code: String, _ names: Set<String>) -> Bool {
      guard case .assign(let targets, _) = statement.kind, targets.count == 1 else {
        return false
      }
      return names.contains(SourceSlice.text(code, targets[0].range))
    }
    func search(_ block: [Statement], _ cell: Int, _ code: String) {
      for (index, statement) in block.enumerated() {
        if assigns(statement, code, [gradient]) {
          found.append((cell, statement))
          // Its dependencies, nearest first.
          var wanted = Set<String>()
          if case .assign(_, let value) = statement.kind { wanted = names(in: value) }
          var deps = 0
          for earlier in block[..<index].reversed() where deps < 4 {
            guard case .assign(let targets, let value) = earlier.kind, targets.count == 1,
              case .name(let name, _) = targets[0].kind, wanted.contains(name)
            else { continue }
            found.append((cell, earlier))
            wanted.remove(name)
            wanted.formUnion(names(in: value))
            deps += 1
          }
        }
        var nested = GradientAudit.blocks(of: statement)
        if case .functionDef(let definition) = statement.kind { nested.append(definition.body) }
        for inner in nested { search(inner, cell, code) }
      }
    }
    for (index, cell) in plan.cells.enumerated() {
      search(cell.parsed.module.body, index, cell.parsed.code)
    }
    return found
  }

  static func names(in expression: Expression) -> Set<String> {
    var result = Set<String>()
    visit(expression) { node in
      if case .name(let name, _) = node.kind { result.insert(name) }
    }
    return result
  }

  /// Calls `body` for `expression` and every expression inside it.
  static func visit(_ expression: Expression, _ body: (Expression) -> Void) {
    body(expression)
    switch expression.kind {
    case .binOp(let left, _, let right):
      visit(left, body)
      visit(right, body)
    case .unaryOp(_, let operand): visit(operand, body)
    case .call(let function, let arguments, let keywords):
      visit(function, body)
      for argument in arguments { visit(argument, body) }
      for keyword in keywords { visit(keyword.value, body) }
    case .attribute(let base, _, _): visit(base, body)
    case .subscript(let base, let index, _):
      visit(base, body)
      visit(index, body)
    case .compare(let left, _, let rights):
      visit(left, body)
      for right in rights { visit(right, body) }
    case .tuple(let items, _), .list(let items, _):
      for item in items { visit(item, body) }
    default: break
    }
  }

  /// An activation: `a = f(z)` for an activation-like function (`sigmoid`, `np.tanh`,
  /// `relu`, `np.maximum(0, z)` …) or `a = 1 / (1 + np.exp(-z))`; `z` when it is a name.
  struct Activation {
    var output: String
    var input: String?
  }

  static func activations(in plan: ReplayPlan) -> [Activation] {
    var found: [Activation] = []
    let words = ["sigmoid", "tanh", "relu", "logistic", "expit", "softplus", "elu", "act"]
    func walk(_ statements: [Statement]) {
      for statement in statements {
        if case .assign(let targets, let value) = statement.kind, targets.count == 1,
          case .name(let output, _) = targets[0].kind
        {
          var input: Expression?
          var isActivation = false
          switch value.kind {
          case .call(let function, let arguments, _):
            let callee = CodeSearch.calleeName(function).lowercased()
            let last = callee.split(separator: ".").last.map(String.init) ?? callee
            if words.contains(where: { last.contains($0) }) {
              isActivation = true
              input = arguments.first
            } else if last == "maximum", arguments.count == 2 {
              isActivation = true
              input = arguments[1]
            }
          case .binOp(_, .div, let right):
            if case .binOp(_, .add, let exp) = right.kind,
              case .call(let f, let args, _) = exp.kind,
              CodeSearch.calleeName(f).hasSuffix("exp")
            {
              isActivation = true
              if case .unaryOp(.uSub, let inner)? = args.first?.kind { input = inner }
            }
          default: break
          }
          if isActivation {
            var name: String?
            if case .name(let z, _)? = input?.kind { name = z }
            found.append(Activation(output: output, input: name))
          }
        }
        var nested = GradientAudit.blocks(of: statement)
        if case .functionDef(let definition) = statement.kind { nested.append(definition.body) }
        for inner in nested { walk(inner) }
      }
    }
    for cell in plan.cells { walk(cell.parsed.module.body) }
    return found
  }

  // MARK: - The candidates

  /// Rewrites of a statement's value, each as (range replaced, new text, the slip it undoes),
  /// simplest first.
  static func candidates(
    _ value: Expression, code: String, check: GradientAudit.Check, _ activations: [Activation]
  ) -> [(SourceRange, String, String)] {
    let whole = value.range
    var result: [(SourceRange, String, String)] = []
    func atom(_ expression: Expression) -> String {
      let source = SourceSlice.text(code, expression.range)
      switch expression.kind {
      case .name, .attribute, .subscript, .call, .constant: return source
      default: return "(\(source))"
      }
    }
    // A product's left operand keeps its precedence: `a @ b * c` is `(a @ b) * c`.
    func factor(_ expression: Expression) -> String {
      if case .binOp(_, let op, _) = expression.kind, [.mult, .div, .matMult].contains(op) {
        return SourceSlice.text(code, expression.range)
      }
      return atom(expression)
    }
    // The value with some of its parts replaced (ranges inside it, in any order).
    func replacing(_ parts: [(SourceRange, String)]) -> String {
      var text = SourceSlice.text(code, whole)
      let base = offset(whole.start, code)
      for (range, part) in parts.sorted(by: { offset($0.0.start, code) > offset($1.0.start, code) })
      {
        text = splice(
          text, at: offset(range.start, code) - base, offset(range.end, code) - base, part)
      }
      return text
    }
    // A wrong sign: a minus too many, or one too few.
    if case .unaryOp(.uSub, let inner) = value.kind {
      result.append((whole, SourceSlice.text(code, inner.range), "a wrong sign"))
    }
    result.append((whole, "-\(atom(value))", "a wrong sign"))
    // A constant factor, from the numbers: G = r ∇L.
    if let ratio = ratio(check) {
      let n = ratio.rounded()
      let inverse = (1 / ratio).rounded()
      if n >= 2, abs(ratio - n) < 1e-6 * n {
        result.append((whole, "\(factor(value)) / \(Int(n))", "a constant factor too many"))
      } else if inverse >= 2, abs(1 / ratio - inverse) < 1e-6 * inverse {
        result.append((whole, "\(Int(inverse)) * \(atom(value))", "a dropped constant factor"))
      }
    }
    // Transposes: one too many, one too few.
    visit(value) { node in
      switch node.kind {
      case .attribute(let base, "T", _):
        let text = node.range == whole ? SourceSlice.text(code, base.range) : atom(base)
        result.append((node.range, text, "a transpose too many"))
      case .binOp(let left, .matMult, let right):
        result.append((left.range, "\(atom(left)).T", "a missing transpose"))
        result.append((right.range, "\(atom(right)).T", "a missing transpose"))
      default: break
      }
    }
    result.append((whole, "\(atom(value)).T", "a missing transpose"))
    // A broadcast that paired two axes only because their sizes are equal: the left factor's
    // axis is one the chain rule sums over.
    visit(value) { node in
      guard case .binOp(let left, .mult, let right) = node.kind else { return }
      for axis in [0, 1] {
        result.append(
          (
            node.range,
            "np.sum(\(SourceSlice.text(code, left.range)), axis=\(axis), keepdims=True) * "
              + atom(right), "a broadcast that pairs two axes of equal size"
          ))
      }
    }
    // A vector that needed a new axis to meet a matrix's rows (`X * r[:, None]`), not its
    // columns.
    visit(value) { node in
      guard case .binOp(let left, .mult, let right) = node.kind else { return }
      for operand in [right, left] {
        // `(p - y)` is replaced with its parentheses: `(p - y)[:, None]`.
        let bytes = Array(code.utf8)
        let start = offset(operand.range.start, code)
        let end = offset(operand.range.end, code)
        var range = operand.range
        if start > 0, end < bytes.count, bytes[start - 1] == UInt8(ascii: "("),
          bytes[end] == UInt8(ascii: ")"), operand.range.start.column > 0
        {
          range = SourceRange(
            start: SourceLocation(
              line: range.start.line, column: range.start.column - 1),
            end: SourceLocation(line: range.end.line, column: range.end.column + 1))
        }
        result.append((range, "\(atom(operand))[:, None]", "a missing new axis"))
      }
    }
    // The axis of a sum (or mean).
    visit(value) { node in
      guard case .call(_, _, let keywords) = node.kind else { return }
      for keyword in keywords where keyword.name == "axis" {
        guard case .constant(.int(let axis)) = keyword.value.kind else { continue }
        for other in [0, 1, -1] where other != Int(axis) && !(axis == 1 && other == -1) {
          result.append((keyword.value.range, "\(other)", "a sum over the wrong axis"))
        }
      }
    }
    // A missing activation derivative; the pre-activation used for the activation.
    var seen = Set<String>()
    for activation in activations where seen.insert(activation.output).inserted {
      let a = activation.output
      let derivatives =
        ["\(a) * (1 - \(a))", "(1 - \(a) ** 2)", "(\(a) > 0)"]
        + (activation.input.map { ["(\($0) > 0)"] } ?? [])
      for derivative in derivatives {
        result.append(
          (whole, "\(factor(value)) * \(derivative)", "a missing activation derivative"))
      }
    }
    for activation in activations {
      guard let z = activation.input else { continue }
      // Every use of one for the other.
      var uses: [SourceRange] = []
      visit(value) { node in
        if case .name(z, _) = node.kind { uses.append(node.range) }
      }
      if uses.count > 1 {
        result.append(
          (
            whole, replacing(uses.map { ($0, activation.output) }),
            "the pre-activation `\(z)` used for the activation"
          ))
      }
      visit(value) { node in
        guard case .name(let name, _) = node.kind else { return }
        if name == z {
          result.append(
            (node.range, activation.output, "the pre-activation `\(z)` used for the activation"))
        } else if name == activation.output {
          result.append(
            (node.range, z, "the activation `\(activation.output)` used for the pre-activation"))
        }
      }
    }
    return result
  }

  /// The gradient's ratio to finite differences' when one holds over the compared entries.
  static func ratio(_ check: GradientAudit.Check) -> Double? {
    let significant = check.entriesCompared.filter { abs($0.numeric) > check.tiny }
    guard let first = significant.first else { return nil }
    let ratio = first.analytic / first.numeric
    for entry in check.entriesCompared
    where abs(entry.analytic - ratio * entry.numeric)
      > GradientAudit.tolerance * max(abs(entry.analytic), abs(ratio * entry.numeric), check.tiny)
    {
      return nil
    }
    return ratio
  }
}
