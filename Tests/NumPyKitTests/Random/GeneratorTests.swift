import Foundation
import Testing

@testable import NumPyKit

extension RandomTests {
  @Suite("Generator (np.random.default_rng) against NumPy")
  struct GeneratorTests {
    static func replay(_ step: RandomStep, on generator: inout Generator) throws(RandomError)
      -> StepResult?
    {
      switch step.op {
      case "next64":
        return .words((0..<(step.count ?? 0)).map { _ in generator.bitGenerator.next() })
      case "random":
        return .doubles(try generator.random(step.size))
      case "standard_normal":
        return .doubles(try generator.standardNormal(step.size))
      case "normal":
        let loc = step.loc?.real ?? .nan
        let scale = step.scale?.real ?? .nan
        return .doubles(try generator.normal(loc: loc, scale: scale, shape: step.size))
      case "uniform":
        let low = step.low?.real ?? .nan
        let high = step.high?.real ?? .nan
        return .doubles(try generator.uniform(low: low, high: high, shape: step.size))
      case "integers":
        let low = step.low?.integer ?? 0
        let values = try generator.integers(
          low, step.high?.integer, shape: step.size, endpoint: step.endpoint ?? false)
        return .integers(values)
      default:
        Issue.record("unknown op \(step.op)")
        return nil
      }
    }

    @Test(arguments: RandomFixture.caseNames("generator.json"))
    func recordedSequence(name: String) throws {
      let recorded = try RandomFixture.namedCase("generator.json", name)
      var generator: Generator
      if let entropy = recorded.entropy {
        generator = Generator(seedSequence: entropy)
      } else {
        let seed = try #require(recorded.seed)
        do {
          generator = try Generator(seed: seed)
        } catch {
          let failure = try #require(recorded.error, "Swift threw \(error), NumPy did not")
          #expect(error.message == failure.message)
          #expect(error.kind.rawValue == failure.kind)
          return
        }
        #expect(recorded.error == nil, "NumPy raised, Swift did not")
      }
      for (index, step) in recorded.steps.enumerated() {
        RandomFixture.check(step, "\(name) step \(index)") { () throws(RandomError) in
          try Self.replay(step, on: &generator)
        }
      }
    }

    @Test(arguments: [0, 42])
    func longStandardNormalStream(seed: Int) throws {
      let file = try RandomFixture.streams()
      let stream = try #require(
        file.streams.first { $0.generator == "Generator" && $0.seed == seed })
      var generator = try Generator(seed: seed)
      let actual = RandomFixture.bitPatterns(try generator.standardNormal([file.count]))
      let expected = RandomFixture.bitPatterns(stream.f64)
      #expect(actual.count == expected.count)
      let firstMismatch = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?
        .offset
      #expect(firstMismatch == nil, "seed \(seed) differs at \(firstMismatch ?? -1)")
    }

    /// The reference document's vectors (numpy-bit-exact.md, B.2 and B.3).
    @Test func referenceVectors() throws {
      var bits = try PCG64(seed: 0)
      #expect(
        [bits.next(), bits.next(), bits.next()]
          == [0xa30f_ebcf_d9c2_825f, 0x4510_bdf8_82d9_d721, 0x0a7d_3da9_4ecd_e8b8])
      var generator = try Generator(seed: 42)
      let expected = [
        "0x1.3807c1104fc6bp-2", "-0x1.0a3c65fca9a7ep+0", "0x1.803b239e77350p-1",
        "0x1.e191b2d157f36p-1",
      ]
      _ = try generator.random([3])
      var fresh = try Generator(seed: 42)
      #expect(
        try fresh.standardNormal([4]).map(\.bitPattern)
          == expected.compactMap { Double($0)?.bitPattern })
    }

    @Test func zigguratTablesMatchTheDocumentedChecks() {
      #expect(Ziggurat.ki.count == 256 && Ziggurat.wi.count == 256 && Ziggurat.fi.count == 256)
      #expect(Ziggurat.ki[0] == 0x000E_F33D_8025_EF6A && Ziggurat.ki[1] == 0)
      #expect(Ziggurat.ki[255] == 0x000F_1A5A_4B33_1C4A)
      #expect(Ziggurat.wi[0] == Double("0x1.f493b7815d979p-51"))
      #expect(Ziggurat.wi[255] == Double("0x1.d3bb48209ad33p-51"))
      #expect(Ziggurat.fi[0] == 1.0 && Ziggurat.fi[255] == Double("0x1.4a605b6b9f70fp-10"))
      #expect(Ziggurat.r == Double("0x1.d3bb48209ad33p+1"))
      #expect(Ziggurat.inverseR == Double("0x1.183aa6c20e8c1p-2"))
    }

    @Test func next32SharesTheHeldHighHalf() throws {
      var a = try PCG64(seed: 7)
      var b = a
      let full = b.next()
      #expect(a.next32() == UInt32(truncatingIfNeeded: full))
      #expect(a.next32() == UInt32(truncatingIfNeeded: full >> 32))
      #expect(a.next() == b.next())
    }

    @Test func seedSequenceWordsFollowNumPy() throws {
      #expect(SeedSequence.words(of: 0) == [0])
      #expect(SeedSequence.words(of: 1 << 40 | 5) == [5, 256])
      #expect(SeedSequence(sequence: [1 << 32]).entropyWords == [0, 1])
      #expect(throws: RandomError(.valueError, "expected non-negative integer")) {
        try SeedSequence(-1)
      }
    }
  }
}
