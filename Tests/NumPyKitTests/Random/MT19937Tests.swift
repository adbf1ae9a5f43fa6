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

    /// Seeding many at once (the seed search's way) gives the states `init(seed:)` gives, in
    /// full and, with a prefix, for the first draws; a seed count that is not a multiple of four
    /// takes the one-at-a-time path for the rest. Seeds 0 and 5489 are anchored to NumPy above.
    @Test func seedingManyAtOnceGivesEachSeedsState() {
      let seeds = (0..<1_031).map { UInt32($0 * 4_099 % 1_000_003) } + [0, 5489, UInt32.max]
      let full = MT19937.seeded(seeds)
      #expect(full.count == seeds.count)
      #expect(zip(seeds, full).allSatisfy { MT19937(seed: $0) == $1 })
      for prefix in [1, 40, 226] {
        var prefixed = MT19937.seeded(seeds, prefix: prefix)
        var agree = 0
        for (index, seed) in seeds.enumerated() {
          var reference = MT19937(seed: seed)
          let expected = (0..<prefix).map { _ in reference.next32() }
          let drawn = (0..<prefix).map { _ in prefixed[index].next32() }
          if drawn == expected, prefixed[index].statePosition == MT19937.stateCount { agree += 1 }
        }
        #expect(agree == seeds.count, "prefix \(prefix)")
      }
      // A prefix larger than the first twist allows is clipped to it.
      var clipped = MT19937.seeded([7], prefix: 1_000)[0]
      #expect(clipped.statePosition == MT19937.stateCount - 226)
      var reference = MT19937(seed: UInt32(7))
      #expect(clipped.next32() == reference.next32())
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
