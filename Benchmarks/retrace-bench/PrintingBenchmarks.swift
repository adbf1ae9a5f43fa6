import NumPyKit

/// `retrace-bench format [N] [ROWS] [p4]`: `str(a)` of `a = default_rng(0).standard_normal(N)`
/// (default 10^6), reshaped to ROWS rows when given (1000 for NumPy's 1000×1000 case), with
/// threshold large enough to print every element, i.e. what NumPy does in
/// `np.array2string(a, threshold=sys.maxsize)`; `p4` prints under `precision=4,
/// suppress=True`. Best of 3, one JSON line with the time per value. The data are made before
/// timing starts.
enum PrintingBenchmarks {
  static func run(_ workload: String, _ arguments: [String]) {
    let count = arguments.first.flatMap { Int($0) } ?? 1_000_000
    let rows = arguments.dropFirst().first.flatMap { Int($0) } ?? 0
    let compact = arguments.contains("p4")
    let values: [Double]
    do {
      var generator = try Generator(seed: 0)
      values = try generator.standardNormal([count])
    } catch {
      fatalError("\(error)")
    }
    let shape = rows > 0 ? [rows, count / rows] : [count]
    guard let array = NDArray(shape: shape, scalars: values, dtype: .float64) else {
      fatalError("format: \(count) values do not make \(rows) rows")
    }
    var options = PrintOptions()
    options.threshold = Int.max
    if compact {
      options.precision = 4
      options.suppress = true
    }
    let formatter = ArrayFormatter(options: options)
    var length = 0
    let seconds = bestSeconds {
      let text = formatter.string(array)
      length = text.utf8.count
      blackHole(text)
    }
    report(workload: workload, seconds: seconds, items: Double(count), unit: "values")
    print(
      "{\"workload\": \"\(workload)\", \"output_bytes\": \(length), \"ns_per_value\": "
        + "\(seconds / Double(count) * 1e9)}")
  }
}
