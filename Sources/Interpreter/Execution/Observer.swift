import NumPyKit
import PythonSyntax

/// One piece of what a `print` wrote: literal text (a string constant, a separator, an
/// f-string's constant part, `end`) or a value's text (an argument, an f-string field).
public struct PrintPiece: Sendable {
  public enum Kind: Sendable, Equatable {
    case literal
    case value
  }
  public var kind: Kind
  /// The exact text written for this piece.
  public var text: String
  /// The value printed (value pieces).
  public var value: Value?
  /// The expression that produced it.
  public var range: SourceRange?
  /// Why the value cannot be reproduced (the clock, an unseeded RNG, `id()`), or nil.
  public var unverifiable: String?
  /// NumPy's print options in force when it was printed.
  public var options: PrintOptions

  /// Makes a piece.
  public init(
    kind: Kind, text: String, value: Value?, range: SourceRange?, unverifiable: String?,
    options: PrintOptions
  ) {
    self.kind = kind
    self.text = text
    self.value = value
    self.range = range
    self.unverifiable = unverifiable
    self.options = options
  }
}

/// One `print` call (or a cell's echoed last expression): its pieces, in order.
public struct PrintEvent: Sendable {
  public var pieces: [PrintPiece]
  /// The `print` call's source range.
  public var range: SourceRange?
  /// Whether this is a cell's last bare expression, shown as Jupyter's `Out[N]:` (an
  /// `execute_result`), not written to stdout.
  public var isResult = false
  /// Whether a random generator had drawn before it ran (set by the replay that forwards it).
  public var afterDraw = false
  /// The whole text written.
  public var text: String { pieces.map(\.text).joined() }
}

/// What the layers above (Trace, Verification, Explanation) watch while code runs. Every
/// method has an empty default; an interpreter without an observer pays one nil check per
/// hook.
public protocol InterpreterObserver: AnyObject {
  /// A `print` wrote `event.text` to stdout.
  func interpreter(_ interpreter: PythonInterpreter, printed event: PrintEvent)
  /// A `for` or `while` loop at `loop` starts its iteration `index` (from 0): a `for` loop's
  /// target is bound, its body not yet run.
  func interpreter(_ interpreter: PythonInterpreter, iteration index: Int, of loop: SourceRange)
  /// `target op= operand` updated an array in place (`W -= lr * g`); `value` is the array.
  func interpreter(
    _ interpreter: PythonInterpreter, updated target: PythonSyntax.Expression,
    with op: BinaryOperator, operand: PythonSyntax.Expression, value: Value)
  /// A random generator drew `count` values through `method`.
  func interpreter(
    _ interpreter: PythonInterpreter, drew count: Int, from generator: String, method: String)
  /// A NumPy generator's method was called (after `drew`), with what it takes to call it
  /// again from another seed (the seed search).
  func interpreter(_ interpreter: PythonInterpreter, drewCall call: DrawCall)
  /// An exception was raised at `location` (caught or not).
  func interpreter(
    _ interpreter: PythonInterpreter, raised error: PythonError, at location: SourceLocation?)
  /// A warning passed the filters and is shown on stderr (NumPy's `RuntimeWarning`s, a
  /// program's `warnings.warn`).
  func interpreter(_ interpreter: PythonInterpreter, warned warning: PythonWarning)
  /// `target = value` is about to run, its value not yet evaluated (told only while
  /// `watchesAssignments` is set; `evaluateAtAssignment` reads its scope).
  func interpreter(
    _ interpreter: PythonInterpreter, willAssign target: PythonSyntax.Expression,
    value: PythonSyntax.Expression)
}

extension InterpreterObserver {
  public func interpreter(_ interpreter: PythonInterpreter, printed event: PrintEvent) {}
  public func interpreter(
    _ interpreter: PythonInterpreter, iteration index: Int, of loop: SourceRange
  ) {}
  public func interpreter(
    _ interpreter: PythonInterpreter, updated target: PythonSyntax.Expression,
    with op: BinaryOperator, operand: PythonSyntax.Expression, value: Value
  ) {}
  public func interpreter(
    _ interpreter: PythonInterpreter, drew count: Int, from generator: String, method: String
  ) {}
  public func interpreter(
    _ interpreter: PythonInterpreter, raised error: PythonError, at location: SourceLocation?
  ) {}
  public func interpreter(_ interpreter: PythonInterpreter, drewCall call: DrawCall) {}
  public func interpreter(_ interpreter: PythonInterpreter, warned warning: PythonWarning) {}
  public func interpreter(
    _ interpreter: PythonInterpreter, willAssign target: PythonSyntax.Expression,
    value: PythonSyntax.Expression
  ) {}
}

extension PythonInterpreter {
  /// `print(...)` with an observer attached: the same text, split into pieces. f-string
  /// fields and non-string arguments are value pieces; string constants, an f-string's
  /// constant parts, `sep` and `end` are literal.
  func observedPrint(
    _ arguments: [PythonSyntax.Expression], keywords: [Keyword], range: SourceRange,
    in scope: Scope, observer: InterpreterObserver
  ) throws(PythonError) {
    var separator = " "
    var end = "\n"
    for keyword in keywords {
      let value = try evaluate(keyword.value, in: scope)
      switch (keyword.name, value) {
      case ("sep", .str(let text)): separator = text
      case ("end", .str(let text)): end = text
      case ("sep", .none), ("end", .none), ("flush", _), ("file", .none): break
      case ("file", _):
        throw PythonError(refusal: "retrace does not run print(file=...) to anything but stdout")
      default:
        throw PythonError.type(
          "'\(keyword.name ?? "**")' is an invalid keyword argument for print()")
      }
    }
    var pieces: [PrintPiece] = []
    func literal(_ text: String) {
      guard !text.isEmpty else { return }
      pieces.append(
        PrintPiece(
          kind: .literal, text: text, value: nil, range: nil, unverifiable: nil,
          options: printOptions))
    }
    func value(_ text: String, _ value: Value, _ range: SourceRange) {
      pieces.append(
        PrintPiece(
          kind: .value, text: text, value: value, range: range,
          unverifiable: value.unverifiableReason, options: printOptions))
    }
    for (index, argument) in arguments.enumerated() {
      if index > 0 { literal(separator) }
      switch argument.kind {
      case .constant(.string(let text, _)):
        literal(text)
      case .joinedStr(let parts):
        for part in parts {
          let (shown, formatted) = try formatPieceWithValue(part, in: scope)
          if let formatted {
            value(shown, formatted, part.range)
          } else {
            literal(shown)
          }
        }
      case .starred(let inner, _):
        for (k, item) in try iterate(try evaluate(inner, in: scope)).enumerated() {
          if k > 0 { literal(separator) }
          value(try str(item), item, inner.range)
        }
      default:
        let result = try evaluate(argument, in: scope)
        value(try str(result), result, argument.range)
      }
    }
    literal(end)
    let event = PrintEvent(pieces: pieces, range: range)
    if keepsOutput { output += event.text }
    observer.interpreter(self, printed: event)
  }
}

/// One call of a NumPy generator's method (`np.random.randn(3, 2)`, `rng.normal(size=5)`) as
/// the seed search needs it: its result, the int seed and the number of draws before it since
/// that seeding, and closures that reseed the same generator as its seeding call would with
/// another int and make the same call again (its arguments as they were evaluated).
///
/// The closures hold the generator's state, not the interpreter: they may be called after the
/// replay that made them has ended, from one thread at a time.
public struct DrawCall: @unchecked Sendable {
  /// `np.random`, `RandomState` or `Generator`.
  public let generator: String
  public let method: String
  public let result: Value
  /// The int the generator was seeded with (nil: not an int).
  public let seed: Int?
  /// How many calls it made since that seeding before this one.
  public let index: Int
  /// Seeds the generator as its seeding call would have with this int.
  public let reseed: (Int) throws(PythonError) -> Void
  /// Makes the same call again on the generator's current state.
  public let draw: () throws(PythonError) -> Value
  /// For a legacy generator (`np.random.seed(int)`, `RandomState(int)`): makes the given
  /// twisted words its next draws (`RandomState.restartBlock(withTwisted:)`, with the words
  /// `MT19937.prefixes` makes for many seeds at once), the generator marked seeded; nil for
  /// the others.
  public var restart: ((UnsafeBufferPointer<UInt32>) -> Void)? = nil
  /// For a legacy generator: its Mersenne Twister's position in its block of 624 words.
  public var position: (() -> Int)? = nil
}
