import ArgumentParser
import Foundation
import NumPyKit

/// The output formats of `retrace randn`.
enum RandnFormat: String, ExpressibleByArgument, CaseIterable {
  /// What `print(np.random.randn(...))` shows (NumPyKit's ArrayFormatter, `str(a)`).
  case repr
  /// A flat JSON array in C order; every value round-trips; nan/inf as strings.
  case json
}

/// `retrace randn`: the values `np.random.seed(S); np.random.randn(D0, D1, ...)` draws
/// (or `np.random.default_rng(S).standard_normal((D0, ...))` with `--generator`), bit for bit.
struct RandnCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "randn",
    abstract: "Print NumPy's normal draws for a seed and shape, bit for bit.",
    discussion: """
      Legacy: np.random.seed(S); np.random.randn(D0, D1, ...).
      With --generator: np.random.default_rng(S).standard_normal((D0, D1, ...)).
      """)

  @Option(help: "The seed (0 ... 2**32 - 1 for the legacy stream).")
  var seed: Int

  @Flag(help: "Use np.random.default_rng(seed) (PCG64, ziggurat) instead of np.random.seed.")
  var generator = false

  @Option(help: "repr (what print() shows) or json (flat, C order, round-trip digits).")
  var format: RandnFormat = .repr

  @Argument(help: "The shape: D0 D1 ... (none for a single value).")
  var dimensions: [Int] = []

  func run() throws {
    let values: [Double]
    do {
      if generator {
        var rng = try Generator(seed: seed)
        values = try rng.standardNormal(dimensions)
      } else {
        var state = try RandomState(seed: seed)
        values = try state.standardNormal(dimensions)
      }
    } catch {
      throw UsageError(error.description)
    }
    switch format {
    case .json:
      FileHandle.standardOutput.write(Data(Self.json(values).utf8))
    case .repr:
      let array = NDArray(unchecked: dimensions, scalars: values)
      print(ArrayFormatter().string(array))
    }
  }

  /// A flat JSON array; Swift's `description` is the shortest text that round-trips.
  static func json(_ values: [Double]) -> String {
    var text = "["
    text.reserveCapacity(values.count * 22 + 2)
    for (index, value) in values.enumerated() {
      if index > 0 { text += ", " }
      if value.isNaN {
        text += "\"nan\""
      } else if value.isInfinite {
        text += value < 0 ? "\"-inf\"" : "\"inf\""
      } else {
        text += value.description
      }
    }
    text += "]\n"
    return text
  }
}
