import Foundation
import NumPyKit
import Testing

@testable import Retrace

struct Edit: Decodable {
  var name: String
  var line: Int
  var column: Int
  var original: String
  var edited: String
  var epoch: Int
  var label: String
  var index: [Int]
}

func verify(_ path: String, model: ReplayEngine.Model = .asWritten) throws -> SeedVerification {
  let (trace, experiment) = try experiment(path)
  return try SeedVerifier.verify(trace, experiment: experiment, model: model)
}

@Suite struct VerifierTests {
  @Test func theSeedAsGivenIsReproducedUpToItsCut() throws {
    let verification = try verify("seed/notebook.txt")
    #expect(verification.isReproduced)
    #expect(verification.trace.isTruncated)
    #expect(verification.checked == 72)
    #expect(verification.count(.exact) == 72)
  }

  @Test(arguments: replayFixtures)
  func everyFixtureIsReproducedInEveryForm(_ name: String) throws {
    for form in ["txt", "ipynb"] {
      let verification = try verify("notebooks/\(name).\(form)")
      #expect(verification.isReproduced, "\(name).\(form)")
      #expect(verification.count(.exact) == verification.checked, "\(name).\(form)")
    }
  }

  @Test func theFullSeedLogIsReproducedWithTheSeedsCode() throws {
    let verification = try verify("notebooks/seed-full.log")
    #expect(verification.form == .log)
    #expect(verification.isReproduced)
    #expect(verification.checked == 898)
  }

  @Test func oneAlteredDigitIsNamedWithItsPlace() throws {
    struct Index: Decodable { var edits: [Edit] }
    let edits = try JSONDecoder().decode(
      Index.self, from: FixturePath.data("notebooks/index.json")
    ).edits
    let edit = try #require(edits.first)
    let verification = try verify("notebooks/\(edit.name).txt")
    #expect(!verification.isReproduced)
    #expect(verification.mismatched == 1)
    let record = try #require(verification.records.first { !$0.mismatches.isEmpty })
    let value = try #require(record.mismatches.first)
    #expect(record.record.label == edit.label)
    #expect(record.record.epoch == edit.epoch)
    #expect(value.index == edit.index)
    #expect(value.printed == edit.edited)
    #expect(value.replayed == edit.original)
    #expect(value.position.line == edit.line)
    #expect(value.position.column == edit.column)
    #expect(abs((value.lastDigitUnits ?? 0) - 1000) < 0.5)
  }

  @Test func summationNoiseIsWithinNoiseNotAMismatch() throws {
    let verification = try verify("notebooks/noise.txt")
    #expect(verification.isReproduced)
    #expect(verification.count(.withinNoise) > 0)
    // The plain replay does not print what this run printed: the noise is real.
    let (_, experiment) = try experiment("notebooks/noise.txt")
    let replay = try ReplayEngine(experiment: experiment).run()
    #expect(replay.output != (try FixturePath.text("notebooks/noise.log")))
    // The tiny loss is among the values explained by the band.
    let noisy = verification.records.filter { check in
      check.values.contains { $0.verdict == .withinNoise }
    }
    #expect(noisy.contains { $0.record.label == "loss" })
  }

  @Test func valuesAreCheckedAgainstTheLogsOwnPositions() throws {
    // Each value's line:column points at its token in the file.
    let text = try FixturePath.text("notebooks/seed-full.txt")
    let lines = text.components(separatedBy: "\n")
    let verification = try verify("notebooks/seed-full.txt")
    for check in verification.records {
      for value in check.values {
        let line = Array(lines[value.position.line - 1])
        let token = String(line[(value.position.column - 1)...].prefix(value.printed.count))
        #expect(token == value.printed)
      }
    }
  }

  @Test(arguments: [
    ("0.49671415", 1e-8), ("-2.", 1.0), ("1.23911839e-11", 1e-19), ("1.e+08", 1e8),
    ("3.19501039e-20", 1e-28),
  ])
  func lastDigitUnits(_ token: String, _ unit: Double) throws {
    let computed = try #require(lastDigitUnit(of: token))
    #expect(abs(computed - unit) / unit < 1e-12)
  }
}
