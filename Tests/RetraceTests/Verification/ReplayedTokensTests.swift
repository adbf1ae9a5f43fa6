import Foundation
import NumPyKit
import Testing

@testable import Retrace

/// `ReplayedTokens` (tokens without printing) against printing the value and reading it back,
/// which is what `SeedVerifier.check` did before: same tokens, same shape, same indices.
@Suite struct ReplayedTokensTests {
  static let arrays: [NDArray] = {
    var arrays: [NDArray] = [
      NDArray([1.5, -2, 3]), NDArray([-0.0, 0.0, .nan, .infinity, -.infinity]),
      NDArray([1e-5, 1.5, 1e10]), NDArray((0..<2000).map { Double($0) * 0.37 - 11 }),
      NDArray(unchecked: [7], scalars: [1, 0, 1, 1, 0, 0, 1], dtype: .bool),
      NDArray(unchecked: [5], scalars: [3, -12, 0, 100_000, 7], dtype: .int64),
    ]
    for shape in [[2, 3], [40, 30], [3, 1, 4], [12, 2, 9], [1, 1500], [1500, 1]] {
      let count = shape.reduce(1, *)
      let scalars = (0..<count).map { sin(Double($0) * 1.7) * pow(10, Double($0 % 7) - 3) }
      arrays.append(NDArray(unchecked: shape, scalars: scalars, dtype: .float64))
    }
    return arrays
  }()

  static let options: [PrintOptions] = {
    var list = [PrintOptions()]
    var small = PrintOptions()
    small.threshold = 10
    small.edgeItems = 2
    list.append(small)
    var legacy = small
    legacy.legacy113 = true
    list.append(legacy)
    var fixed = PrintOptions()
    fixed.floatMode = .fixed
    fixed.precision = 3
    fixed.sign = .plus
    list.append(fixed)
    return list
  }()

  @Test("tokens, shape and indices equal printing and reading back", arguments: [false, true])
  func matchesPrintingAndReadingBack(repr: Bool) throws {
    for options in Self.options {
      for array in Self.arrays {
        let formatter = ArrayFormatter(options: options)
        let text = repr ? formatter.repr(array) : formatter.string(array)
        let back = try ArrayLiteralParser(maximumCount: Int.max).parse(text)
        let replayed = ReplayedValue(
          print: 0, epoch: nil, label: "a", value: .array(array), options: options,
          isRepr: repr)
        let tokens = try #require(ReplayedTokens(replayed, form: back.form))
        #expect(tokens.shape == back.shape, "\(text)")
        #expect(tokens.count == back.count, "\(text)")
        for ordinal in 0..<back.count {
          #expect(tokens.text(ordinal) == back.text(ofToken: ordinal))
          #expect(tokens.hasSameText(ordinal, as: back))
          let index = back.index(ofToken: ordinal).enumerated().map { axis, i in
            i < 0 ? array.shape[axis] + i : i
          }
          #expect(tokens.index(ordinal) == index, "\(text) token \(ordinal)")
        }
      }
    }
  }
}
