import Foundation
import PCRE2
import Testing

/// The limits `MatchData` sets keep any subject from making a match run away or overflow a
/// stack: a recursive pattern on brackets nested 100,000 deep stops with a resource-limit
/// error, in well under a second, with the default limits.
@Suite struct PatternLimitTests {
  @Test func recursionOnDeepNestingStopsAtALimitNotACrash() throws {
    let pattern = try Pattern(#"\[(?:[^\[\]]++|(?R))*+\]"#)
    var data = MatchData(for: pattern)
    let depth = 100_000
    let bytes =
      Array(String(repeating: "[", count: depth).utf8)
      + Array(String(repeating: "]", count: depth).utf8)
    let start = Date()
    var thrown: PCRE2Error?
    do {
      _ = try bytes.withUnsafeBufferPointer {
        try pattern.match(in: $0, anchored: true, using: &data)
      }
    } catch {
      thrown = error as? PCRE2Error
    }
    let error = try #require(thrown)
    #expect(error.isResourceLimit)
    #expect(Date().timeIntervalSince(start) < 5)
  }

  @Test func aSmallDepthLimitIsHonoured() throws {
    let pattern = try Pattern(#"\[(?:[^\[\]]++|(?R))*+\]"#)
    var data = MatchData(for: pattern, depthLimit: 100)
    let text = String(repeating: "[", count: 1_000) + String(repeating: "]", count: 1_000)
    let bytes = Array(text.utf8)
    #expect(throws: PCRE2Error.self) {
      try bytes.withUnsafeBufferPointer {
        try pattern.match(in: $0, anchored: true, using: &data)
      }
    }
  }
}
