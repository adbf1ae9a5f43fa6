import Foundation
import NumPyKit
import Testing

/// One array as NumPy 2.4.6 printed it (Fixtures/numpy/literals/cases.json, made by
/// Scripts/fixtures/literals.py): str and repr, and per printed value the token, Python's
/// float(token) as a bit pattern, and the value's index.
struct LiteralCase: Decodable, CustomTestStringConvertible, Sendable {
  struct Form: Decodable, Sendable {
    var tokens: [String]
    var bits: [String]
  }
  var name: String
  var shape: [Int]
  var summarised: Bool
  var dtype: String
  var str: String
  var repr: String
  var forms: [String: Form]
  var indices: [[Int]]
  var testDescription: String { name }

  static let all: [LiteralCase] = {
    struct File: Decodable { var cases: [LiteralCase] }
    guard let data = try? FixturePath.data("numpy/literals/cases.json"),
      let file = try? JSONDecoder().decode(File.self, from: data)
    else { return [] }
    return file.cases
  }()
}

func hexBits(_ value: Double) -> String {
  let hex = String(value.bitPattern, radix: 16)
  return String(repeating: "0", count: 16 - hex.count) + hex
}

@Suite struct ArrayLiteralParserTests {
  let parser = ArrayLiteralParser()

  @Test func fixtureIsPresent() {
    #expect(LiteralCase.all.count >= 50)
  }

  @Test(arguments: LiteralCase.all)
  func readsStrAsNumPyPrintedIt(_ reference: LiteralCase) throws {
    try check(reference, form: "str", text: reference.str)
  }

  @Test(arguments: LiteralCase.all)
  func readsReprAsNumPyPrintedIt(_ reference: LiteralCase) throws {
    try check(reference, form: "repr", text: reference.repr)
  }

  func check(_ reference: LiteralCase, form: String, text: String) throws {
    let literal = try parser.parse(text)
    let expected = try #require(reference.forms[form])
    #expect(literal.tokens.map(\.text) == expected.tokens)
    #expect(literal.values.map(hexBits) == expected.bits)
    #expect(literal.isSummarized == reference.summarised)
    if form == "str" && reference.shape.contains(0) {
      // str() of an empty array is "[]" whatever its shape; repr adds shape=.
      #expect(literal.shape == [0])
    } else if form == "repr" || !reference.summarised {
      #expect(literal.shape == reference.shape)
      #expect(literal.tokens.map(\.index) == reference.indices)
    } else {
      // str of a summarised array: indices after '...' count from the end.
      let resolved = literal.tokens.map { token in
        token.index.enumerated().map { axis, i in i < 0 ? reference.shape[axis] + i : i }
      }
      #expect(resolved == reference.indices)
    }
    #expect(literal.form == (form == "repr" ? .repr : .str))
    #expect(literal.isPartial == false)
    switch reference.dtype {
    case "bool": #expect(literal.dtype == .bool)
    case "int64": #expect(literal.dtype == .int64)
    default: if !reference.shape.contains(0) { #expect(literal.dtype == .float64) }
    }
  }

  /// An array of 800,000 values, past the size where the reader's storage grows into
  /// huge-page-advised blocks (2 MiB of doubles, 2 MiB of token offsets): every value keeps
  /// NumPy's bits, and tokens keep their text and place. Built from the fixture tokens of
  /// NumPy's printing, ten per line.
  @Test func largeArraysKeepEveryValueAndPlace() throws {
    let reference = try #require(
      LiteralCase.all.filter { !$0.summarised && $0.dtype == "float64" }
        .max { $0.forms["str"]!.tokens.count < $1.forms["str"]!.tokens.count })
    let form = try #require(reference.forms["str"])
    let count = 800_000
    var text = "["
    for i in 0..<count {
      if i > 0 { text += i % 10 == 0 ? "\n " : " " }
      text += form.tokens[i % form.tokens.count]
    }
    text += "]"
    let literal = try ArrayLiteralParser(maximumCount: count).parse(text)
    #expect(literal.count == count)
    let bits = literal.values.map(\.bitPattern)
    let mismatched = (0..<count).first {
      hexBits(Double(bitPattern: bits[$0])) != form.bits[$0 % form.tokens.count]
    }
    #expect(mismatched == nil)
    let tokens = literal.tokens
    for i in [0, 9, 10, 262_143, 262_144, 524_287, 524_288, count - 1] {
      #expect(tokens[i].text == form.tokens[i % form.tokens.count])
      #expect(tokens[i].position.line == i / 10 + 1)
    }
  }

  @Test func tokensKnowTheirLineAndColumn() throws {
    let literal = try parser.parse("[[ 0.49671415 -0.1382643 ]\n [ 1.5        -2.        ]]")
    #expect(literal.tokens.map(\.position.line) == [1, 1, 2, 2])
    #expect(literal.tokens.map(\.position.column) == [4, 15, 4, 15])
    #expect(literal.shape == [2, 2])
  }

  @Test(arguments: [
    ("[1. 2.", "1:7: expected ']' to close the array opened at 1:1, found the end of the text"),
    ("[[1. 2.]\n [3.]]", "2:2: ragged nesting: this array has 1 entries but the one at 1:2 has 2"),
    ("[[1.] 2.]", "1:7: ragged nesting: a number where a nested array was expected"),
    ("[1. 2.x]", "1:5: malformed number '2.x'"),
    ("[1. --]", "1:5: malformed number '--'"),
    ("[0x1p]", "1:2: malformed number '0x1p'"),
    ("[1e]", "1:2: malformed number '1e'"),
    ("array(1.)", "1:7: expected '[' after 'array(', found '1'"),
    ("[1.] x", "1:6: unexpected 'x' after the array"),
  ])
  func badLiteralsNameLineAndColumn(_ text: String, _ message: String) {
    #expect(throws: ReadingError.self) { try parser.parse(text) }
    do {
      _ = try parser.parse(text)
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    do {
      _ = try parser.parse(text)
      Issue.record("expected an error")
    } catch {
      #expect(error.message == "arrays nest deeper than NumPy's 64 dimensions")
      #expect(error.column == 65)
    }
  }

  @Test func capOnValuesInOneArray() {
    let small = ArrayLiteralParser(maximumCount: 3)
    #expect(throws: ReadingError.self) { try small.parse("[1. 2. 3. 4.]") }
  }

  @Test func partialArraysKeepEveryCompleteValue() throws {
    let text = "[[-0. -0.]\n [ 0.05351791  0.0022"
    var copy = text
    let literal = try copy.withUTF8 { bytes in
      try parser.parse(bytes, at: .start, allowPartial: true)
    }
    #expect(literal.isPartial)
    #expect(literal.tokens.map(\.text) == ["-0.", "-0.", "0.05351791"])
    #expect(literal.shape == [2, 2])
  }

  @Test(arguments: [
    ("1e999", Double.infinity), ("-0.", -0.0), ("1.e+08", 1e8), ("nan", Double.nan),
    ("-inf", -Double.infinity), ("0.30000000000000004", 0.30000000000000004),
    ("2.2250738585072014e-308", 2.2250738585072014e-308), ("5e-324", 5e-324),
    ("123456789012345678901234567890", 1.2345678901234568e29),
  ])
  func numbersAreCorrectlyRounded(_ text: String, _ value: Double) throws {
    let parsed = try #require(DecimalNumber.parse(text))
    if value.isNaN { #expect(parsed.isNaN) } else { #expect(parsed.bitPattern == value.bitPattern) }
  }

  @Test func fastPathAgreesWithStrtodOnManyEightDigitTokens() throws {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let value = Double.random(in: -100...100, using: &generator)
      let text = String(format: "%.8f", value)
      let parsed = try #require(DecimalNumber.parse(text))
      #expect(parsed.bitPattern == strtod(text, nil).bitPattern, "\(text)")
    }
  }
}
