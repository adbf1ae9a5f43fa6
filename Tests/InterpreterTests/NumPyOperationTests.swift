import Foundation
import NumPyKit
import PythonSyntax
import Testing

@testable import Interpreter

/// Thousands of single NumPy operations (`Fixtures/numpy/operations/cases.json`, made by
/// `python3 Scripts/make-fixtures.py operations` with NumPy 2.4.6), run through the
/// interpreter with their inputs bound as globals: the result's kind, dtype, shape and element
/// bits, or NumPy's exception type and message, must be NumPy's. A result NumPy gives in a dtype
/// retrace does not model (float16, complex) must be a refusal.
@Suite("NumPy operations, bit for bit against NumPy 2.4.6")
struct NumPyOperationTests {
  /// How many cases of each group reproduce today: a ratchet that may only rise. What the
  /// rest are is printed by the test (group, case, expected and got).
  static let floors: [String: Int] = [
    "binary": 3220, "python-scalar": 1380, "unary": 1188, "unary-special": 33,
    // float32 beside every dtype (its transcendental functions through NumPy's own float32
    // kernels and glibc's float ones), and max / min / argmax over long runs with NaNs,
    // infinities and signed zeros (NumPy's vectorised reduce loop).
    "float32": 2292, "long-reduction": 315,
    "reduction": 2324, "pairwise": 40, "astype": 110, "shape": 380, "indexing": 84,
    // Every product: retrace models the summation order of this machine's OpenBLAS
    // (Haswell kernels, 2 threads; see BLASOrder).
    "linalg": 131, "misc": 87, "creation": 40,
  ]

  struct Case: @unchecked Sendable {
    let name: String
    let group: String
    let call: String
    let inputs: [[String: Any]]
    let expected: [String: Any]
  }

  static let cases: [Case] = {
    guard let data = try? FixturePath.data("numpy/operations/cases.json"),
      let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let list = document["cases"] as? [[String: Any]]
    else { return [] }
    return list.compactMap { item in
      guard let name = item["name"] as? String, let group = item["group"] as? String,
        let call = item["call"] as? String, let inputs = item["inputs"] as? [[String: Any]],
        let expected = item["expected"] as? [String: Any]
      else { return nil }
      return Case(name: name, group: group, call: call, inputs: inputs, expected: expected)
    }
  }()

  // MARK: - Values from the fixture

  static func elements(_ spec: [String: Any], dtype: DType) -> (reals: [Double], ints: [Int64]) {
    let data = spec["data"] as? [Any] ?? []
    switch dtype {
    case .float64:
      return (
        data.map { Double(bitPattern: UInt64(($0 as? String) ?? "0", radix: 16) ?? 0) }, []
      )
    case .float32:
      return (
        data.map {
          Double(Float(bitPattern: UInt32(($0 as? String) ?? "0", radix: 16) ?? 0))
        }, []
      )
    case .bool:
      return (data.map { (($0 as? Int) ?? 0) != 0 ? 1 : 0 }, [])
    default:
      let ints = data.map { item -> Int64 in
        let text = (item as? String) ?? "0"
        if dtype == .uint64, let unsigned = UInt64(text) { return Int64(bitPattern: unsigned) }
        return Int64(text) ?? 0
      }
      return ([], ints)
    }
  }

  static func array(_ spec: [String: Any]) throws -> StridedArray {
    let dtype = try #require(DType(rawValue: spec["dtype"] as? String ?? ""))
    let shape = spec["shape"] as? [Int] ?? []
    let (reals, ints) = elements(spec, dtype: dtype)
    var array =
      dtype.isInteger
      ? StridedArray(shape: shape, integers: ints, dtype: dtype)
      : StridedArray(shape: shape, reals: reals, dtype: dtype)
    switch spec["view"] as? String {
    case "T": array = try array.transposed()
    case "step":
      array = StridedArray.read(try array.select([.ellipsis, .slice(nil, nil, 2)]))
    default: break
    }
    return array
  }

  static func value(_ spec: [String: Any]) throws -> Value {
    switch spec["kind"] as? String {
    case "array": return .array(ArrayObject(try array(spec)))
    case "scalar": return .npScalar(try #require(try array(spec).onlyElement))
    case "float":
      return .float(Double(bitPattern: UInt64(spec["hex"] as? String ?? "0", radix: 16) ?? 0))
    case "int": return .int(Int64(spec["value"] as? String ?? "0") ?? 0)
    case "bool": return .bool(spec["value"] as? Bool ?? false)
    default: throw FixtureError.unknownInput
    }
  }

  enum FixtureError: Error { case unknownInput }

  // MARK: - Values to the fixture's form

  static func encoded(_ array: StridedArray, kind: String) -> [String: Any] {
    let data: [Any]
    switch array.dtype {
    case .float64:
      data = array.realValues().map { String(format: "%016llx", $0.bitPattern) }
    case .float32:
      data = array.realValues().map { String(format: "%08x", Float($0).bitPattern) }
    case .bool: data = array.realValues().map { $0 != 0 ? 1 : 0 }
    case .uint64: data = array.integerValues().map { String(UInt64(bitPattern: $0)) }
    default: data = array.integerValues().map { String($0) }
    }
    return ["kind": kind, "dtype": array.dtype.rawValue, "shape": array.shape, "data": data]
  }

  static func encoded(_ value: Value) -> [String: Any] {
    switch value.unmarked {
    case .array(let object): return encoded(object.array, kind: "array")
    case .npScalar(let scalar): return encoded(StridedArray.scalar(scalar), kind: "scalar")
    case .float(let x): return ["kind": "float", "hex": String(format: "%016llx", x.bitPattern)]
    case .int(let n): return ["kind": "int", "value": String(n)]
    case .bool(let flag): return ["kind": "bool", "value": flag]
    case .tuple(let items): return ["kind": "tuple", "items": items.map(encoded)]
    case .list(let list): return ["kind": "list", "items": list.items.map(encoded)]
    default: return ["kind": "unexpected \(value.typeName)"]
    }
  }

  static func canonical(_ object: Any) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    else { return "\(object)" }
    return String(decoding: data, as: UTF8.self)
  }

  // MARK: - Running a case

  /// What the interpreter gives for a case, in the fixture's form (or the error's).
  static func outcome(_ item: Case, _ interpreter: PythonInterpreter) -> [String: Any] {
    do {
      for (k, spec) in item.inputs.enumerated() {
        interpreter.globals.values["a\(k)"] = try value(spec)
      }
    } catch {
      return ["fixture": "\(error)"]
    }
    do {
      try interpreter.run("r = " + item.call + "\n")
    } catch let error as PythonError {
      if let refusal = error.refusal { return ["refused": refusal] }
      return ["error": error.typeName ?? "", "message": error.message]
    } catch {
      return ["error": "\(error)"]
    }
    guard let result = interpreter.globals.values["r"] else { return ["missing": true] }
    return encoded(result)
  }

  static func matches(_ expected: [String: Any], _ got: [String: Any]) -> Bool {
    if expected["unmodelled"] != nil { return got["refused"] != nil }
    return canonical(expected) == canonical(got)
  }

  /// How many differing cases of each group the test prints (RETRACE_SHOW_DIFFERING=N for
  /// more).
  static let shownPerGroup =
    Int(ProcessInfo.processInfo.environment["RETRACE_SHOW_DIFFERING"] ?? "") ?? 5

  @Test("the table has its cases")
  func tableIsThere() {
    #expect(Self.cases.count >= 5000)
  }

  @Test("each group reproduces NumPy for at least its floor of cases")
  func reproduced() throws {
    let interpreter = PythonInterpreter()
    try interpreter.run("import numpy as np\n")
    var passed: [String: Int] = [:]
    var total: [String: Int] = [:]
    var shown: [String: Int] = [:]
    for item in Self.cases {
      total[item.group, default: 0] += 1
      let got = Self.outcome(item, interpreter)
      if Self.matches(item.expected, got) {
        passed[item.group, default: 0] += 1
      } else if shown[item.group, default: 0] < Self.shownPerGroup {
        shown[item.group, default: 0] += 1
        print("  differs: \(item.name): \(item.call)")
        print("    NumPy:   \(Self.canonical(item.expected).prefix(300))")
        print("    retrace: \(Self.canonical(got).prefix(300))")
      }
    }
    for group in total.keys.sorted() {
      let count = passed[group, default: 0]
      print("NumPy operations \(group): \(count) of \(total[group, default: 0])")
      #expect(count >= Self.floors[group, default: 0], "\(group)")
    }
    let all = passed.values.reduce(0, +)
    print("NumPy operations: \(all) of \(Self.cases.count) reproduced")
  }
}
