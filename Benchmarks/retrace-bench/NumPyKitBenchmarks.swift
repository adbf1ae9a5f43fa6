import Foundation
import NumPyKit

/// `retrace-bench numpykit [N [OPERATION]]`: NumPyKit's elementwise operations, reductions, `exp` and the
/// warm-up net's `matmul`, called in process on arrays of N elements (default 10^6; the
/// matmul is always 64×1000 by 1000×100). The inputs are `default_rng(0)`'s and
/// `default_rng(1)`'s standard normals, which NumPy draws identically, so
/// Scripts/bench-numpykit.sh compares each result's bits (a fingerprint of its float64 bits)
/// with NumPy's in the same run. One JSON line per operation: the best time of one call.
enum NumPyKitBenchmarks {
  /// The operations, as NumPy spells them (bench-numpykit.sh runs the same expressions).
  static let operations = [
    "a + b", "a * b", "np.maximum(a, 0.0)", "np.exp(a)", "np.tanh(a)", "a.sum()", "a.mean()",
    "a.max()", "m.sum(axis=0)", "x @ w",
  ]

  static func run(_ arguments: [String]) {
    let count = arguments.first.flatMap { Int($0) } ?? 1_000_000
    do {
      try measure(count, only: arguments.count > 1 ? arguments[1] : nil)
    } catch {
      fatalError("\(error)")
    }
  }

  /// `only`: one operation's name (as in `operations`), or nil for all of them.
  static func measure(_ count: Int, only: String? = nil) throws {
    var first = try Generator(seed: 0)
    var second = try Generator(seed: 1)
    let a = StridedArray(shape: [count], reals: try first.standardNormal([count]))
    let b = StridedArray(shape: [count], reals: try second.standardNormal([count]))
    let m = try a.reshaped([count / 10, 10])
    var third = try Generator(seed: 2)
    let x = StridedArray(shape: [64, 1000], reals: try third.standardNormal([64, 1000]))
    let w = StridedArray(shape: [1000, 100], reals: try third.standardNormal([1000, 100]))
    let zero = StridedArray.scalar(.float64(0))
    // The matmul's size is fixed: measured once, in the run of the larger arrays.
    for name in operations
    where (name != "x @ w" || count >= 10_000) && (only == nil || only == name) {
      let body: () throws -> StridedArray
      switch name {
      case "a + b": body = { try StridedArray.apply(.add, a, b) }
      case "a * b": body = { try StridedArray.apply(.multiply, a, b) }
      case "np.maximum(a, 0.0)": body = { try StridedArray.apply(.maximum, a, zero) }
      case "np.exp(a)": body = { try StridedArray.apply(.exp, a) }
      case "np.tanh(a)": body = { try StridedArray.apply(.tanh, a) }
      case "a.sum()": body = { try a.reduce(.sum, axes: nil) }
      case "a.mean()": body = { try a.reduce(.mean, axes: nil) }
      case "a.max()": body = { try a.reduce(.max, axes: nil) }
      case "m.sum(axis=0)": body = { try m.reduce(.sum, axes: [0]) }
      default: body = { try StridedArray.dot(x, w, matmul: true) }
      }
      let result = try body()
      // Enough calls that one timing covers about 20 ms, best of 5 timings.
      let start = DispatchClock.now
      _ = try body()
      let once = max(DispatchClock.now - start, 1e-7)
      let calls = max(1, Int(0.02 / once))
      var failure: Error?
      let seconds = bestSeconds(repeats: 5) {
        for _ in 0..<calls {
          do {
            blackHole(try body())
          } catch {
            failure = error
          }
        }
      }
      if let failure { throw failure }
      let elements = name == "x @ w" ? 64 * 100 : count
      print(
        "{\"operation\": \"\(name)\", \"n\": \(name == "x @ w" ? 0 : count), "
          + "\"seconds\": \(seconds / Double(calls)), \"elements\": \(elements), "
          + "\"hash\": \"\(hash(result))\"}")
    }
  }

  /// A fingerprint of the float64 bits in C order: the sum of `bits[i] * (2i + 1)` modulo
  /// 2^64 (what NumPy computes in uint64 arithmetic in bench-numpykit.sh).
  static func hash(_ array: StridedArray) -> String {
    var h: UInt64 = 0
    for (i, value) in array.realValues().enumerated() {
      h = h &+ value.bitPattern &* UInt64(2 * i + 1)
    }
    return String(h, radix: 16)
  }
}

/// Monotonic seconds.
enum DispatchClock {
  static var now: Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
  }
}
