import Foundation
import NumPyKit
import Testing

/// This machine's NumPy float64 math on 100,000 inputs per function
/// (`Fixtures/numpy/transcendentals/`, made by `python3 Scripts/make-fixtures.py
/// transcendentals`): NumPyKit's ufunc must give the same bits for every one. The inputs are
/// remade here with the fixture's generator (splitmix64, see the script's docstring).
@Suite("Transcendental ufuncs, bit for bit against this machine's NumPy")
struct TranscendentalTests {
  typealias Domain = TranscendentalDomain

  nonisolated(unsafe) static let manifest: [String: Any] = {
    guard let data = try? FixturePath.data("numpy/transcendentals/manifest.json"),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }()

  static let functions: [String] = {
    ((manifest["functions"] as? [String: Any]) ?? [:]).keys.sorted()
  }()

  static func domain(_ name: String) -> Domain? {
    Domain((manifest["functions"] as? [String: Any])?[name])
  }

  /// The fixture's inputs for a function, made as the script makes them.
  static func inputs(_ domain: Domain) -> [Double] {
    let count = manifest["count"] as? Int ?? 0
    var state = UInt64(manifest["seed"] as? Int ?? 0)
    var values = [Double](repeating: 0, count: count)
    let half = count / 2
    for k in 0..<count {
      let draw = splitMix64(&state)
      let t = Double(draw >> 11) / 9_007_199_254_740_992.0
      if k < half {
        values[k] = domain.low + t * (domain.high - domain.low)
      } else {
        let magnitude = pow(10.0, domain.lowExp + t * (domain.highExp - domain.lowExp))
        values[k] = domain.negatives && draw & 1 == 1 ? -magnitude : magnitude
      }
    }
    let edges = (manifest["edges"] as? [String] ?? []).map {
      Double(bitPattern: UInt64($0, radix: 16) ?? 0)
    }
    for (k, edge) in edges.enumerated() { values[count - edges.count + k] = edge }
    return values
  }

  static func expected(_ name: String) throws -> [UInt64] {
    let data = try FixturePath.data("numpy/transcendentals/\(name).bin")
    return data.withUnsafeBytes { raw in
      (0..<(data.count / 8)).map {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))
      }
    }
  }

  @Test("the fixture has its functions")
  func fixtureIsThere() {
    #expect(Self.functions.count >= 14)
    #expect((Self.manifest["count"] as? Int ?? 0) >= 100_000)
  }

  @Test("every input gives NumPy's bits", arguments: functions)
  func matchesNumPy(_ name: String) throws {
    let domain = try #require(Self.domain(name))
    let op = try #require(UnaryUfunc(rawValue: name))
    let x = Self.inputs(domain)
    let want = try Self.expected(name)
    #expect(want.count == x.count)
    let got = try StridedArray.apply(op, StridedArray(shape: [x.count], reals: x)).realValues()
    var differing = 0
    var examples: [String] = []
    for k in 0..<min(got.count, want.count) where got[k].bitPattern != want[k] {
      differing += 1
      if examples.count < 3 {
        examples.append(
          "\(name)(\(x[k])) = \(Double(bitPattern: want[k])) in NumPy, \(got[k]) here")
      }
    }
    #expect(differing == 0, "\(differing) of \(x.count) differ: \(examples)")
  }
}
