/// One successful match: the byte ranges of the whole match and of each capture group.
public struct Match: Equatable, Sendable {
  /// Group ranges by number (0 = whole match); `nil` for a group that did not take part.
  public let ranges: [Range<Int>?]
  let groupNumbers: [String: Int]

  /// The UTF-8 byte range of the whole match.
  public var range: Range<Int> { ranges[0] ?? 0..<0 }

  /// The byte range of group `number`, or `nil` when it did not take part or does not exist.
  public subscript(number: Int) -> Range<Int>? {
    number >= 0 && number < ranges.count ? ranges[number] : nil
  }

  /// The byte range of the named group, or `nil` when it did not take part or does not exist.
  public subscript(name: String) -> Range<Int>? {
    guard let number = groupNumbers[name] else { return nil }
    return self[number]
  }
}
