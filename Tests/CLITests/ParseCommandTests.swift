import Foundation
import Testing

@Suite struct ParseCommandTests {
  struct Document: Decodable {
    struct Record: Decodable {
      var record: String
      var print: Int
      var run: Int
      var expression: String
      var shape: [Int]
      var tokens: [String]
      var partial: Bool
      var line: Int
      var column: Int
    }
    var form: String
    var truncated: Bool
    var records: [Record]
  }

  @Test func seedAsJSONListsSixteenRecordsThenThePartialW2Grad() throws {
    let result = try CommandRunner.run(["parse", "Fixtures/seed/notebook.txt", "--format", "json"])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    let document = try snakeCaseDecoder.decode(Document.self, from: Data(result.stdout.utf8))
    #expect(document.form == "text-export")
    #expect(document.truncated)
    #expect(document.records.count == 17)
    #expect(document.records.prefix(16).allSatisfy { !$0.partial })
    #expect(document.records[16].expression == "W2_grad" && document.records[16].partial)
    #expect(document.records[16].tokens.count == 11)
    #expect(document.records[1].tokens.first == "0.49671415")
    #expect(document.records[1].shape == [4, 3])
    #expect(document.records[1].line == 111 && document.records[1].column == 1)
    #expect(document.records[7].run == 0 && document.records[7].expression == "Z1")
    #expect(document.records[7].record == "In [77] line 30: Z1")
  }

  @Test func noArgumentReadsTheBuiltInSeed() throws {
    let builtIn = try CommandRunner.run(["parse", "--format", "json"])
    let file = try CommandRunner.run(["parse", "Fixtures/seed/notebook.txt", "--format", "json"])
    #expect(builtIn.status == 0)
    #expect(
      builtIn.stdout.replacingOccurrences(of: "<built-in seed notebook>", with: "X")
        == file.stdout.replacingOccurrences(of: "Fixtures/seed/notebook.txt", with: "X"))
  }

  @Test(arguments: [
    (
      "Fixtures/bad/empty.txt",
      "retrace: Fixtures/bad/empty.txt: is empty: there is no code and no printed output to read\n"
    ),
    (
      "Fixtures/bad/ragged.log",
      "retrace: Fixtures/bad/ragged.log:5:2: ragged nesting: this array has 2 entries but the one "
        + "at 4:2 has 3 (in W1, In [77] line 24)\n"
    ),
    ("Fixtures/no-such-file.txt", "retrace: Fixtures/no-such-file.txt: no such file\n"),
    ("Fixtures", "retrace: Fixtures: is a directory, not a notebook\n"),
  ])
  func badInputExitsTwoWithOneMessage(_ path: String, _ message: String) throws {
    let result = try CommandRunner.run(["parse", path])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr == message)
  }

  @Test func unknownOptionIsAUsageErrorWithExitTwo() throws {
    let result = try CommandRunner.run(["parse", "--bogus"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--bogus"))
  }
}

/// Reads retrace's snake_case JSON keys into Swift names.
private let snakeCaseDecoder: JSONDecoder = {
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  return decoder
}()
