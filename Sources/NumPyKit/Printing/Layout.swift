/// NumPy's `_formatArray` / `_extendLine` (numpy/_core/arrayprint.py): lays formatted
/// elements out in nested brackets, wrapping rows at the line width, byte for byte.
struct Layout {
  let array: NDArray
  let format: ElementFormat
  private var dragon = Dragon4()
  let separator: [UInt8]
  let edgeItems: Int
  let summarize: Bool
  let legacy: Bool
  private var strides: [Int]
  private var word: [UInt8] = []
  /// Ready-made words in C order (a str array's element reprs), printed instead of the
  /// array's numbers.
  var words: [[UInt8]]?

  init(
    array: NDArray, format: ElementFormat, separator: [UInt8], edgeItems: Int,
    summarize: Bool, legacy: Bool
  ) {
    self.array = array
    self.format = format
    self.separator = separator
    self.edgeItems = edgeItems
    self.summarize = summarize
    self.legacy = legacy
    var strides = [Int](repeating: 1, count: array.ndim)
    for axis in stride(from: array.ndim - 2, through: 0, by: -1) {
      strides[axis] = strides[axis + 1] * array.shape[axis + 1]
    }
    self.strides = strides
  }

  private static let space = UInt8(ascii: " ")
  private static let newline = UInt8(ascii: "\n")

  /// The separator without trailing whitespace (`separator.rstrip()`).
  private var strippedSeparator: [UInt8] {
    var bytes = separator
    while let last = bytes.last, Layout.isSpace(last) { bytes.removeLast() }
    return bytes
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
  }

  /// `_formatArray(a, ..., line_width, next_line_prefix, ...)` with a prefix of spaces.
  mutating func render(lineWidth: Int, nextLinePrefix: Int) -> [UInt8] {
    recurse(axis: 0, offset: 0, hang: nextLinePrefix, width: lineWidth)
  }

  /// `_extendLine`: wraps before `word` when it would pass `lineWidth`.
  private func extendLine(
    _ s: inout [UInt8], _ line: inout [UInt8], _ lineLength: inout Int, word: [UInt8],
    wordLength: Int, lineWidth: Int, hang: Int
  ) {
    var needsWrap = lineLength + wordLength > lineWidth
    if !legacy && lineLength <= hang { needsWrap = false }
    if needsWrap {
      var end = line.count
      while end > 0 && Layout.isSpace(line[end - 1]) { end -= 1 }
      s.append(contentsOf: line[0..<end])
      s.append(Layout.newline)
      line.removeAll(keepingCapacity: true)
      line.append(contentsOf: repeatElement(Layout.space, count: hang))
      lineLength = hang
    }
    line.append(contentsOf: word)
    lineLength += wordLength
  }

  private mutating func formatWord(_ offset: Int) -> Int {
    word.removeAll(keepingCapacity: true)
    if let words {
      word.append(contentsOf: words[offset])
    } else if let integers = array.integers {
      format.appendInteger(integers[offset], to: &word)
    } else {
      format.append(array.scalars[offset], dragon: &dragon, to: &word)
    }
    return FloatingFormat.length(word)
  }

  private mutating func recurse(axis: Int, offset: Int, hang: Int, width: Int) -> [UInt8] {
    let axesLeft = array.ndim - axis
    if axesLeft == 0 {
      _ = formatWord(offset)
      return word
    }
    let nextHang = hang + 1
    let nextWidth = legacy ? width : width - 1
    let length = array.shape[axis]
    let stride = strides[axis]
    let showSummary = summarize && 2 * edgeItems < length
    let leading = showSummary ? edgeItems : 0
    let trailing = showSummary ? edgeItems : length
    var s: [UInt8] = []
    if axesLeft == 1 {
      let stripped = strippedSeparator.count
      var elementWidth = legacy ? width - stripped : width - max(stripped, 1)
      var line = [UInt8](repeating: Layout.space, count: hang)
      var lineLength = hang
      let separatorLength = FloatingFormat.length(separator)
      for i in 0..<leading {
        let wordLength = formatWord(offset + i * stride)
        extendLine(
          &s, &line, &lineLength, word: word, wordLength: wordLength,
          lineWidth: elementWidth, hang: hang)
        line.append(contentsOf: separator)
        lineLength += separatorLength
      }
      if showSummary {
        extendLine(
          &s, &line, &lineLength, word: Array("...".utf8), wordLength: 3,
          lineWidth: elementWidth, hang: hang)
        if legacy {
          line.append(contentsOf: ", ".utf8)
          lineLength += 2
        } else {
          line.append(contentsOf: separator)
          lineLength += separatorLength
        }
      }
      var i = trailing
      while i > 1 {
        let wordLength = formatWord(offset + (length - i) * stride)
        extendLine(
          &s, &line, &lineLength, word: word, wordLength: wordLength,
          lineWidth: elementWidth, hang: hang)
        line.append(contentsOf: separator)
        lineLength += separatorLength
        i -= 1
      }
      if legacy { elementWidth = width }
      let wordLength = formatWord(offset + (length - 1) * stride)
      extendLine(
        &s, &line, &lineLength, word: word, wordLength: wordLength,
        lineWidth: elementWidth, hang: hang)
      s.append(contentsOf: line)
    } else {
      var lineSeparator = strippedSeparator
      lineSeparator.append(contentsOf: repeatElement(Layout.newline, count: axesLeft - 1))
      let indent = [UInt8](repeating: Layout.space, count: hang)
      for i in 0..<leading {
        let nested = recurse(
          axis: axis + 1, offset: offset + i * stride, hang: nextHang, width: nextWidth)
        s.append(contentsOf: indent)
        s.append(contentsOf: nested)
        s.append(contentsOf: lineSeparator)
      }
      if showSummary {
        s.append(contentsOf: indent)
        s.append(contentsOf: "...".utf8)
        if legacy {
          s.append(contentsOf: ", \n".utf8)
        } else {
          s.append(contentsOf: lineSeparator)
        }
      }
      var i = trailing
      while i > 1 {
        let nested = recurse(
          axis: axis + 1, offset: offset + (length - i) * stride, hang: nextHang,
          width: nextWidth)
        s.append(contentsOf: indent)
        s.append(contentsOf: nested)
        s.append(contentsOf: lineSeparator)
        i -= 1
      }
      let nested = recurse(
        axis: axis + 1, offset: offset + (length - 1) * stride, hang: nextHang,
        width: nextWidth)
      s.append(contentsOf: indent)
      s.append(contentsOf: nested)
    }
    var result: [UInt8] = [UInt8(ascii: "[")]
    result.reserveCapacity(s.count + 2)
    result.append(contentsOf: s.dropFirst(hang))
    result.append(UInt8(ascii: "]"))
    return result
  }
}
