import Testing

@testable import PythonSyntax

/// Source no notebook has but a hostile or broken file can: each gives a `SyntaxError` with a
/// place (or parses), never a crash, a stack overflow or a hang.
@Suite("Hostile source")
struct HostileSourceTests {
  func rejection(_ source: String) -> SyntaxError? {
    do {
      _ = try PythonParser.parse(source)
      return nil
    } catch {
      return error
    }
  }

  @Test("100,000 nested brackets stop at CPython's 200")
  func nestedBrackets() throws {
    for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
      let source =
        "x = " + String(repeating: open, count: 100_000) + "1"
        + String(repeating: close, count: 100_000) + "\n"
      let error = try #require(rejection(source))
      #expect(error.message == "too many nested parentheses")
      #expect(error.location == SourceLocation(line: 1, column: 204))
    }
  }

  @Test("200 nested brackets are fine, as in CPython")
  func twoHundredBrackets() throws {
    let source = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
    let module = try PythonParser.parse(source)
    #expect(module.body.count == 1)
  }

  @Test(
    "deep unary, boolean, conditional and lambda chains end in a limit, not a stack overflow",
    arguments: [
      String(repeating: "-", count: 100_000) + "1",
      String(repeating: "not ", count: 100_000) + "x",
      String(repeating: "lambda: ", count: 100_000) + "0",
      String(repeating: "a if b else ", count: 100_000) + "c",
      "x" + String(repeating: "**x", count: 100_000),
      String(repeating: "f'{", count: 10_000) + "x" + String(repeating: "}'", count: 10_000),
    ])
  func deepChains(_ source: String) throws {
    let error = try #require(rejection(source + "\n"))
    #expect(error.location.line == 1)
    #expect(error.kind == .limit || error.kind == .syntax)
  }

  @Test("a chain of 100,000 additions is refused; one of 2,000 parses (CPython: about 3,000)")
  func additionChains() throws {
    let long = try #require(rejection("x = " + String(repeating: "1+", count: 100_000) + "1\n"))
    #expect(long.kind == .limit)
    let module = try PythonParser.parse("x = " + String(repeating: "1+", count: 2_000) + "1\n")
    #expect(module.body.count == 1)
  }

  @Test("150 nested blocks stop at CPython's 100 levels of indentation")
  func deepBlocks() throws {
    var source = ""
    for level in 0..<150 { source += String(repeating: " ", count: level) + "if x:\n" }
    source += String(repeating: " ", count: 150) + "pass\n"
    let error = try #require(rejection(source))
    #expect(error.kind == .indentation)
    #expect(error.message == "too many levels of indentation")
    #expect(error.location.line == 101)
  }

  @Test("a 50 MB line: a string literal parses, a list of 25 million numbers hits the node limit")
  func fiftyMegabyteLine() throws {
    let text = String(repeating: "a", count: 50 << 20)
    let module = try PythonParser.parse("s = '" + text + "'\n")
    guard case .assign(_, let value) = module.body.first?.kind,
      case .constant(.string(let parsed, _)) = value.kind
    else {
      Issue.record("not a string assignment")
      return
    }
    #expect(parsed.utf8.count == 50 << 20)
    var list = "x = ["
    list.reserveCapacity(50 << 20)
    for _ in 0..<(25 << 20) / 2 { list += "0,0," }
    list += "0]\n"
    // A lower node limit than the default keeps this quick in a debug build; the default's
    // bound is the same code.
    var limits = ParsingLimits()
    limits.maximumNodes = 1_000_000
    var error: SyntaxError?
    do {
      _ = try PythonParser.parse(list, limits: limits)
    } catch let caught {
      error = caught
    }
    let limited = try #require(error)
    #expect(limited.kind == .limit)
    #expect(limited.message == "too large: more than 1000000 syntax nodes in one cell")
    #expect(limited.location.line == 1)
  }

  @Test("1,000,000 statements parse")
  func millionStatements() throws {
    var source = ""
    source.reserveCapacity(8_000_000)
    for index in 0..<1_000_000 { source += index % 2 == 0 ? "x = 1\n" : "pass\n" }
    let module = try PythonParser.parse(source)
    #expect(module.body.count == 1_000_000)
    #expect(module.body.last?.range.start.line == 1_000_000)
  }

  @Test("invalid UTF-8 is placed by line and column")
  func invalidUTF8() throws {
    var bytes = Array("x = 1\ny = '".utf8)
    bytes += [0xFF, 0x27, 0x0A]
    do {
      _ = try PythonParser.parse(utf8: bytes)
      Issue.record("parsed")
    } catch {
      #expect(error.location == SourceLocation(line: 2, column: 5))
      #expect(error.message.contains("invalid UTF-8"))
    }
  }

  @Test(
    "NUL bytes, unterminated strings at the end of input, mixed tabs and spaces",
    arguments: [
      ("x = 1\0\n", "source code string cannot contain null bytes", 1),
      ("x = 'abc", "unterminated string literal (detected at line 1)", 1),
      (
        "x = 1\ny = \"\"\"abc\n\n",
        "unterminated triple-quoted string literal (detected at line 3)", 2
      ),
      ("x = f'{y", "'{' was never closed", 1),
      ("if x:\n\ta = 1\n        b = 2\n", "inconsistent use of tabs and spaces in indentation", 3),
    ])
  func brokenEnds(_ source: String, _ message: String, _ line: Int) throws {
    let error = try #require(rejection(source))
    #expect(error.message == message)
    #expect(error.location.line == line)
  }

  @Test(
    "valid Python retrace does not read is refused by name",
    arguments: [
      ("async def f():\n    pass\n", "'async' code"),
      ("match x:\n    case 1:\n        pass\n", "'match' statements"),
      ("type Vector = list[float]\n", "'type' alias statements"),
      ("try:\n    pass\nexcept* ValueError:\n    pass\n", "'except*'"),
      ("def f[T](x: T) -> T:\n    return x\n", "generic functions"),
      ("async with a:\n    pass\n", "'async' code"),
      ("x = [await y for y in z]\n", "'await'"),
    ])
  func unsupported(_ source: String, _ what: String) throws {
    let error = try #require(rejection(source))
    #expect(error.kind == .unsupported)
    #expect(error.message.hasPrefix("retrace does not read \(what)"))
  }

  @Test("149 nested f-strings parse; at 150, CPython's 'too many nested f-strings'")
  func nestedFStrings() throws {
    let fine = String(repeating: "f'{", count: 149) + "x" + String(repeating: "}'", count: 149)
    #expect(throws: Never.self) { try PythonParser.parse(fine) }
    let deep = String(repeating: "f'{", count: 150) + "x" + String(repeating: "}'", count: 150)
    let error = try #require(rejection(deep))
    #expect(error.message == "too many nested f-strings")
    #expect(error.characterColumn == 449)
  }

  @Test("soft keywords stay names where they are names")
  func softKeywords() throws {
    let module = try PythonParser.parse("match = 1\ntype = 2\nmatch(3)\nprint(type)\n_ = 4\n")
    #expect(module.body.count == 5)
  }
}

/// Inputs the fuzzer found (Scripts/fuzz.sh python-syntax), kept so they stay fixed.
@Suite("Fuzzer findings")
struct FuzzerFindingTests {
  @Test("a magic continued over lines by backslashes keeps its place (was column -16)")
  func continuedMagic() throws {
    let source = "if True:\n%time:it n\\\\\\\\\\\r\0\u{0B}\0\0\0\0\0\0\\\\\\f f}\n"
    do {
      _ = try PythonParser.parse(source)
      Issue.record("parsed")
    } catch {
      #expect(error.location.column >= 0)
      #expect(error.kind == .indentation)
    }
    let module = try PythonParser.parse("%time x = \\\n  1\ny = 2\n")
    #expect(module.body.count == 2)
    #expect(module.body[0].range.start == SourceLocation(line: 1, column: 0))
    #expect(module.body[1].range.start == SourceLocation(line: 3, column: 0))
  }
}
