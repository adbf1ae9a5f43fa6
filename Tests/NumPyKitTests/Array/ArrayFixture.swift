import Foundation
import NumPyKit
import Testing

/// One array as the fixture script writes it: shape, dtype name, u64 hex of each double.
struct EncodedArray: Decodable, Sendable {
  let shape: [Int]
  let dtype: String
  let bits: [String]

  /// The NDArray with exactly these bits.
  func array() throws -> NDArray {
    let type: DType
    switch dtype {
    case "float64": type = .float64
    case "bool": type = .bool
    case "int64": type = .int64
    default: throw FixtureError("unknown dtype \(dtype)")
    }
    let values = try bits.map { hex in
      guard let raw = UInt64(hex, radix: 16) else { throw FixtureError("bad bits \(hex)") }
      return Double(bitPattern: raw)
    }
    guard let array = NDArray(shape: shape, scalars: values, dtype: type) else {
      throw FixtureError("shape \(shape) does not fit \(values.count) values")
    }
    return array
  }
}

struct FixtureError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// One operation case of Fixtures/numpy/arrays/operations.json.
struct OperationCase: Decodable, Sendable, CustomTestStringConvertible {
  let name: String
  let op: String
  let inputs: [EncodedArray]
  let scalar: String?
  let side: String?
  let newShape: [Int]?
  let result: EncodedArray?
  let error: String?

  var testDescription: String { name }

  var scalarValue: Double? {
    scalar.flatMap { UInt64($0, radix: 16) }.map { Double(bitPattern: $0) }
  }
}

struct OperationFile: Decodable {
  let numpy: String
  let cases: [OperationCase]

  static func load() throws -> OperationFile {
    try JSONDecoder().decode(
      OperationFile.self, from: FixturePath.data("numpy/arrays/operations.json"))
  }

  /// The cases, or none when the file is missing (the load test then fails loudly).
  static let cases: [OperationCase] = (try? load().cases) ?? []
}

/// Fixtures/numpy/arrays/seed-notebook.json: the seed notebook's 10 epochs in NumPy.
struct SeedNotebookFile: Decodable {
  let numpy: String
  let lr: String
  let initial: [String: EncodedArray]
  let epochs: [[String: EncodedArray]]

  static func load() throws -> SeedNotebookFile {
    try JSONDecoder().decode(
      SeedNotebookFile.self, from: FixturePath.data("numpy/arrays/seed-notebook.json"))
  }
}

extension NDArray {
  /// The u64 hex of each element, for bit-exact comparison (so -0.0 differs from 0.0).
  var bitStrings: [String] {
    scalars.map { hex($0.bitPattern) }
  }

  /// The fixture's dtype name.
  var dtypeName: String { dtype.rawValue }
}

func hex(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}
