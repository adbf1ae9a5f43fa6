import Foundation

/// Runs `body` `repeats` times (by default 3, or $BENCH_REPEATS) and returns the best
/// wall-clock time in seconds.
func bestSeconds(
  repeats: Int = Int(ProcessInfo.processInfo.environment["BENCH_REPEATS"] ?? "") ?? 3,
  _ body: () -> Void
) -> Double {
  var best = Double.infinity
  for _ in 0..<max(1, repeats) {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    let end = DispatchTime.now().uptimeNanoseconds
    best = min(best, Double(end - start) / 1e9)
  }
  return best
}

/// Prints one benchmark result as a JSON line.
func report(workload: String, seconds: Double, items: Double, unit: String) {
  let rate = items / seconds
  print(
    "{\"workload\": \"\(workload)\", \"seconds\": \(seconds), \"items\": \(items), "
      + "\"unit\": \"\(unit)\", \"per_second\": \(rate)}")
}

/// Keeps the optimiser from deleting work whose result is otherwise unused.
@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }
