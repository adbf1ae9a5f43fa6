import Foundation
import NumPyKit
import Testing

/// This machine's NumPy `np.argsort` and `np.sort` (default kind, x86-simd-sort's AVX2 code) on
/// 16,500 lanes (`Fixtures/numpy/sorting/`, made by `python3 Scripts/make-fixtures.py sorting`):
/// NumPySort must give the same index for every position and the same bits for every element.
/// The inputs are remade here with the fixture's generator (see the script's docstring); the
/// fixture holds a hash of each output, every output of the lanes of up to `small` elements,
/// and the lanes built to reach np.sort's std::sort fallback with their outputs.
@Suite("np.sort and np.argsort order, against this machine's NumPy")
struct SIMDSortTests {
  struct Fallback: Decodable, Sendable {
    let dtype: String
    let n: Int
  }

  struct Manifest: Decodable, Sendable {
    let seed: UInt64
    let sizes: [Int]
    let small: Int
    let order: [String]
    let dtypes: [String: [String]]
    let kinds: [String]
    let cases: Int
    let fallback: [Fallback]
  }

  /// One lane of one dtype.
  enum Lane {
    case f64([Double])
    case i64([Int64])
    case f32([Float])
    case i32([Int32])

    var itemSize: Int {
      switch self {
      case .f64, .i64: return 8
      case .f32, .i32: return 4
      }
    }

    /// NumPySort's argsort of the lane.
    var argsort: [Int] {
      switch self {
      case .f64(let v): return NumPySort.argsort(v)
      case .i64(let v): return NumPySort.argsort(v)
      case .f32(let v): return NumPySort.argsort(v)
      case .i32(let v): return NumPySort.argsort(v)
      }
    }

    /// The bits of NumPySort's sort of the lane, one zero-extended word per element.
    var sortedWords: [UInt64] {
      switch self {
      case .f64(let v): return NumPySort.sort(v).map { $0.bitPattern }
      case .i64(let v): return NumPySort.sort(v).map { UInt64(bitPattern: $0) }
      case .f32(let v): return NumPySort.sort(v).map { UInt64($0.bitPattern) }
      case .i32(let v): return NumPySort.sort(v).map { UInt64(UInt32(bitPattern: $0)) }
      }
    }
  }

  static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15

  static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The fixture's hash of a sequence of words.
  static func digest(_ words: [UInt64]) -> UInt64 {
    var sum: UInt64 = 0
    for (i, word) in words.enumerated() { sum &+= mix(word &+ UInt64(i + 1) &* golden) }
    return sum
  }

  static let manifest: Manifest? = {
    guard let data = try? FixturePath.data("numpy/sorting/manifest.json") else { return nil }
    return try? JSONDecoder().decode(Manifest.self, from: data)
  }()

  static let dtypes: [String] = manifest?.order ?? []

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try FixturePath.data("numpy/sorting/\(name)"))
  }

  /// The fixture's input for (dtype, kind, n), made as the script makes it.
  static func input(_ manifest: Manifest, _ dtype: String, _ kind: String, _ n: Int) -> Lane {
    let dtypeIndex = UInt64(manifest.order.firstIndex(of: dtype) ?? 0)
    let kindIndex = UInt64(manifest.kinds.firstIndex(of: kind) ?? 0)
    let state = manifest.seed ^ (dtypeIndex << 56) ^ (kindIndex << 48) ^ UInt64(n)
    let draws = (0..<n).map { mix(state &+ UInt64($0 + 1) &* golden) }
    let isFloat = dtype.hasPrefix("float")
    // Every kind but uniform, nan and the special-value ones is an integer sequence.
    var integers: [Int64]? = nil
    switch kind {
    case "ties2", "ties4", "ties16":
      let m = UInt64(kind.dropFirst(4))!
      integers = draws.map { Int64($0 % m) }
    case "equal": integers = [Int64](repeating: 7, count: n)
    case "sorted": integers = (0..<n).map { Int64($0 / 3) }
    case "reverse": integers = (0..<n).map { Int64((n - 1 - $0) / 3) }
    case "sawtooth": integers = (0..<n).map { Int64($0 % 17) }
    case "organ": integers = (0..<n).map { Int64(Swift.min($0, n - 1 - $0)) }
    case "sparse": integers = draws.map { $0 % 97 == 0 ? Int64(1 + ($0 >> 32) % 3) : 0 }
    default: break
    }
    if let integers {
      switch dtype {
      case "float64":
        return .f64(
          kind == "equal" ? [Double](repeating: 1.5, count: n) : integers.map(Double.init))
      case "float32":
        return .f32(kind == "equal" ? [Float](repeating: 1.5, count: n) : integers.map(Float.init))
      case "int64": return .i64(integers)
      default: return .i32(integers.map { Int32($0) })
      }
    }
    if isFloat {
      let values: [Double]
      switch kind {
      case "uniform":
        values = draws.map { 2.0 * Double($0 >> 11) / 9_007_199_254_740_992.0 - 1.0 }
      case "zeros": values = draws.map { [-0.0, 0.0, 1.0, -1.0][Int($0 % 4)] }
      case "signed_zeros": values = draws.map { [-0.0, 0.0][Int($0 % 2)] }
      case "infinities":
        let big =
          dtype == "float64"
          ? Double.greatestFiniteMagnitude : Double(Float.greatestFiniteMagnitude)
        values = draws.map { [Double.infinity, -Double.infinity, 1.0, 0.0, big][Int($0 % 5)] }
      case "nan":
        if dtype == "float32" {
          return .f32(
            draws.map {
              let code = $0 % 6
              return code < 4
                ? Float(code) : Float(bitPattern: code == 4 ? 0x7FC0_0000 : 0xFFC0_0123)
            })
        }
        values = draws.map {
          let code = $0 % 6
          return code < 4
            ? Double(code)
            : Double(bitPattern: code == 4 ? 0x7FF8_0000_0000_0000 : 0xFFF8_0000_0000_0123)
        }
      default: values = []
      }
      return dtype == "float64" ? .f64(values) : .f32(values.map { Float($0) })
    }
    switch (dtype, kind) {
    case ("int64", "uniform"): return .i64(draws.map { Int64(bitPattern: $0) })
    case ("int32", "uniform"): return .i32(draws.map { Int32(truncatingIfNeeded: $0 >> 32) })
    case ("int64", "extremes"):
      return .i64(draws.map { [Int64.min, Int64.max, 0, -1, 1][Int($0 % 5)] })
    default:
      return .i32(draws.map { [Int32.min, Int32.max, 0, -1, 1][Int($0 % 5)] })
    }
  }

  static func itemSize(_ dtype: String) -> Int { dtype.hasSuffix("64") ? 8 : 4 }

  @Test("the fixture has its cases")
  func fixtureIsThere() throws {
    let manifest = try #require(Self.manifest)
    #expect(manifest.order == ["float64", "int64", "float32", "int32"])
    #expect(manifest.sizes.count >= 330 && manifest.sizes.last == 20_000)
    #expect(
      manifest.cases
        == manifest.order.reduce(0) { $0 + manifest.dtypes[$1]!.count * manifest.sizes.count })
  }

  @Test("every lane gives NumPy's indices and bits", arguments: dtypes)
  func matchesNumPy(_ dtype: String) throws {
    let manifest = try #require(Self.manifest)
    let hashes = try Self.bytes("hashes.bin")
    let small = try Self.bytes("small.bin")
    let smallSizes = manifest.sizes.filter { $0 <= manifest.small }
    // Where this dtype's cases start in hashes.bin and small.bin.
    var caseIndex = 0
    var smallOffset = 0
    for earlier in manifest.order.prefix(while: { $0 != dtype }) {
      let kinds = manifest.dtypes[earlier]!.count
      caseIndex += kinds * manifest.sizes.count
      smallOffset += kinds * smallSizes.reduce(0) { $0 + $1 * (1 + Self.itemSize(earlier)) }
    }
    func word(_ offset: Int) -> UInt64 {
      (0..<8).reduce(0) { $0 | UInt64(hashes[offset + $1]) << (8 * $1) }
    }
    var failures: [String] = []
    for kind in manifest.dtypes[dtype]! {
      for n in manifest.sizes {
        let lane = Self.input(manifest, dtype, kind, n)
        let indices = lane.argsort
        let sorted = lane.sortedWords
        let name = "\(dtype) \(kind) n=\(n)"
        if n <= manifest.small {
          let expected = small[smallOffset..<(smallOffset + n)].map(Int.init)
          if let k = (0..<n).first(where: { indices[$0] != expected[$0] }) {
            failures.append("\(name): argsort[\(k)] is \(indices[k]), NumPy's \(expected[k])")
          }
          smallOffset += n
          let size = lane.itemSize
          for k in 0..<n {
            let base = smallOffset + k * size
            let bits = (0..<size).reduce(UInt64(0)) { $0 | UInt64(small[base + $1]) << (8 * $1) }
            if bits != sorted[k] {
              failures.append(
                "\(name): sort[\(k)] has bits \(String(sorted[k], radix: 16)), NumPy's "
                  + String(bits, radix: 16))
              break
            }
          }
          smallOffset += n * size
        }
        if Self.digest(indices.map { UInt64(bitPattern: Int64($0)) }) != word(16 * caseIndex) {
          failures.append("\(name): argsort differs from NumPy's (hash)")
        }
        if Self.digest(sorted) != word(16 * caseIndex + 8) {
          failures.append("\(name): sort differs from NumPy's (hash)")
        }
        caseIndex += 1
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differences: \(failures.prefix(20))")
  }

  @Test("the lanes that reach np.sort's std::sort fallback give NumPy's bits")
  func fallbackMatchesNumPy() throws {
    let manifest = try #require(Self.manifest)
    let bytes = try Self.bytes("fallback.bin")
    var offset = 0
    #expect(!manifest.fallback.isEmpty)
    for entry in manifest.fallback {
      let size = Self.itemSize(entry.dtype)
      func words(_ start: Int) -> [UInt64] {
        (0..<entry.n).map { k in
          (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[start + k * size + $1]) << (8 * $1) }
        }
      }
      let input = words(offset)
      let expected = words(offset + entry.n * size)
      offset += 2 * entry.n * size
      let lane: Lane =
        entry.dtype == "float64"
        ? .f64(input.map { Double(bitPattern: $0) })
        : .f32(input.map { Float(bitPattern: UInt32($0)) })
      let sorted = lane.sortedWords
      let k = (0..<entry.n).first { sorted[$0] != expected[$0] }
      #expect(k == nil, "\(entry.dtype) n=\(entry.n): first difference at \(k ?? -1)")
    }
    #expect(offset == bytes.count)
  }

  @Test("examples: ties, signed zeros, padding-valued keys, NaNs")
  func examples() {
    // np.argsort of few distinct values is not the stable order ([1, 4, 0, 2, 3]).
    #expect(NumPySort.argsort([2.0, 0.0, 2.0, 2.0, 0.0]) == [1, 4, 2, 0, 3])
    #expect(NumPySort.argsort([Int64]([2, 0, 2, 2, 0])) == [1, 4, 2, 0, 3])
    // np.sort([-0., 0., -0., 0., 1., -0.]) is five -0.0 then 1.0 on this NumPy.
    let zeros = NumPySort.sort([-0.0, 0.0, -0.0, 0.0, 1.0, -0.0])
    #expect(zeros.map { $0.sign == .minus } == [true, true, true, true, true, false])
    #expect(NumPySort.sort([0.0, -0.0]).map { $0.sign == .minus } == [false, true])
    // Keys equal to the networks' padding (+inf, Int64.max) keep their own indices.
    #expect(
      NumPySort.argsort([Double.infinity, 1, .infinity, .infinity, .infinity, 2, .infinity]) == [
        1, 5, 2, 0, 3, 4, 6,
      ])
    #expect(NumPySort.argsort([Int64.max, 1, Int64.max, Int64.max, Int64.max]) == [1, 0, 2, 3, 4])
    // NaNs go last and become the default quiet NaN.
    let withNaN = NumPySort.sort([-Double.nan, 1, 0])
    #expect(withNaN[0] == 0 && withNaN[1] == 1 && withNaN[2].bitPattern == 0x7FF8_0000_0000_0000)
    #expect(NumPySort.argsort([Double]()) == [] && NumPySort.argsort([5.0]) == [0])
  }
}
