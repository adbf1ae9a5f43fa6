import Testing

@testable import NumPyKit

/// `ArrayFormatter.elementTokens` against what `ArrayLiteralParser` reads back from `string` /
/// `repr` on every case of the printing fixtures (Fixtures/numpy/printing).
extension PrintingTests {
  @Suite("ArrayFormatter element tokens")
  struct ElementTokensTests {
    @Test("the tokens equal the parsed tokens of str(a) and repr(a)", arguments: Array(0..<20))
    func matchParsedOutput(optionSet: Int) throws {
      let fixture = try PrintingTests.ArrayFormatterTests.load()
      let formatter = ArrayFormatter(options: fixture.options[optionSet])
      let parser = ArrayLiteralParser(maximumCount: Int.max)
      var checked = 0
      var failures: [String] = []
      for entry in fixture.cases where entry.options == optionSet {
        let array = try #require(fixture.arrays[entry.array])
        // The reader takes no 0-d `repr` (`array(1.5)`): a bare scalar prints as `str`.
        for repr in array.shape.isEmpty ? [false] : [false, true] {
          let text = repr ? formatter.repr(array) : formatter.string(array)
          // Custom nan/inf strings (`nanstr='NaN'`) are not read back: nothing to compare.
          guard let parsed = try? parser.parse(text).texts else { continue }
          let tokens = formatter.elementTokens(array, repr: repr).texts
          if tokens != parsed {
            failures.append("array \(entry.array) \(text): parsed \(parsed), tokens \(tokens)")
          }
          checked += 1
        }
      }
      #expect(checked >= 100)
      #expect(
        failures.isEmpty, "\(failures.count) of \(checked) differ; first: \(failures.first ?? "")")
    }

    @Test("a summary gives the shown values only; bytes compare with a literal")
    func summaryAndComparison() throws {
      let array = NDArray((0..<2000).map(Double.init))
      let tokens = ArrayFormatter().elementTokens(array)
      #expect(
        tokens.texts == [
          "0.000e+00", "1.000e+00", "2.000e+00", "1.997e+03", "1.998e+03", "1.999e+03",
        ])
      let literal = try ArrayLiteralParser().parse(array.description)
      for ordinal in 0..<tokens.count {
        #expect(tokens.hasSameText(ordinal, as: literal, ordinal))
      }
      #expect(!tokens.hasSameText(0, as: literal, 1))
      #expect(ArrayFormatter().elementTokens(NDArray([-0.0, 0.0])).texts == ["-0.", "0."])
      #expect(ArrayFormatter().elementTokens(NDArray(scalar: 0.1)).texts == ["0.1"])
      #expect(ArrayFormatter().elementTokens(NDArray([])).count == 0)
    }
  }
}
