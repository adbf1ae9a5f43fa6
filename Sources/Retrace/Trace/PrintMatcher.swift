import Interpreter
import NumPyKit
import PCRE2

/// How one piece of a replayed print is found in the saved output and read back.
enum PieceShape: Hashable {
  /// Text the saved output must hold byte for byte (string constants, separators, `end`,
  /// str values, reprs of objects).
  case literal(String)
  /// A NumPy array printed by `str` (`[[1. 2.]]`) or `repr` (`array([1., 2.])`): one
  /// bracket-balanced group, read by `ArrayLiteralParser`.
  case array(repr: Bool)
  /// Text with numbers in it (a scalar, a tuple, a list or dict of numbers, an f-string field
  /// with its padding): the text between the numbers quoted (runs of spaces next to a number
  /// flexible, as padding moves with a number's width), each number a group.
  case numbers(parts: [String])
  /// An unverifiable value whose text is not numbers: anything up to the end of its line.
  case free
}

/// A replayed value piece as the checks see it: its shape in the pattern and, per token, the
/// replayed text and exact value.
struct ReplayedPiece {
  var shape: PieceShape
  /// For `.numbers`: each number token of the replayed text and its exact value (the value
  /// itself for a scalar printed as one token; the token's own value otherwise).
  var tokens: [(text: String, exact: Double)] = []
  /// For `.array`: the replayed literal and the array's elements in C order.
  var literal: ArrayLiteral? = nil
  var elements: [Double] = []
  var arrayShape: [Int] = []
  /// Why the value cannot be reproduced.
  var unverifiable: String?
}

/// Builds and caches the anchored pattern of each print's shape, and reads values.
struct PrintMatcher: ~Copyable {
  /// The named groups every pattern may use.
  static let definitions =
    #"(?(DEFINE)(?<arr>\[(?:[^\[\]]++|(?&arr))*+\])"#
    + #"(?<rep>array\((?:(?&arr)(?:,\s*(?:shape=\([0-9, ]*\)|dtype=[\w.<>']+))*|[^()\n]*)\))"#
    + #"(?<num>[-+]?(?:[0-9][0-9,_]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?%?|[-+]?(?:nan|inf)|True|False))"#

  /// A number token in a replayed text: not part of a name (`float64`) or of a longer token.
  static let numberToken = try! Pattern(
    #"(?<![\w.])(?:[-+]?(?:[0-9][0-9,_]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?%?|[-+]?(?:nan|inf)|True|False)(?![\w])"#
  )

  struct Compiled {
    let pattern: Pattern
    /// Per piece, the groups that hold its value tokens (one for an array, one per number).
    let groups: [[Int]]
  }

  private var cache: [[PieceShape]: Compiled] = [:]
  var data = MatchData(pairs: 64)
  private var dataPairs = 64

  /// The compiled pattern of `shapes`.
  mutating func compiled(_ shapes: [PieceShape]) throws(PCRE2Error) -> Compiled {
    if let hit = cache[shapes] { return hit }
    var source = Self.definitions
    var group = 4  // 1-3 are the DEFINE groups
    var groups: [[Int]] = []
    for shape in shapes {
      var mine: [Int] = []
      switch shape {
      case .literal(let text): source += Self.escape(text)
      case .array(let repr):
        source += repr ? "((?&rep))" : "((?&arr))"
        mine.append(group)
        group += 1
      case .numbers(let parts):
        for (k, part) in parts.enumerated() {
          source += Self.escape(part, flexibleSpaces: true)
          if k < parts.count - 1 {
            source += "((?&num))"
            mine.append(group)
            group += 1
          }
        }
      case .free:
        source += "([^\\n]*?)"
        mine.append(group)
        group += 1
      }
      groups.append(mine)
    }
    let compiled = Compiled(pattern: try Pattern(source), groups: groups)
    if cache.count > 4096 { cache.removeAll() }
    cache[shapes] = compiled
    if compiled.pattern.captureCount + 1 > dataPairs {
      dataPairs = compiled.pattern.captureCount + 1
      data = MatchData(pairs: dataPairs)
    }
    return compiled
  }

  /// `text` quoted for a pattern; with `flexibleSpaces`, each run of spaces matches any run
  /// (padding), an empty one included.
  static func escape(_ text: String, flexibleSpaces: Bool = false) -> String {
    var result = ""
    var inSpaces = false
    for scalar in text.unicodeScalars {
      if flexibleSpaces && scalar == " " {
        if !inSpaces { result += " *" }
        inSpaces = true
        continue
      }
      inSpaces = false
      if "\\^$.|?*+()[]{}-/#&~ ".unicodeScalars.contains(scalar) {
        result += "\\" + String(scalar)
      } else if scalar == "\n" {
        result += "\\n"
      } else if scalar == "\t" {
        result += "\\t"
      } else if scalar.value < 0x20 {
        result += "\\x{" + String(scalar.value, radix: 16) + "}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  // MARK: - Replayed pieces

  /// For a print whose saved text is exactly its replayed text: the number of values of each
  /// array piece (what `replayed` and the saved literal would make it, each token the same),
  /// when every value piece is an array printed whole in str form, a string or None; nil for
  /// anything else (numbers, repr, summaries, unverifiable pieces), read the general way.
  static func exactValueCounts(_ pieces: [PrintPiece], repr: Bool) -> [Int]? {
    var counts: [Int] = []
    for piece in pieces where piece.kind == .value {
      guard piece.unverifiable == nil, let value = piece.value?.unmarked else { return nil }
      switch value {
      case .str, .none: continue
      case .array(let object) where object.strings == nil && object.array.ndim > 0 && !repr:
        // Tokens the array reader reads (NumPy's own nan and inf words), no more than it
        // reads in one array.
        guard piece.options.nanString == "nan", piece.options.infString == "inf",
          object.array.count <= ArrayLiteralParser.defaultMaximumCount,
          let tokens = strTokenCount(piece.text), tokens == object.array.count
        else {
          return nil
        }
        counts.append(tokens)
      default: return nil
      }
    }
    return counts
  }

  /// The tokens of `str(a)` text (runs between brackets, spaces and newlines), nil unless it
  /// is bracketed and holds no summary.
  private static func strTokenCount(_ text: String) -> Int? {
    text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      guard bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return nil }
      var tokens = 0
      var inToken = false
      for byte in bytes {
        let delimiter =
          byte == 0x20 || byte == 0x0A || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
        if byte == UInt8(ascii: "."), !inToken { return nil }  // '...' or a bare '.'
        if !delimiter && !inToken { tokens += 1 }
        inToken = !delimiter
      }
      return tokens
    } ?? nil
  }

  /// How a value piece of a replayed print is matched and checked.
  static func replayed(_ piece: PrintPiece, repr: Bool) -> ReplayedPiece {
    let reason = piece.unverifiable
    guard piece.kind == .value, let value = piece.value?.unmarked else {
      return ReplayedPiece(shape: .literal(piece.text))
    }
    if case .array(let object) = value, object.strings == nil, object.array.ndim > 0 {
      let array = object.array
      if let literal = try? ArrayLiteralParser(maximumCount: Int.max).parse(piece.text),
        literal.form == (repr ? .repr : .str)
      {
        let elements =
          array.dtype.isInteger ? array.integerValues().map(Double.init) : array.realValues()
        return ReplayedPiece(
          shape: .array(repr: repr), literal: literal, elements: elements,
          arrayShape: array.shape, unverifiable: reason)
      }
    }
    switch value {
    case .str, .none:
      return ReplayedPiece(
        shape: reason == nil ? .literal(piece.text) : .free, unverifiable: reason)
    default: break
    }
    let matches = (try? numberToken.allMatches(in: piece.text)) ?? []
    guard !matches.isEmpty else {
      return ReplayedPiece(
        shape: reason == nil ? .literal(piece.text) : .free, unverifiable: reason)
    }
    let bytes = Array(piece.text.utf8)
    var parts: [String] = []
    var tokens: [(text: String, exact: Double)] = []
    var last = 0
    for match in matches {
      let range = match.range
      parts.append(String(decoding: bytes[last..<range.lowerBound], as: UTF8.self))
      let token = String(decoding: bytes[range], as: UTF8.self)
      tokens.append((token, tokenValue(token) ?? .nan))
      last = range.upperBound
    }
    parts.append(String(decoding: bytes[last...], as: UTF8.self))
    if tokens.count == 1, let exact = scalarValue(value) {
      tokens[0].exact = tokens[0].text.hasSuffix("%") ? exact * 100 : exact
    }
    return ReplayedPiece(shape: .numbers(parts: parts), tokens: tokens, unverifiable: reason)
  }

  /// The exact value of a Python or NumPy number (or 0-d array), nil for anything else.
  static func scalarValue(_ value: Value) -> Double? {
    switch value {
    case .int(let n): Double(n)
    case .float(let x): x
    case .bool(let flag): flag ? 1 : 0
    case .npScalar(let scalar):
      switch scalar {
      case .float64(let x): x
      case .float32(let x): Double(x)
      case .int64(let n): Double(n)
      case .bool(let flag): flag ? 1 : 0
      case .integer(let n, _): Double(n)
      }
    case .array(let object) where object.array.ndim == 0 && object.strings == nil:
      object.array.dtype.isInteger
        ? object.array.integerValues().first.map(Double.init) : object.array.realValues().first
    default: nil
    }
  }

  /// The value a printed number token denotes (`1,234.5` → 1234.5, `12.5%` → 12.5, `True` →
  /// 1), nil when it is not a number.
  static func tokenValue(_ token: String) -> Double? {
    switch token {
    case "True": return 1
    case "False": return 0
    default: break
    }
    var text = token
    if text.hasSuffix("%") { text.removeLast() }
    text.removeAll { $0 == "," || $0 == "_" }
    if text.hasSuffix(".") { text += "0" }
    if text.hasPrefix(".") { text = "0" + text }
    if text.hasPrefix("-.") { text = "-0" + text.dropFirst() }
    return Double(text)
  }
}
