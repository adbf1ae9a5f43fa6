import Dispatch
import Foundation
import NumPyKit

/// Searches `np.random.seed(s)` values for the one whose `randn` draws print as the notebook's
/// initial weights.
///
/// Each candidate needs only its first few MT19937 outputs, which depend on the first words
/// of the seeded state and the words 397 further on (init_genrand, then the first steps of the
/// twist), so a candidate costs a few hundred multiplications instead of a full 624-word
/// twist. Hits are confirmed with a full `RandomState`.
public struct SeedSearch: Sendable {
  /// The printed values of the first draws, in draw order, with their last-digit units.
  public var targets: [(value: Double, unit: Double)]
  /// The draws (name and shape), in the order the code makes them.
  public var draws: [(name: String, shape: [Int])]
  /// The printed initial weights by draw name (to confirm a hit completely).
  public var printed: [String: ArrayLiteral]

  /// The smallest seed in `range` that reproduces every printed initial weight, if any.
  ///
  /// Workers take interleaved chunks of 65,536 seeds; once a chunk holds a hit, chunks after it
  /// are skipped, and the smallest hit is returned.
  ///
  /// - Parameter progress: called now and then with the fraction done (from any thread).
  public func run(
    in range: Range<UInt64>, progress: (@Sendable (Double) -> Void)? = nil
  ) -> UInt32? {
    guard targets.count >= 2, !range.isEmpty else { return nil }
    let workers = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
    let total = range.count
    let chunk = 1 << 16
    let chunks = (total + chunk - 1) / chunk
    let found = Mutex<(chunk: Int, seed: UInt64)?>(nil)
    let done = Mutex<Int>(0)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var index = worker
      while index < chunks {
        if let hit = found.withLock({ $0 }), hit.chunk < index { break }
        let start = range.lowerBound + UInt64(index * chunk)
        let end = min(range.upperBound, start + UInt64(chunk))
        for seed in start..<end where seed <= UInt64(UInt32.max) {
          if quickMatch(UInt32(seed)) && confirm(UInt32(seed)) {
            let current = index
            found.withLock { hit in
              if let old = hit, old.chunk < current || (old.chunk == current && old.seed <= seed) {
                return
              }
              hit = (current, seed)
            }
            break
          }
        }
        let finished = done.withLock { count -> Int in
          count += 1
          return count
        }
        progress?(Double(finished) / Double(max(1, chunks)))
        index += workers
      }
    }
    progress?(1)
    return found.withLock { $0.map { UInt32($0.seed) } }
  }

  /// Whether the first two Gaussians of `seed` round to the first two printed values.
  func quickMatch(_ seed: UInt32) -> Bool {
    let count = 24
    return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 397 + count + 1) { key in
      key[0] = seed
      for i in 1..<(397 + count + 1) {
        let previous = key[i - 1]
        key[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
      }
      var position = 0
      func next() -> UInt32? {
        guard position < count else { return nil }
        let y = (key[position] & 0x8000_0000) | (key[position + 1] & 0x7fff_ffff)
        var v = key[position + 397] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : 0x9908_b0df)
        position += 1
        v ^= v >> 11
        v ^= (v << 7) & 0x9d2c_5680
        v ^= (v << 15) & 0xefc6_0000
        v ^= v >> 18
        return v
      }
      func nextDouble() -> Double? {
        guard let a = next(), let b = next() else { return nil }
        return (Double(a >> 5) * 67_108_864.0 + Double(b >> 6)) / 9_007_199_254_740_992.0
      }
      while true {
        guard let u1 = nextDouble(), let u2 = nextDouble() else {
          // Rejected too often for the quick path: let the full generator decide.
          return true
        }
        let x1 = 2.0 * u1 - 1.0
        let x2 = 2.0 * u2 - 1.0
        let r2 = x1 * x1 + x2 * x2
        if r2 >= 1.0 || r2 == 0.0 { continue }
        let f = (-2.0 * log(r2) / r2).squareRoot()
        return rounds(f * x2, to: targets[0]) && rounds(f * x1, to: targets[1])
      }
    }
  }

  func rounds(_ value: Double, to target: (value: Double, unit: Double)) -> Bool {
    abs(value - target.value) <= target.unit / 2 * (1 + 1e-9)
  }

  /// Whether every printed initial weight is `seed`'s draw, to the printed digits.
  func confirm(_ seed: UInt32) -> Bool {
    var random = RandomState(bitGenerator: MT19937(seed: seed))
    for draw in draws {
      guard let values = try? random.randnArray(draw.shape) else { return false }
      guard let literal = printed[draw.name] else { continue }
      for ordinal in 0..<literal.count {
        guard let flat = literal.flatIndex(ofToken: ordinal), flat < values.count,
          let unit = lastDigitUnit(of: literal.texts[ordinal])
        else { return false }
        if !rounds(values.scalars[flat], to: (literal.values[ordinal], unit)) { return false }
      }
    }
    return true
  }
}

/// A lock around a value (Foundation's NSLock; the Synchronization module's Mutex needs
/// newer deployment targets on Apple platforms).
final class Mutex<Value>: @unchecked Sendable {
  private var value: Value
  private let lock = NSLock()
  init(_ value: Value) { self.value = value }
  func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
    lock.lock()
    defer { lock.unlock() }
    return body(&value)
  }
}
