import Foundation
import Testing

@testable import NumPyKit

/// Dragon4 against numpy.format_float_positional / numpy.format_float_scientific
/// (Fixtures/numpy/printing/dragon4.jsonl), and the fast path against the big-integer port.
extension PrintingTests {
  @Suite("Dragon4 vs NumPy")
  struct Dragon4Tests {
    struct Arguments: Decodable {
      let precision: Int?
      let unique: Bool?
      let fractional: Bool?
      let trim: String?
      let sign: Bool?
      let padLeft: Int?
      let padRight: Int?
      let expDigits: Int?
      let minDigits: Int?

      enum CodingKeys: String, CodingKey {
        case precision, unique, fractional, trim, sign
        case padLeft = "pad_left"
        case padRight = "pad_right"
        case expDigits = "exp_digits"
        case minDigits = "min_digits"
      }
    }

    struct Line: Decodable {
      let bits: String
      let form: String
      let args: Arguments
      let out: String
    }

    static func format(_ x: Double, form: String, args: Arguments, fast: Bool) throws -> String {
      var converter = Dragon4()
      converter.allowsFastPath = fast
      var out: [UInt8] = []
      let trim = try #require(Dragon4.Trim(numpyCode: args.trim ?? "k"))
      if form == "p" {
        converter.appendPositional(
          x, precision: args.precision ?? -1, unique: args.unique ?? true,
          fractional: args.fractional ?? true, trim: trim, sign: args.sign ?? false,
          padLeft: args.padLeft ?? -1, padRight: args.padRight ?? -1,
          minDigits: args.minDigits ?? -1, to: &out)
      } else {
        converter.appendScientific(
          x, precision: args.precision ?? -1, unique: args.unique ?? true, trim: trim,
          sign: args.sign ?? false, padLeft: args.padLeft ?? -1,
          expDigits: args.expDigits ?? -1, minDigits: args.minDigits ?? -1, to: &out)
      }
      return String(decoding: out, as: UTF8.self)
    }

    @Test("format_float_positional / format_float_scientific, fast and big-integer paths")
    func matchesNumPy() throws {
      let text = try String(
        contentsOf: FixturePath.url("numpy/printing/dragon4.jsonl"), encoding: .utf8)
      let decoder = JSONDecoder()
      var count = 0
      var failures: [String] = []
      for line in text.split(separator: "\n").dropFirst() {
        let entry = try decoder.decode(Line.self, from: Data(line.utf8))
        let x = Double(bitPattern: try #require(UInt64(entry.bits, radix: 16)))
        for fast in [true, false] {
          let got = try PrintingTests.Dragon4Tests.format(
            x, form: entry.form, args: entry.args, fast: fast)
          if got != entry.out {
            failures.append(
              "\(entry.bits) \(entry.form) \(entry.args) fast=\(fast): "
                + "expected '\(entry.out)' got '\(got)'")
          }
        }
        count += 1
      }
      #expect(count >= 20000)
      #expect(failures.isEmpty, "\(failures.count) differ; first: \(failures.prefix(5))")
    }

    @Test(
      "public convenience API",
      arguments: [
        (0x1p-9, 8, "0.00195312"), (0.125, 2, "0.12"), (2.675, 2, "2.67"), (9.999999999, 8, "10."),
      ])
    func convenience(value: Double, precision: Int, expected: String) {
      #expect(Dragon4.positional(value, precision: precision, trim: .dot) == expected)
    }

    @Test("the fast path equals the big-integer port on random bit patterns")
    func fastEqualsSlow() throws {
      var state: UInt64 = 0x9E37_79B9_7F4A_7C15
      func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
      }
      let settings: [(String, Arguments)] = [
        (
          "s",
          Arguments(
            precision: 8, unique: true, fractional: nil, trim: ".", sign: nil,
            padLeft: nil, padRight: nil, expDigits: nil, minDigits: nil)
        ),
        (
          "s",
          Arguments(
            precision: 14, unique: true, fractional: nil, trim: "k", sign: nil,
            padLeft: nil, padRight: nil, expDigits: nil, minDigits: 3)
        ),
        (
          "p",
          Arguments(
            precision: 8, unique: true, fractional: nil, trim: ".", sign: nil,
            padLeft: nil, padRight: nil, expDigits: nil, minDigits: nil)
        ),
        (
          "p",
          Arguments(
            precision: nil, unique: true, fractional: nil, trim: "k", sign: nil,
            padLeft: nil, padRight: nil, expDigits: nil, minDigits: nil)
        ),
        (
          "s",
          Arguments(
            precision: 17, unique: false, fractional: nil, trim: "k", sign: nil,
            padLeft: nil, padRight: nil, expDigits: nil, minDigits: nil)
        ),
      ]
      var failures: [String] = []
      for i in 0..<40_000 {
        // Mostly values in the fast path's range, with short mantissas now and then.
        let exponent = UInt64(1023 - 60 + Int(next() % 90))
        var mantissa = next() & ((1 << 52) - 1)
        if i % 3 == 0 { mantissa &= ~((1 << (next() % 52)) - 1) }
        let x = Double(bitPattern: exponent << 52 | mantissa)
        for (form, args) in settings {
          let fast = try PrintingTests.Dragon4Tests.format(x, form: form, args: args, fast: true)
          let slow = try PrintingTests.Dragon4Tests.format(x, form: form, args: args, fast: false)
          if fast != slow { failures.append("\(x) \(form) \(args): fast \(fast) slow \(slow)") }
        }
      }
      #expect(failures.isEmpty, "\(failures.count) differ; first: \(failures.prefix(5))")
    }
  }
}
