import CPCRE2

/// A compiled PCRE2 regular expression (pcre2_code), compiled once in UTF mode and
/// JIT-compiled when the platform supports it.
///
/// Immutable after initialisation; PCRE2 allows one compiled pattern to be used by many
/// threads at once, each with its own `MatchData`.
public final class Pattern: @unchecked Sendable {
  /// The pattern's source text.
  public let source: String
  /// The number of capture groups (PCRE2_INFO_CAPTURECOUNT).
  public let captureCount: Int
  /// Named groups and their numbers (PCRE2_INFO_NAMETABLE).
  public let groupNumbers: [String: Int]
  /// Whether the pattern was JIT-compiled (pcre2_jit_compile succeeded).
  public let isJITCompiled: Bool

  let code: OpaquePointer

  /// Compiles `source` with PCRE2_UTF (and `options`, PCRE2 compile option bits).
  ///
  /// - Throws: `PCRE2Error.compile` with PCRE2's message and the offset in the pattern.
  public init(_ source: String, options: Options = []) throws(PCRE2Error) {
    var errorCode: Int32 = 0
    var errorOffset: Int = 0
    let bytes = Array(source.utf8)
    let compiled = bytes.withUnsafeBufferPointer { buffer in
      pcre2_compile_8(
        buffer.baseAddress, buffer.count, PCRE2_UTF | options.rawValue,
        &errorCode, &errorOffset, nil)
    }
    guard let compiled else {
      throw .compile(message: PCRE2Error.message(for: errorCode), offset: errorOffset)
    }
    self.code = compiled
    self.source = source
    self.isJITCompiled =
      pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD) == 0

    var count: UInt32 = 0
    pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
    self.captureCount = Int(count)

    var nameCount: UInt32 = 0
    var entrySize: UInt32 = 0
    var table: UnsafePointer<UInt8>? = nil
    pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount)
    pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
    pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_NAMETABLE), &table)
    var names: [String: Int] = [:]
    if let table {
      for entry in 0..<Int(nameCount) {
        let base = table + entry * Int(entrySize)
        let number = Int(base[0]) << 8 | Int(base[1])
        var end = 2
        while end < Int(entrySize) && base[end] != 0 { end += 1 }
        let name = String(
          decoding: UnsafeBufferPointer(start: base + 2, count: end - 2), as: UTF8.self)
        names[name] = number
      }
    }
    self.groupNumbers = names
  }

  deinit { pcre2_code_free_8(code) }

  /// The outcome of one match attempt.
  public enum Outcome: Equatable, Sendable {
    /// A complete match.
    case match(Match)
    /// The subject ended while the pattern could still have matched (PCRE2_ERROR_PARTIAL);
    /// the range runs from the match's start to the end of the subject.
    case partial(Range<Int>)
    /// No match.
    case noMatch
  }

  /// Matches at or after `start` in `subject` (UTF-8 bytes), reusing `data`.
  ///
  /// - Parameters:
  ///   - anchored: the match must start exactly at `start` (PCRE2_ANCHORED).
  ///   - partial: report a subject that ends mid-match as `.partial` (PCRE2_PARTIAL_HARD).
  ///   - checkedUTF8: the subject was already validated as UTF-8 (PCRE2_NO_UTF_CHECK).
  /// - Throws: `PCRE2Error.match` when PCRE2 stops (match/depth limit, invalid UTF-8…).
  public func match(
    in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0, anchored: Bool = false,
    partial: Bool = false, checkedUTF8: Bool = false, using data: inout MatchData
  ) throws(PCRE2Error) -> Outcome {
    var options: UInt32 = 0
    if anchored { options |= PCRE2_ANCHORED }
    if partial { options |= PCRE2_PARTIAL_HARD }
    if checkedUTF8 { options |= PCRE2_NO_UTF_CHECK }
    let base = subject.baseAddress ?? data.emptySubject
    let rc = pcre2_match_8(
      code, base, subject.count, start, options, data.matchData, data.context)
    if rc == PCRE2_ERROR_NOMATCH { return .noMatch }
    let vector = pcre2_get_ovector_pointer_8(data.matchData)
    if rc == PCRE2_ERROR_PARTIAL {
      guard let vector else { return .noMatch }
      return .partial(vector[0]..<vector[1])
    }
    if rc < 0 { throw .match(code: rc, message: PCRE2Error.message(for: rc)) }
    if rc == 0 {
      throw .match(code: 0, message: "the match data has too few pairs for this pattern's groups")
    }
    guard let vector else { return .noMatch }
    let pairs = Int(pcre2_get_ovector_count_8(data.matchData))
    var ranges: [Range<Int>?] = []
    ranges.reserveCapacity(captureCount + 1)
    for group in 0...captureCount {
      if group < pairs {
        let lower = vector[2 * group]
        let upper = vector[2 * group + 1]
        ranges.append(lower == ~0 ? nil : (lower..<upper))
      } else {
        ranges.append(nil)
      }
    }
    return .match(Match(ranges: ranges, groupNumbers: groupNumbers))
  }

  /// Matches in a Swift string (converted to UTF-8 once).
  public func match(
    in subject: String, from start: Int = 0, anchored: Bool = false, partial: Bool = false
  ) throws(PCRE2Error) -> Outcome {
    var data = MatchData(for: self)
    let bytes = Array(subject.utf8)
    return try bytes.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) -> Outcome in
      try match(in: buffer, from: start, anchored: anchored, partial: partial, using: &data)
    }
  }

  /// Every non-overlapping match in `subject`, in order, on UTF-8 byte offsets.
  public func allMatches(in subject: String) throws(PCRE2Error) -> [Match] {
    var data = MatchData(for: self)
    let bytes = Array(subject.utf8)
    return try bytes.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) -> [Match] in
      var results: [Match] = []
      var position = 0
      var checked = false
      while position <= buffer.count {
        let outcome = try match(in: buffer, from: position, checkedUTF8: checked, using: &data)
        checked = true
        guard case .match(let found) = outcome else { break }
        results.append(found)
        let range = found.range
        if range.isEmpty {
          // Step past an empty match by one whole UTF-8 character.
          var next = range.upperBound + 1
          while next < buffer.count && buffer[next] & 0xC0 == 0x80 { next += 1 }
          position = next
        } else {
          position = range.upperBound
        }
      }
      return results
    }
  }
}

extension Pattern {
  /// PCRE2 compile options (besides PCRE2_UTF, which is always on).
  public struct Options: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// `.` matches newlines too (PCRE2_DOTALL).
    public static let dotAll = Options(rawValue: PCRE2_DOTALL)
    /// `^` and `$` match at line starts and ends (PCRE2_MULTILINE).
    public static let multiline = Options(rawValue: PCRE2_MULTILINE)
  }
}
