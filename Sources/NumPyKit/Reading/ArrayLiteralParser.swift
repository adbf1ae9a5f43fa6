#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads the text NumPy writes for an array — `str(a)` / `print(a)` (`[[ 1.5 -2. ]\n [ 0.  3. ]]`)
/// or `repr(a)` (`array([1.5, -2. ])`, `array([...], shape=(2000,))`) — back into exact values,
/// keeping each printed token and its line:column.
///
/// Any rank; values wrapped over several lines; positional and scientific notation; `nan`,
/// `inf`, `-inf`; `True`/`False`; summarised arrays with `...`. Ragged nesting, an unclosed
/// bracket, or a malformed number is a `ReadingError` naming line and column.
///
/// Written by hand rather than as a regular expression: validating that every row has the same
/// length and assigning each value its index needs the nesting that a scanner tracks for free,
/// and one pass over the bytes is what keeps reading faster than `np.fromstring`.
public struct ArrayLiteralParser: Sendable {
  /// NumPy's own limit on the number of dimensions (NPY_MAXDIMS).
  public static let maximumDepth = 64
  /// The default cap on the number of values in one printed array.
  public static let defaultMaximumCount = 10_000_000

  /// The largest number of values one array may hold before reading stops with an error.
  public var maximumCount: Int

  /// Whether a large flat list is read in two halves on two threads (tests compare both ways).
  var readsLargeListsInHalves = true

  /// Makes a parser with a cap on the values of one array.
  public init(maximumCount: Int = ArrayLiteralParser.defaultMaximumCount) {
    self.maximumCount = maximumCount
  }

  /// Reads one array literal that starts at `start` (after optional spaces) in `bytes`.
  ///
  /// - Parameters:
  ///   - allowPartial: when the text ends inside the array, return what was read so far with
  ///     `isPartial` set instead of throwing. A token that touches the end of the text may be
  ///     cut and is left out.
  public func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, at start: TextPosition, allowPartial: Bool = false
  ) throws(ReadingError) -> ArrayLiteral {
    var scanner = Scanner(bytes: bytes, position: start, limit: maximumCount)
    scanner.readsInHalves = readsLargeListsInHalves
    return try scanner.readLiteral(allowPartial: allowPartial)
  }

  /// How many numbers the two-thread reader reads from the list that opens `text`, nil when
  /// it does not read it (for tests: that a case takes that path).
  func halvesCount(_ text: String) -> Int? {
    var copy = text
    return copy.withUTF8 { bytes in
      var scanner = Scanner(bytes: bytes, position: .start, limit: maximumCount)
      scanner.skipWhitespace()
      guard !scanner.atEnd, bytes[scanner.index] == UInt8(ascii: "[") else { return nil }
      scanner.advance()
      scanner.shown = [nil]
      scanner.counters = [0]
      return scanner.readFlatInHalves()
    }
  }

  /// Reads a whole string that holds exactly one array literal (surrounding whitespace allowed).
  public func parse(_ text: String) throws(ReadingError) -> ArrayLiteral {
    var copy = text
    let result = copy.withUTF8 { bytes -> Result<ArrayLiteral, ReadingError> in
      var scanner = Scanner(bytes: bytes, position: .start, limit: maximumCount)
      scanner.readsInHalves = readsLargeListsInHalves
      scanner.skipWhitespace()
      do throws(ReadingError) {
        let literal = try scanner.readLiteral(allowPartial: false)
        scanner.skipWhitespace()
        if !scanner.atEnd {
          return .failure(
            ReadingError(
              "unexpected '\(scanner.peekCharacter())' after the array", at: scanner.position))
        }
        return .success(literal)
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }
}

/// The single pass over the bytes.
private struct Scanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var index: Int
  var line: Int
  /// The index of the current line's first byte (of the origin, on the origin's line).
  var lineStart: Int
  /// The column at `lineStart`.
  var lineStartColumn: Int
  /// A place on the current line whose column is known, to count on from.
  var markIndex: Int
  var markColumn: Int
  let limit: Int

  // Shape bookkeeping, by depth (0 = outermost list).
  var shown: [Int?] = []  // items shown in every list at this depth (first complete list)
  var ellipsisAt: [Int?] = []  // where '...' stood in lists at this depth
  var firstListAt: [TextPosition] = []  // where the first list at this depth opened
  var leafDepth: Int? = nil  // depth of the lists that hold numbers
  var counters: [Int] = []  // item counter of each open list
  var afterEllipsis: [Bool] = []
  var values: [Double] = []
  /// Where each token starts, from `literalOffset`.
  var tokenStarts: [UInt32] = []
  /// Where each line inside the literal starts, from `literalOffset`.
  var lineStarts: [UInt32] = []
  var isASCII = true
  /// The offset of the literal's start (token and line starts count from there).
  var literalOffset = 0
  var sawFloat = false
  var sawBool = false
  var sawNonBool = false
  var hitEnd = false
  /// `ArrayLiteralParser.readsLargeListsInHalves`.
  var readsInHalves = true

  init(bytes: UnsafeBufferPointer<UInt8>, position: TextPosition, limit: Int) {
    self.bytes = bytes
    self.index = position.offset
    self.line = position.line
    self.lineStart = position.offset
    self.lineStartColumn = position.column
    self.markIndex = position.offset
    self.markColumn = position.column
    self.limit = limit
  }

  var atEnd: Bool { index >= bytes.count }

  /// Where the scanner stands. Columns are counted from the last place asked for on the same
  /// line, so asking as the scan goes costs O(1) amortised.
  var position: TextPosition {
    mutating get {
      if markIndex < lineStart || markIndex > index {
        markIndex = lineStart
        markColumn = lineStartColumn
      }
      var column = markColumn
      if isASCII {
        // Every byte scanned so far is ASCII: one column per byte.
        column += index - markIndex
      } else {
        var cursor = markIndex
        while cursor < index {
          if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
          cursor += 1
        }
      }
      markIndex = index
      markColumn = column
      return TextPosition(offset: index, line: line, column: column)
    }
  }

  /// Notes the newline at `newline`: a line starts after it.
  @inline(__always) mutating func newLine(after newline: Int) {
    line += 1
    lineStart = newline + 1
    lineStartColumn = 1
    lineStarts.append(UInt32(truncatingIfNeeded: newline + 1 - literalOffset))
  }

  func peekCharacter() -> String {
    var end = index + 1
    while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
    return String(
      decoding: UnsafeBufferPointer(rebasing: bytes[index..<min(end, bytes.count)]),
      as: UTF8.self)
  }

  @inline(__always) mutating func advance() {
    let byte = bytes[index]
    if byte == 0x0A { newLine(after: index) } else if byte >= 0x80 { isASCII = false }
    index += 1
  }

  /// Skips ASCII spaces, tabs, carriage returns and newlines.
  mutating func skipWhitespace() {
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x0A {
        newLine(after: index)
      } else if byte != 0x20 && byte != 0x09 && byte != 0x0D {
        break
      }
      index += 1
    }
  }

  /// Skips whitespace and the commas of `repr`.
  @inline(__always) mutating func skipSeparators() {
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x20 || byte == 0x2C {
        index += 1
      } else if byte == 0x0A {
        newLine(after: index)
        index += 1
      } else if byte == 0x09 || byte == 0x0D {
        index += 1
      } else {
        break
      }
    }
  }

  /// Moves past the bytes of one token, up to the next delimiter. A token with a byte past
  /// ASCII is malformed; the flag keeps the columns of the error right.
  @inline(__always) mutating func skipToken() {
    let count = bytes.count
    var end = index
    var high: UInt8 = 0
    while end < count {
      let byte = bytes[end]
      if ArrayLiteral.isDelimiter(byte) { break }
      high |= byte
      end += 1
    }
    if high >= 0x80 { isASCII = false }
    index = end
  }

  mutating func expect(_ word: String) -> Bool {
    let utf8 = Array(word.utf8)
    guard index + utf8.count <= bytes.count else { return false }
    for (offset, byte) in utf8.enumerated() where bytes[index + offset] != byte { return false }
    for _ in utf8 { advance() }
    return true
  }

  mutating func readLiteral(allowPartial: Bool) throws(ReadingError) -> ArrayLiteral {
    literalOffset = index
    lineStarts.removeAll()
    let start = position
    var form = ArrayLiteral.Form.str
    var fullShape: [Int]? = nil
    if expect("array(") {
      form = .repr
    }
    guard !atEnd else {
      if allowPartial { return finish(form: form, start: start, partial: true, full: nil) }
      throw ReadingError("expected '[' to start an array, found the end of the text", at: position)
    }
    guard bytes[index] == UInt8(ascii: "[") else {
      if form == .str { return try readScalar(start: start) }
      throw ReadingError("expected '[' after 'array(', found '\(peekCharacter())'", at: position)
    }
    try readList(depth: 0, allowPartial: allowPartial)
    if hitEnd { return finish(form: form, start: start, partial: true, full: nil) }
    if form == .repr {
      // Optional `, shape=(...)` and `, dtype=...`, then ')'.
      while true {
        skipWhitespace()
        if atEnd {
          if allowPartial {
            return finish(form: form, start: start, partial: true, full: fullShape)
          }
          throw ReadingError(
            "expected ')' to close 'array(' opened at \(start), found the end of the text",
            at: position)
        }
        if bytes[index] == UInt8(ascii: ")") {
          advance()
          break
        }
        guard bytes[index] == UInt8(ascii: ",") else {
          throw ReadingError("expected ')' to close 'array(' opened at \(start)", at: position)
        }
        advance()
        skipWhitespace()
        if expect("shape=(") {
          fullShape = try readShapeTuple(allowPartial: allowPartial)
          if hitEnd { return finish(form: form, start: start, partial: true, full: fullShape) }
        } else if expect("dtype=") {
          while index < bytes.count, bytes[index] != UInt8(ascii: ")"),
            bytes[index] != UInt8(ascii: ",")
          {
            advance()
          }
        } else {
          throw ReadingError(
            "expected 'shape=' or 'dtype=' inside 'array(' opened at \(start)", at: position)
        }
      }
    }
    let literal = finish(form: form, start: start, partial: false, full: fullShape)
    if let fullShape { try checkShape(fullShape, against: literal, opened: start) }
    return literal
  }

  /// A `shape=(…)` must fit the values shown: no elements for an empty array; else the same
  /// rank, equal to the shown extent on an axis without `...` and at least the shown extent on a
  /// summarised one. A shape that lies would give values indices outside the array; one with
  /// more elements than an `Int` counts cannot be indexed at all.
  func checkShape(_ full: [Int], against literal: ArrayLiteral, opened start: TextPosition)
    throws(ReadingError)
  {
    let items = full.map(String.init).joined(separator: ", ")
    let tuple = full.count == 1 ? "(\(items),)" : "(\(items))"
    var product = 1
    for extent in full {
      let (next, overflow) = product.multipliedReportingOverflow(by: extent)
      guard !overflow else {
        throw ReadingError("shape=\(tuple) has more elements than any array can hold", at: start)
      }
      product = next
    }
    // NumPy writes `array([], shape=(0, 3))`: an array shown empty holds no elements.
    if literal.values.isEmpty, product == 0 { return }
    let shown = literal.shownShape
    var fits = full.count == shown.count
    for axis in 0..<min(full.count, shown.count) {
      let summarized = axis < literal.ellipsisAt.count && literal.ellipsisAt[axis] != nil
      if summarized ? full[axis] < shown[axis] : full[axis] != shown[axis] { fits = false }
    }
    guard fits else {
      throw ReadingError(
        "shape=\(tuple) does not fit the \(literal.count) values shown in this array", at: start)
    }
  }

  mutating func readShapeTuple(allowPartial: Bool) throws(ReadingError) -> [Int] {
    var result: [Int] = []
    while true {
      skipWhitespace()
      if atEnd {
        if allowPartial {
          hitEnd = true
          return result
        }
        throw ReadingError(
          "expected ')' to close 'shape=(', found the end of the text",
          at: position)
      }
      let byte = bytes[index]
      if byte == UInt8(ascii: ")") {
        advance()
        return result
      }
      if byte == UInt8(ascii: ",") {
        advance()
        continue
      }
      guard byte &- 48 < 10 else {
        throw ReadingError(
          "expected a number in 'shape=(', found '\(peekCharacter())'",
          at: position)
      }
      var value = 0
      while index < bytes.count, bytes[index] &- 48 < 10 {
        value = min(value * 10 + Int(bytes[index] &- 48), Int.max / 20)
        advance()
      }
      result.append(value)
    }
  }

  mutating func readScalar(start: TextPosition) throws(ReadingError) -> ArrayLiteral {
    let tokenStart = index
    skipToken()
    guard index > tokenStart else {
      throw ReadingError("expected an array or a number, found '\(peekCharacter())'", at: start)
    }
    let range = tokenStart..<index
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    let value: Double
    if text == "True" || text == "False" {
      value = text == "True" ? 1 : 0
      sawBool = true
    } else if let number = DecimalNumber.parse(bytes, range) {
      value = number
      sawNonBool = true
      if text.utf8.contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x6E }) { sawFloat = true }
    } else {
      throw ReadingError("malformed number '\(text)'", at: start)
    }
    values.appendGrowingLarge(value)
    tokenStarts.appendGrowingLarge(UInt32(truncatingIfNeeded: tokenStart - literalOffset))
    return finish(form: .scalar, start: start, partial: false, full: nil)
  }

  /// Digits, signs, '.', and the first letters of nan, inf, True and False.
  @inline(__always) func isNumberStart(_ byte: UInt8) -> Bool {
    byte &- 48 < 10 || byte == 0x2D || byte == 0x2B || byte == 0x2E || byte == 0x6E
      || byte == 0x69 || byte == 0x54 || byte == 0x46
  }

  /// A large top-level list of plain numbers (4 MiB or more of text up to its ']', no nested
  /// list before it), read in two halves on two threads, split at a separator: the values,
  /// token starts and line starts as the one-thread loop below records them, and the scanner
  /// moved to the ']'. Nil, with nothing changed, for anything else (a '...', nan, a
  /// malformed token, an empty list, more values than the limit), which that loop reads (and
  /// reports) as before.
  mutating func readFlatInHalves() -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let start = index
    guard let close = FlatHalves.find(0x5D, in: base, start..<bytes.count),
      close - start >= FlatHalves.threshold, FlatHalves.find(0x5B, in: base, start..<close) == nil
    else { return nil }
    var middle = start + (close - start) / 2
    while middle < close && !FlatHalves.isSeparator(bytes[middle]) { middle += 1 }
    guard middle < close else { return nil }
    let (input, offset) = (bytes, literalOffset)
    var halves = Halves.map { half in
      FlatHalves.read(
        input, half == 0 ? start..<middle : middle..<close, literalOffset: offset,
        reserve: (close - start) / 8)
    }
    guard let first = halves[0], let second = halves[1] else { return nil }
    let count = first.values.count + second.values.count
    guard count > 0, count <= limit, values.isEmpty else { return nil }
    halves = []
    values = first.values
    values.append(contentsOf: second.values)
    tokenStarts = first.tokenStarts
    tokenStarts.append(contentsOf: second.tokenStarts)
    for newline in first.newlines { newLine(after: newline) }
    for newline in second.newlines { newLine(after: newline) }
    sawNonBool = true
    if first.sawFloat || second.sawFloat { sawFloat = true }
    index = close
    return count
  }

  /// Reads `[ ... ]` at `depth`; the scanner stands on '['.
  mutating func readList(depth: Int, allowPartial: Bool) throws(ReadingError) {
    let open = position
    guard depth < ArrayLiteralParser.maximumDepth else {
      throw ReadingError(
        "arrays nest deeper than NumPy's \(ArrayLiteralParser.maximumDepth) dimensions",
        at: open)
    }
    if shown.count <= depth {
      shown.append(nil)
      ellipsisAt.append(nil)
      firstListAt.append(open)
    }
    counters.append(0)
    afterEllipsis.append(false)
    advance()  // '['
    var ellipsis: Int? = nil
    var holdsLists: Bool? = nil
    if depth == 0, readsInHalves, bytes.count - index >= FlatHalves.threshold,
      let count = readFlatInHalves()
    {
      // The numbers up to the ']' are read; the loop below closes the list.
      holdsLists = false
      leafDepth = depth
      counters[depth] = count
    }
    while true {
      skipSeparators()
      if atEnd {
        if allowPartial {
          hitEnd = true
          return
        }
        throw ReadingError(
          "expected ']' to close the array opened at \(open), found the end of the text",
          at: position)
      }
      let byte = bytes[index]
      if byte == UInt8(ascii: "]") {
        advance()
        break
      }
      if byte == UInt8(ascii: "[") {
        if holdsLists == false || (leafDepth.map { $0 <= depth } ?? false) {
          throw ReadingError(
            "ragged nesting: a nested array where a number was expected", at: position)
        }
        holdsLists = true
        try readList(depth: depth + 1, allowPartial: allowPartial)
        if hitEnd { return }
        counters[depth] += 1
        continue
      }
      if byte == UInt8(ascii: "."), index + 2 < bytes.count, bytes[index + 1] == 0x2E,
        bytes[index + 2] == 0x2E
      {
        guard ellipsis == nil else {
          throw ReadingError("a second '...' in the same array", at: position)
        }
        ellipsis = counters[depth]
        afterEllipsis[depth] = true
        advance()
        advance()
        advance()
        continue
      }
      // A value: not beside lists, not at another depth than other values, and not above
      // lists opened deeper (even empty ones: `[[[]], [1]]` is ragged).
      if holdsLists == true || (leafDepth.map { $0 != depth } ?? false)
        || shown.count > depth + 1
      {
        throw ReadingError(
          "ragged nesting: a number where a nested array was expected", at: position)
      }
      guard isNumberStart(byte) else {
        throw ReadingError(
          "expected ']' to close the array opened at \(open), found '\(peekCharacter())'",
          at: position)
      }
      holdsLists = false
      leafDepth = depth
      let tokenStart = index
      if let (value, end, isFloat) = DecimalNumber.scan(bytes, from: index) {
        // The common case, read in one pass.
        if end == bytes.count && allowPartial {
          // The last token may have been cut: leave it out.
          index = end
          hitEnd = true
          return
        }
        guard values.count < limit else {
          throw ReadingError(
            "an array holds more than \(limit) values, the most one printed array may hold",
            at: position)
        }
        index = end
        values.appendGrowingLarge(value)
        tokenStarts.appendGrowingLarge(UInt32(truncatingIfNeeded: tokenStart - literalOffset))
        sawNonBool = true
        if isFloat { sawFloat = true }
        counters[depth] += 1
        continue
      }
      skipToken()
      if atEnd && allowPartial {
        // The last token may have been cut: leave it out.
        hitEnd = true
        return
      }
      let range = tokenStart..<index
      let value: Double
      if let number = DecimalNumber.parse(bytes, range) {
        value = number
        sawNonBool = true
        if !sawFloat {
          for offset in range
          where bytes[offset] == 0x2E || bytes[offset] == 0x65
            || bytes[offset] == 0x6E
          {
            sawFloat = true
            break
          }
        }
      } else {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        if text == "True" || text == "False" {
          value = text == "True" ? 1 : 0
          sawBool = true
        } else if text.isEmpty {
          throw ReadingError("unexpected '\(peekCharacter())' in an array", at: position)
        } else {
          index = tokenStart
          throw ReadingError("malformed number '\(text)'", at: position)
        }
      }
      guard values.count < limit else {
        index = tokenStart
        throw ReadingError(
          "an array holds more than \(limit) values, the most one printed array may hold",
          at: position)
      }
      values.appendGrowingLarge(value)
      tokenStarts.appendGrowingLarge(UInt32(truncatingIfNeeded: tokenStart - literalOffset))
      counters[depth] += 1
    }
    // The list is complete: check it against its siblings.
    let count = counters[depth]
    if let expected = shown[depth] {
      if expected != count || ellipsisAt[depth] != ellipsis {
        throw ReadingError(
          "ragged nesting: this array has \(count) entries but the one at "
            + "\(firstListAt[depth]) has \(expected)", at: open)
      }
    } else {
      shown[depth] = count
      ellipsisAt[depth] = ellipsis
      firstListAt[depth] = open
    }
    counters.removeLast()
    afterEllipsis.removeLast()
  }

  mutating func finish(form: ArrayLiteral.Form, start: TextPosition, partial: Bool, full: [Int]?)
    -> ArrayLiteral
  {
    let text = UnsafeBufferPointer(rebasing: bytes[start.offset..<index])
    let source = [UInt8](hugePageAdvisedCount: text.count) {
      _ = $0.initialize(fromContentsOf: text)
    }
    var result = ArrayLiteral(
      form: form, dtype: .float64, shape: [], isShapeComplete: !partial, summarizedAxes: [],
      values: values, source: source, tokenStarts: tokenStarts, lineStarts: lineStarts,
      isASCII: isASCII, start: start, end: position, isPartial: partial, shownShape: [],
      ellipsisAt: [])
    if sawBool && !sawNonBool {
      result.dtype = .bool
    } else if !sawFloat {
      result.dtype = .int64
    }
    guard form != .scalar else { return result }
    // Shape: one entry per depth down to the leaves (an empty outer list has shape (0,)).
    let rank = (leafDepth ?? (shown.count - 1)) + 1
    var shape: [Int] = []
    for depth in 0..<rank {
      if depth < shown.count, let count = shown[depth] {
        shape.append(count)
      } else if partial, depth < counters.count {
        shape.append(counters[depth] + 1)
      } else {
        shape.append(0)
      }
    }
    if partial {
      // Lists still open were counted as they stood; show the seen extent.
      for depth in 0..<min(rank, counters.count) {
        shape[depth] = max(shape[depth], counters[depth] + (depth == rank - 1 ? 0 : 1))
      }
    }
    result.shownShape = shape
    result.ellipsisAt = (0..<rank).map { $0 < ellipsisAt.count ? ellipsisAt[$0] : nil }
    let summarized = (0..<rank).filter { result.ellipsisAt[$0] != nil }
    result.summarizedAxes = summarized
    if let full, full.count == rank || values.isEmpty, !partial {
      result.shape = full
    } else {
      result.shape = shape
      if !summarized.isEmpty { result.isShapeComplete = false }
    }
    return result
  }
}

/// The halves of a large flat list (`Scanner.readFlatInHalves`).
private enum FlatHalves {
  /// From 4 MiB of text on.
  static let threshold = 1 << 22

  /// What one half holds: its numbers, their token starts (from the literal's start), the
  /// newlines between them, and whether one had a '.' or an exponent.
  struct Half {
    var values: [Double] = []
    var tokenStarts: [UInt32] = []
    var newlines: [Int] = []
    var sawFloat = false
  }

  /// A separator between a list's numbers (the one-thread loop's `skipSeparators`).
  @inline(__always) static func isSeparator(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x2C || byte == 0x0A || byte == 0x09 || byte == 0x0D
  }

  /// The first `byte` in `range` (memchr), or nil.
  static func find(_ byte: UInt8, in base: UnsafePointer<UInt8>, _ range: Range<Int>) -> Int? {
    guard !range.isEmpty else { return nil }
    #if canImport(Glibc) || canImport(Darwin)
      guard let hit = memchr(base + range.lowerBound, Int32(byte), range.count) else {
        return nil
      }
      return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    #else
      return range.first { base[$0] == byte }
    #endif
  }

  /// Separators and plain decimal tokens (`DecimalNumber.scan`), each token followed by a
  /// separator or the range's end; nil at anything else.
  static func read(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, literalOffset: Int, reserve: Int
  ) -> Half? {
    var half = Half()
    half.values = [Double](hugePageAdvisedCapacity: reserve)
    half.tokenStarts = [UInt32](hugePageAdvisedCapacity: reserve)
    var i = range.lowerBound
    let end = range.upperBound
    while i < end {
      let byte = bytes[i]
      if isSeparator(byte) {
        if byte == 0x0A { half.newlines.append(i) }
        i += 1
        continue
      }
      guard let (value, tokenEnd, isFloat) = DecimalNumber.scan(bytes, from: i),
        tokenEnd == end || (tokenEnd < end && isSeparator(bytes[tokenEnd]))
      else { return nil }
      half.values.append(value)
      half.tokenStarts.append(UInt32(truncatingIfNeeded: i - literalOffset))
      if isFloat { half.sawFloat = true }
      i = tokenEnd
    }
    return half
  }
}
