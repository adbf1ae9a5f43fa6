import Foundation
import NumPyKit

/// CPython's `random` module: the Mersenne Twister seeded as `random.seed(int)` seeds it
/// (`init_by_array` of the int's 32-bit words), and each method drawing exactly the words
/// CPython's does, so that every value is bit for bit.
final class PythonRandom {
  var generator: MT19937
  var gaussNext: Double?
  /// Whether the program seeded it (CPython seeds an unseeded `random` from the OS, so its
  /// draws are unverifiable).
  var seeded = false

  init() {
    // Unseeded, CPython draws from the OS; retrace cannot, so it starts from seed 0 (such
    // values are marked unverifiable by the layers above, never compared).
    generator = (try? MT19937(seedArray: [0])) ?? MT19937(seed: UInt32(0))
  }

  func seed(_ value: Int64) {
    var magnitude = value.magnitude
    var words: [Int] = []
    repeat {
      words.append(Int(magnitude & 0xFFFF_FFFF))
      magnitude >>= 32
    } while magnitude > 0
    if let seededGenerator = try? MT19937(seedArray: words) { generator = seededGenerator }
    gaussNext = nil
    seeded = true
  }

  /// `random()`: 53 bits from two words.
  func random() -> Double {
    let a = Double(generator.next32() >> 5)
    let b = Double(generator.next32() >> 6)
    return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// `getrandbits(k)`.
  func bits(_ k: Int) -> UInt64 {
    if k <= 32 { return UInt64(generator.next32() >> UInt32(32 - k)) }
    let low = UInt64(generator.next32())
    let high = UInt64(generator.next32() >> UInt32(64 - k))
    return low | (high << 32)
  }

  /// `_randbelow_with_getrandbits(n)`.
  func below(_ n: Int64) -> Int64 {
    guard n > 0 else { return 0 }
    let k = 64 - UInt64(n).leadingZeroBitCount
    var r = bits(k)
    while r >= UInt64(n) { r = bits(k) }
    return Int64(r)
  }

  func gauss(_ mu: Double, _ sigma: Double) -> Double {
    var z = gaussNext
    gaussNext = nil
    if z == nil {
      let angle = random() * 2 * Double.pi
      let radius = (-2.0 * Foundation.log(1.0 - random())).squareRoot()
      z = Foundation.cos(angle) * radius
      gaussNext = Foundation.sin(angle) * radius
    }
    return mu + (z ?? 0) * sigma
  }

  func normalVariate(_ mu: Double, _ sigma: Double) -> Double {
    let magic = 4 * Foundation.exp(-0.5) / 2.0.squareRoot()
    while true {
      let u1 = random()
      let u2 = 1.0 - random()
      let z = magic * (u1 - 0.5) / u2
      if z * z / 4.0 <= -Foundation.log(u2) { return mu + z * sigma }
    }
  }

  static let unseededReason = "drawn from Python's random module, which the program never seeds"

  func module() -> ModuleObject {
    var attributes: [String: Value] = [:]
    func add(
      _ name: String,
      _ body: @escaping (PythonInterpreter, [Value], [(String, Value)]) throws(PythonError) -> Value
    ) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { [self] interpreter, arguments, keywords throws(PythonError) in
          let result = try body(interpreter, arguments, keywords)
          interpreter.observer?.interpreter(
            interpreter, drew: 1, from: "random", method: name)
          if seeded || name == "seed" || name == "Random" { return result }
          if case .none = result { return result }
          return .unverifiable(result, reason: PythonRandom.unseededReason)
        })
    }
    func number(_ arguments: [Value], _ index: Int, _ fallback: Double) throws(PythonError)
      -> Double
    {
      guard index < arguments.count else { return fallback }
      guard let value = Operators.number(arguments[index]) else {
        throw PythonError.type("must be real number, not \(arguments[index].typeName)")
      }
      return value
    }
    add("seed") { [self] _, arguments, _ throws(PythonError) in
      switch arguments.first {
      case .int(let value)?: seed(value)
      case .bool(let flag)?: seed(flag ? 1 : 0)
      case .none?, nil:
        seed(0)
        seeded = false
      default: throw PythonError(refusal: "retrace seeds random with ints only")
      }
      return .none
    }
    add("random") { [self] _, _, _ throws(PythonError) in .float(random()) }
    add("uniform") { [self] _, arguments, _ throws(PythonError) in
      let a = try number(arguments, 0, 0)
      let b = try number(arguments, 1, 1)
      return .float(a + (b - a) * random())
    }
    add("getrandbits") { [self] _, arguments, _ throws(PythonError) in
      guard let k = arguments.first.flatMap(Operators.integer), k >= 0, k <= 63 else {
        throw PythonError(refusal: "retrace draws getrandbits(k) for k up to 63")
      }
      return .int(Int64(bits(Int(k))))
    }
    add("randrange") { [self] _, arguments, _ throws(PythonError) in
      var bounds: [Int64] = []
      for argument in arguments {
        guard let value = Operators.integer(argument) else {
          throw PythonError.type(
            "'\(argument.typeName)' object cannot be interpreted as an integer")
        }
        bounds.append(value)
      }
      let (start, stop, step): (Int64, Int64, Int64) =
        bounds.count == 1
        ? (0, bounds[0], 1)
        : (bounds[0], bounds.count > 1 ? bounds[1] : 0, bounds.count > 2 ? bounds[2] : 1)
      let count = Ranges.count(start, stop, step)
      guard count > 0 else {
        throw PythonError.value(
          "empty range in randrange(\(bounds.map(String.init).joined(separator: ", ")))")
      }
      return .int(start + step * below(count))
    }
    add("randint") { [self] _, arguments, _ throws(PythonError) in
      guard arguments.count == 2, let a = Operators.integer(arguments[0]),
        let b = Operators.integer(arguments[1])
      else { throw PythonError.type("randint() takes 2 arguments") }
      guard b >= a else { throw PythonError.value("empty range in randrange(\(a), \(b + 1))") }
      return .int(a + below(b - a + 1))
    }
    add("choice") { [self] interpreter, arguments, _ throws(PythonError) in
      let items = try interpreter.iterate(arguments.first ?? .list(ListObject([])))
      guard !items.isEmpty else { throw PythonError.index("Cannot choose from an empty sequence") }
      return items[Int(below(Int64(items.count)))]
    }
    add("choices") { [self] interpreter, arguments, keywords throws(PythonError) in
      let items = try interpreter.iterate(arguments.first ?? .list(ListObject([])))
      let k = Builtins.keyword(keywords, "k").flatMap(Operators.integer) ?? 1
      var weights = Builtins.keyword(keywords, "weights")
      if weights == nil && arguments.count > 1 { weights = arguments[1] }
      if let weights, !weights.isNone {
        // CPython: cumulative weights, then bisect_right of random() * total.
        var cumulative: [Double] = []
        var running = 0.0
        for weight in try interpreter.iterate(weights) {
          guard let value = Operators.number(weight) else {
            throw PythonError.type("weights must be numbers")
          }
          running += value
          cumulative.append(running)
        }
        guard cumulative.count == items.count else {
          throw PythonError.value("The number of weights does not match the population")
        }
        let total = running + 0.0
        var chosen: [Value] = []
        for _ in 0..<max(0, k) {
          let target = random() * total
          var low = 0
          var high = items.count - 1
          while low < high {
            let middle = (low + high) / 2
            if target < cumulative[middle] { high = middle } else { low = middle + 1 }
          }
          chosen.append(items[low])
        }
        return .list(ListObject(chosen))
      }
      if Builtins.keyword(keywords, "cum_weights") != nil {
        throw PythonError(refusal: "retrace draws random.choices with weights=, not cum_weights=")
      }
      let n = Double(items.count)
      return .list(
        ListObject((0..<max(0, k)).map { _ in items[Int(Foundation.floor(random() * n))] }))
    }
    add("shuffle") { [self] _, arguments, _ throws(PythonError) in
      guard case .list(let list)? = arguments.first else {
        throw PythonError.type("shuffle needs a list")
      }
      var index = list.items.count - 1
      while index >= 1 {
        let j = Int(below(Int64(index + 1)))
        list.items.swapAt(index, j)
        index -= 1
      }
      return .none
    }
    add("sample") { [self] interpreter, arguments, keywords throws(PythonError) in
      let population = try interpreter.iterate(arguments.first ?? .list(ListObject([])))
      guard
        let k = (arguments.count > 1 ? arguments[1] : Builtins.keyword(keywords, "k")).flatMap(
          Operators.integer)
      else { throw PythonError.type("sample() missing required argument 'k'") }
      let n = population.count
      guard k >= 0 && Int(k) <= n else {
        throw PythonError.value("Sample larger than population or is negative")
      }
      var result: [Value] = []
      var setSize = 21
      if k > 5 {
        setSize += Int(
          Foundation.pow(4, Foundation.ceil(Foundation.log(Double(k) * 3) / Foundation.log(4))))
      }
      if n <= setSize {
        var pool = population
        for i in 0..<Int(k) {
          let j = Int(below(Int64(n - i)))
          result.append(pool[j])
          pool[j] = pool[n - i - 1]
        }
      } else {
        var selected = Set<Int64>()
        for _ in 0..<Int(k) {
          var j = below(Int64(n))
          while selected.contains(j) { j = below(Int64(n)) }
          selected.insert(j)
          result.append(population[Int(j)])
        }
      }
      return .list(ListObject(result))
    }
    add("gauss") { [self] _, arguments, _ throws(PythonError) in
      .float(gauss(try number(arguments, 0, 0), try number(arguments, 1, 1)))
    }
    add("normalvariate") { [self] _, arguments, _ throws(PythonError) in
      .float(normalVariate(try number(arguments, 0, 0), try number(arguments, 1, 1)))
    }
    add("getstate") { [self] _, _, _ throws(PythonError) in
      let words =
        generator.stateWords.map { Value.int(Int64($0)) }
        + [.int(Int64(generator.statePosition))]
      return .tuple([.int(3), .tuple(words), gaussNext.map(Value.float) ?? .none])
    }
    add("setstate") { [self] _, arguments, _ throws(PythonError) in
      guard case .tuple(let state)? = arguments.first, state.count == 3,
        case .tuple(let words) = state[1], words.count == MT19937.stateCount + 1
      else { throw PythonError.type("state vector must be a tuple from getstate()") }
      var key: [UInt32] = []
      for word in words.dropLast() {
        key.append(UInt32(truncatingIfNeeded: Operators.integer(word) ?? 0))
      }
      guard let position = Operators.integer(words[words.count - 1]),
        let restored = MT19937(key: key, position: Int(position))
      else { throw PythonError.value("state vector is invalid.") }
      generator = restored
      if case .float(let value) = state[2] { gaussNext = value } else { gaussNext = nil }
      return .none
    }
    add("Random") { _, arguments, _ throws(PythonError) in
      let instance = PythonRandom()
      if case .int(let value)? = arguments.first { instance.seed(value) }
      return .module(instance.module())
    }
    return ModuleObject(name: "random", attributes: attributes)
  }
}
