import Testing

@testable import NumPyKit

/// A large flat list (4 MiB of text or more) is read in two halves on two threads: the same
/// literal as the one-thread reader makes — every value's bits (and each the value Swift's own
/// correctly rounded `Double(token)` gives), token texts and positions, lines, shape, dtype
/// and end — and the same error for a list it does not read.
@Suite struct LargeListTests {
  /// A token as NumPy prints floats and integers: fixed digits, a bare point, scientific.
  static func token(_ stream: inout SplitMix64) -> String {
    let r = stream.next()
    let sign = r & 1 == 0 ? "" : "-"
    let digits = String((r >> 8) % 100_000_000)
    switch (r >> 4) % 5 {
    case 0: return sign + "0." + String(repeating: "0", count: 8 - digits.count) + digits
    case 1: return sign + String((r >> 40) % 1000) + "."
    case 2:
      return sign + String(digits.prefix(1)) + "." + digits.dropFirst() + "e-0"
        + String(r >> 60 & 7)
    case 3: return String((r >> 20) % 100_000)
    default: return sign + String(digits.prefix(2)) + "." + digits.dropFirst(2)
    }
  }

  /// `count` tokens between '[' and ']' with `separator`, wrapped like NumPy's lines.
  static func text(count: Int, separator: String, prefix: String = "[", suffix: String = "]")
    -> (String, [String])
  {
    var stream = SplitMix64(state: UInt64(count))
    var tokens: [String] = []
    var text = prefix
    var line = prefix.count
    for i in 0..<count {
      let token = token(&stream)
      tokens.append(token)
      if line + token.count > 75 {
        text += "\n" + String(repeating: " ", count: prefix.count)
        line = prefix.count
      }
      text += token
      line += token.count
      if i + 1 < count {
        text += separator
        line += separator.count
      }
    }
    return (text + suffix, tokens)
  }

  static func bothWays(_ text: String) -> (
    halves: Result<ArrayLiteral, ReadingError>, one: Result<ArrayLiteral, ReadingError>
  ) {
    var parser = ArrayLiteralParser()
    let halves = Result { () throws(ReadingError) in try parser.parse(text) }
    parser.readsLargeListsInHalves = false
    let one = Result { () throws(ReadingError) in try parser.parse(text) }
    return (halves, one)
  }

  @Test(arguments: [" ", ", ", "  "])
  func halvesReadWhatOneThreadReads(_ separator: String) throws {
    let (text, tokens) = Self.text(count: 480_000, separator: separator)
    #expect(ArrayLiteralParser().halvesCount(text) == tokens.count)
    let (halves, one) = Self.bothWays(text)
    let a = try halves.get()
    let b = try one.get()
    #expect(a.count == tokens.count)
    #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
    #expect(a.values.map(\.bitPattern) == tokens.map { Double($0)!.bitPattern })
    #expect(a.texts == tokens)
    #expect(a.positions == b.positions)
    #expect(a.shape == b.shape && a.shape == [tokens.count])
    #expect(a.dtype == b.dtype)
    #expect(a.end == b.end)
  }

  @Test func integersOnlyAreInt64() throws {
    let body = (0..<1_200_000).map { String($0 % 997) }.joined(separator: " ")
    #expect(ArrayLiteralParser().halvesCount("[" + body + "]") == 1_200_000)
    let (halves, one) = Self.bothWays("[" + body + "]")
    #expect(try halves.get().dtype == .int64)
    #expect(try halves.get().values == one.get().values)
  }

  /// Lists the halves do not read: the one-thread reader's literal or error, unchanged.
  @Test(arguments: ["1.2.3", "nan", "...", "[4.]", "x", "True"])
  func otherTokensReadAsBefore(_ odd: String) {
    let (text, _) = Self.text(count: 480_000, separator: " ")
    var bytes = Array(text.utf8)
    let middle = bytes.count / 2
    let at = bytes[middle...].firstIndex(of: 0x20)!
    bytes.insert(contentsOf: Array((" " + odd + " ").utf8), at: at)
    let edited = String(decoding: bytes, as: UTF8.self)
    let (halves, one) = Self.bothWays(edited)
    switch (halves, one) {
    case (.success(let a), .success(let b)):
      #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
      #expect(a.texts == b.texts)
      #expect(a.positions == b.positions)
    case (.failure(let a), .failure(let b)):
      #expect(a.description == b.description)
    default:
      Issue.record("one reader failed, the other did not: \(odd)")
    }
  }

  @Test func theLimitStillHolds() {
    let (text, _) = Self.text(count: 480_000, separator: " ")
    #expect(ArrayLiteralParser().halvesCount(text) == 480_000)
    var parser = ArrayLiteralParser(maximumCount: 400_000)
    #expect(throws: ReadingError.self) { try parser.parse(text) }
    parser.readsLargeListsInHalves = false
    #expect(throws: ReadingError.self) { try parser.parse(text) }
  }
}
