// libFuzzer target: ArrayLiteralParser on arbitrary bytes (Scripts/fuzz.sh array-literal N).
// Compiled into the NumPyKit module (internal API in reach); never part of the package build.

/// Reads `data` as an array literal three ways (whole text, prefix with `allowPartial`, and at
/// every `[`-free start) and checks what any reading must satisfy.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArrayLiteral(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  let parser = ArrayLiteralParser(maximumCount: 100_000)
  for allowPartial in [false, true] {
    if let literal = try? parser.parse(bytes, at: .start, allowPartial: allowPartial) {
      check(literal, size: size)
    }
  }
  // The String entry point (only for valid UTF-8, as the readers only pass text).
  if let text = String(validating: bytes, as: UTF8.self),
    let literal = try? parser.parse(text)
  {
    check(literal, size: size)
  }
  // Every token on its own, as the number reader sees it.
  var start = 0
  while start < size {
    var end = start
    while end < size, bytes[end] != 0x20, bytes[end] != 0x0A { end += 1 }
    _ = DecimalNumber.parse(bytes, start..<end)
    start = end + 1
  }
  return 0
}

private func check(_ literal: ArrayLiteral, size: Int) {
  precondition(literal.endOffset <= size, "the literal ends past the text")
  precondition(literal.values.count == literal.texts.count)
  precondition(literal.values.count == literal.positions.count)
  precondition(literal.shownShape.count == literal.ellipsisAt.count || literal.form == .scalar)
  if literal.form != .scalar, !literal.isPartial, !literal.isSummarized {
    let product = literal.shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
    precondition(product == literal.count, "shape \(literal.shape) for \(literal.count) values")
  }
  // Index computations must not trap for any token.
  for ordinal in literal.values.indices.prefix(1_000) {
    _ = literal.index(ofToken: ordinal)
    _ = literal.flatIndex(ofToken: ordinal)
  }
}
