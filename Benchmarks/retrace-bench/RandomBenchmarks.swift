import NumPyKit

/// `retrace-bench randn [N]`: `np.random.seed(0); np.random.randn(N)` (default 10^7), and
/// `retrace-bench standard-normal [N]`: `default_rng(0).standard_normal(N)`; the same work
/// NumPy times with timeit (seeding included), best of 3, one JSON line each.
enum RandomBenchmarks {
  static func run(_ workload: String, _ arguments: [String]) {
    let count = arguments.first.flatMap { Int($0) } ?? 10_000_000
    let seconds = bestSeconds {
      let values: [Double]
      do {
        if workload == "randn" {
          var state = try RandomState(seed: 0)
          values = try state.randn(shape: [count])
        } else {
          var generator = try Generator(seed: 0)
          values = try generator.standardNormal([count])
        }
      } catch {
        fatalError("\(error)")
      }
      blackHole(values)
    }
    report(workload: workload, seconds: seconds, items: Double(count), unit: "values")
  }
}
