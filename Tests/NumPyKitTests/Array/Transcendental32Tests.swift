import Foundation
import NumPyKit
import Testing

/// This machine's NumPy float32 math on 100,000 inputs per function
/// (`Fixtures/numpy/transcendentals32/`, made by `python3 Scripts/make-fixtures.py
/// transcendentals32`): NumPyKit's `Float32Math` must give the same bits for every one. The
/// inputs are remade here with the fixture's generator (splitmix64, see the script's
/// docstring).
@Suite("Float32 transcendental functions, bit for bit against this machine's NumPy")
struct Transcendental32Tests {
  typealias Domain = TranscendentalDomain

  nonisolated(unsafe) static let manifest: [String: Any] = {
    guard let data = try? FixturePath.data("numpy/transcendentals32/manifest.json"),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }()

  static let functions: [String] = {
    ((manifest["functions"] as? [String: Any]) ?? [:]).keys.sorted()
  }()

  static var count: Int { manifest["count"] as? Int ?? 0 }
  static var seed: UInt64 { UInt64(manifest["seed"] as? Int ?? 0) }

  static func domain(_ entry: Any?) -> Domain? { Domain(entry) }

  static func bitList(_ key: String) -> [UInt32] {
    (manifest[key] as? [String] ?? []).map { UInt32($0, radix: 16) ?? 0 }
  }

  /// The fixture's float32 inputs for a domain, made as the script makes them.
  static func inputs(_ domain: Domain, seed: UInt64, edges: [UInt32]) -> [Float] {
    let uniformEnd = manifest["uniformEnd"] as? Int ?? 0
    let logEnd = manifest["logEnd"] as? Int ?? 0
    var state = seed
    var values = [Float](repeating: 0, count: count)
    for k in 0..<count {
      let draw = splitMix64(&state)
      let t = Double(draw >> 11) / 9_007_199_254_740_992.0
      if k < uniformEnd {
        values[k] = Float(domain.low + t * (domain.high - domain.low))
      } else if k < logEnd {
        let magnitude = pow(10.0, domain.lowExp + t * (domain.highExp - domain.lowExp))
        values[k] = Float(domain.negatives && draw & 1 == 1 ? -magnitude : magnitude)
      } else {
        values[k] = Float(bitPattern: UInt32(truncatingIfNeeded: draw >> 32))
      }
    }
    for (k, edge) in edges.enumerated() {
      values[count - edges.count + k] = Float(bitPattern: edge)
    }
    return values
  }

  /// Power's inputs: x from its domain with the seed, y from its exponent domain with seed + 1,
  /// the last ones the cross product of the special values.
  static func powerInputs() throws -> (x: [Float], y: [Float]) {
    let power = try #require(manifest["power"] as? [String: Any])
    let xDomain = try #require(domain(power["x"]))
    let yDomain = try #require(domain(power["y"]))
    let specialX = bitList("powerX")
    let specialY = bitList("powerY")
    let pairs = specialX.flatMap { x in specialY.map { (x, $0) } }
    return (
      inputs(xDomain, seed: seed, edges: pairs.map(\.0)),
      inputs(yDomain, seed: seed &+ 1, edges: pairs.map(\.1))
    )
  }

  static func expected(_ name: String) throws -> [UInt32] {
    let data = try FixturePath.data("numpy/transcendentals32/\(name).bin")
    return data.withUnsafeBytes { raw in
      (0..<(data.count / 4)).map {
        UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))
      }
    }
  }

  /// How many of `got` differ from `want` in any bit, and the first few, described.
  static func compare(
    _ got: [Float], _ want: [UInt32], describe: (Int) -> String
  ) -> (differing: Int, examples: [String]) {
    var differing = 0
    var examples: [String] = []
    for k in 0..<min(got.count, want.count) where got[k].bitPattern != want[k] {
      differing += 1
      if examples.count < 3 {
        examples.append(
          "\(describe(k)) = \(Float(bitPattern: want[k])) (0x\(String(want[k], radix: 16)))"
            + " in NumPy, \(got[k]) (0x\(String(got[k].bitPattern, radix: 16))) here")
      }
    }
    return (differing, examples)
  }

  static func hex(_ x: Float) -> String { "0x" + String(x.bitPattern, radix: 16) }

  @Test("the fixture has its functions")
  func fixtureIsThere() {
    #expect(Self.functions.count >= 21)
    #expect(Set(Self.functions) == Set(Float32Function.allCases.map(\.rawValue)))
    #expect(Self.count >= 100_000)
  }

  @Test("every input gives NumPy's bits", arguments: functions)
  func matchesNumPy(_ name: String) throws {
    let functions = try #require(Self.manifest["functions"] as? [String: Any])
    let domain = try #require(Self.domain(functions[name]))
    let function = try #require(Float32Function(rawValue: name)).function
    let x = Self.inputs(domain, seed: Self.seed, edges: Self.bitList("edges"))
    let want = try Self.expected(name)
    #expect(want.count == x.count)
    let (differing, examples) = Self.compare(x.map(function), want) {
      "\(name)(\(x[$0]) = \(Self.hex(x[$0])))"
    }
    #expect(differing == 0, "\(differing) of \(x.count) differ: \(examples)")
  }

  @Test("float32 ** float32, both arrays, gives NumPy's bits")
  func powerMatchesNumPy() throws {
    let (x, y) = try Self.powerInputs()
    let want = try Self.expected("power")
    #expect(want.count == x.count)
    let got = zip(x, y).map { Float32Math.power($0, $1) }
    let (differing, examples) = Self.compare(got, want) {
      "power(\(x[$0]), \(y[$0]))"
    }
    #expect(differing == 0, "\(differing) of \(x.count) differ: \(examples)")
  }

  @Test("float32 ** a broadcast float32 exponent gives NumPy's bits")
  func powerScalarExponentMatchesNumPy() throws {
    let (x, _) = try Self.powerInputs()
    let exponents = (Self.manifest["scalarExponents"] as? [Double] ?? []).map { Float($0) }
    let want = try Self.expected("power_scalar")
    #expect(exponents.count >= 6)
    #expect(want.count == x.count * exponents.count)
    for (e, exponent) in exponents.enumerated() {
      let got = x.map { Float32Math.power($0, broadcastExponent: exponent) }
      let slice = Array(want[(e * x.count)..<min(want.count, (e + 1) * x.count)])
      let (differing, examples) = Self.compare(got, slice) {
        "power(\(x[$0]), broadcast \(exponent))"
      }
      #expect(differing == 0, "\(differing) of \(x.count) differ: \(examples)")
    }
  }
}
