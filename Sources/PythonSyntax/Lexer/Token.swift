/// One token of Python source, as CPython's tokenizer splits it.
struct Token: Sendable {
  /// What the token is.
  var kind: Kind
  /// The byte offset of the first byte in the source buffer.
  var start: Int
  /// The byte offset just past the last byte.
  var end: Int
  /// Where it is, CPython's way.
  var range: SourceRange

  /// The kinds of token. Keywords and punctuation carry their identity; names, numbers and
  /// strings are read from the source by the parser.
  enum Kind: Equatable, Sendable {
    case name
    case keyword(ReservedWord)
    case number
    case string
    case fstring
    case punct(Punct)
    case newline
    case indent
    case dedent
    case endOfFile
    /// An IPython escape on its own logical line (`%time x`, `!ls`, `x?`), or after `=`: its
    /// index in `Lexer.magics` (so that a token stays a plain value, cheap to copy).
    case magic(Int)
  }
}

/// An IPython escape as the lexer found it.
struct MagicToken: Equatable, Sendable {
  /// What IPython translates it to.
  var kind: IPythonMagic.Kind
  /// The magic's name (line and cell magics, and help as `pinfo` / `pinfo2`).
  var name: String
  /// The rest of its line, as IPython passes it.
  var arguments: String
  /// A cell magic's body.
  var body: String
}

/// Python's hard keywords.
enum ReservedWord: String, CaseIterable, Sendable {
  case `false` = "False"
  case `none` = "None"
  case `true` = "True"
  case and, `as`, assert, async, await
  case `break`, `class`, `continue`, def, del, elif, `else`, except, finally, `for`, from
  case global, `if`, `import`, `in`, `is`, lambda, nonlocal, not, or, pass, raise
  case `return`, `try`, `while`, with, yield

  /// The keyword spelled by `bytes`, if any.
  static func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> ReservedWord?
  {
    let length = end - start
    guard length >= 2, length <= 8 else { return nil }
    let first = bytes[start]
    guard (first >= 0x61 && first <= 0x7A) || first == 0x46 || first == 0x4E || first == 0x54
    else { return nil }
    for keyword in table[length] {
      let spelling = keyword.spelling
      var same = true
      for index in 0..<length where spelling[index] != bytes[start + index] {
        same = false
        break
      }
      if same { return keyword }
    }
    return nil
  }

  /// The keyword's spelling in UTF-8.
  var spelling: [UInt8] { Array(rawValue.utf8) }

  /// The keywords by length.
  private static let table: [[ReservedWord]] = {
    var table = [[ReservedWord]](repeating: [], count: 9)
    for keyword in ReservedWord.allCases { table[keyword.rawValue.utf8.count].append(keyword) }
    return table
  }()
}

/// Python's operators and delimiters.
enum Punct: String, CaseIterable, Sendable {
  case leftParen = "("
  case rightParen = ")"
  case leftBracket = "["
  case rightBracket = "]"
  case leftBrace = "{"
  case rightBrace = "}"
  case colon = ":"
  case comma = ","
  case semicolon = ";"
  case plus = "+"
  case minus = "-"
  case star = "*"
  case slash = "/"
  case verticalBar = "|"
  case ampersand = "&"
  case less = "<"
  case greater = ">"
  case equal = "="
  case dot = "."
  case percent = "%"
  case tilde = "~"
  case circumflex = "^"
  case at = "@"
  case equalEqual = "=="
  case notEqual = "!="
  case lessEqual = "<="
  case greaterEqual = ">="
  case leftShift = "<<"
  case rightShift = ">>"
  case doubleStar = "**"
  case plusEqual = "+="
  case minusEqual = "-="
  case starEqual = "*="
  case slashEqual = "/="
  case percentEqual = "%="
  case ampersandEqual = "&="
  case verticalBarEqual = "|="
  case circumflexEqual = "^="
  case leftShiftEqual = "<<="
  case rightShiftEqual = ">>="
  case doubleStarEqual = "**="
  case doubleSlash = "//"
  case doubleSlashEqual = "//="
  case atEqual = "@="
  case arrow = "->"
  case ellipsis = "..."
  case colonEqual = ":="
  case exclamation = "!"
}
