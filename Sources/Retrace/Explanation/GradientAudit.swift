import Interpreter
import NumPyKit
import PythonSyntax

/// Whether a notebook's hand-written gradients are the gradients of its own loss, by central
/// finite differences of that loss: never by a formula written into retrace.
///
/// 1. A replay finds the training loop (the loop whose iterations update arrays the most, as
///    `P -= lr * G` or `P += -lr * G`, in the loop's body or in a function it calls) and counts
///    its iterations.
/// 2. A second replay takes a snapshot of the interpreter at the start of the audited
///    iterations (the first, the middle and the last) and keeps, at each update, the parameter
///    (the array updated), its gradient `G` (the operand's array factor) and the step.
/// 3. From each snapshot, the loop body runs again up to the statement that computes the loss
///    (a loss-like name: `loss`, `cost`, `mse`, `J` …, or `--loss NAME`), with one entry of one
///    parameter moved by ±h: `(L(p + h) - L(p - h)) / 2h` against `G`'s entry, relative error
///    `|n - a| / max(|n|, |a|, tiny)`. An entry whose one-sided slopes disagree (a ReLU, a
///    mask or `np.maximum` switching between the two runs) is a kink, excluded.
public struct GradientAudit: Sendable {
  /// One parameter's gradient at one audited iteration.
  public struct Check: Sendable {
    /// The array updated (`W`, as the update names it) and the gradient (`dW`).
    public var parameter: String
    public var gradient: String
    /// Where the update is (`In [74]`, line 4) and where the gradient is assigned, if found.
    public var updateCell: String
    public var updateLine: Int
    public var gradientCell: String?
    public var gradientLine: Int?
    /// The loop iteration (from 0, counted over the whole run).
    public var iteration: Int
    public var shape: [Int]
    /// Entries compared, agreeing, at a kink (excluded), or whose re-run failed.
    public var entries: Int
    public var agreeing: Int
    public var kinks: Int
    public var failed: Int
    /// The largest relative error, its entry, and the two values there.
    public var largestError: Double
    public var worstIndex: [Int]
    public var analytic: Double
    public var numeric: Double

    /// What the numbers say of a wrong gradient, when they say something: the gradient is the
    /// true one's negative, or the true one times a constant, or its transpose.
    public var diagnosis: String?
    /// For a wrong gradient: every compared entry's flat index, the code's value and central
    /// differences' (the report's heat map).
    public var entriesCompared: [Entry] = []
    /// The error's floor: relative errors divide by at least this.
    public var tiny: Double = 0

    /// One compared entry.
    public struct Entry: Sendable {
      public var flat: Int
      public var analytic: Double
      public var numeric: Double
    }

    /// Whether some entry disagrees with finite differences.
    public var isWrong: Bool { agreeing + kinks + failed < entries }
  }

  /// The training loop: its cell and line.
  public var loopCell: String
  public var loopLine: Int
  /// The loss's name and the line of the statement that computes it.
  public var loss: String?
  public var lossLine: Int?
  public var checks: [Check]
  /// A confirmed fix for each wrong gradient that one of the common slips explains.
  public var fixes: [GradientFix] = []
  /// For each wrong gradient: where its axes come from, and the broadcasts that pair axes of
  /// different origin (by changing the code's sizes and replaying).
  public var origins: [AxisOrigins] = []
  /// Whether the loss is an expression the loop prints under a loss-like label (`loss` is
  /// then its source), not a name it assigns.
  public var lossIsPrinted = false
  /// The loss per iteration as written and with the fixes (when a fix is confirmed).
  public var cost: LossCost?
  /// What kept parts of the audit from running.
  public var notes: [String]

  /// The relative error under which an entry agrees.
  public static let tolerance = 1e-4
  /// Entries of a parameter compared: all of a parameter this small, a seeded sample of larger.
  public static let allEntries = 1_000
  public static let sampledEntries = 200

  static let lossNames: Set<String> = [
    "j", "mse", "rmse", "mae", "error", "err", "nll", "objective", "ce", "bce", "xent", "risk",
  ]

  static func isLossName(_ name: String) -> Bool {
    let lower = name.lowercased()
    return lower.contains("loss") || lower.contains("cost") || lossNames.contains(lower)
  }

  /// Audits the notebook's training loop, or nil when it has no loop that updates arrays.
  /// `prints`: how many prints the saved output holds (its verification's records); the
  /// replays stop after them, as the verification's did (a run of 10^6 epochs whose output
  /// was cut after the first is audited over what was printed).
  /// `census`: the loops of verify's replay of the same plan, when it was taken (the audit
  /// then needs no replay of its own to find the training loop).
  public static func run(
    _ plan: ReplayPlan, limits: InterpreterLimits = InterpreterLimits(), lossName: String? = nil,
    prints: Int? = nil, census: LoopCensus? = nil
  ) -> GradientAudit? {
    // 1. The training loop and its iteration count.
    let loops: LoopCensus
    if let census {
      loops = census
    } else {
      let survey = Observer()
      survey.printLimit = prints
      replay(plan, limits: limits, observer: survey)
      loops = survey.census
    }
    guard let (loop, count) = loops.trainingLoop else { return nil }
    guard count > 0, plan.cells.indices.contains(loop.module - 1) else { return nil }
    let cell = plan.cells[loop.module - 1]
    var audit = GradientAudit(
      loopCell: cell.parsed.label, loopLine: loop.line, loss: nil, lossLine: nil, checks: [],
      notes: [])
    guard let found = Self.loopStatement(in: cell.parsed.module.body, at: loop) else {
      audit.notes.append(
        "the training loop (\(cell.parsed.label) line \(loop.line)) is not found in its cell's "
          + "code")
      return audit
    }
    let body: [Statement]
    switch found.kind {
    case .for(_, _, let statements, _), .while(_, let statements, _): body = statements
    default: return nil
    }
    let assigned = Self.lossStatements(in: body, named: lossName)
    // The loss the gradients are of is computed before the updates: one computed after them
    // (`if step % 250 == 0: loss = …` at the body's end) is a function of the updated
    // parameters, and its finite differences are not the gradient's.
    var candidates = assigned.filter { prefix, _, _ in !prefix.contains(where: Self.updates) }
    // No name holds it, but a print labels it (`print(f"epoch {e} loss {np.mean(r ** 2)}")`):
    // the printed expression is the loss.
    var shown: [String: String] = [:]
    if assigned.isEmpty, lossName == nil {
      for (prefix, statement, name, text) in Self.printedLosses(
        in: body, code: cell.parsed.code)
      where !prefix.contains(where: Self.updates) {
        candidates.append((prefix, statement, name))
        shown[name] = text
      }
    }
    if candidates.isEmpty, let (_, statement, name) = assigned.first {
      audit.notes.append(
        "no loss found before the updates: `\(name)` (line \(statement.range.start.line)) is "
          + "computed after the parameters are updated, so its finite differences are not "
          + "their gradients'; name a loss computed before them with --loss")
      return audit
    }
    guard !candidates.isEmpty else {
      audit.notes.append(
        lossName.map { "no statement of the training loop assigns `\($0)`" }
          ?? "no loss found: no statement of the training loop assigns a loss-like name (loss, "
          + "cost, mse, J …); name it with --loss")
      return audit
    }

    // 2. Snapshots and gradients at the audited iterations.
    let audited = Array(Set([0, count / 2, count - 1])).sorted()
    let capture = Capture(loop: loop, audited: Set(audited), plan: plan)
    capture.printLimit = prints
    replay(plan, limits: limits, observer: capture)
    guard let interpreter = capture.interpreter else { return audit }
    interpreter.observer = nil

    // 3. Finite differences of the loss from each snapshot: the loss is the first loss-like
    // name the body assigns a number (`err`, a vector of residuals, is not).
    var rerun: [Statement] = []
    var name = ""
    func loss(_ snapshot: InterpreterSnapshot, _ change: (() -> Void)?) -> Double? {
      interpreter.restore(snapshot)
      change?()
      do {
        try interpreter.runStatements(rerun, from: snapshot)
      } catch {
        return nil
      }
      return interpreter.value(of: name, from: snapshot).flatMap(Self.scalar)
    }
    if let first = audited.first.flatMap({ capture.snapshots[$0] }) {
      for (prefix, statement, candidate) in candidates {
        rerun = prefix + [statement]
        name = candidate
        if loss(first, nil) != nil {
          audit.loss = shown[candidate] ?? candidate
          audit.lossIsPrinted = shown[candidate] != nil
          audit.lossLine = statement.range.start.line
          break
        }
      }
    }
    guard audit.loss != nil else {
      audit.notes.append(
        "no loss found: the loss-like names the training loop assigns ("
          + candidates.map { "`\($0.2)`" }.joined(separator: ", ")
          + ") hold no number; name the loss with --loss")
      return audit
    }
    for iteration in audited {
      guard let snapshot = capture.snapshots[iteration] else { continue }
      guard let base = loss(snapshot, nil) else {
        audit.notes.append(
          "the loss `\(name)` is not a number (or its statement raises) at iteration \(iteration)")
        continue
      }
      for update in capture.updates[iteration] ?? [] {
        audit.checks.append(
          check(
            update, iteration: iteration, base: base, plan: plan,
            bind: { name, value in interpreter.bind(name, .float(value), from: snapshot) }
          ) { change in
            loss(snapshot, change)
          })
      }
    }
    if audit.checks.contains(where: \.isWrong) {
      audit.fixes = GradientRepair.fixes(
        plan, audit: audit, loop: loop, limits: limits)
      if let loss = audit.loss, !audit.lossIsPrinted,
        let corrected = GradientRepair.corrected(plan, audit.fixes),
        !audit.fixes.isEmpty
      {
        let parameters = Set(audit.checks.map(\.parameter))
        let written = LossCost.curve(
          plan, loop: loop, loss: loss, parameters: parameters, limits: limits)
        let fixed = LossCost.curve(
          corrected, loop: loop, loss: loss, parameters: parameters, limits: limits)
        if !written.isEmpty, !fixed.isEmpty {
          audit.cost = LossCost(written: written, fixed: fixed)
        }
      }
      var probed = Set<String>()
      for check in audit.checks where check.isWrong && probed.insert(check.parameter).inserted {
        if let origins = BroadcastProbe.diagnose(plan, check: check, limits: limits) {
          audit.origins.append(origins)
        }
      }
    }
    return audit
  }

  /// The audit as a JSON object: the loop, the loss, one object per check, the notes.
  public var json: String {
    let checks = checks.map { check in
      Evidence.object([
        ("parameter", .text(check.parameter)), ("gradient", .text(check.gradient)),
        ("update_cell", .text(check.updateCell)), ("update_line", .integer(check.updateLine)),
        ("gradient_cell", check.gradientCell.map(Evidence.text) ?? .null),
        ("gradient_line", check.gradientLine.map(Evidence.integer) ?? .null),
        ("iteration", .integer(check.iteration)),
        ("shape", .list(check.shape.map(Evidence.integer))), ("entries", .integer(check.entries)),
        ("agreeing", .integer(check.agreeing)), ("kinks", .integer(check.kinks)),
        ("failed", .integer(check.failed)), ("wrong", .flag(check.isWrong)),
        ("largest_relative_error", .number(check.largestError)),
      ])
    }
    return Evidence.object([
      ("loop_cell", .text(loopCell)), ("loop_line", .integer(loopLine)),
      ("loss", loss.map(Evidence.text) ?? .null),
      ("loss_line", lossLine.map(Evidence.integer) ?? .null), ("checks", .list(checks)),
      ("notes", .list(notes.map(Evidence.text))),
    ]).json
  }

  /// Whether a value is a float (Python's or NumPy's float64): a scalar parameter.
  static func isFloat(_ value: Value) -> Bool {
    switch value.unmarked {
    case .float: return true
    case .npScalar(let scalar): return scalar.dtype == .float64
    default: return false
    }
  }

  /// The value of a loss: a number, or an array of one element.
  static func scalar(_ value: Value) -> Double? {
    switch value.unmarked {
    case .float(let x): return x
    case .int(let n): return Double(n)
    case .npScalar(let scalar): return scalar.real
    case .array(let object):
      guard object.array.count == 1, let element = object.array.onlyElement else { return nil }
      return element.real
    default: return nil
    }
  }

  /// Compares one update's gradient with central differences of the loss.
  static func check(
    _ update: Capture.Update, iteration: Int, base: Double, plan: ReplayPlan,
    bind: @escaping (String, Double) -> Void, loss: ((() -> Void)?) -> Double?
  ) -> Check {
    // The parameter's entries: an array's, in place; a scalar's, by binding its name.
    let shape: [Int]
    let count: Int
    let read: (Int) -> Double
    let write: (Int, Double) -> Void
    if let parameter = update.parameter {
      let target = parameter.array
      let offsets = target.offsets()
      shape = target.shape
      count = offsets.count
      read = { target.storage.reals[offsets[$0]] }
      write = { target.storage.reals[offsets[$0]] = $1 }
    } else {
      let name = update.parameterText
      let value = update.scalar
      shape = []
      count = 1
      read = { _ in value }
      write = { bind(name, $1) }
    }
    let gradient = update.gradient.realValues()
    var indices = Array(0..<count)
    if indices.count > allEntries {
      var generator = SplitMix(seed: 0x5EED)
      indices.shuffle(using: &generator)
      indices = Array(indices.prefix(sampledEntries)).sorted()
    }
    let cell = plan.cells.indices.contains(update.module - 1) ? plan.cells[update.module - 1] : nil
    var result = Check(
      parameter: update.parameterText, gradient: update.gradientText,
      updateCell: cell?.parsed.label ?? "?", updateLine: update.line, gradientCell: nil,
      gradientLine: nil, iteration: iteration, shape: shape, entries: indices.count,
      agreeing: 0, kinks: 0, failed: 0, largestError: 0, worstIndex: [], analytic: 0, numeric: 0,
      diagnosis: nil)
    if let (label, line) = Self.assignment(of: update.gradientText, in: plan) {
      result.gradientCell = label
      result.gradientLine = line
    }
    let tiny = 1e-7 * max(1, abs(base))
    result.tiny = tiny
    // The compared entries' two values, by flat index, for the diagnosis.
    var pairs: [Int: (analytic: Double, numeric: Double)] = [:]
    for k in indices {
      let p = read(k)
      let h = 1e-5 * max(1, abs(p))
      guard let plus = loss({ write(k, p + h) }), let minus = loss({ write(k, p - h) }) else {
        result.failed += 1
        continue
      }
      let numeric = (plus - minus) / (2 * h)
      let analytic = update.sign * gradient[k]
      // A kink (a ReLU, a mask, np.maximum switching): the one-sided slopes disagree, and stay
      // apart as h shrinks (curvature's gap shrinks with h).
      let gap = (plus - base) / h - (base - minus) / h
      if abs(gap) > 1e-2 * max(abs(plus - base) / h, abs(base - minus) / h, tiny) {
        guard let plus4 = loss({ write(k, p + h / 4) }), let minus4 = loss({ write(k, p - h / 4) })
        else {
          result.failed += 1
          continue
        }
        let gap4 = (plus4 - base) / (h / 4) - (base - minus4) / (h / 4)
        if abs(gap4) > 0.5 * abs(gap) {
          result.kinks += 1
          continue
        }
      }
      let error = abs(numeric - analytic) / max(abs(numeric), abs(analytic), tiny)
      pairs[k] = (analytic, numeric)
      if error < tolerance { result.agreeing += 1 }
      if error > result.largestError || result.worstIndex.isEmpty {
        result.largestError = error
        result.worstIndex = Self.index(k, shape: shape)
        result.analytic = analytic
        result.numeric = numeric
      }
    }
    if result.isWrong {
      result.diagnosis = diagnose(pairs, shape: shape, tiny: tiny)
      result.entriesCompared = pairs.keys.sorted().map {
        Check.Entry(flat: $0, analytic: pairs[$0]!.analytic, numeric: pairs[$0]!.numeric)
      }
    }
    return result
  }

  /// The relation between a wrong gradient and finite differences, when one holds for every
  /// compared entry (within the audit's tolerance): `G = -∇L` (a wrong sign), `G = c·∇L` (a
  /// dropped or extra constant factor), or `G = ∇Lᵀ` (a transpose too many or too few).
  static func diagnose(
    _ pairs: [Int: (analytic: Double, numeric: Double)], shape: [Int], tiny: Double
  ) -> String? {
    guard pairs.count >= 1 else { return nil }
    func close(_ a: Double, _ b: Double) -> Bool {
      abs(a - b) <= tolerance * max(abs(a), abs(b), tiny)
    }
    // A constant ratio over the entries where the true gradient is not 0.
    let significant = pairs.values.filter { abs($0.numeric) > tiny }
    if significant.count >= 2 {
      let ratio =
        significant[significant.startIndex].analytic
        / significant[significant.startIndex].numeric
      let constant = pairs.values.allSatisfy { close($0.analytic, ratio * $0.numeric) }
      if constant && abs(ratio) > 1e-12 {
        if close(ratio, -1) {
          return "its every entry is the negative of the loss's gradient: a wrong sign"
        }
        return "its every entry is \(format(ratio)) times the loss's gradient: a constant factor "
          + (abs(ratio) < 1 ? "dropped" : "too many")
      }
    }
    // The transpose of a square matrix's gradient.
    if shape.count == 2, shape[0] == shape[1], pairs.count == shape[0] * shape[1] {
      let n = shape[0]
      let transposed = (0..<n).allSatisfy { i in
        (0..<n).allSatisfy { j in
          guard let a = pairs[i * n + j], let b = pairs[j * n + i] else { return false }
          return close(a.analytic, b.numeric)
        }
      }
      if transposed { return "it is the transpose of the loss's gradient" }
    }
    return nil
  }

  static func index(_ flat: Int, shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
      index[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return index
  }

  // MARK: - The code

  /// The `for`/`while` statement at `loop`, found among a cell's statements outside functions.
  static func loopStatement(in statements: [Statement], at loop: LoopKey) -> Statement? {
    for statement in statements {
      if statement.range.start.line == loop.line && statement.range.start.column == loop.column {
        switch statement.kind {
        case .for, .while: return statement
        default: break
        }
      }
      var nested = blocks(of: statement)
      switch statement.kind {
      case .functionDef(let definition): nested.append(definition.body)
      case .classDef(let definition): nested.append(definition.body)
      default: break
      }
      for block in nested {
        if let found = loopStatement(in: block, at: loop) { return found }
      }
    }
    return nil
  }

  /// The single-name assignments of the training loop's body (nested blocks included, not
  /// functions), the last of each name.
  static func definitions(in plan: ReplayPlan, loop: LoopKey) -> [String: Expression] {
    guard plan.cells.indices.contains(loop.module - 1),
      let found = loopStatement(in: plan.cells[loop.module - 1].parsed.module.body, at: loop)
    else { return [:] }
    var result: [String: Expression] = [:]
    func walk(_ statements: [Statement]) {
      for statement in statements {
        if case .assign(let targets, let value) = statement.kind, targets.count == 1,
          case .name(let name, _) = targets[0].kind
        {
          result[name] = value
        }
        for block in blocks(of: statement) { walk(block) }
      }
    }
    walk(blocks(of: found).first ?? [])
    return result
  }

  /// The name the audit binds a printed loss to in its re-runs.
  static let printedLossName = "retrace_printed_loss"

  /// The expressions the loop body prints under a loss-like label (`print("loss", e)`,
  /// `print(f"… loss: {e:.4f}")`), each as an assignment to `printedLossName` where the print
  /// is, with the top-level statements before it and the expression's source.
  static func printedLosses(in body: [Statement], code: String) -> [(
    [Statement], Statement, String, String
  )] {
    func labelled(_ text: String) -> Bool {
      let word = text.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "_" }).last
      return word.map { isLossName(String($0)) } ?? false
    }
    func expressions(_ statement: Statement) -> [Expression] {
      guard case .expression(let call) = statement.kind,
        case .call(let function, let arguments, _) = call.kind,
        case .name("print", _) = function.kind
      else { return [] }
      var found: [Expression] = []
      for (index, argument) in arguments.enumerated() {
        if case .constant(.string(let text, _)) = argument.kind, labelled(text),
          arguments.indices.contains(index + 1)
        {
          found.append(arguments[index + 1])
        }
        if case .joinedStr(let parts) = argument.kind {
          for (k, part) in parts.enumerated() where k > 0 {
            guard case .formattedValue(let value, _, _) = part.kind,
              case .constant(.string(let text, _)) = parts[k - 1].kind, labelled(text)
            else { continue }
            found.append(value)
          }
        }
      }
      return found
    }
    var result: [([Statement], Statement, String, String)] = []
    func search(_ statements: [Statement], prefix: [Statement]) {
      for statement in statements {
        for value in expressions(statement) {
          let name = "\(printedLossName)_\(result.count)"
          let target = Expression(.name(name, .store), statement.range)
          let assign = Statement(.assign(targets: [target], value: value), statement.range)
          result.append((prefix, assign, name, SourceSlice.text(code, value.range)))
        }
        for block in blocks(of: statement) { search(block, prefix: prefix) }
      }
    }
    for (index, statement) in body.enumerated() {
      search([statement], prefix: Array(body[..<index]))
    }
    return result
  }

  /// Whether a statement (or one nested in it) updates a name as a parameter is updated:
  /// `P -= …`, `P += …`, `P = P - …`.
  static func updates(_ statement: Statement) -> Bool {
    // A step is a product (`lr * g`, `-lr * g`) or a step's name (`W -= step`); `i += 1` and
    // `scores = scores - scores.max(…)` are not updates of parameters.
    func isStep(_ value: Expression) -> Bool {
      switch value.kind {
      case .binOp(_, let op, _): return op == .mult || op == .div
      case .unaryOp(.uSub, let inner): return isStep(inner)
      case .name: return true
      default: return false
      }
    }
    switch statement.kind {
    case .augAssign(_, let op, let value) where op == .sub || op == .add: return isStep(value)
    case .assign(let targets, let value):
      if targets.count == 1, case .name(let name, _) = targets[0].kind,
        case .binOp(let left, let op, let right) = value.kind, op == .sub || op == .add,
        case .name(name, _) = left.kind
      {
        return isStep(right)
      }
      return false
    default: return blocks(of: statement).contains { $0.contains(where: updates) }
    }
  }

  /// Calls `body` for each statement, in code order, and then for those nested in it: its
  /// blocks and a function definition's body.
  static func forEachStatement(_ statements: [Statement], _ body: (Statement) -> Void) {
    for statement in statements {
      body(statement)
      if case .functionDef(let definition) = statement.kind {
        forEachStatement(definition.body, body)
      }
      for block in blocks(of: statement) { forEachStatement(block, body) }
    }
  }

  /// The nested blocks of a statement that run in its scope (not a function's or class's).
  static func blocks(of statement: Statement) -> [[Statement]] {
    switch statement.kind {
    case .for(_, _, let body, let orelse), .while(_, let body, let orelse),
      .if(_, let body, let orelse):
      return [body, orelse]
    case .with(_, let body): return [body]
    case .try(let body, let handlers, let orelse, let finalbody):
      return [body] + handlers.map(\.body) + [orelse, finalbody]
    default: return []
    }
  }

  /// The statements of `body` (in order, nested blocks included) that assign a loss-like name
  /// (or `wanted`), each with the top-level statements before the one holding it, and the name.
  static func lossStatements(in body: [Statement], named wanted: String?) -> [(
    [Statement], Statement, String
  )] {
    func assigned(_ statement: Statement) -> String? {
      var targets: [Expression] = []
      switch statement.kind {
      case .assign(let list, _): targets = list
      case .annAssign(let target, _, let value, _) where value != nil: targets = [target]
      default: return nil
      }
      var names: [String] = []
      func collect(_ expression: Expression) {
        switch expression.kind {
        case .name(let name, _): names.append(name)
        case .tuple(let items, _), .list(let items, _): items.forEach(collect)
        default: break
        }
      }
      targets.forEach(collect)
      if let wanted { return names.contains(wanted) ? wanted : nil }
      return names.first(where: isLossName)
    }
    var found: [([Statement], Statement, String)] = []
    func search(_ statements: [Statement], prefix: [Statement]) {
      for statement in statements {
        if let name = assigned(statement) { found.append((prefix, statement, name)) }
        for block in blocks(of: statement) { search(block, prefix: prefix) }
      }
    }
    for (index, statement) in body.enumerated() {
      search([statement], prefix: Array(body[..<index]))
    }
    return found
  }

  /// Where `text` (a gradient's name, `dW`, or `grads["W"]`) is first assigned, in any
  /// cell, functions included.
  static func assignment(of text: String, in plan: ReplayPlan) -> (String, Int)? {
    func search(_ statements: [Statement], _ code: String) -> Int? {
      for statement in statements {
        if case .assign(let targets, _) = statement.kind {
          var flat: [Expression] = []
          for target in targets {
            if case .tuple(let items, _) = target.kind {
              flat += items
            } else {
              flat.append(target)
            }
          }
          if flat.contains(where: { SourceSlice.text(code, $0.range) == text }) {
            return statement.range.start.line
          }
        }
        var nested = blocks(of: statement)
        if case .functionDef(let definition) = statement.kind { nested.append(definition.body) }
        for block in nested {
          if let line = search(block, code) { return line }
        }
      }
      return nil
    }
    for cell in plan.inFileOrder.cells {
      if let line = search(cell.parsed.module.body, cell.parsed.code) {
        return (cell.parsed.label, line)
      }
    }
    return nil
  }

  // MARK: - Replays

  /// A loop: the module (cell) its code is in and where it starts.
  typealias LoopKey = LoopCensus.Loop

  /// Runs the plan's cells through one interpreter, as `NotebookReplay` does (an exception
  /// ends its cell), with `observer` attached; stops at a refusal.
  static func replay(_ plan: ReplayPlan, limits: InterpreterLimits, observer: Observer) {
    let interpreter = PythonInterpreter(limits: limits)
    interpreter.keepsOutput = false
    interpreter.warningsPerModule = plan.form != .log
    interpreter.observer = observer
    observer.interpreter = interpreter
    for cell in plan.cells {
      do throws(PythonError) {
        _ = try interpreter.run(cell.parsed.module, echoingLast: false)
      } catch {
        if error.typeName == nil { break }
        if observer.cellRaised(error) || plan.form == .log { break }
      }
      if observer.isDone { break }
    }
  }

  class Observer: InterpreterObserver {
    var interpreter: PythonInterpreter?
    /// A cell ended in an exception: whether the replay stops there (a log's run always does).
    func cellRaised(_ error: PythonError) -> Bool { false }
    /// Whether the replay has seen what it was for (its later cells are not run).
    var isDone: Bool { false }
    /// The replay stops after this many prints (the saved output's), when set.
    var printLimit: Int?
    var prints = 0

    func interpreter(_ interpreter: PythonInterpreter, printed event: PrintEvent) {
      prints += 1
      if let printLimit, prints > printLimit { interpreter.requestStop() }
    }
    /// The loops' iterations and updates so far.
    var census = LoopCensus()
    /// The loop whose iteration started last (the innermost running one).
    var current: LoopKey? { census.current }
    /// The running iteration of each loop (from 0).
    var ordinal: [LoopKey: Int] { census.ordinals }

    func interpreter(_ interpreter: PythonInterpreter, iteration index: Int, of loop: SourceRange) {
      let (key, ordinal) = census.started(interpreter, loop)
      started(key, ordinal)
    }

    func started(_ loop: LoopKey, _ ordinal: Int) {}

    // The protocol's requirement is met here, in the class that conforms, so that the
    // subclasses' overrides are the ones called.
    func interpreter(
      _ interpreter: PythonInterpreter, updated target: Expression, with op: BinaryOperator,
      operand: Expression, value: Value
    ) {
      census.updated(op)
      updated(interpreter, target, op, operand, value)
    }

    func updated(
      _ interpreter: PythonInterpreter, _ target: Expression, _ op: BinaryOperator,
      _ operand: Expression, _ value: Value
    ) {}

    func interpreter(
      _ interpreter: PythonInterpreter, willAssign target: Expression, value: Expression
    ) {
      willAssign(interpreter, target, value)
    }

    func willAssign(_ interpreter: PythonInterpreter, _ target: Expression, _ value: Expression) {}
  }

  /// Snapshots at the audited iterations' starts and the updates made in them.
  final class Capture: Observer {
    struct Update {
      /// The array updated; nil for a scalar parameter (a name bound to a float, `b`).
      var parameter: ArrayObject?
      var parameterText: String
      /// A scalar parameter's value before the update.
      var scalar: Double = 0
      var gradient: StridedArray
      var gradientText: String
      /// +1 when the update descends along `G` (`P -= lr * G`, `P += -lr * G`), -1 when it
      /// climbs along it (`P += lr * G`: G is the loss's negative gradient).
      var sign: Double
      var module: Int
      var line: Int
    }
    let loop: LoopKey
    let audited: Set<Int>
    var auditing: Int?
    /// Whether the replay stops when the loop's iteration after the last audited one starts.
    var stopsAfterAudited = false
    var snapshots: [Int: InterpreterSnapshot] = [:]
    var updates: [Int: [Update]] = [:]

    /// The training loop body's assignments by name (the last one wins): an update by a step
    /// computed elsewhere (`step = lr * dW; W -= step`) is read through them.
    var definitions: [String: Expression] = [:]

    init(loop: LoopKey, audited: Set<Int>, plan: ReplayPlan? = nil) {
      self.loop = loop
      self.audited = audited
      if let plan { definitions = GradientAudit.definitions(in: plan, loop: loop) }
    }

    override func started(_ key: LoopKey, _ ordinal: Int) {
      guard key == loop else { return }
      if stopsAfterAudited, let last = audited.max(), ordinal > last {
        interpreter?.requestStop()
        auditing = nil
        return
      }
      auditing = audited.contains(ordinal) ? ordinal : nil
      if let auditing, let interpreter { snapshots[auditing] = interpreter.snapshot() }
    }

    override func updated(
      _ interpreter: PythonInterpreter, _ target: Expression, _ op: BinaryOperator,
      _ operand: Expression, _ value: Value
    ) {
      guard let auditing, current == loop, op == .sub || op == .add else { return }
      if case .name = target.kind, let before = interpreter.updatedFrom,
        GradientAudit.isFloat(before), let value = GradientAudit.scalar(before)
      {
        scalarUpdate(interpreter, target, op, operand, before: value, iteration: auditing)
        return
      }
      guard case .array(let parameter)? = interpreter.updatedFrom?.unmarked,
        parameter.array.dtype == .float64
      else { return }
      // The gradient: the operand's one array factor of the parameter's shape, the rest a
      // scalar step (`lr * G`, `G * lr`, `lr * G / m`, `-lr * G`).
      // (An array that broadcasts to the parameter's shape with as many elements counts: the
      // update `W -= lr * g` of a (1, 3) array by a (3,) one.)
      let shape = parameter.array.shape
      func fits(_ array: StridedArray) -> Bool {
        array.count == parameter.array.count && array.dtype.isFloat
          && Shape.broadcastIfCompatible(array.shape, shape) == shape
      }
      guard let step = interpreter.evaluateAtUpdate(operand).flatMap(Self.array), fits(step)
      else { return }
      // A step computed elsewhere: `step = lr * dW` then `W -= step` is `W -= lr * dW`; an
      // accumulator (`v = mu * v - lr * dW; W += v`, momentum) is no gradient step: not audited.
      var factorsOf = operand
      var named: String?
      if case .name(let name, _) = operand.kind, let definition = definitions[name] {
        if GradientRepair.names(in: definition).contains(name) { return }
        if let gradient = Self.withoutStep(definition) {
          factorsOf = definition
          // Named by the gradient's own name when the step is `lr * grad`.
          if case .name(let inner, _) = gradient.kind { named = inner } else { named = name }
        }
      }
      var factors: [Expression] = []
      Self.leaves(factorsOf, into: &factors)
      if named != nil {
        // The step's factors without the step size are the gradient (`lr * X.T @ r / n`).
        factors = [Self.withoutStep(factorsOf)].compactMap { $0 }
      }
      let candidates = factors.filter { leaf in
        interpreter.evaluateAtUpdate(leaf).flatMap(Self.array).map(fits) ?? false
      }
      guard candidates.count == 1, let leaf = candidates.first,
        let gradient = interpreter.evaluateAtUpdate(leaf).flatMap(Self.array)?.broadcast(
          to: shape
        ).copy()
      else { return }
      // `W -= lr * v` of a velocity `v = mu * v + dW`: an accumulator, not a gradient.
      if case .name(let name, _) = leaf.kind, let definition = definitions[name],
        GradientRepair.names(in: definition).contains(name)
      {
        return
      }
      // The step's factor: step / G where G is not 0, the same everywhere.
      let g = gradient.realValues()
      let s = step.broadcast(to: shape).realValues()
      var factor: Double?
      for (a, b) in zip(s, g) where b != 0 && a.isFinite && b.isFinite {
        let ratio = a / b
        if let factor, abs(ratio - factor) > 1e-9 * abs(factor) { return }
        factor = factor ?? ratio
      }
      guard let factor, factor != 0 else { return }
      let descends = (op == .sub) == (factor > 0)
      let code = interpreter.runningModule
      updates[auditing, default: []].append(
        Update(
          parameter: parameter, parameterText: Self.text(target), gradient: gradient,
          gradientText: named ?? Self.text(leaf), sign: descends ? 1 : -1, module: code,
          line: target.range.start.line))
    }

    /// A product with its step-size factor taken out (`lr * G / n` → `G / n`), nil when it has
    /// none.
    static func withoutStep(_ expression: Expression) -> Expression? {
      func isStep(_ e: Expression) -> Bool {
        switch e.kind {
        case .name(let name, _): return stepNames.contains(name.lowercased())
        case .unaryOp(.uSub, let inner): return isStep(inner)
        default: return false
        }
      }
      guard case .binOp(let left, let op, let right) = expression.kind else { return nil }
      switch op {
      case .mult:
        if isStep(left) { return right }
        if isStep(right) { return left }
        if let inner = withoutStep(left) {
          return Expression(.binOp(inner, .mult, right), expression.range)
        }
        return nil
      case .div:
        guard let inner = withoutStep(left) else { return nil }
        return Expression(.binOp(inner, .div, right), expression.range)
      default: return nil
      }
    }

    /// Names of a step size, not of a gradient (`b -= lr * db`: `db` is the gradient).
    static let stepNames: Set<String> = [
      "lr", "alpha", "eta", "learning_rate", "learningrate", "step", "step_size", "rate", "mu",
    ]

    /// `b -= lr * db` of a float `b`: the gradient is the one factor that is not a constant or
    /// a step size's name.
    func scalarUpdate(
      _ interpreter: PythonInterpreter, _ target: Expression, _ op: BinaryOperator,
      _ operand: Expression, before: Double, iteration: Int
    ) {
      var factors: [Expression] = []
      Self.leaves(operand, into: &factors)
      let candidates = factors.filter { leaf in
        if case .constant = leaf.kind { return false }
        if case .name(let name, _) = leaf.kind, Self.stepNames.contains(name.lowercased()) {
          return false
        }
        return interpreter.evaluateAtUpdate(leaf).flatMap(GradientAudit.scalar) != nil
      }
      guard candidates.count == 1, let leaf = candidates.first,
        let g = interpreter.evaluateAtUpdate(leaf).flatMap(GradientAudit.scalar),
        let step = interpreter.evaluateAtUpdate(operand).flatMap(GradientAudit.scalar),
        g != 0, step != 0, g.isFinite, step.isFinite
      else { return }
      let descends = (op == .sub) == (step / g > 0)
      updates[iteration, default: []].append(
        Update(
          parameter: nil, parameterText: Self.text(target), scalar: before,
          gradient: StridedArray(shape: [], reals: [g]), gradientText: Self.text(leaf),
          sign: descends ? 1 : -1, module: interpreter.runningModule,
          line: target.range.start.line))
    }

    static func array(_ value: Value) -> StridedArray? {
      if case .array(let object) = value.unmarked { return object.array }
      return nil
    }

    /// The factors of a product (`lr * G / m`: lr, G, m; `-lr * G`: lr, G).
    static func leaves(_ expression: Expression, into result: inout [Expression]) {
      switch expression.kind {
      case .binOp(let left, .mult, let right):
        leaves(left, into: &result)
        leaves(right, into: &result)
      case .binOp(let left, .div, let right):
        leaves(left, into: &result)
        result.append(right)
      case .unaryOp(.uSub, let operand):
        leaves(operand, into: &result)
      default:
        result.append(expression)
      }
    }

    /// An expression's source, as the code writes it (names, attributes, subscripts).
    static func text(_ expression: Expression) -> String {
      switch expression.kind {
      case .name(let name, _): return name
      case .attribute(let base, let name, _): return "\(text(base)).\(name)"
      case .subscript(let base, let index, _): return "\(text(base))[\(text(index))]"
      case .constant(.string(let value, _)): return "\"\(value)\""
      case .constant(let constant): return "\(constant)"
      default: return "…"
      }
    }
  }
}

/// SplitMix64: the audit's seeded sample of a large parameter's entries.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
