import Foundation
import NumPyKit
import Testing

/// Inputs that the array-literal fuzz target (`Scripts/fuzz.sh array-literal`) found accepted
/// with a shape that does not fit their values; each is now a `ReadingError` at its place.
@Suite struct ArrayLiteralParserRegressionTests {
  let parser = ArrayLiteralParser()

  @Test(arguments: [
    // A repr whose shape= claims more elements than it shows, with no '...'.
    (
      "array([ 0.,   98., 99.], shape=(100,))",
      "1:1: shape=(100,) does not fit the 3 values shown in this array"
    ),
    // The same, found again with a stray comma.
    (
      "array([ , 99.], shape=(100,))",
      "1:1: shape=(100,) does not fit the 1 values shown in this array"
    ),
    // An empty repr claiming elements.
    (
      "array([ ], shape=(100\t\t,))",
      "1:1: shape=(100,) does not fit the 0 values shown in this array"
    ),
    // A summarised repr whose shape= is smaller than what it shows (indices would be negative).
    (
      "array([0., 1., 2., ..., 7., 8., 9.], shape=(2,))",
      "1:1: shape=(2,) does not fit the 6 values shown in this array"
    ),
    // shape= of another rank.
    (
      "array([1., 2.], shape=(2, 1))",
      "1:1: shape=(2, 1) does not fit the 2 values shown in this array"
    ),
    // A shape whose element count overflows Int (flat indices would trap).
    (
      "array([0., ..., 9.], shape=(99999999999999999, 99999999999999999))",
      "1:1: shape=(99999999999999999, 99999999999999999) has more elements than any array "
        + "can hold"
    ),
    // Empty lists nested deeper than the numbers of a sibling: ragged, though counts agree.
    ("[[[[]]][.2 ]]", "1:9: ragged nesting: a number where a nested array was expected"),
    ("[[[]], [1.]]", "1:9: ragged nesting: a number where a nested array was expected"),
  ])
  func shapesThatDoNotFitTheirValuesAreErrors(_ text: String, _ message: String) {
    #expect(throws: ReadingError.self) { try parser.parse(text) }
    do {
      _ = try parser.parse(text)
    } catch {
      #expect(error.description == message)
    }
  }

  @Test(arguments: [
    ("array([], shape=(0, 3), dtype=float64)", [0, 3]),
    ("array([0., 1., 2., ..., 7., 8., 9.], shape=(1000,))", [1000]),
    ("[[]]", [1, 0]),
  ])
  func shapesThatFitAreKept(_ text: String, _ shape: [Int]) throws {
    let literal = try parser.parse(text)
    #expect(literal.shape == shape)
  }
}
