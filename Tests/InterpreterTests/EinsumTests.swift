import Foundation
import NumPyKit
import Testing

@testable import Interpreter

/// np.einsum against NumPy 2.4.6 (`Fixtures/numpy/einsum/cases.json`, made by
/// `python3 Scripts/make-fixtures.py einsum`): every case's call runs through the interpreter
/// with its inputs bound as `a0`, `a1`, ... (arrays made here from the same splitmix64 streams
/// as the generator's), and the result's kind, dtype, shape, strides and element bits, or
/// NumPy's error, must be NumPy's. The float cases cover every loop einsum picks (contiguous
/// and strided reductions, dot products, stride-0 operands, the buffered iterator's chunks of
/// 8192 and its reductions, casts of int, bool and float32 operands) at extents around each
/// vector width and unroll; a call retrace refuses by design (`optimize`, `dtype`, the
/// sublist form) must be a refusal.
@Suite("np.einsum, bit for bit against NumPy 2.4.6")
struct EinsumTests {
  struct Case: @unchecked Sendable {
    let name: String
    let call: String
    let inputs: [[String: Any]]
    let expected: [String: Any]
  }

  static let cases: [Case] = {
    guard let data = try? FixturePath.data("numpy/einsum/cases.json"),
      let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let list = document["cases"] as? [[String: Any]]
    else { return [] }
    return list.compactMap { item in
      guard let name = item["name"] as? String, let call = item["call"] as? String,
        let inputs = item["inputs"] as? [[String: Any]],
        let expected = item["expected"] as? [String: Any]
      else { return nil }
      return Case(name: name, call: call, inputs: inputs, expected: expected)
    }
  }()

  // MARK: - Inputs (Scripts/fixtures/einsum.py's streams)

  /// The splitmix64 words of `seed`.
  static func stream(_ seed: UInt64, _ count: Int) -> [UInt64] {
    var state = seed
    return (0..<count).map { _ in
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static func array(_ spec: [String: Any]) throws -> StridedArray {
    let dtype = try #require(DType(rawValue: spec["dtype"] as? String ?? ""))
    let shape = spec["shape"] as? [Int] ?? []
    let seed = UInt64(spec["seed"] as? Int ?? 0)
    let words = stream(seed, shape.reduce(1, *))
    switch dtype {
    case .float64:
      let values = words.map { z in
        Double(bitPattern: ((z >> 4) & 1) << 63 | (1015 + (z & 15)) << 52 | (z >> 12))
      }
      return StridedArray(shape: shape, reals: values)
    case .float32:
      let values = words.map { z in
        Double(Float(bitPattern: UInt32(((z >> 4) & 1) << 31 | (119 + (z & 15)) << 23 | (z >> 41))))
      }
      return StridedArray(shape: shape, reals: values, dtype: .float32)
    case .bool:
      return StridedArray(shape: shape, reals: words.map { Double($0 & 1) }, dtype: .bool)
    case .int32:
      return StridedArray(
        shape: shape, integers: words.map { Int64($0 % 2001) - 1000 }, dtype: .int32)
    default:
      let values = words.map { z -> Int64 in
        guard (z >> 5) & 1 == 1 else { return Int64(z % 201) - 100 }
        let v = Int64(z >> 4)
        return v >= 1 << 59 ? v - (1 << 60) : v
      }
      return StridedArray(shape: shape, integers: values, dtype: .int64)
    }
  }

  // MARK: - Results in the fixture's form

  static func words(_ array: StridedArray) -> [UInt64] {
    switch array.dtype {
    case .float64: return array.realValues().map(\.bitPattern)
    case .float32: return array.realValues().map { UInt64(Float($0).bitPattern) }
    case .bool: return array.realValues().map { $0 != 0 ? 1 : 0 }
    default: return array.integerValues().map { UInt64(bitPattern: $0) }
    }
  }

  static func encoded(_ array: StridedArray, kind: String) -> [String: Any] {
    var result: [String: Any] = ["kind": kind, "dtype": array.dtype.rawValue, "shape": array.shape]
    if kind == "array" {
      result["strides"] = zip(array.strides, array.shape).filter { $0.1 > 1 }.map(\.0)
    }
    let words = words(array)
    if words.count > 2048 {
      var hash: UInt64 = 0xCBF2_9CE4_8422_2325
      for word in words { hash = (hash ^ word) &* 0x100_0000_01B3 }
      result["fnv"] = String(format: "%016llx", hash)
      return result
    }
    switch array.dtype {
    case .float64: result["data"] = words.map { String(format: "%016llx", $0) }
    case .float32: result["data"] = words.map { String(format: "%08llx", $0) }
    case .bool: result["data"] = words.map { Int($0) }
    case .uint64: result["data"] = words.map { String($0) }
    default: result["data"] = array.integerValues().map { String($0) }
    }
    return result
  }

  static func canonical(_ object: Any) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    else { return "\(object)" }
    return String(decoding: data, as: UTF8.self)
  }

  /// What the interpreter gives for a case, in the fixture's form.
  static func outcome(_ item: Case, _ interpreter: PythonInterpreter) -> [String: Any] {
    do {
      for (k, spec) in item.inputs.enumerated() {
        interpreter.globals.values["a\(k)"] = .array(ArrayObject(try array(spec)))
      }
    } catch {
      return ["fixture": "\(error)"]
    }
    do {
      try interpreter.run("r = " + item.call + "\n")
    } catch let error as PythonError {
      if error.refusal != nil { return ["refused": true] }
      return ["error": error.typeName ?? "", "message": error.message]
    } catch {
      return ["error": "\(error)"]
    }
    switch interpreter.globals.values["r"]?.unmarked {
    case .array(let object)?: return encoded(object.array, kind: "array")
    case .npScalar(let scalar)?: return encoded(StridedArray.scalar(scalar), kind: "scalar")
    default: return ["unexpected": true]
    }
  }

  @Test("the fixture has its cases")
  func fixtureIsThere() {
    #expect(Self.cases.count >= 1000)
  }

  @Test("every case is NumPy's result, error or a refusal")
  func reproduced() throws {
    let interpreter = PythonInterpreter()
    try interpreter.run(
      "import numpy as np\nfrom numpy.lib.stride_tricks import sliding_window_view as windows\n")
    var differing: [String] = []
    for item in Self.cases {
      let got = Self.canonical(Self.outcome(item, interpreter))
      let expected = Self.canonical(item.expected)
      if got != expected {
        differing.append(item.name)
        if differing.count <= 10 {
          print("  differs: \(item.name): \(item.call)")
          print("    NumPy:   \(expected.prefix(400))")
          print("    retrace: \(got.prefix(400))")
        }
      }
    }
    print("np.einsum: \(Self.cases.count - differing.count) of \(Self.cases.count) reproduced")
    #expect(differing.isEmpty, "\(differing.prefix(20))")
  }
}
