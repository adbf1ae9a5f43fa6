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
  /// Whether float64 elements are looked up in the format's record by position (set for the
  /// threads of `renderHalves`, which print blocks out of order).
  private var byPosition = false

  init(
    array: NDArray, format: ElementFormat, separator: [UInt8], edgeItems: Int,
    summarize: Bool, legacy: Bool
  ) {
    self.array = array
    self.format = format
    self.separator = separator
    var stripped = separator.count
    while stripped > 0, Layout.isSpace(separator[stripped - 1]) { stripped -= 1 }
    strippedSeparatorCount = stripped
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

  /// The length of the separator without its trailing whitespace (`separator.rstrip()`).
  let strippedSeparatorCount: Int

  /// The separator without trailing whitespace (`separator.rstrip()`).
  private var strippedSeparator: [UInt8] { Array(separator.prefix(strippedSeparatorCount)) }

  static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
  }

  /// `_formatArray(a, ..., line_width, next_line_prefix, ...)` with a prefix of spaces.
  mutating func render(lineWidth: Int, nextLinePrefix: Int) -> [UInt8] {
    guard rendersInHalves else { return renderWhole(lineWidth: lineWidth, hang: nextLinePrefix) }
    // The first part has room for the rest (`renderHalves`).
    var parts = renderHalves(lineWidth: lineWidth, hang: nextLinePrefix)
    var out = parts[0]
    parts[0] = []
    for part in parts.dropFirst() { out.append(contentsOf: part) }
    return out
  }

  /// `render`'s text in one or more parts, in order (a caller that writes them out need not
  /// join them).
  mutating func renderParts(lineWidth: Int, nextLinePrefix: Int) -> [[UInt8]] {
    rendersInHalves
      ? renderHalves(lineWidth: lineWidth, hang: nextLinePrefix)
      : [renderWhole(lineWidth: lineWidth, hang: nextLinePrefix)]
  }

  /// Whether the text is made in two halves on two threads: a large float64 array of two or
  /// more dimensions printed whole from its format's record.
  private var rendersInHalves: Bool {
    guard !legacy, array.ndim >= 2, array.count >= 1 << 16, words == nil,
      array.integers == nil, !summarize, let floating = format.floating
    else { return false }
    return floating.recordsByPosition
  }

  /// The text in one piece.
  private mutating func renderWhole(lineWidth: Int, hang: Int) -> [UInt8] {
    if legacy || array.ndim == 0 {
      return recurse(axis: 0, offset: 0, hang: hang, width: lineWidth)
    }
    var out: [UInt8] = []
    out.reserveCapacity(estimatedLength)
    write(axis: 0, offset: 0, hang: hang, width: lineWidth, into: &out)
    return out
  }

  /// `write` of a large float64 array of 2 or more dimensions printed whole: the first axis's
  /// blocks in two halves on two threads (each block's text depends on itself only; values
  /// are looked up in the record by position), then joined in order.
  private func renderHalves(lineWidth: Int, hang: Int) -> [[UInt8]] {
    let length = array.shape[0]
    let template = self
    let halves = 2
    // Two parts: '[' and the first half, in a buffer with room for the whole text (so that
    // `render` joins them with one copy of the second half); the second half and ']'.
    return Halves.map { half in
      var layout = template
      layout.byPosition = true
      var part: [UInt8] = half == 0 ? [UInt8(ascii: "[")] : []
      part.reserveCapacity(
        half == 0 ? template.estimatedLength + 64 : template.estimatedLength / halves + 64)
      layout.writeBlocks(
        axis: 0, offset: 0, (length * half / halves)..<(length * (half + 1) / halves),
        hang: hang, width: lineWidth, into: &part)
      if half == 1 { part.append(UInt8(ascii: "]")) }
      return part
    }
  }

  /// About how many bytes the output takes (a capacity hint: the shown elements' widths plus
  /// their separators).
  private var estimatedLength: Int {
    var shown = 1
    for length in array.shape {
      shown *= summarize && 2 * edgeItems < length ? 2 * edgeItems + 1 : length
    }
    return shown * (format.widthHint + separator.count + 1) + 64
  }

  /// `recurse` without its intermediate arrays (not for legacy='1.13'): each level writes
  /// into `out` what `recurse` returns for it — '[', its block without the block's first
  /// `hang` spaces, ']' — wrapping lines in place.
  private mutating func write(
    axis: Int, offset: Int, hang: Int, width: Int, into out: inout [UInt8]
  ) {
    let axesLeft = array.ndim - axis
    let length = array.shape[axis]
    let stride = strides[axis]
    let showSummary = summarize && 2 * edgeItems < length
    let leading = showSummary ? edgeItems : 0
    let trailing = showSummary ? edgeItems : length
    out.append(UInt8(ascii: "["))
    if axesLeft == 1 {
      if words == nil, array.integers == nil, let floating = format.floating,
        let record = floating.replayingRecord, floating.isASCII
      {
        writeRecordedRow(
          offset: offset, length: length, stride: stride, hang: hang, width: width,
          format: floating, record: record, into: &out)
      } else if words == nil, array.integers == nil, let floating = format.floating {
        var writer = FloatWriter(
          format: floating, scalars: array.scalars, dragon: dragon, isASCII: floating.isASCII,
          byPosition: byPosition)
        writeRow(
          offset: offset, length: length, stride: stride, hang: hang, width: width,
          writer: &writer, into: &out)
        dragon = writer.dragon
      } else {
        var writer = GeneralWriter(
          format: format, scalars: array.scalars, integers: array.integers, words: words,
          dragon: dragon)
        writeRow(
          offset: offset, length: length, stride: stride, hang: hang, width: width,
          writer: &writer, into: &out)
        dragon = writer.dragon
      }
    } else {
      writeBlocks(axis: axis, offset: offset, 0..<leading, hang: hang, width: width, into: &out)
      if showSummary {
        if leading > 0 { out.append(contentsOf: repeatElement(Layout.space, count: hang)) }
        out.append(contentsOf: "...".utf8)
        out.append(contentsOf: lineSeparator(axis))
      }
      writeBlocks(
        axis: axis, offset: offset, (length - trailing)..<length, hang: hang, width: width,
        into: &out)
    }
    out.append(UInt8(ascii: "]"))
  }

  /// What follows a block of axis `axis` but the last: the separator without its trailing
  /// whitespace, and a newline per axis below it.
  private func lineSeparator(_ axis: Int) -> [UInt8] {
    strippedSeparator + [UInt8](repeating: Layout.newline, count: array.ndim - axis - 1)
  }

  /// The blocks `indices` of axis `axis` (below its '['): each after the indent but the
  /// axis's first, each but its last followed by the line separator.
  private mutating func writeBlocks(
    axis: Int, offset: Int, _ indices: Range<Int>, hang: Int, width: Int,
    into out: inout [UInt8]
  ) {
    let separator = lineSeparator(axis)
    let (length, stride) = (array.shape[axis], strides[axis])
    for i in indices {
      if i > 0 { out.append(contentsOf: repeatElement(Layout.space, count: hang)) }
      write(
        axis: axis + 1, offset: offset + i * stride, hang: hang + 1, width: width - 1,
        into: &out)
      if i < length - 1 { out.append(contentsOf: separator) }
    }
  }

  /// The elements of one row (the last axis) as `recurse` lays them out, without its '['.
  private func writeRow<Writer: ElementWriter>(
    offset: Int, length: Int, stride: Int, hang: Int, width: Int, writer: inout Writer,
    into out: inout [UInt8]
  ) {
    let showSummary = summarize && 2 * edgeItems < length
    let leading = showSummary ? edgeItems : 0
    let trailing = showSummary ? edgeItems : length
    let elementWidth = width - max(strippedSeparatorCount, 1)
    let separatorLength = FloatingFormat.length(separator)
    // What replaces a line's trailing whitespace on a wrap: a newline and the indent.
    let wrap = [Layout.newline] + [UInt8](repeating: Layout.space, count: hang)
    // Every line but the first starts with `hang` spaces (the first leaves them out:
    // `s[hang:]`); trailing whitespace is stripped back to the line's start on a wrap.
    var lineStart = out.count
    var lineLength = hang
    var k = 0
    let count = leading + (showSummary ? 1 : 0) + trailing
    while k < count {
      let start = out.count
      if showSummary && k == leading {
        out.append(contentsOf: "...".utf8)
      } else {
        let index = k < leading ? k : length - (count - k)
        writer.append(offset + index * stride, to: &out)
      }
      let wordLength = writer.isASCII ? out.count - start : FloatingFormat.length(out[start...])
      // _extendLine: wrap before the word when it would pass the width, unless the line
      // holds nothing but its indent.
      if lineLength + wordLength > elementWidth && lineLength > hang {
        var end = start
        while end > lineStart && Layout.isSpace(out[end - 1]) { end -= 1 }
        out.replaceSubrange(end..<start, with: wrap)
        lineStart = end + 1
        lineLength = hang
      }
      lineLength += wordLength
      k += 1
      if k < count {
        out.append(contentsOf: separator)
        lineLength += separatorLength
      }
    }
  }

  /// `writeRow` for float64 elements printed from the format's record (ASCII, each
  /// `recordedWidth` bytes, so a wrap is known before the element is written): the row is
  /// assembled in raw memory and appended in one copy. Values the record does not hold
  /// (non-finite ones) are formatted the general way. A long row printed whole is written
  /// in two halves on two threads (`writeRowHalves`).
  private mutating func writeRecordedRow(
    offset: Int, length: Int, stride: Int, hang: Int, width: Int, format: FloatingFormat,
    record: RecordedDigits, into out: inout [UInt8]
  ) {
    let showSummary = summarize && 2 * edgeItems < length
    if !showSummary, length >= 1 << 16, byPosition || (record.cursor == 0 && offset == 0),
      record.used == array.count,
      writeRowHalves(
        offset: offset, length: length, stride: stride, hang: hang, width: width,
        format: format, record: record, into: &out)
    {
      if !byPosition { record.cursor = length }
      return
    }
    var cursor = record.cursor
    let row = RecordedRow(
      layout: self, offset: offset, length: length, stride: stride, hang: hang, width: width,
      format: format, record: record, byPosition: byPosition)
    row.write(0..<row.count, cursor: &cursor, dragon: &dragon, into: &out)
    if !byPosition { record.cursor = cursor }
  }

  /// A row of 65,536+ recorded elements printed whole, in two halves on two threads: every
  /// element is `recordedWidth` wide, so every line holds the same number of them, and the
  /// second half starts a line. False, with nothing written, when an element was not of
  /// that width (the row is then written in one piece).
  private func writeRowHalves(
    offset: Int, length: Int, stride: Int, hang: Int, width: Int, format: FloatingFormat,
    record: RecordedDigits, into out: inout [UInt8]
  ) -> Bool {
    let row = RecordedRow(
      layout: self, offset: offset, length: length, stride: stride, hang: hang, width: width,
      format: format, record: record, byPosition: true)
    // How many elements a line holds: `_extendLine` from a line of only its indent.
    var perLine = 1
    var lineLength = hang + format.recordedWidth + row.separatorLength
    while perLine < length && lineLength + format.recordedWidth <= row.elementWidth {
      perLine += 1
      lineLength += format.recordedWidth + row.separatorLength
    }
    let lines = (length + perLine - 1) / perLine
    let middle = perLine * (lines / 2)
    guard middle > 0 && middle < length else { return false }
    let parts = Halves.map { half in
      var converter = Dragon4()
      var cursor = 0
      var text: [UInt8] = []
      let (uniform, lastLineStart) = row.write(
        half == 0 ? 0..<middle : middle..<length, afterWrap: half == 1, cursor: &cursor,
        dragon: &converter, into: &text)
      return (text, uniform: uniform, lastLineStart: lastLineStart)
    }
    guard parts[0].uniform && parts[1].uniform else { return false }
    // The first half ends with its last element's separator; the wrap before the second
    // strips its last line's trailing whitespace (no further back than that line's start)
    // and starts a line, which the second half begins with its indent.
    var first = parts[0].0
    let lastLineStart = parts[0].lastLineStart
    while first.count > lastLineStart, let last = first.last, Layout.isSpace(last) {
      first.removeLast()
    }
    out.append(contentsOf: first)
    out.append(Layout.newline)
    out.append(contentsOf: parts[1].0)
    return true
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
      let stripped = strippedSeparatorCount
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

/// What `Layout.writeRow` calls for each element: its formatted bytes appended.
protocol ElementWriter {
  mutating func append(_ offset: Int, to out: inout [UInt8])
  /// Whether every element it writes is ASCII (its length is then its byte count).
  var isASCII: Bool { get }
}

/// A float64 array's elements by its FloatingFormat.
struct FloatWriter: ElementWriter {
  let format: FloatingFormat
  let scalars: [Double]
  var dragon: Dragon4
  let isASCII: Bool
  let byPosition: Bool

  @inline(__always)
  mutating func append(_ offset: Int, to out: inout [UInt8]) {
    if byPosition {
      format.append(scalars[offset], at: offset, dragon: &dragon, to: &out)
    } else {
      format.append(scalars[offset], dragon: &dragon, to: &out)
    }
  }
}

/// Any array's elements: ready-made words, integers or numbers.
struct GeneralWriter: ElementWriter {
  let format: ElementFormat
  let scalars: [Double]
  let integers: [Int64]?
  let words: [[UInt8]]?
  var dragon: Dragon4
  var isASCII: Bool { false }

  mutating func append(_ offset: Int, to out: inout [UInt8]) {
    if let words {
      out.append(contentsOf: words[offset])
    } else if let integers {
      format.appendInteger(integers[offset], to: &out)
    } else {
      format.append(scalars[offset], dragon: &dragon, to: &out)
    }
  }
}

/// One row of recorded float64 elements as `Layout.writeRow` lays it out, written a range of
/// its elements at a time into raw memory (`write`).
private struct RecordedRow {
  let scalars: [Double]
  let separator: [UInt8]
  let offset: Int
  let length: Int
  let stride: Int
  let hang: Int
  let showSummary: Bool
  let leading: Int
  /// The row's elements, "..." included.
  let count: Int
  let elementWidth: Int
  let separatorLength: Int
  let format: FloatingFormat
  let record: RecordedDigits
  let byPosition: Bool

  init(
    layout: Layout, offset: Int, length: Int, stride: Int, hang: Int, width: Int,
    format: FloatingFormat, record: RecordedDigits, byPosition: Bool
  ) {
    scalars = layout.array.scalars
    separator = layout.separator
    self.offset = offset
    self.length = length
    self.stride = stride
    self.hang = hang
    showSummary = layout.summarize && 2 * layout.edgeItems < length
    leading = showSummary ? layout.edgeItems : 0
    let trailing = showSummary ? layout.edgeItems : length
    count = leading + (showSummary ? 1 : 0) + trailing
    elementWidth = width - max(layout.strippedSeparatorCount, 1)
    separatorLength = FloatingFormat.length(layout.separator)
    self.format = format
    self.record = record
    self.byPosition = byPosition
  }

  /// Appends elements `range` of the row (each followed by the separator but the row's
  /// last), as from the row's start, or `afterWrap` as from a line that a wrap started (its
  /// indent written, and stripped with the line's trailing whitespace at the next wrap);
  /// `cursor` is the record's sequential position (when not `byPosition`). Returns whether
  /// every element was `recordedWidth` bytes, and where the last line starts in what was
  /// appended (past which a wrap would strip whitespace).
  @discardableResult
  func write(
    _ range: Range<Int>, afterWrap: Bool = false, cursor: inout Int, dragon: inout Dragon4,
    into out: inout [UInt8]
  ) -> (uniform: Bool, lastLineStart: Int) {
    let recordedWidth = format.recordedWidth
    var uniform = true
    var general: [UInt8] = []
    // Room for every element, its separator and a wrap before it; grown if a general
    // element is wider.
    var capacity = range.count * (recordedWidth + separator.count + hang + 1) + hang + 16
    var base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    defer { base.deallocate() }
    var n = 0
    var lineLength = hang
    var lineStart = 0
    if afterWrap {
      base.initialize(repeating: UInt8(ascii: " "), count: hang)
      n = hang
    }
    scalars.withUnsafeBufferPointer { values in
      separator.withUnsafeBufferPointer { separatorBytes in
        for k in range {
          var entry: RecordedDigits.Digits?
          var wordLength = 3
          let isSummary = showSummary && k == leading
          var x = 0.0
          if !isSummary {
            let position = offset + (k < leading ? k : length - (count - k)) * stride
            x = values[position]
            entry =
              byPosition
              ? record.entry(at: position, x.bitPattern)
              : record.next(x.bitPattern, cursor: &cursor)
            if entry != nil {
              wordLength = recordedWidth
            } else {
              general.removeAll(keepingCapacity: true)
              format.appendGeneral(x, dragon: &dragon, to: &general)
              wordLength = general.count
              if wordLength != recordedWidth { uniform = false }
            }
          }
          let needed = n + wordLength + separatorBytes.count + hang + 1
          if needed > capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * needed)
            grown.update(from: base, count: n)
            base.deallocate()
            base = grown
            capacity = 2 * needed
          }
          // _extendLine: wrap before the word when it would pass the width, unless the line
          // holds nothing but its indent.
          if lineLength + wordLength > elementWidth && lineLength > hang {
            while n > lineStart && Layout.isSpace(base[n - 1]) { n -= 1 }
            base[n] = UInt8(ascii: "\n")
            (base + n + 1).initialize(repeating: UInt8(ascii: " "), count: hang)
            n += 1 + hang
            lineStart = n - hang
            lineLength = hang
          }
          if isSummary {
            base[n] = UInt8(ascii: ".")
            base[n + 1] = UInt8(ascii: ".")
            base[n + 2] = UInt8(ascii: ".")
          } else if let entry {
            _ = format.writeRecorded(x.sign == .minus, entry, to: base + n)
          } else {
            for (i, byte) in general.enumerated() { base[n + i] = byte }
          }
          n += wordLength
          lineLength += wordLength
          if k + 1 < count {
            if separatorBytes.count == 1 {
              base[n] = separatorBytes[0]
            } else {
              (base + n).update(from: separatorBytes.baseAddress!, count: separatorBytes.count)
            }
            n += separatorBytes.count
            lineLength += separatorLength
          }
        }
      }
    }
    out.append(contentsOf: UnsafeBufferPointer(start: base, count: n))
    return (uniform, lineStart)
  }
}
