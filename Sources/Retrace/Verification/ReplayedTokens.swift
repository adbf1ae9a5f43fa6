import NumPyKit

/// A replayed value as NumPy prints it, seen as the checks compare it with a printed literal:
/// its tokens, the shape `ArrayLiteralParser` would read from its text and the index of each
/// token in the replayed array.
///
/// Arrays with at least one axis and one value are not printed at all: their tokens come from
/// `ArrayFormatter.elementTokens` (the formatter `str`/`repr` use, element by element). Other
/// values (scalars, 0-d and empty arrays) are printed and read back with the same reader.
struct ReplayedTokens {
  private enum Source {
    case tokens(ElementTokens)
    case parsed(ArrayLiteral)
  }

  private let source: Source
  /// The replayed array (a 0-d one for Python ints and floats).
  let array: NDArray
  /// The shape the reader reads from the printed text (a summary's axes count the values
  /// shown, unless `repr` states `shape=`).
  let shape: [Int]
  /// Per axis, whether the printed text shows only its first and last `edgeItems` entries.
  private let summarizedAxes: [Bool]
  /// The values shown on each side of a summarised axis' `...`.
  private let edgeItems: Int

  /// The tokens of `replayed` as printed in `form` (`nil`: its text does not read as an array).
  init?(_ replayed: ReplayedValue, form: ArrayLiteral.Form) {
    let text: String
    switch replayed.value {
    case .array(let value):
      let options = replayed.options
      let repr = form == .repr
      if !value.shape.isEmpty && value.count > 0 && options.edgeItems > 0 {
        array = value
        source = .tokens(ArrayFormatter(options: options).elementTokens(value, repr: repr))
        let edge = options.edgeItems
        edgeItems = edge
        let summarized = value.count > options.threshold
        let axes = value.shape.map { summarized && $0 > 2 * edge }
        summarizedAxes = axes
        // `repr` states the full shape (`shape=(…)`) of a summary, except in legacy 1.13.
        shape =
          repr && !options.legacy113
          ? value.shape : zip(value.shape, axes).map { $1 ? 2 * edge : $0 }
        return
      }
      let formatter = ArrayFormatter(options: options)
      text = repr ? formatter.repr(value) : formatter.string(value)
      array = value
    case .integer(let value):
      text = String(value)
      array = NDArray(unchecked: [], scalars: [Double(value)], dtype: .int64)
    case .number(let value):
      text = value.description
      array = NDArray(scalar: value)
    }
    guard let literal = try? ArrayLiteralParser(maximumCount: Int.max).parse(text) else {
      return nil
    }
    source = .parsed(literal)
    shape = literal.shape
    summarizedAxes = []
    edgeItems = 0
  }

  /// The number of tokens.
  var count: Int {
    switch source {
    case .tokens(let tokens): tokens.count
    case .parsed(let literal): literal.count
    }
  }

  /// The `ordinal`-th token.
  func text(_ ordinal: Int) -> String {
    switch source {
    case .tokens(let tokens): tokens.text(ordinal)
    case .parsed(let literal): literal.text(ofToken: ordinal)
    }
  }

  /// Whether the `ordinal`-th token is `literal`'s `ordinal`-th, byte for byte.
  func hasSameText(_ ordinal: Int, as literal: ArrayLiteral) -> Bool {
    switch source {
    case .tokens(let tokens): tokens.hasSameText(ordinal, as: literal, ordinal)
    case .parsed(let mine): mine.hasSameText(ordinal, as: literal, ordinal)
    }
  }

  /// The index in `array` of the `ordinal`-th token (for a summary, counted from the end of
  /// each summarised axis after its `...`).
  func index(_ ordinal: Int) -> [Int] {
    switch source {
    case .parsed(let literal):
      return literal.index(ofToken: ordinal).enumerated().map { axis, i in
        i < 0 && axis < array.shape.count ? array.shape[axis] + i : i
      }
    case .tokens:
      let rank = array.shape.count
      var index = [Int](repeating: 0, count: rank)
      var rest = ordinal
      for axis in stride(from: rank - 1, through: 0, by: -1) {
        let extent = summarizedAxes[axis] ? 2 * edgeItems : array.shape[axis]
        if axis == 0 {
          index[axis] = rest
        } else {
          index[axis] = rest % extent
          rest /= extent
        }
        if summarizedAxes[axis] && index[axis] >= edgeItems {
          index[axis] += array.shape[axis] - 2 * edgeItems
        }
      }
      return index
    }
  }
}
