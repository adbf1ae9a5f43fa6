import NumPyKit

/// `retrace-bench format [N]`: `str(a)` of `a = default_rng(0).standard_normal(N)` (default
/// 10^6) with threshold large enough to print every element, i.e. what NumPy does in
/// `np.array2string(a, threshold=sys.maxsize)`; best of 3, one JSON line. The data are made
/// before timing starts.
enum PrintingBenchmarks {
  static func run(_ workload: String, _ arguments: [String]) {
    let count = arguments.first.flatMap { Int($0) } ?? 1_000_000
    let values: [Double]
    do {
      var generator = try Generator(seed: 0)
      values = try generator.standardNormal([count])
    } catch {
      fatalError("\(error)")
    }
    let array = NDArray(values)
    var options = PrintOptions()
    options.threshold = Int.max
    let formatter = ArrayFormatter(options: options)
    var length = 0
    let seconds = bestSeconds {
      let text = formatter.string(array)
      length = text.utf8.count
      blackHole(text)
    }
    report(workload: workload, seconds: seconds, items: Double(count), unit: "values")
    print("{\"workload\": \"\(workload)\", \"output_bytes\": \(length)}")
  }
}
