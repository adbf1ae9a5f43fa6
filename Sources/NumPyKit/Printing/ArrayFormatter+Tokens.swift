#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The element tokens of a printed array: the text of each value shown, without the line
/// layout, column padding, separators or brackets (`-0.`, `1.23911839e-11`, `True`).
///
/// Stored as one byte buffer and the end of each token, so that making them allocates two
/// arrays whatever the number of values.
public struct ElementTokens: Sendable, Equatable {
  /// The bytes of every token, one after the other.
  var bytes: [UInt8] = []
  /// Per token: where it ends in `bytes`.
  var ends: [Int] = []

  /// The number of tokens.
  public var count: Int { ends.count }

  /// The byte range of the `ordinal`-th token in `bytes`.
  @inline(__always) func range(_ ordinal: Int) -> Range<Int> {
    (ordinal == 0 ? 0 : ends[ordinal - 1])..<ends[ordinal]
  }

  /// The `ordinal`-th token, e.g. `-0.` or `1.23911839e-11`.
  public func text(_ ordinal: Int) -> String {
    String(decoding: bytes[range(ordinal)], as: UTF8.self)
  }

  /// Every token (an array made on each call: see `text(_:)`).
  public var texts: [String] { ends.indices.map(text) }

  /// Whether the `ordinal`-th token is printed exactly as `literal`'s `literalOrdinal`-th,
  /// byte for byte, without making strings.
  public func hasSameText(_ ordinal: Int, as literal: ArrayLiteral, _ literalOrdinal: Int)
    -> Bool
  {
    let mine = range(ordinal)
    let theirs = literal.tokenRange(literalOrdinal)
    guard mine.count == theirs.count else { return false }
    return bytes.withUnsafeBufferPointer { a in
      literal.source.withUnsafeBufferPointer { b in
        guard let a = a.baseAddress, let b = b.baseAddress else { return mine.isEmpty }
        return memcmp(a + mine.lowerBound, b + theirs.lowerBound, mine.count) == 0
      }
    }
  }

  /// Appends the element `formatted` wrote, without the spaces of its column padding.
  mutating func append(trimming formatted: [UInt8]) {
    var lower = 0
    var upper = formatted.count
    while lower < upper && formatted[lower] == UInt8(ascii: " ") { lower += 1 }
    while upper > lower && formatted[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
    bytes.append(contentsOf: formatted[lower..<upper])
    ends.append(bytes.count)
  }
}

extension ArrayFormatter {
  /// The per-element tokens of `str(a)` (or of `repr(a)` when `repr` is true) under `options`:
  /// for each value shown, in C order (a summarised array: the values around `...` only), the
  /// text NumPy prints for it, with the same notation, precision, unique/maxprec rules and the
  /// padding inside a token (a scientific mantissa's zeros), but without the column padding,
  /// separators, brackets or line breaks around it.
  ///
  /// Made by the formatter `string`/`repr` use, element by element, so the tokens equal what
  /// `ArrayLiteralParser` reads back from `string(array)` (or `repr(array)`).
  public func elementTokens(_ array: NDArray, repr: Bool = false) -> ElementTokens {
    var tokens = ElementTokens()
    if array.shape.isEmpty && (!repr || options.legacy113) {
      tokens.bytes = Array(ArrayFormatter.scalarString(array.scalars[0], dtype: array.dtype).utf8)
      tokens.ends = [tokens.bytes.count]
      return tokens
    }
    if array.count == 0 { return tokens }
    let data = shownElements(array)
    let format = ElementFormat(
      dtype: array.dtype, data: data, isScalar: array.shape.isEmpty, options: options)
    var dragon = Dragon4()
    var word: [UInt8] = []
    word.reserveCapacity(32)
    tokens.ends.reserveCapacity(data.count)
    tokens.bytes.reserveCapacity(data.count * 12)
    for x in data {
      word.removeAll(keepingCapacity: true)
      format.append(x, dragon: &dragon, to: &word)
      tokens.append(trimming: word)
    }
    return tokens
  }

  /// The elements `array2string` prints, in C order: all of them, or the summary's.
  func shownElements(_ array: NDArray) -> [Double] {
    array.count > options.threshold ? leadingTrailing(array, array.scalars) : array.scalars
  }

  /// The exact integers a summary shows (nil unless the array carries exact integers).
  func shownIntegers(_ array: NDArray) -> [Int64]? {
    guard let integers = array.integers else { return nil }
    return array.count > options.threshold ? leadingTrailing(array, integers) : integers
  }
}
