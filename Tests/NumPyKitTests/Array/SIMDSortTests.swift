import Foundation
import NumPyKit
import Testing

/// This machine's NumPy `np.argsort` and `np.sort` (default kind, x86-simd-sort's AVX2 code) on
/// 16,500 lanes, and `np.argpartition` and `np.partition` (x86-simd-sort's argselect / qselect
/// for one kth, NumPy's introselect for several) on 19,140 lanes with 11 kth cases each
/// (`Fixtures/numpy/sorting/`, made by `python3 Scripts/make-fixtures.py sorting`): NumPySort
/// must give the same index for every position and the same bits for every element. The inputs
/// are remade here with the fixture's generator (see the script's docstring); the fixture holds
/// a hash of each output (of each partition lane's kth cases together), every sort output of
/// the lanes of up to `small` elements, the lanes built to reach np.sort's std::sort fallback
/// with their outputs, and the NaN lanes built to reach std::nth_element's heap select.
@Suite("np.sort, argsort, partition and argpartition order, against this machine's NumPy")
struct SIMDSortTests {
  struct Fallback: Decodable, Sendable {
    let dtype: String
    let n: Int
  }

  struct Adversary: Decodable, Sendable {
    let n: Int
    let kth: Int
  }

  struct Partition: Decodable, Sendable {
    let kinds: [String: [String]]
    let lanes: Int
    let adversary: [Adversary]
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
    let partition: Partition
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
      case .f64(let v): return Lane.f64(NumPySort.sort(v)).words
      case .i64(let v): return Lane.i64(NumPySort.sort(v)).words
      case .f32(let v): return Lane.f32(NumPySort.sort(v)).words
      case .i32(let v): return Lane.i32(NumPySort.sort(v)).words
      }
    }

    /// The lane's element bits, one zero-extended word per element.
    var words: [UInt64] {
      switch self {
      case .f64(let v): return v.map { $0.bitPattern }
      case .i64(let v): return v.map { UInt64(bitPattern: $0) }
      case .f32(let v): return v.map { UInt64($0.bitPattern) }
      case .i32(let v): return v.map { UInt64(UInt32(bitPattern: $0)) }
      }
    }

    /// NumPySort's argpartition of the lane: the `kth: Int` entry point for one kth, the
    /// sequence one for several.
    func argpartition(_ kth: [Int]) throws -> [Int] {
      switch (self, kth.count) {
      case (.f64(let v), 1): return try NumPySort.argpartition(v, kth: kth[0])
      case (.i64(let v), 1): return try NumPySort.argpartition(v, kth: kth[0])
      case (.f32(let v), 1): return try NumPySort.argpartition(v, kth: kth[0])
      case (.i32(let v), 1): return try NumPySort.argpartition(v, kth: kth[0])
      case (.f64(let v), _): return try NumPySort.argpartition(v, kth: kth)
      case (.i64(let v), _): return try NumPySort.argpartition(v, kth: kth)
      case (.f32(let v), _): return try NumPySort.argpartition(v, kth: kth)
      case (.i32(let v), _): return try NumPySort.argpartition(v, kth: kth)
      }
    }

    /// The bits of NumPySort's partition of the lane (entry points as for argpartition).
    func partitionWords(_ kth: [Int]) throws -> [UInt64] {
      switch (self, kth.count) {
      case (.f64(let v), 1): return Lane.f64(try NumPySort.partition(v, kth: kth[0])).words
      case (.i64(let v), 1): return Lane.i64(try NumPySort.partition(v, kth: kth[0])).words
      case (.f32(let v), 1): return Lane.f32(try NumPySort.partition(v, kth: kth[0])).words
      case (.i32(let v), 1): return Lane.i32(try NumPySort.partition(v, kth: kth[0])).words
      case (.f64(let v), _): return Lane.f64(try NumPySort.partition(v, kth: kth)).words
      case (.i64(let v), _): return Lane.i64(try NumPySort.partition(v, kth: kth)).words
      case (.f32(let v), _): return Lane.f32(try NumPySort.partition(v, kth: kth)).words
      case (.i32(let v), _): return Lane.i32(try NumPySort.partition(v, kth: kth)).words
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
    // An index loop: `enumerated()` is several times slower in a debug build.
    words.withUnsafeBufferPointer { buffer in
      for i in 0..<buffer.count { sum &+= mix(buffer[i] &+ UInt64(i + 1) &* golden) }
    }
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
    case "roll": integers = (0..<n).map { Int64((($0 - n / 2) % n + n) % n) }
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
      case "fewnan":
        values = draws.map {
          $0 % 61 == 0 ? Double.nan : 2.0 * Double($0 >> 11) / 9_007_199_254_740_992.0 - 1.0
        }
      case "allnan":
        if dtype == "float32" {
          return .f32(draws.map { Float(bitPattern: $0 % 2 == 0 ? 0x7FC0_0000 : 0xFFC0_0123) })
        }
        values = draws.map {
          Double(bitPattern: $0 % 2 == 0 ? 0x7FF8_0000_0000_0000 : 0xFFF8_0000_0000_0123)
        }
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

  /// The little-endian u64 at `offset` of `bytes`.
  static func word(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
    (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
  }

  /// A failure for each of a case's two hashes (of its indices, of its values) that is not the
  /// fixture's pair at `offset`.
  static func hashFailures(
    _ name: String, _ what: (String, String), _ got: (UInt64, UInt64), _ hashes: [UInt8],
    _ offset: Int
  ) -> [String] {
    var failures: [String] = []
    if got.0 != word(hashes, offset) {
      failures.append("\(name): \(what.0) differs from NumPy's (hash)")
    }
    if got.1 != word(hashes, offset + 8) {
      failures.append("\(name): \(what.1) differs from NumPy's (hash)")
    }
    return failures
  }

  /// The fixture's kth cases of a partition lane (`partition_kths`): single kth, then
  /// sequences.
  static func partitionKths(_ manifest: Manifest, _ dtype: String, _ kind: String, _ n: Int)
    -> [[Int]]
  {
    let dtypeIndex = UInt64(manifest.order.firstIndex(of: dtype) ?? 0)
    let kindIndex = UInt64(manifest.kinds.firstIndex(of: kind) ?? 0)
    let state =
      manifest.seed ^ (dtypeIndex << 56) ^ (kindIndex << 48) ^ UInt64(n) ^ (0x7F << 40)
    let r = (0..<5).map { mix(state &+ UInt64($0 + 1) &* golden) }
    let m = UInt64(n)
    let singles = [0, 1, n / 2, n - 2, n - 1, Int(r[0] % m), -1 - Int(r[1] % m)]
      .filter { -n <= $0 && $0 < n }
    let spread = { (word: UInt64) in Int(word % (2 * m)) - n }
    let multis = [
      [n / 2 - 1, n / 2], [0, n - 1], [n / 4, n / 2, 3 * n / 4],
      [spread(r[2]), spread(r[3]), spread(r[4])],
    ]
    return singles.map { [$0] } + multis
  }

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
        let got = (Self.digest(indices.map { UInt64(bitPattern: Int64($0)) }), Self.digest(sorted))
        failures += Self.hashFailures(name, ("argsort", "sort"), got, hashes, 16 * caseIndex)
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

  @Test("the fixture has its partition lanes")
  func partitionFixtureIsThere() throws {
    let manifest = try #require(Self.manifest)
    let kinds = manifest.partition.kinds
    #expect(kinds["float64"]?.contains("roll") == true && kinds["int32"]?.contains("roll") == true)
    #expect(
      manifest.partition.lanes
        == manifest.order.reduce(0) { $0 + kinds[$1]!.count * manifest.sizes.count })
    #expect(try Self.bytes("partition.bin").count == 16 * manifest.partition.lanes)
  }

  @Test("every partition lane and kth gives NumPy's indices and bits", arguments: dtypes)
  func partitionMatchesNumPy(_ dtype: String) throws {
    let manifest = try #require(Self.manifest)
    let hashes = try Self.bytes("partition.bin")
    var lane = 0
    for earlier in manifest.order.prefix(while: { $0 != dtype }) {
      lane += manifest.partition.kinds[earlier]!.count * manifest.sizes.count
    }
    var failures: [String] = []
    for kind in manifest.partition.kinds[dtype]! {
      for n in manifest.sizes {
        let input = Self.input(manifest, dtype, kind, n)
        let kths = Self.partitionKths(manifest, dtype, kind, n)
        var indices: [UInt64] = []
        var values: [UInt64] = []
        for kth in kths {
          indices += try input.argpartition(kth).map { UInt64(bitPattern: Int64($0)) }
          values += try input.partitionWords(kth)
        }
        let name = "\(dtype) \(kind) n=\(n) kth \(kths)"
        let got = (Self.digest(indices), Self.digest(values))
        failures += Self.hashFailures(name, ("argpartition", "partition"), got, hashes, 16 * lane)
        lane += 1
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differences: \(failures.prefix(20))")
  }

  @Test("NaN lanes that drive std::nth_element to its heap select give NumPy's results")
  func adversaryMatchesNumPy() throws {
    let manifest = try #require(Self.manifest)
    let bytes = try Self.bytes("partition_adversary.bin")
    var offset = 0
    func word(_ size: Int) -> UInt64 {
      defer { offset += size }
      return (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
    #expect(!manifest.partition.adversary.isEmpty)
    for entry in manifest.partition.adversary {
      let ranks = (0..<entry.n).map { _ in Int32(bitPattern: UInt32(word(4))) }
      let doubles = ranks.map { $0 < 0 ? Double.nan : Double($0) }
      for lane in [Lane.f64(doubles), .f32(doubles.map { Float($0) })] {
        let expectedIndices = word(8)
        let expectedValues = word(8)
        let indices = try lane.argpartition([entry.kth]).map { UInt64(bitPattern: Int64($0)) }
        #expect(
          Self.digest(indices) == expectedIndices,
          "n=\(entry.n) kth=\(entry.kth) \(lane.itemSize * 8)-bit argpartition")
        #expect(
          Self.digest(try lane.partitionWords([entry.kth])) == expectedValues,
          "n=\(entry.n) kth=\(entry.kth) \(lane.itemSize * 8)-bit partition")
      }
    }
    #expect(offset == bytes.count)
  }

  @Test("partition examples: top-k, ties, NaNs, kth sequences, bounds")
  func partitionExamples() throws {
    // np.argpartition(a, -3): the top three last, in x86-simd-sort's order.
    let a = [3.0, 1, 2, 5, 4, 5, 0]
    #expect(try NumPySort.argpartition(a, kth: -3) == [6, 1, 2, 0, 4, 3, 5])
    #expect(try NumPySort.argpartition(a, kth: -3).suffix(3) == [4, 3, 5])
    #expect(try NumPySort.argpartition(a, kth: [-3]) == [6, 1, 2, 0, 4, 3, 5])
    let reversed = (0..<1000).map { Double(999 - $0) }
    #expect(try NumPySort.argpartition(reversed, kth: -3).suffix(3) == [2, 1, 0])
    // Ties: the same order for float64 and int64 keys.
    #expect(try NumPySort.argpartition([2.0, 0, 2, 2, 0, 1], kth: 2) == [1, 4, 5, 0, 3, 2])
    #expect(try NumPySort.argpartition([Int64]([2, 0, 2, 2, 0, 1]), kth: 2) == [1, 4, 5, 0, 3, 2])
    // Two kth: NumPy's own introselect.
    #expect(try NumPySort.argpartition([2.0, 0, 2, 2, 0, 1], kth: [1, 3]) == [1, 4, 5, 3, 0, 2])
    // NumPy's docstring example.
    let doc: [Int64] = [7, 1, 7, 7, 1, 5, 7, 2, 3, 2, 6, 2, 3, 0]
    #expect(try NumPySort.partition(doc, kth: 4) == [0, 1, 1, 2, 2, 2, 3, 3, 5, 6, 7, 7, 7, 7])
    #expect(
      try NumPySort.argpartition(doc, kth: 4) == [13, 1, 4, 7, 9, 11, 8, 12, 5, 10, 2, 3, 6, 0])
    // NaNs: moved after the numbers, bits kept (np.partition); std::nth_element (argpartition).
    let withNaN = [-Double.nan, 1, 0, .nan, 3]
    #expect(
      try NumPySort.partition(withNaN, kth: 1).map(\.bitPattern) == [
        0, 0x3FF0_0000_0000_0000, 0x4008_0000_0000_0000, 0x7FF8_0000_0000_0000,
        0xFFF8_0000_0000_0000,
      ])
    #expect(try NumPySort.argpartition(withNaN, kth: 1) == [2, 1, 0, 3, 4])
    #expect(try NumPySort.argpartition(withNaN, kth: [1, 4]) == [2, 1, 4, 3, 0])
    // Bounds: NumPy's ValueError, after adding n to a negative kth; none for an empty lane.
    #expect(throws: ArrayError("kth(=5) out of bounds (5)")) {
      try NumPySort.partition([0.0, 1, 2, 3, 4], kth: 5)
    }
    #expect(throws: ArrayError("kth(=-1) out of bounds (5)")) {
      try NumPySort.argpartition([0.0, 1, 2, 3, 4], kth: -6)
    }
    #expect(throws: ArrayError("kth(=7) out of bounds (5)")) {
      try NumPySort.argpartition([0.0, 1, 2, 3, 4], kth: [1, 7])
    }
    #expect(try NumPySort.argpartition([Double](), kth: 3) == [])
    #expect(
      try NumPySort.partition([3.0], kth: -1) == [3] && NumPySort.argpartition([3.0], kth: 0) == [0]
    )
    #expect(try NumPySort.argpartition([4.0, 3, 2, 1, 0], kth: []) == [0, 1, 2, 3, 4])
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
