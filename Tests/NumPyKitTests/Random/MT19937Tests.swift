import Testing

@testable import NumPyKit

extension RandomTests {
  @Suite("MT19937 (legacy seeding) against NumPy")
  struct MT19937Tests {
    /// Raw 32-bit draws from numpy-bit-exact.md A.8.
    @Test(
      arguments: [
        (0, [2_357_136_044, 2_546_248_239, 3_071_714_933, 3_626_093_760]),
        (5489, [3_499_211_612, 581_869_302, 3_890_346_734, 3_586_334_585]),
      ] as [(Int, [UInt32])])
    func integerSeed(seed: Int, expected: [UInt32]) throws {
      var bits = try MT19937(seed: seed)
      #expect((0..<4).map { _ in bits.next32() } == expected)
    }

    @Test(
      arguments: [
        ([1, 2, 3], [2_619_334_238, 1_552_691_353, 3_808_334_787, 2_540_200_029]),
        ([5], [2_675_342_405, 1_097_127_993, 3_185_950_873, 1_539_898_300]),
      ] as [([Int], [UInt32])])
    func arraySeed(seed: [Int], expected: [UInt32]) throws {
      var bits = try MT19937(seedArray: seed)
      #expect((0..<4).map { _ in bits.next32() } == expected)
    }

    @Test func next64PutsTheFirstDrawHigh() throws {
      var a = try MT19937(seed: 0)
      var b = a
      let high = UInt64(b.next32())
      let low = UInt64(b.next32())
      #expect(a.next() == high << 32 | low)
    }

    @Test func nextDoubleUses53Bits() throws {
      var bits = try MT19937(seed: 0)
      #expect(bits.nextDouble() == Double("0x1.18fe1565f12a8p-1"))
      #expect(bits.nextDouble() == Double("0x1.6e2d4cf608733p-1"))
    }

    @Test func twistMatchesTheModuloReference() throws {
      var fast = try MT19937(seed: 123)
      var key = fast.stateWords
      for i in 0..<624 {
        let y = (key[i] & 0x8000_0000) | (key[(i + 1) % 624] & 0x7fff_ffff)
        key[i] = key[(i + 397) % 624] ^ (y >> 1) ^ (y & 1 == 1 ? 0x9908_b0df : 0)
      }
      _ = fast.next32()
      #expect(fast.stateWords == key)
      #expect(fast.statePosition == 1)
    }

    @Test(arguments: [-1, 1 << 32, Int.min])
    func seedOutOfRange(seed: Int) {
      #expect(throws: RandomError(.valueError, "Seed must be between 0 and 2**32 - 1")) {
        try MT19937(seed: seed)
      }
    }

    @Test func emptySeedArray() {
      #expect(throws: RandomError(.valueError, "Seed must be non-empty")) {
        try MT19937(seedArray: [])
      }
      #expect(throws: RandomError(.valueError, "Seed must be between 0 and 2**32 - 1")) {
        try MT19937(seedArray: [1, 1 << 32])
      }
    }

    /// The first words of many seeds at once (the seed search's way), put in a generator,
    /// draw what `init(seed:)` draws, eight seeds to a vector and a last batch that is not
    /// full; a prefix beyond the first twist's 226 words is clipped to it. Seeds 0 and 5489 are
    /// anchored to NumPy above.
    @Test func firstWordsOfManySeedsAtOnceDrawAsEachSeed() {
      let seeds = (0..<1_029).map { UInt32($0 * 4_099 % 1_000_003) } + [0, 5489, UInt32.max]
      for prefix in [1, 40, 226, 1_000] {
        let words = min(prefix, 226)
        var generator = MT19937(seed: UInt32(1))
        var agree = 0
        var indices: [Int] = []
        MT19937.prefixes(seeds, prefix: prefix) { index, first in
          indices.append(index)
          generator.restartBlock(withTwisted: first)
          var reference = MT19937(seed: seeds[index])
          let expected = (0..<words).map { _ in reference.next32() }
          let drawn = (0..<words).map { _ in generator.next32() }
          if first.count == words, drawn == expected,
            generator.statePosition == MT19937.stateCount
          {
            agree += 1
          }
        }
        #expect(indices == Array(seeds.indices), "prefix \(prefix)")
        #expect(agree == seeds.count, "prefix \(prefix)")
      }
    }

    /// The first Gaussian from a seed's first words is `randn`'s first value for that seed,
    /// bit for bit; with too few words for its polar candidates it is nil, not a value.
    @Test func theFirstGaussianFromTheFirstWordsIsRandnsFirst() {
      let seeds = (0..<4_000).map { UInt32($0 &* 2_654_435_761 % 4_000_037) } + [42, 43]
      var agree = 0
      var undecided = 0
      MT19937.prefixes(seeds, prefix: 40) { index, words in
        var state = RandomState(bitGenerator: MT19937(seed: seeds[index]))
        guard let expected = (try? state.standardNormal([1]))?.first,
          let z = RandomState.firstStandardNormal(fromTwisted: words)
        else {
          undecided += 1
          return
        }
        if z.bitPattern == expected.bitPattern { agree += 1 }
      }
      // Ten pairs of candidates in 40 words: all rejected one time in 4.6 million.
      #expect(agree == seeds.count && undecided == 0)
      MT19937.prefixes([42], prefix: 3) { _, words in
        #expect(RandomState.firstStandardNormal(fromTwisted: words) == nil)
      }
    }

    @Test func statesRoundTrip() throws {
      var bits = try MT19937(seed: 9)
      _ = bits.next32()
      let copy = try #require(MT19937(key: bits.stateWords, position: bits.statePosition))
      #expect(copy == bits)
      #expect(MT19937(key: [1, 2], position: 0) == nil)
    }
  }
}
