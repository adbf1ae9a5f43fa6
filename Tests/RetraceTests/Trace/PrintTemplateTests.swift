import Testing

@testable import Retrace

@Suite struct PrintTemplateTests {
  typealias Part = PrintTemplate.Part
  static func hole(_ expression: String, _ conversion: Character? = nil, _ spec: String? = nil)
    -> Part
  {
    .hole(.init(expression: expression, conversion: conversion, spec: spec))
  }

  @Test(arguments: [
    (#"print(f"loss:{loss}")"#, [Part.literal("loss:"), hole("loss"), .literal("\n")]),
    (#"print("loss:", loss)"#, [.literal("loss: "), hole("loss"), .literal("\n")]),
    (#"print(W1, end="")"#, [hole("W1")]),
    (#"print(a, b, sep=", ")"#, [hole("a"), .literal(", "), hole("b"), .literal("\n")]),
    (
      #"print(f"{{x}} {x!r} {y:.4f} {z=}")"#,
      [
        .literal("{x} "), hole("x", "r"), .literal(" "), hole("y", nil, ".4f"), .literal(" z="),
        hole("z", "r"), .literal("\n"),
      ]
    ),
    (#"print(f'{d["k"]}\t')"#, [hole(#"d["k"]"#), .literal("\t\n")]),
    (#"print(rf"\n{a}")"#, [.literal("\\n"), hole("a"), .literal("\n")]),
  ])
  func printCallsBecomeTemplates(_ call: String, _ parts: [Part]) throws {
    #expect(try PrintTemplate.parts(ofPrintCall: call) == parts)
  }

  @Test func printsToAFileAreNotStdout() throws {
    #expect(try PrintTemplate.parts(ofPrintCall: "print(x, file=f)") == nil)
  }

  @Test func statementsJoinBracketsAndDropComments() {
    let code = "x = [1,\n  2]  # two\n# only a comment\n\nprint(f\"a#b{x}\")  # c\n"
    let statements = PythonStatement.split(code)
    #expect(statements.map(\.text) == ["x = [1,\n  2]", "print(f\"a#b{x}\")"])
    #expect(statements.map(\.firstLine) == [0, 4])
  }
}
