/// One logical line of Python code: physical lines joined while brackets or a triple-quoted
/// string stay open, with comments removed. retrace reads code; it never runs it.
public struct PythonStatement: Sendable, Equatable {
  /// The statement's text: its lines joined with "\n", comments removed, trailing spaces cut.
  public var text: String
  /// The 0-based index of its first physical line in the code it came from.
  public var firstLine: Int
  /// The number of physical lines it spans.
  public var lineCount: Int
  /// The number of spaces (a tab counts as one) before it on its first line.
  public var indent: Int

  /// Splits `code` into logical statements; blank and comment-only lines are dropped.
  public static func split(_ code: String) -> [PythonStatement] {
    let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
    var statements: [PythonStatement] = []
    var pending: [String] = []
    var pendingStart = 0
    var depth = 0
    var openQuote: [Character]? = nil  // the closing delimiter of an open triple-quoted string
    for (number, rawLine) in lines.enumerated() {
      var kept = ""
      var index = rawLine.startIndex
      var quote: [Character]? = openQuote
      while index < rawLine.endIndex {
        let character = rawLine[index]
        if let closing = quote {
          kept.append(character)
          if character == "\\" {
            let next = rawLine.index(after: index)
            if next < rawLine.endIndex {
              kept.append(rawLine[next])
              index = rawLine.index(after: next)
              continue
            }
          } else if character == closing[0],
            rawLine[index...].starts(with: closing)
          {
            for _ in 1..<closing.count {
              index = rawLine.index(after: index)
              kept.append(rawLine[index])
            }
            quote = nil
          }
          index = rawLine.index(after: index)
          continue
        }
        switch character {
        case "#":
          index = rawLine.endIndex
          continue
        case "\"", "'":
          let triple = rawLine[index...].starts(with: String(repeating: character, count: 3))
          quote = triple ? Array(repeating: character, count: 3) : [character]
          kept.append(character)
          if triple {
            kept.append(character)
            kept.append(character)
            index = rawLine.index(index, offsetBy: 3)
            continue
          }
        case "(", "[", "{":
          depth += 1
          kept.append(character)
        case ")", "]", "}":
          depth = max(0, depth - 1)
          kept.append(character)
        default:
          kept.append(character)
        }
        index = rawLine.index(after: index)
      }
      // A single-quoted string cannot span lines; a triple-quoted one can.
      openQuote = (quote?.count == 3) ? quote : nil
      if pending.isEmpty {
        if kept.allSatisfy({ $0 == " " || $0 == "\t" }) && openQuote == nil {
          depth = 0
          continue
        }
        pendingStart = number
      }
      pending.append(kept)
      let continued = kept.hasSuffix("\\")
      if depth == 0 && openQuote == nil && !continued {
        let first = pending[0]
        let indent = first.prefix(while: { $0 == " " || $0 == "\t" }).count
        var text = pending.joined(separator: "\n")
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        statements.append(
          .init(
            text: String(text.dropFirst(indent)), firstLine: pendingStart,
            lineCount: pending.count, indent: indent))
        pending = []
      }
    }
    if !pending.isEmpty {
      let first = pending[0]
      let indent = first.prefix(while: { $0 == " " || $0 == "\t" }).count
      statements.append(
        .init(
          text: String(pending.joined(separator: "\n").dropFirst(indent)),
          firstLine: pendingStart, lineCount: pending.count, indent: indent))
    }
    return statements
  }
}
