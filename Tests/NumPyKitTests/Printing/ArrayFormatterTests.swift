import Foundation
import Testing

@testable import NumPyKit

/// str(a) and repr(a) against NumPy (Fixtures/numpy/printing, made by
/// Scripts/fixtures/printing.py): every case must be byte-identical.
extension PrintingTests {
  @Suite("ArrayFormatter vs NumPy")
  struct ArrayFormatterTests {
    /// The decoded fixture: arrays, option sets and cases.
    struct Fixture: Sendable {
      var arrays: [Int: NDArray] = [:]
      var options: [PrintOptions] = []
      var cases: [(array: Int, options: Int, str: String, repr: String)] = []
    }

    struct ArrayLine: Decodable {
      let id: Int
      let dtype: String
      let shape: [Int]
      let bits: String
    }

    struct CaseLine: Decodable {
      let a: Int
      let o: Int
      let str: String
      let repr: String
    }

    struct OptionsFile: Decodable {
      let numpy: String
      let options: [OptionSet]
    }

    struct OptionSet: Decodable {
      let precision: Int?
      let floatmode: String?
      let suppress: Bool?
      let sign: String?
      let linewidth: Int?
      let threshold: Int?
      let edgeitems: Int?
      let nanstr: String?
      let infstr: String?
      let legacy: String?

      func printOptions() throws -> PrintOptions {
        var options = PrintOptions()
        if let precision { options.precision = precision }
        if let floatmode { options.floatMode = try #require(.init(rawValue: floatmode)) }
        if let suppress { options.suppress = suppress }
        if let sign { options.sign = try #require(.init(rawValue: sign)) }
        if let linewidth { options.lineWidth = linewidth }
        if let threshold { options.threshold = threshold }
        if let edgeitems { options.edgeItems = edgeitems }
        if let nanstr { options.nanString = nanstr }
        if let infstr { options.infString = infstr }
        if let legacy { options.legacy113 = legacy == "1.13" }
        return options
      }
    }

    /// JSON lines after the version header.
    static func lines(_ name: String) throws -> [Substring] {
      let text = try String(contentsOf: FixturePath.url("numpy/printing/" + name), encoding: .utf8)
      return Array(text.split(separator: "\n").dropFirst())
    }

    static func load() throws -> Fixture {
      var fixture = Fixture()
      let decoder = JSONDecoder()
      let optionsData = try Data(contentsOf: FixturePath.url("numpy/printing/options.json"))
      let optionsFile = try decoder.decode(OptionsFile.self, from: optionsData)
      fixture.options = try optionsFile.options.map { try $0.printOptions() }
      for line in try lines("arrays.jsonl") {
        let entry = try decoder.decode(ArrayLine.self, from: Data(line.utf8))
        let dtype: DType = entry.dtype == "b1" ? .bool : (entry.dtype == "i8" ? .int64 : .float64)
        var values: [Double] = []
        var index = entry.bits.startIndex
        while index < entry.bits.endIndex {
          let next = entry.bits.index(index, offsetBy: 16)
          let raw = try #require(UInt64(entry.bits[index..<next], radix: 16))
          values.append(Double(bitPattern: raw))
          index = next
        }
        let array = try #require(NDArray(shape: entry.shape, scalars: values, dtype: dtype))
        fixture.arrays[entry.id] = array
      }
      for line in try lines("cases.jsonl") {
        let entry = try decoder.decode(CaseLine.self, from: Data(line.utf8))
        fixture.cases.append((entry.a, entry.o, entry.str, entry.repr))
      }
      return fixture
    }

    @Test("the fixture holds at least 5,000 arrays and 10,000 str/repr cases")
    func fixtureSize() throws {
      let fixture = try PrintingTests.ArrayFormatterTests.load()
      #expect(fixture.arrays.count >= 5000)
      #expect(fixture.cases.count >= 10000)
      #expect(fixture.options.count == 20)
    }

    @Test("str and repr are byte-identical to NumPy", arguments: Array(0..<20))
    func matchesNumPy(optionSet: Int) throws {
      let fixture = try PrintingTests.ArrayFormatterTests.load()
      let formatter = ArrayFormatter(options: fixture.options[optionSet])
      var checked = 0
      var failures: [String] = []
      for entry in fixture.cases where entry.options == optionSet {
        let array = try #require(fixture.arrays[entry.array])
        let str = formatter.string(array)
        let repr = formatter.repr(array)
        if str != entry.str || repr != entry.repr {
          failures.append(
            "array \(entry.array) shape \(array.shape):\nexpected str \(entry.str)\n"
              + "     got str \(str)\nexpected repr \(entry.repr)\n     got repr \(repr)")
        }
        checked += 1
      }
      #expect(checked >= 100)
      #expect(
        failures.isEmpty, "\(failures.count) of \(checked) differ; first: \(failures.first ?? "")")
    }

    @Test("reference-document examples")
    func referenceExamples() throws {
      #expect(NDArray([0.1, 0.2, 0.3]).description == "[0.1 0.2 0.3]")
      #expect(NDArray([-0.0, 0.0]).description == "[-0.  0.]")
      #expect(NDArray([.nan, 1, -.infinity]).description == "[ nan   1. -inf]")
      #expect(NDArray([1e-5, 1.5]).description == "[1.0e-05 1.5e+00]")
      #expect(NDArray([0x1p-9, 1]).description == "[0.00195312 1.        ]")
      #expect(NDArray([9.999999999]).description == "[10.]")
      let cube = try #require(NDArray(shape: [2, 3, 4], scalars: (0..<24).map(Double.init)))
      #expect(
        cube.description
          == "[[[ 0.  1.  2.  3.]\n  [ 4.  5.  6.  7.]\n  [ 8.  9. 10. 11.]]\n\n"
          + " [[12. 13. 14. 15.]\n  [16. 17. 18. 19.]\n  [20. 21. 22. 23.]]]")
      #expect(
        NDArray((0..<2000).map(Double.init)).description
          == "[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]")
      #expect(NDArray(scalar: 0.1).reprDescription == "array(0.1)")
      #expect(NDArray([]).reprDescription == "array([], dtype=float64)")
    }

    struct LargeCase: Decodable {
      let seed: Int
      let shape: [Int]
      let options: Options
      let scale: Double?
      /// Flat positions set to "nan", "inf" or "-inf".
      let specials: [Special]?
      let threshold: Int?
      /// Positions from this one on are nan.
      let nanFrom: Int?
      let str: String
      struct Options: Decodable {
        let precision: Int?
        let suppress: Bool?
        let nanstr: String?
        let linewidth: Int?
        let edgeitems: Int?
      }
      struct Special: Decodable {
        let position: Int
        let value: Double
        init(from decoder: Decoder) throws {
          var container = try decoder.unkeyedContainer()
          position = try container.decode(Int.self)
          let word = try container.decode(String.self)
          value = try #require(Double(word), "special value \(word)")
        }
      }
    }

    /// Arrays of 65,536 values or more (measured in two halves, rows printed on two threads
    /// when printed whole, non-finite values among recorded ones, scientific, wrapped,
    /// summarised): byte-identical to NumPy (Fixtures/numpy/printing/large.json).
    @Test func largeArraysPrintedWholeAreByteIdentical() throws {
      struct File: Decodable { let cases: [LargeCase] }
      let file = try JSONDecoder().decode(
        File.self, from: FixturePath.data("numpy/printing/large.json"))
      #expect(file.cases.count >= 9)
      for item in file.cases {
        var generator = try Generator(seed: item.seed)
        var values = try generator.standardNormal([item.shape.reduce(1, *)])
        if let scale = item.scale { values = values.map { $0 * scale } }
        for special in item.specials ?? [] { values[special.position] = special.value }
        if let nanFrom = item.nanFrom {
          for k in nanFrom..<values.count { values[k] = .nan }
        }
        let array = try #require(NDArray(shape: item.shape, scalars: values))
        #expect(array.count >= 1 << 16)
        var options = PrintOptions()
        options.threshold = item.threshold ?? Int.max
        if let precision = item.options.precision { options.precision = precision }
        options.suppress = item.options.suppress ?? false
        if let nanstr = item.options.nanstr { options.nanString = nanstr }
        if let linewidth = item.options.linewidth { options.lineWidth = linewidth }
        if let edgeitems = item.options.edgeitems { options.edgeItems = edgeitems }
        let text = ArrayFormatter(options: options).string(array)
        #expect(text == item.str, "seed \(item.seed) shape \(item.shape)")
      }
    }
  }
}
