import PCRE2
import Testing

@Suite struct PatternTests {
  @Test func compileErrorCarriesPatternOffset() {
    #expect(throws: PCRE2Error.self) { try Pattern("ab(c") }
    do {
      _ = try Pattern("ab(c")
    } catch {
      guard case .compile(let message, let offset) = error else {
        Issue.record("expected a compile error, got \(error)")
        return
      }
      #expect(offset == 4)
      #expect(message.contains("missing closing parenthesis"))
    }
  }

  @Test func namedGroupsAndByteOffsets() throws {
    let pattern = try Pattern(#"(?<key>\w+):(?<value>[-0-9.]+)"#)
    #expect(pattern.groupNumbers == ["key": 1, "value": 2])
    // "é" is two UTF-8 bytes: offsets are bytes, not characters.
    let matches = try pattern.allMatches(in: "é a:1.5 bb:-2.")
    #expect(matches.count == 2)
    #expect(matches[0]["key"] == 3..<4)
    #expect(matches[0]["value"] == 5..<8)
    #expect(matches[1]["key"] == 9..<11)
    #expect(matches[1]["value"] == 12..<15)
    #expect(matches[1]["missing"] == nil)
  }

  @Test func emptyMatchesAdvanceByWholeCharacters() throws {
    let pattern = try Pattern("x*")
    let matches = try pattern.allMatches(in: "aé")
    #expect(matches.map(\.range) == [0..<0, 1..<1, 3..<3])
  }

  @Test func anchoredAndPartialMatching() throws {
    let pattern = try Pattern(#"loss:\[[^\]]*\]\n"#)
    #expect(try pattern.match(in: "xloss:[1.]\n", anchored: true) == .noMatch)
    guard case .match(let found) = try pattern.match(in: "xloss:[1.]\n", from: 1, anchored: true)
    else {
      Issue.record("expected a match")
      return
    }
    #expect(found.range == 1..<11)
    #expect(try pattern.match(in: "loss:[0.76", anchored: true, partial: true) == .partial(0..<10))
    #expect(try pattern.match(in: "loss:[0.76", anchored: true) == .noMatch)
  }

  @Test func recursiveBalancedBrackets() throws {
    let pattern = try Pattern(#"(?<arr>\[(?:[^\[\]]++|(?&arr))*+\])"#)
    let matches = try pattern.allMatches(in: "a:[[1. 2.]\n [3. 4.]], b:[5.]")
    #expect(matches.map(\.range) == [2..<20, 24..<28])
  }

  @Test func invalidUTF8SubjectIsAnErrorNotACrash() throws {
    let pattern = try Pattern("a")
    var data = MatchData(for: pattern)
    let bytes: [UInt8] = [0x61, 0xFF, 0x61]
    #expect(throws: PCRE2Error.self) {
      try bytes.withUnsafeBufferPointer { buffer in
        try pattern.match(in: buffer, from: 1, using: &data)
      }
    }
  }

  @Test func catastrophicBacktrackingStopsAtTheMatchLimit() throws {
    let pattern = try Pattern("(a+)+$")
    var data = MatchData(for: pattern, matchLimit: 10_000)
    let bytes = Array(String(repeating: "a", count: 40).utf8) + [0x21]
    var thrown: PCRE2Error?
    do {
      _ = try bytes.withUnsafeBufferPointer { try pattern.match(in: $0, using: &data) }
    } catch { thrown = error as? PCRE2Error }
    let error = try #require(thrown)
    #expect(error.isResourceLimit)
  }
}
