import Dispatch
import Foundation
import Interpreter
import NumPyKit
import PythonSyntax

/// The searches that change one literal of the code and replay: another seed of a seeded
/// generator (`np.random.seed`, `RandomState`, `default_rng`, `random.seed`), and another value
/// of a numeric constant (`lr = 0.05`, `epochs = 10`, `precision=4`) — the code changed after
/// the run. A candidate is replayed only as far as its first mismatch; the one that reproduces
/// the whole output is the finding.
public enum CodeSearch {
  /// A literal of the code: where it is, what it says, and what it stands for.
  struct Literal {
    enum Role {
      /// The seed of `api` (`np.random.seed`, `default_rng` …).
      case seed(api: String)
      /// The value assigned to `name` (or passed as the keyword `name`).
      case constant(name: String)
    }
    var cell: Int
    var range: SourceRange
    var text: String
    var value: Double
    var isInteger: Bool
    var role: Role
  }

  /// The literals of the plan's cells worth changing, in code order.
  static func literals(in plan: ReplayPlan) -> [Literal] {
    var found: [Literal] = []
    for (index, cell) in plan.cells.enumerated() {
      let code = cell.parsed.code
      func number(_ expression: PythonSyntax.Expression) -> (Double, Bool)? {
        switch expression.kind {
        case .constant(.int(let value)): return Double(value).isFinite ? (Double(value), true) : nil
        case .constant(.float(let value)): return (value, false)
        case .unaryOp(.uSub, let inner):
          return number(inner).map { (-$0.0, $0.1) }
        default: return nil
        }
      }
      func add(_ expression: PythonSyntax.Expression, _ role: Literal.Role) {
        guard let (value, isInteger) = number(expression) else { return }
        found.append(
          Literal(
            cell: index, range: expression.range, text: SourceSlice.text(code, expression.range),
            value: value, isInteger: isInteger, role: role))
      }
      func visit(_ expression: PythonSyntax.Expression) {
        if case .call(let function, let arguments, let keywords) = expression.kind {
          let name = Self.calleeName(function)
          if let api = Self.seedAPIs.first(where: { name.hasSuffix($0) }) {
            if let first = arguments.first {
              add(first, .seed(api: api))
            } else if let keyword = keywords.first(where: { $0.name == "seed" }) {
              add(keyword.value, .seed(api: api))
            }
          } else {
            for keyword in keywords {
              if let name = keyword.name, Self.constantKeywords.contains(name) {
                add(keyword.value, .constant(name: name))
              }
            }
          }
          for argument in arguments { visit(argument) }
          for keyword in keywords { visit(keyword.value) }
          visit(function)
        }
      }
      GradientAudit.forEachStatement(cell.parsed.module.body) { statement in
        switch statement.kind {
        case .assign(let targets, let value):
          if targets.count == 1, case .name(let name, _) = targets[0].kind {
            add(value, .constant(name: name))
          }
          visit(value)
        case .expression(let value): visit(value)
        case .for(_, let iterable, _, _):
          visit(iterable)
          if case .call(let function, let arguments, _) = iterable.kind,
            Self.calleeName(function) == "range", arguments.count == 1
          {
            add(arguments[0], .constant(name: "range"))
          }
        default: break
        }
      }
    }
    return found
  }

  static let seedAPIs = ["np.random.seed", "random.seed", "RandomState", "default_rng"]
  static let constantKeywords: Set<String> = [
    "precision", "lr", "learning_rate", "alpha", "epochs", "n_iter", "max_iter", "size",
  ]

  static func calleeName(_ expression: PythonSyntax.Expression) -> String {
    switch expression.kind {
    case .name(let name, _): return name
    case .attribute(let base, let name, _): return calleeName(base) + "." + name
    default: return ""
    }
  }

  /// The plan with `literal` replaced by `text` (nil when the cell no longer parses).
  static func edited(_ plan: ReplayPlan, _ literal: Literal, to text: String) -> ReplayPlan? {
    edited(plan, cell: literal.cell, range: literal.range, to: text)
  }

  /// The plan with the code at `range` of cell `cell` replaced by `text` (nil when the cell
  /// no longer parses).
  static func edited(_ plan: ReplayPlan, cell index: Int, range: SourceRange, to text: String)
    -> ReplayPlan?
  {
    var plan = plan
    var cell = plan.cells[index].parsed
    guard let code = splice(cell.code, range, with: text),
      let module = try? PythonParser.parse(code)
    else { return nil }
    cell.code = code
    cell.module = module
    plan.cells[index].parsed = cell
    return plan
  }

  /// `code` with the text at `range` replaced by `text` (nil when the range is not in it).
  static func splice(_ code: String, _ range: SourceRange, with text: String) -> String? {
    let bytes = Array(code.utf8)
    guard let start = offset(of: range.start, in: bytes),
      let end = offset(of: range.end, in: bytes), start <= end
    else { return nil }
    return String(decoding: bytes[..<start], as: UTF8.self) + text
      + String(decoding: bytes[end...], as: UTF8.self)
  }

  /// The byte offset of a location (1-based line, 0-based byte column) in `bytes`.
  static func offset(of location: SourceLocation, in bytes: [UInt8]) -> Int? {
    var line = 1
    var index = 0
    while line < location.line {
      guard let newline = bytes[index...].firstIndex(of: 0x0A) else { return nil }
      index = newline + 1
      line += 1
    }
    let offset = index + location.column
    return offset <= bytes.count ? offset : nil
  }

  /// Whether the plan's replay reproduces the whole saved output (stopping at its first
  /// mismatch).
  static func reproduces(
    _ plan: ReplayPlan, limits: InterpreterLimits, machine: MachineModel = .default
  ) -> Bool {
    guard
      let verification = try? NotebookVerifier.run(
        plan, limits: limits, band: false, untilFailure: true, machine: machine)
    else { return false }
    return verification.isReproduced && verification.checked > 0
  }

  // MARK: - Seeds

  /// Whether another seed could explain the mismatches: one of the first three prints made
  /// after a random draw shows a mismatch. (When those match, the draws were the code's; what
  /// differs later has another cause. A print of values that do not depend on the draws may
  /// come first, hence three.)
  static func seedCanExplain(_ verification: Verification) -> Bool {
    struct Event: Hashable {
      var cell: String
      var print: Int
      var occurrence: Int
    }
    var events: [Event] = []
    var mismatched = Set<Event>()
    for check in verification.records where check.record.afterDraw {
      let event = Event(
        cell: check.record.cell, print: check.record.print, occurrence: check.record.occurrence)
      if !events.contains(event) {
        if events.count == 3 { break }
        events.append(event)
      }
      if check.values.contains(where: { $0.verdict == .mismatch }) { mismatched.insert(event) }
    }
    return !mismatched.isEmpty
  }

  /// The seed, among 0..<`count` for each seeded generator of the code, that reproduces the
  /// whole output; `progress` is told how many seeds were tried.
  public static func seed(
    _ plan: ReplayPlan, verification: Verification, limits: InterpreterLimits = InterpreterLimits(),
    count: Int = 1_000_000, progress: ((Int, Int) -> Void)? = nil
  ) -> Finding? {
    // One large-stack thread for the whole search: each candidate's parse and replay run in
    // place on it instead of on a thread of their own (a 256 MB stack mapped and unmapped per
    // candidate was a fifth of the search's time).
    nonisolated(unsafe) let progress = progress
    return LargeStack.run(inline: false) { _ in
      searchSeeds(
        plan, verification: verification, limits: limits, count: count, progress: progress)
    }
  }

  static func searchSeeds(
    _ plan: ReplayPlan, verification: Verification, limits: InterpreterLimits, count: Int,
    progress: ((Int, Int) -> Void)?
  ) -> Finding? {
    var seeds = literals(in: plan).filter {
      if case .seed = $0.role { return $0.isInteger }
      return false
    }
    if !seedCanExplain(verification) { seeds = [] }
    let total = seeds.count * count
    var tried = 0
    for literal in seeds {
      guard case .seed(let api) = literal.role else { continue }
      var hit: Int?
      if let filter = DrawFilter.make(
        plan, literal: literal, verification: verification, limits: limits)
      {
        let (seed, count) = filteredSearch(
          plan, literal: literal, filter: filter, verification: verification, limits: limits,
          count: count, done: tried, total: total, progress: progress)
        hit = seed
        tried += count
      } else {
        for candidate in 0..<count where Double(candidate) != literal.value {
          tried += 1
          if tried % 256 == 0 { progress?(tried, total) }
          guard let edited = edited(plan, literal, to: String(candidate)),
            reproduces(edited, limits: limits, machine: verification.machineModel)
          else { continue }
          hit = candidate
          break
        }
      }
      if let candidate = hit {
        progress?(total, total)
        let cell = plan.cells[literal.cell].parsed.label
        return Finding(
          kind: .wrongSeed,
          summary:
            "The output was made with seed \(candidate), not \(literal.text): with "
            + "\(api)(\(candidate)) at \(cell) line \(literal.range.start.line), the code "
            + "reproduces every printed value.",
          details: ["seeds tried: \(tried) of \(total) (0 to \(count - 1) for each generator)"],
          evidence: [
            ("api", .text(api)), ("cell", .text(cell)),
            ("line", .integer(literal.range.start.line)),
            ("column", .integer(literal.range.start.column + 1)),
            ("seed_in_code", .text(literal.text)),
            ("seed_that_reproduces", .integer(candidate)), ("seeds_tried", .integer(tried)),
          ])
      }
    }
    progress?(total, total)
    return nil
  }

  /// Seeds 0..<`count` (but the code's) tested by `filter` on two threads, each admitted
  /// seed confirmed by a full replay: the smallest confirmed seed, and how many seeds were
  /// tried up to it (all of them when none is found).
  ///
  /// Threads take interleaved chunks; once a chunk holds a hit, later chunks are skipped, and
  /// the smallest hit wins, so the answer does not depend on the threads' timing. Each thread
  /// learns its own filter (its closures hold a generator of their own).
  static func filteredSearch(
    _ plan: ReplayPlan, literal: Literal, filter: DrawFilter, verification: Verification,
    limits: InterpreterLimits, count: Int, done: Int, total: Int,
    progress: ((Int, Int) -> Void)?
  ) -> (seed: Int?, tried: Int) {
    let workers = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))
    let chunk = 4096
    let chunks = (count + chunk - 1) / chunk
    let shared = SearchState()
    nonisolated(unsafe) let progress = progress
    nonisolated(unsafe) let first = filter
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      LargeStack.run(inline: false) { _ in
        guard
          let filter = worker == 0
            ? first
            : DrawFilter.learn(
              plan, literal: literal, verification: verification, limits: limits)
        else { return }
        var index = worker
        while index < chunks {
          if let hit = shared.hit, hit / chunk < index { break }
          let start = index * chunk
          for seed in filter.admitted(start..<min(count, start + chunk))
          where Double(seed) != literal.value {
            guard let edited = edited(plan, literal, to: String(seed)),
              reproduces(edited, limits: limits, machine: verification.machineModel)
            else { continue }
            shared.found(seed)
            break
          }
          let finished = shared.finished(min(chunk, count - start))
          progress.map { report in shared.locked { report(done + finished, total) } }
          index += workers
        }
      }
    }
    guard let seed = shared.hit else {
      return (nil, count - (literal.value >= 0 && literal.value < Double(count) ? 1 : 0))
    }
    return (seed, seed + (Double(seed) > literal.value ? 0 : 1))
  }

  /// What the search's threads share: the smallest hit and the seeds tried.
  final class SearchState: @unchecked Sendable {
    private let lock = NSLock()
    private var smallest: Int?
    private var tried = 0
    var hit: Int? { locked { smallest } }
    func found(_ seed: Int) { locked { smallest = min(smallest ?? seed, seed) } }
    func finished(_ seeds: Int) -> Int {
      locked {
        tried += seeds
        return tried
      }
    }
    func locked<T>(_ body: () -> T) -> T {
      lock.lock()
      defer { lock.unlock() }
      return body()
    }
  }

  // MARK: - Constants

  /// The values tried for a constant: nearby (a factor of 2, 5 or 10 either way; ±1 and ±2
  /// for an integer) and common ones (0.1, 0.01 … for a rate).
  static func candidates(for literal: Literal) -> [String] {
    var values: [Double] = []
    let v = literal.value
    for factor in [2.0, 0.5, 10, 0.1, 5, 0.2, 3, 1 / 3.0] { values.append(v * factor) }
    if literal.isInteger {
      values += [v + 1, v - 1, v + 2, v - 2]
      values += [10, 100, 1000, 10000, 50, 500, 5000, 20, 200, 2000]
      return Array(Set(values.map { $0.rounded() }.filter { $0 != v && $0 >= 0 })).sorted().map {
        String(Int64($0))
      }
    }
    values += [0.1, 0.01, 0.001, 0.0001, 0.05, 0.005, 0.5, 0.3, 0.03, 0.2, 0.02, 1.0]
    var seen = Set<String>()
    var texts: [String] = []
    for value in values where value != v && value.isFinite {
      let text = "\(value)"
      if seen.insert(text).inserted { texts.append(text) }
    }
    return texts
  }

  /// The constant and value that reproduce the whole output, with the constants tried.
  public static func constant(
    _ plan: ReplayPlan, limits: InterpreterLimits = InterpreterLimits(),
    machine: MachineModel = .default
  ) -> Finding? {
    let constants = literals(in: plan).filter {
      if case .constant = $0.role { return true }
      return false
    }
    var tried = 0
    for literal in constants {
      guard case .constant(let name) = literal.role else { continue }
      for text in candidates(for: literal) {
        tried += 1
        guard let edited = edited(plan, literal, to: text),
          reproduces(edited, limits: limits, machine: machine)
        else { continue }
        let cell = plan.cells[literal.cell].parsed.label
        let written = name == "range" ? "range(\(literal.text))" : "\(name) = \(literal.text)"
        let ran = name == "range" ? "range(\(text))" : "\(name) = \(text)"
        return Finding(
          kind: .codeChanged,
          summary:
            "The code changed after the run: with `\(ran)` where \(cell) line "
            + "\(literal.range.start.line) says `\(written)`, it reproduces every printed value.",
          details: ["\(tried) values of \(constants.count) constants tried"],
          evidence: [
            ("name", .text(name)), ("cell", .text(cell)),
            ("line", .integer(literal.range.start.line)),
            ("column", .integer(literal.range.start.column + 1)),
            ("value_in_code", .text(literal.text)), ("value_that_reproduces", .text(text)),
            ("values_tried", .integer(tried)),
          ])
      }
    }
    return nil
  }
}
