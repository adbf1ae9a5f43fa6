#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A NumPy array read back from the text that `str(a)` / `print(a)` or `repr(a)` wrote:
/// its values, the exact printed token of each, and where each token stands.
///
/// Stored column-wise so that reading allocates nothing per value: the values, one copy of the
/// literal's bytes, where each token starts in them (4 bytes per value) and where each line does.
/// `texts`, `positions` and `tokens` assemble their arrays on demand; in a loop over tokens use
/// `text(ofToken:)`, `position(ofToken:)` and `hasSameText(_:as:_:)`, which cost O(1).
public struct ArrayLiteral: Equatable, Sendable {
  /// How the array was written.
  public enum Form: String, Equatable, Sendable {
    /// `str(a)` / `print(a)`: `[1. 2.]`
    case str
    /// `repr(a)`: `array([1., 2.])`, possibly with `, shape=(…)` or `, dtype=…`.
    case repr
    /// A bare scalar token such as `0.5` (a 0-d array or a Python float).
    case scalar
  }

  /// One printed value.
  public struct Token: Equatable, Sendable {
    /// The token exactly as printed, e.g. `-0.` or `1.23911839e-11`.
    public var text: String
    /// The value the token denotes (nearest double; `True` is 1 and `False` 0).
    public var value: Double
    /// Where the token starts.
    public var position: TextPosition
    /// The token's index along each axis (see `index(ofToken:)`).
    public var index: [Int]
  }

  /// `str`, `repr` or `scalar`.
  public var form: Form
  /// The element type the tokens imply: `bool` for True/False, `int64` when no token has a
  /// '.', an exponent, nan or inf, else `float64`.
  public var dtype: DType
  /// The array's shape. For a summarised `str` array the summarised axes count only the
  /// values shown (see `summarizedAxes`); `repr`'s `shape=(…)` gives the full shape.
  /// For a partial (cut-off) array, the shape seen so far.
  public var shape: [Int]
  /// Whether the shape includes every element (not summarised without a `shape=`, not cut).
  public var isShapeComplete: Bool
  /// The axes on which `...` stood (NumPy summarised the array: more than `threshold` values).
  public var summarizedAxes: [Int]
  /// The values shown, in order (C order of the values shown).
  public var values: [Double]
  /// The bytes of the literal as read, from `start` to `end`.
  var source: [UInt8]
  /// Per token: where it starts in `source`.
  var tokenStarts: [UInt32]
  /// Where each line after the first starts in `source`.
  var lineStarts: [UInt32]
  /// Whether `source` is all ASCII (columns are then byte distances).
  var isASCII: Bool
  /// Where the literal starts (its first `[` or `array(`).
  public var start: TextPosition
  /// The byte offset just past the literal.
  public var endOffset: Int { end.offset }
  /// The position just past the literal.
  public var end: TextPosition
  /// Whether the text ended before the array was closed; the values hold every complete
  /// value shown before the cut.
  public var isPartial: Bool
  /// Per axis, the number of entries shown in every list at that depth.
  var shownShape: [Int]
  /// Per axis, where `...` stood among the shown entries, if it did.
  var ellipsisAt: [Int?]

  /// Whether `byte` ends a token: space, newline, tab, CR, ',', ')', '[' or ']'.
  @inline(__always) static func isDelimiter(_ byte: UInt8) -> Bool {
    let low: UInt64 = 1 << 0x20 | 1 << 0x0A | 1 << 0x09 | 1 << 0x0D | 1 << 0x2C | 1 << 0x29
    return byte < 64 ? low >> UInt64(byte) & 1 != 0 : byte == 0x5B || byte == 0x5D
  }

  /// The byte range of the `ordinal`-th token in `source`.
  @inline(__always) func tokenRange(_ ordinal: Int) -> Range<Int> {
    let lower = Int(tokenStarts[ordinal])
    var upper = lower
    while upper < source.count, !Self.isDelimiter(source[upper]) { upper += 1 }
    return lower..<upper
  }

  /// The printed token of each value (an array made on each call: see `text(ofToken:)`).
  public var texts: [String] { tokenStarts.indices.map(text(ofToken:)) }

  /// Where each token starts (an array made on each call: see `position(ofToken:)`).
  public var positions: [TextPosition] { tokenStarts.indices.map(position(ofToken:)) }

  /// The printed token of the `ordinal`-th value, e.g. `-0.` or `1.23911839e-11`.
  public func text(ofToken ordinal: Int) -> String {
    String(decoding: source[tokenRange(ordinal)], as: UTF8.self)
  }

  /// Where the `ordinal`-th token starts.
  public func position(ofToken ordinal: Int) -> TextPosition {
    let offset = Int(tokenStarts[ordinal])
    // The number of lines that start at or before the token (binary search).
    var low = 0
    var high = lineStarts.count
    while low < high {
      let middle = (low + high) / 2
      if Int(lineStarts[middle]) <= offset { low = middle + 1 } else { high = middle }
    }
    let lineStart = low == 0 ? 0 : Int(lineStarts[low - 1])
    var column = low == 0 ? start.column : 1
    if isASCII {
      column += offset - lineStart
    } else {
      for index in lineStart..<offset where source[index] & 0xC0 != 0x80 { column += 1 }
    }
    return TextPosition(offset: start.offset + offset, line: start.line + low, column: column)
  }

  /// Whether the `ordinal`-th token is printed exactly as `other`'s `otherOrdinal`-th, byte
  /// for byte, without making strings.
  public func hasSameText(_ ordinal: Int, as other: ArrayLiteral, _ otherOrdinal: Int) -> Bool {
    let mine = tokenRange(ordinal)
    let theirs = other.tokenRange(otherOrdinal)
    guard mine.count == theirs.count else { return false }
    return source.withUnsafeBufferPointer { a in
      other.source.withUnsafeBufferPointer { b in
        guard let a = a.baseAddress, let b = b.baseAddress else { return mine.isEmpty }
        return memcmp(a + mine.lowerBound, b + theirs.lowerBound, mine.count) == 0
      }
    }
  }

  /// Moves every byte offset by `delta` (lines and columns unchanged): for a
  /// literal read from a window of a larger text that starts `delta` bytes into it.
  package mutating func shiftOffsets(by delta: Int) {
    start.offset += delta
    end.offset += delta
  }

  /// Whether NumPy summarised the array with `...`.
  public var isSummarized: Bool { !summarizedAxes.isEmpty }

  /// The number of values shown.
  public var count: Int { values.count }

  /// The index along each axis of the `ordinal`-th value shown. In a summarised array whose
  /// full length along an axis is unknown, values after the `...` get negative (from-the-end)
  /// indices; with `repr`'s `shape=` they get their true indices.
  public func index(ofToken ordinal: Int) -> [Int] {
    let rank = shownShape.count
    guard rank > 0 else { return [] }
    var index = [Int](repeating: 0, count: rank)
    var rest = ordinal
    for axis in stride(from: rank - 1, through: 0, by: -1) {
      let extent = shownShape[axis]
      if axis == 0 || extent == 0 {
        index[axis] = rest
      } else {
        index[axis] = rest % extent
        rest /= extent
      }
    }
    for axis in 0..<rank {
      if let cut = ellipsisAt[axis], index[axis] >= cut {
        let fromEnd = index[axis] - shownShape[axis]
        index[axis] = isShapeComplete ? shape[axis] + fromEnd : fromEnd
      }
    }
    return index
  }

  /// The C-order flat index of the `ordinal`-th value, when the full shape is known.
  public func flatIndex(ofToken ordinal: Int) -> Int? {
    if !isSummarized { return ordinal }
    guard isShapeComplete else { return nil }
    var flat = 0
    for (axis, component) in index(ofToken: ordinal).enumerated() {
      flat = flat * shape[axis] + component
    }
    return flat
  }

  /// The per-value view: text, value, position and index of each token.
  public var tokens: [Token] {
    values.indices.map { ordinal in
      Token(
        text: text(ofToken: ordinal), value: values[ordinal], position: position(ofToken: ordinal),
        index: index(ofToken: ordinal))
    }
  }
}
