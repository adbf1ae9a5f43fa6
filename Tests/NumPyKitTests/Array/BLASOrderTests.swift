import Foundation
import NumPyKit
import Testing

/// This machine's NumPy float64 np.dot and `@` (`Fixtures/numpy/blas/`, made by `python3
/// Scripts/make-fixtures.py blas`: NumPy 2.4.6 with OpenBLAS 0.3.31 on its Haswell kernels):
/// `StridedArray.dot` with `BLASOrder(kernels: .haswell, threads:)` must give the same bits
/// for every stored output of every case: ddot, dgemv_t and dgemv_n, dgemm, dsyrk and NumPy's
/// own loops, with 2 threads and with 1. The inputs are remade here with the fixture's
/// generator (splitmix64, see the script's docstring).
@Suite("BLAS summation order, bit for bit against this machine's NumPy")
struct BLASOrderTests {
  struct Operand: Sendable {
    let shape: [Int]
    let layout: String
  }

  struct Case: Sendable {
    let name: String
    let matmul: Bool
    let a: Operand
    /// nil: `b` is `a.T` (the same memory).
    let b: Operand?
    let mixed: Bool
    let seed: UInt64
    let threads: Int
    let shape: [Int]
    let offset: Int
    let count: Int
  }

  nonisolated(unsafe) static let document: [String: Any] = {
    guard let data = try? FixturePath.data("numpy/blas/cases.json"),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }()

  static let cases: [Case] = {
    func operand(_ value: Any?) -> Operand? {
      guard let spec = value as? [String: Any], let shape = spec["shape"] as? [Int],
        let layout = spec["layout"] as? String
      else { return nil }
      return Operand(shape: shape, layout: layout)
    }
    return (document["cases"] as? [[String: Any]] ?? []).compactMap { entry in
      guard let name = entry["name"] as? String, let a = operand(entry["a"]),
        let seed = entry["seed"] as? Int, let threads = entry["threads"] as? Int,
        let shape = entry["shape"] as? [Int], let offset = entry["offset"] as? Int,
        let count = entry["count"] as? Int
      else { return nil }
      return Case(
        name: name, matmul: entry["call"] as? String == "matmul", a: a, b: operand(entry["b"]),
        mixed: entry["kind"] as? String == "mixed", seed: UInt64(seed), threads: threads,
        shape: shape, offset: offset, count: count)
    }
  }()

  static let outputs: [UInt64] = {
    guard let data = try? FixturePath.data("numpy/blas/outputs.bin") else { return [] }
    return data.withUnsafeBytes { raw in
      (0..<(data.count / 8)).map {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))
      }
    }
  }()

  /// `count` values from splitmix64 seeded with `seed`, as the script makes them.
  static func values(seed: UInt64, count: Int, mixed: Bool) -> [Double] {
    var state = seed
    return (0..<count).map { _ in
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      let draw = z ^ (z >> 31)
      let v = 2 * (Double(draw >> 11) / 9_007_199_254_740_992.0) - 1
      guard mixed else { return v }
      return v * Double(sign: .plus, exponent: Int(draw & 63) - 32, significand: 1)
    }
  }

  /// The shape of the C-order array an operand is a view of.
  static func baseShape(_ operand: Operand) -> [Int] {
    switch operand.layout {
    case "F": return operand.shape.reversed()
    case "step": return Array(operand.shape.dropLast()) + [2 * (operand.shape.last ?? 0)]
    default: return operand.shape
    }
  }

  /// The operand as a view of a C-order array holding `values`.
  static func view(_ operand: Operand, _ values: [Double]) throws -> StridedArray {
    let base = StridedArray(shape: baseShape(operand), reals: values)
    switch operand.layout {
    case "F": return try base.transposed()
    case "step":
      var strides = base.strides
      strides[strides.count - 1] *= 2
      return StridedArray(
        storage: base.storage, dtype: .float64, shape: operand.shape, strides: strides,
        offset: 0)
    case "rev":
      var strides = base.strides
      strides[0] = -strides[0]
      return StridedArray(
        storage: base.storage, dtype: .float64, shape: operand.shape, strides: strides,
        offset: (operand.shape[0] - 1) * base.strides[0])
    default: return base
    }
  }

  static func operands(_ fixture: Case) throws -> (StridedArray, StridedArray) {
    let sizeA = baseShape(fixture.a).reduce(1, *)
    let sizeB = fixture.b.map { baseShape($0).reduce(1, *) } ?? 0
    let drawn = values(seed: fixture.seed, count: sizeA + sizeB, mixed: fixture.mixed)
    let a = try view(fixture.a, Array(drawn[..<sizeA]))
    guard let b = fixture.b else { return (a, try a.transposed()) }
    return (a, try view(b, Array(drawn[sizeA...])))
  }

  /// Which outputs the fixture stores (the script's `sample_indices`).
  static func sampleIndices(_ count: Int) -> [Int] {
    if count <= 8192 { return Array(0..<count) }
    var picked = Set(stride(from: 0, to: count, by: 16))
    let middle = count / 2
    picked.formUnion(Swift.max(0, middle - 1024)..<Swift.min(count, middle + 1024))
    picked.formUnion(Swift.max(0, count - 1024)..<count)
    return picked.sorted()
  }

  @Test("the fixture is this machine's NumPy on OpenBLAS's Haswell kernels")
  func fixtureIsThere() {
    #expect(Self.cases.count >= 2000)
    #expect(Self.document["numpy"] as? String == "2.4.6")
    let blas = Self.document["blas"] as? [String: Any]
    #expect(blas?["architecture"] as? String == "Haswell")
    #expect(blas?["num_threads"] as? Int == BLASOrder.haswell.threads)
    #expect(Self.outputs.count == Self.cases.reduce(0) { $0 + $1.count })
    #expect(Set(Self.cases.map(\.threads)) == [1, 2])
  }

  @Test("every stored output has NumPy's bits")
  func matchesNumPy() throws {
    var differing: [String] = []
    var compared = 0
    for fixture in Self.cases {
      let (a, b) = try Self.operands(fixture)
      let blas = BLASOrder(kernels: .haswell, threads: fixture.threads)
      let result = try StridedArray.dot(a, b, matmul: fixture.matmul, blas: blas)
      #expect(result.shape == fixture.shape, "\(fixture.name)")
      let got = result.realValues()
      let picked = Self.sampleIndices(got.count)
      guard picked.count == fixture.count else {
        differing.append("\(fixture.name): \(picked.count) outputs, the fixture \(fixture.count)")
        continue
      }
      let want = Self.outputs[fixture.offset..<(fixture.offset + fixture.count)]
      let bad = zip(picked, want).filter { got[$0.0].bitPattern != $0.1 }
      compared += picked.count
      if let (index, bits) = bad.first {
        differing.append(
          "\(fixture.name): \(bad.count) of \(picked.count) differ, first at \(index): "
            + "\(got[index]) here, \(Double(bitPattern: bits)) in NumPy")
      }
    }
    #expect(compared >= 290_000)
    #expect(differing.isEmpty, "\(differing.count) cases: \(differing.prefix(5))")
  }
}
