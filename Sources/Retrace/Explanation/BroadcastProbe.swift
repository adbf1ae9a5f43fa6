import Interpreter
import NumPyKit
import PythonSyntax

/// Where the axes of a wrong gradient come from, and which of its broadcasts pair two axes of
/// different origin only because their extents are equal (a line that pairs hidden unit j with
/// input feature j because both layers are 3 wide).
///
/// An axis's origin is found by experiment, not by a model of NumPy written into retrace: the
/// code's size literals (an integer passed to a call or held by a tuple, `n_hidden = 4`, the
/// length of a numeric list literal) are changed, all those of one size that must change
/// together for the code to run up to the gradient's line (found greedily: the literal whose
/// change lets the replay run furthest joins), and the replay stops there. The axes whose
/// extents moved are that family's. A broadcast whose two aligned axes do not move together is
/// an accident; the proof is the same replay: the line then raises NumPy's broadcast error.
/// The same families name the parameter's axes (the heat map's rows and columns) and show a
/// gradient whose axes are not its parameter's (`db1 = dA.sum(axis=1)` of a batch as large as
/// the layer), proved by the update's broadcast error.
public struct AxisOrigins: Sendable {
  /// Size literals that change together: one origin of axes.
  public struct Origin: Sendable, Equatable {
    /// The extent they set.
    public var extent: Int
    /// Each literal: what it is and where (`np.random.randn(4, 3)` (In [77] line 5)).
    public var sources: [String]
    /// Each literal's short name (`X axis 0`, `W axis 1`, `n_hidden`), in code order.
    public var names: [String]
    /// The names, joined.
    public var label: String { names.joined(separator: ", ") }
  }

  /// A broadcast (or a gradient against its parameter) that aligns two axes of different
  /// origin.
  public struct Accident: Sendable {
    /// The two operands' source (the gradient and the parameter, for an update) and shapes.
    public var left: String
    public var right: String
    public var leftShape: [Int]
    public var rightShape: [Int]
    /// The aligned axes (of each operand) and their common extent.
    public var leftAxis: Int
    public var rightAxis: Int
    public var extent: Int
    public var leftOrigin: Origin?
    public var rightOrigin: Origin?
    /// Whether it is the update pairing the gradient's axes with the parameter's.
    public var isUpdate: Bool
    /// The proof: the family changed, the extent it was given, the line that then raised and
    /// NumPy's message.
    public var changed: Origin
    public var changedTo: Int
    public var errorLine: Int
    public var error: String
  }

  public var parameter: String
  public var gradient: String
  /// The gradient's statement: its cell and line.
  public var cell: String
  public var line: Int
  /// The origin of each of the parameter's axes (nil where no size literal moves it).
  public var parameterAxes: [Origin?]
  public var accidents: [Accident]
  /// How many replays the probe ran.
  public var replays: Int

  /// The first accident, in words.
  public var explanation: String? {
    guard let accident = accidents.first else { return nil }
    func side(_ text: String, _ shape: [Int], _ axis: Int, _ origin: Origin?) -> String {
      let from = origin.map { ", size \(accident.extent) from \($0.label)" } ?? ""
      return "axis \(axis) of `\(text)` \(Self.shapeText(shape))\(from)"
    }
    let what =
      accident.isUpdate
      ? "the update of \(parameter) pairs \(side(accident.left, accident.leftShape, accident.leftAxis, accident.leftOrigin)) with \(side(accident.right, accident.rightShape, accident.rightAxis, accident.rightOrigin))"
      : "the broadcast in \(cell) line \(line) pairs \(side(accident.left, accident.leftShape, accident.leftAxis, accident.leftOrigin)) with \(side(accident.right, accident.rightShape, accident.rightAxis, accident.rightOrigin))"
    return what + ": NumPy aligns them only because both are \(accident.extent). With "
      + "\(accident.changed.label) made \(accident.changedTo) ("
      + accident.changed.sources.joined(separator: "; ") + "), line \(accident.errorLine) raises "
      + accident.error
  }

  static func shapeText(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
  }
}

enum BroadcastProbe {
  /// Replays per gradient, at most.
  static let maximumReplays = 160

  // MARK: - Size literals

  /// A literal that sets a size: an integer, or one level of a numeric list literal.
  struct SizeLiteral {
    var cell: Int
    var value: Int
    /// The edit that makes it `n`: replacements (range, text) in its cell.
    var edit: (Int) -> [(SourceRange, String)]
    var source: String
    /// A short name: the axis it sets (`W axis 1`), the name it is assigned to, or where it is.
    var name: String
  }

  static func sizeLiterals(in plan: ReplayPlan, extents: Set<Int>) -> [SizeLiteral] {
    var found: [SizeLiteral] = []
    for (index, cell) in plan.cells.enumerated() {
      let code = cell.parsed.code
      let label = cell.parsed.label
      // The name the statement assigns, and the call or list that creates its value (with a
      // scalar factor: `np.random.randn(3, 4) * 0.1`): its sizes are that name's axes.
      var owner: String?
      var creation: SourceRange?
      func place(_ range: SourceRange) -> String { "(\(label) line \(range.start.line))" }
      func name(_ within: Expression, axis: Int?) -> String? {
        guard let owner, let axis, within.range == creation else { return nil }
        return "\(owner) axis \(axis)"
      }
      func integer(_ expression: Expression, in call: Expression, axis: Int?) {
        guard case .constant(.int(let value)) = expression.kind, value >= 2, value < 1 << 20,
          extents.contains(Int(value))
        else { return }
        let range = expression.range
        let context = SourceSlice.text(code, call.range)
        found.append(
          SizeLiteral(
            cell: index, value: Int(value), edit: { [(range, String($0))] },
            source: "the \(value) of `\(context)` \(place(range))",
            name: name(call, axis: axis) ?? "the \(value) at \(label) line \(range.start.line)"))
      }
      /// A rectangular numeric list literal's lists, level by level.
      func levels(_ expression: Expression) -> [[Expression]]? {
        guard case .list(let items, _) = expression.kind, !items.isEmpty else { return nil }
        if items.allSatisfy(isNumber) { return [[expression]] }
        let inner = items.map(levels)
        guard let first = inner.first ?? nil,
          inner.allSatisfy({ $0 != nil && $0!.count == first.count })
        else { return nil }
        var result: [[Expression]] = [[expression]]
        for depth in 0..<first.count {
          let lists = inner.flatMap { $0![depth] }
          let count = itemCount(lists[0])
          guard lists.allSatisfy({ itemCount($0) == count }) else { return nil }
          result.append(lists)
        }
        return result
      }
      func list(_ expression: Expression, creation within: Expression) -> Bool {
        guard let levels = levels(expression) else { return false }
        for (depth, lists) in levels.enumerated() {
          let count = itemCount(lists[0])
          guard extents.contains(count), count >= 2 else { continue }
          let lasts: [(SourceRange, String)] = lists.compactMap { list in
            guard case .list(let items, _) = list.kind, let last = items.last else { return nil }
            return (last.range, SourceSlice.text(code, last.range))
          }
          let what = depth == 0 ? "list" : "rows of the list"
          found.append(
            SizeLiteral(
              cell: index, value: count,
              edit: { n in
                lasts.map { range, text in
                  (
                    SourceRange(start: range.end, end: range.end),
                    String(repeating: ", " + text, count: max(0, n - count))
                  )
                }
              },
              source: "the \(count)-element \(what) \(place(expression.range))",
              name: name(within, axis: depth)
                ?? "the \(what) at \(label) line \(expression.range.start.line)"))
        }
        return true
      }
      func visit(_ expression: Expression) {
        switch expression.kind {
        case .list(let items, _):
          if !list(expression, creation: expression) { items.forEach(visit) }
        case .call(let function, let arguments, let keywords):
          // `randn(4, 3)`: each integer argument is an axis; `zeros((4, 3))`: each of the
          // tuple's; `np.array([[…]])`: the list's levels.
          let allIntegers = arguments.allSatisfy {
            if case .constant(.int) = $0.kind { return true }
            return false
          }
          for (position, argument) in arguments.enumerated() {
            integer(argument, in: expression, axis: allIntegers ? position : nil)
            if case .tuple(let items, _) = argument.kind {
              for (axis, item) in items.enumerated() {
                integer(item, in: expression, axis: axis)
              }
            } else if case .list = argument.kind, list(argument, creation: expression) {
              continue
            }
            visit(argument)
          }
          for keyword in keywords where keyword.name != "axis" {
            integer(keyword.value, in: expression, axis: nil)
            if case .tuple(let items, _) = keyword.value.kind {
              for (axis, item) in items.enumerated() {
                integer(item, in: expression, axis: axis)
              }
            }
            visit(keyword.value)
          }
          visit(function)
        case .binOp(let left, let op, let right):
          visit(left)
          if op != .pow { visit(right) }
        case .unaryOp(_, let operand): visit(operand)
        case .compare(let left, _, let rights):
          visit(left)
          rights.forEach(visit)
        case .attribute(let base, _, _): visit(base)
        case .subscript(let base, _, _): visit(base)
        case .tuple(let items, _): items.forEach(visit)
        default: break
        }
      }
      /// The call or list that makes a value, under scalar factors.
      func created(_ value: Expression) -> SourceRange? {
        switch value.kind {
        case .call, .list: return value.range
        case .binOp(let left, _, let right):
          if isNumber(right) { return created(left) }
          if isNumber(left) { return created(right) }
          return nil
        default: return nil
        }
      }
      GradientAudit.forEachStatement(cell.parsed.module.body) { statement in
        owner = nil
        creation = nil
        switch statement.kind {
        case .assign(let targets, let value):
          if targets.count == 1 {
            owner = SourceSlice.text(code, targets[0].range)
            creation = created(value)
            if case .constant(.int(let number)) = value.kind, number >= 2, number < 1 << 20,
              extents.contains(Int(number))
            {
              let range = value.range
              found.append(
                SizeLiteral(
                  cell: index, value: Int(number), edit: { [(range, String($0))] },
                  source: "`\(SourceSlice.text(code, statement.range))` \(place(range))",
                  name: owner ?? "?"))
            }
          }
          visit(value)
        case .augAssign(_, _, let value), .expression(let value): visit(value)
        case .return(let value?): visit(value)
        case .for(_, let iterable, _, _): visit(iterable)
        default: break
        }
      }
    }
    return found
  }

  static func isNumber(_ expression: Expression) -> Bool {
    switch expression.kind {
    case .constant(.int), .constant(.float): return true
    case .unaryOp(.uSub, let inner), .unaryOp(.uAdd, let inner): return isNumber(inner)
    default: return false
    }
  }

  static func itemCount(_ list: Expression) -> Int {
    if case .list(let items, _) = list.kind { return items.count }
    return 0
  }

  /// The plan with several edits made (nil when a cell no longer parses).
  static func edited(_ plan: ReplayPlan, _ edits: [(cell: Int, range: SourceRange, text: String)])
    -> ReplayPlan?
  {
    var plan = plan
    for cell in Set(edits.map(\.cell)) {
      let mine = edits.filter { $0.cell == cell }.sorted {
        ($0.range.start.line, $0.range.start.column) > ($1.range.start.line, $1.range.start.column)
      }
      var parsed = plan.cells[cell].parsed
      var code = parsed.code
      for edit in mine {
        guard let next = CodeSearch.splice(code, edit.range, with: edit.text) else { return nil }
        code = next
      }
      guard let module = try? PythonParser.parse(code) else { return nil }
      parsed.code = code
      parsed.module = module
      plan.cells[cell].parsed = parsed
    }
    return plan
  }

  // MARK: - The probe replay

  /// One elementwise operation of the gradient's statement: its operands' source and shapes
  /// (nil where evaluating the operand raised).
  struct Node {
    var left: String
    var right: String
    var leftShape: [Int]?
    var rightShape: [Int]?
    /// Whether it contracts (`@`: left's last axis with right's first or second-to-last).
    var contracts: Bool
  }

  /// What one replay saw at the gradient's statement.
  struct Sight {
    var reached = false
    var nodes: [Node] = []
    var gradientShape: [Int]?
    var gradientError: String?
    var parameterShape: [Int]?
    /// The first uncaught error: its line and message.
    var errorLine: Int?
    var error: String?
    /// How far the replay ran (assignments seen), for the greedy search.
    var progress = 0
    /// Whether the parameter's update ran (after the gradient's statement).
    var updated = false

    /// Whether the replay shows the family complete: the gradient's line was reached and
    /// either ran, or raised a broadcast error; when it ran, the update ran or raised one.
    var isComplete: Bool {
      guard reached else { return false }
      if let gradientError { return isBroadcastError(gradientError) }
      if updated { return true }
      return error.map(isBroadcastError) ?? true
    }

    var score: Int { (isComplete ? 2 << 40 : reached ? 1 << 40 : 0) + progress }
  }

  static func isBroadcastError(_ message: String) -> Bool {
    message.contains("broadcast") || message.contains("mismatch in its core dimension")
      || message.contains("not aligned")
  }

  final class Watcher: GradientAudit.Observer {
    let module: Int
    let target: SourceLocation
    let valueExpression: Expression
    let code: String
    let parameter: Expression?
    let parameterText: String
    var sight = Sight()

    init(module: Int, statement: Statement, code: String, parameterText: String) {
      self.module = module
      self.code = code
      self.parameterText = parameterText
      guard case .assign(let targets, let value) = statement.kind else { fatalError() }
      target = targets[0].range.start
      valueExpression = value
      parameter =
        (try? PythonParser.parse(parameterText)).flatMap { module in
          if case .expression(let expression)? = module.body.first?.kind { return expression }
          return nil
        }
    }

    override var interpreter: PythonInterpreter? {
      didSet { interpreter?.watchesAssignments = true }
    }

    /// The first uncaught error is kept; after the gradient's line it ends the replay.
    override func cellRaised(_ error: PythonError) -> Bool {
      if sight.error == nil {
        sight.error = error.description
        sight.errorLine = error.location?.line
      }
      return sight.reached
    }

    override var isDone: Bool { sight.updated }

    override func willAssign(
      _ interpreter: PythonInterpreter, _ target: Expression, _ value: Expression
    ) {
      sight.progress += 1
      guard !sight.reached, interpreter.runningModule == module, target.range.start == self.target
      else { return }
      sight.reached = true
      func shape(_ expression: Expression) -> [Int]? {
        guard case .success(let value) = interpreter.evaluateAtAssignment(expression) else {
          return nil
        }
        if case .array(let object) = value.unmarked { return object.array.shape }
        return []
      }
      GradientRepair.visit(valueExpression) { node in
        var pair: (Expression, Expression, Bool)?
        switch node.kind {
        case .binOp(let left, let op, let right):
          switch op {
          case .add, .sub, .mult, .div, .pow, .mod, .floorDiv: pair = (left, right, false)
          case .matMult: pair = (left, right, true)
          default: break
          }
        case .compare(let left, _, let rights) where rights.count == 1:
          pair = (left, rights[0], false)
        default: break
        }
        guard let (left, right, contracts) = pair else { return }
        sight.nodes.append(
          Node(
            left: SourceSlice.text(code, left.range), right: SourceSlice.text(code, right.range),
            leftShape: shape(left), rightShape: shape(right), contracts: contracts))
      }
      switch interpreter.evaluateAtAssignment(valueExpression) {
      case .success(let value):
        if case .array(let object) = value.unmarked { sight.gradientShape = object.array.shape }
      case .failure(let error): sight.gradientError = error.description
      }
      if let parameter { sight.parameterShape = shape(parameter) }
    }

    override func updated(
      _ interpreter: PythonInterpreter, _ target: Expression, _ op: BinaryOperator,
      _ operand: Expression, _ value: Value
    ) {
      guard sight.reached, GradientAudit.Capture.text(target) == parameterText else { return }
      sight.updated = true
      interpreter.requestStop()
    }
  }

  static func look(
    _ plan: ReplayPlan, site: (cell: Int, statement: Statement), parameter: String,
    limits: InterpreterLimits
  ) -> Sight {
    let watcher = Watcher(
      module: site.cell + 1, statement: site.statement, code: plan.cells[site.cell].parsed.code,
      parameterText: parameter)
    GradientAudit.replay(plan, limits: limits, observer: watcher)
    return watcher.sight
  }

  // MARK: - The diagnosis

  /// The origins of a wrong gradient's axes and its accidents, nil when its statement is not
  /// a plain assignment or the probe sees nothing.
  static func diagnose(
    _ plan: ReplayPlan, check: GradientAudit.Check, limits: InterpreterLimits
  ) -> AxisOrigins? {
    guard let site = GradientRepair.sites(of: check.gradient, in: plan).first,
      case .assign(let targets, _) = site.1.kind, targets.count == 1
    else { return nil }
    var replays = 1
    let base = look(plan, site: (site.0, site.1), parameter: check.parameter, limits: limits)
    guard base.reached, base.gradientError == nil else { return nil }
    var extents = Set<Int>()
    for node in base.nodes {
      extents.formUnion((node.leftShape ?? []) + (node.rightShape ?? []))
    }
    extents.formUnion((base.gradientShape ?? []) + (base.parameterShape ?? []))
    extents = extents.filter { $0 > 1 }
    let literals = sizeLiterals(in: plan, extents: extents)
    guard !literals.isEmpty else { return nil }

    // The changed value: larger than every extent and every integer the code holds.
    var taken = extents
    for literal in literals { taken.insert(literal.value) }
    var changed = (taken.max() ?? 1) + 1
    while taken.contains(changed) { changed += 1 }

    func sight(_ family: [Int]) -> Sight? {
      let edits = family.flatMap { index in
        literals[index].edit(changed).map { (cell: literals[index].cell, range: $0.0, text: $0.1) }
      }
      guard replays < maximumReplays, let edited = edited(plan, edits),
        let site = GradientRepair.sites(of: check.gradient, in: edited).first
      else { return nil }
      replays += 1
      // The statement as edited (its operands are evaluated as the edited code has them).
      return look(edited, site: (site.0, site.1), parameter: check.parameter, limits: limits)
    }

    // Families, greedily: the literal that lets the replay run furthest joins.
    var families: [(members: [Int], sight: Sight)] = []
    var assigned = Set<Int>()
    for start in literals.indices where !assigned.contains(start) {
      var members = [start]
      guard var current = sight(members) else { break }
      while !current.isComplete {
        var best: (Int, Sight)?
        for other in literals.indices
        where !members.contains(other) && !assigned.contains(other)
          && literals[other].value == literals[start].value
        {
          guard let next = sight(members + [other]) else { break }
          if next.score > (best?.1.score ?? current.score) { best = (other, next) }
          if next.isComplete { break }
        }
        guard let (other, next) = best else { break }
        members.append(other)
        current = next
      }
      guard current.isComplete else { continue }
      assigned.formUnion(members)
      // Named axes first (`W axis 0`), then the literals named by their place; in code order.
      members.sort {
        (literals[$0].name.hasPrefix("the ") ? 1 : 0, $0)
          < (literals[$1].name.hasPrefix("the ") ? 1 : 0, $1)
      }
      families.append((members, current))
    }

    func origin(_ members: [Int]) -> AxisOrigins.Origin {
      AxisOrigins.Origin(
        extent: literals[members[0]].value, sources: members.map { literals[$0].source },
        names: members.map { literals[$0].name })
    }
    /// The family that moves `axis` of a shape read by `read` from each sight.
    func mover(_ axis: Int, _ read: (Sight) -> [Int]?, _ baseline: [Int]) -> Int? {
      families.firstIndex { family in
        guard let shape = read(family.sight), shape.count == baseline.count else { return false }
        return shape[axis] != baseline[axis]
      }
    }

    var result = AxisOrigins(
      parameter: check.parameter, gradient: check.gradient,
      cell: plan.cells[site.0].parsed.label, line: site.1.range.start.line, parameterAxes: [],
      accidents: [], replays: 0)
    if let shape = base.parameterShape {
      result.parameterAxes = shape.indices.map { axis in
        mover(axis, { $0.parameterShape }, shape).map { origin(families[$0].members) }
      }
    }

    // The broadcasts: aligned axes of equal extent that do not move together.
    for (index, node) in base.nodes.enumerated() {
      guard let left = node.leftShape, let right = node.rightShape, !left.isEmpty,
        !right.isEmpty
      else { continue }
      var pairs: [(Int, Int)] = []
      if node.contracts {
        pairs = [(left.count - 1, right.count == 1 ? 0 : right.count - 2)]
      } else {
        for k in 1...min(left.count, right.count) {
          pairs.append((left.count - k, right.count - k))
        }
      }
      for (la, ra) in pairs where left[la] == right[ra] && left[la] > 1 {
        let leftMover = mover(
          la, { $0.nodes.count == base.nodes.count ? $0.nodes[index].leftShape : nil }, left)
        let rightMover = mover(
          ra, { $0.nodes.count == base.nodes.count ? $0.nodes[index].rightShape : nil }, right)
        guard leftMover != rightMover, let proof = leftMover ?? rightMover else { continue }
        let family = families[proof]
        guard let message = family.sight.gradientError, isBroadcastError(message) else { continue }
        result.accidents.append(
          AxisOrigins.Accident(
            left: node.left, right: node.right, leftShape: left, rightShape: right,
            leftAxis: la, rightAxis: ra, extent: left[la],
            leftOrigin: leftMover.map { origin(families[$0].members) },
            rightOrigin: rightMover.map { origin(families[$0].members) }, isUpdate: false,
            changed: origin(family.members), changedTo: changed, errorLine: result.line,
            error: "NumPy's " + message))
      }
    }

    // The gradient against its parameter.
    if result.accidents.isEmpty, let gradient = base.gradientShape,
      let parameter = base.parameterShape, !gradient.isEmpty
    {
      for k in 1...min(gradient.count, parameter.count) {
        let ga = gradient.count - k
        let pa = parameter.count - k
        guard gradient[ga] == parameter[pa], gradient[ga] > 1 else { continue }
        let gradientMover = mover(ga, { $0.gradientShape }, gradient)
        let parameterMover = mover(pa, { $0.parameterShape }, parameter)
        guard gradientMover != parameterMover, let proof = gradientMover ?? parameterMover else {
          continue
        }
        let family = families[proof]
        guard family.sight.gradientError == nil, !family.sight.updated,
          let message = family.sight.error, isBroadcastError(message)
        else { continue }
        result.accidents.append(
          AxisOrigins.Accident(
            left: check.gradient, right: check.parameter, leftShape: gradient,
            rightShape: parameter, leftAxis: ga, rightAxis: pa, extent: gradient[ga],
            leftOrigin: gradientMover.map { origin(families[$0].members) },
            rightOrigin: parameterMover.map { origin(families[$0].members) }, isUpdate: true,
            changed: origin(family.members), changedTo: changed,
            errorLine: family.sight.errorLine ?? check.updateLine,
            error: "NumPy's " + message))
      }
    }
    result.replays = replays
    return result
  }
}
