/// `shuffle`, `permutation` and `choice` of NumPy's `Generator`, as `_generator.pyx` draws them.
extension Generator {
  /// `random_interval(max)`: a value in `[0, max]` by masked rejection (32-bit draws when
  /// `max` fits in 32 bits).
  mutating func interval(_ max: UInt64) -> UInt64 {
    if max == 0 { return 0 }
    let mask = bitMask(covering: max)
    if max <= 0xFFFF_FFFF {
      while true {
        let value = UInt64(bitGenerator.next32()) & mask
        if value <= max { return value }
      }
    }
    while true {
      let value = bitGenerator.next() & mask
      if value <= max { return value }
    }
  }

  /// `Generator.shuffle(x)` of a 1-d sequence (or along the first axis): Fisher-Yates from
  /// the end, `j = random_interval(i)` for `i = n-1 ... 1`.
  public mutating func shuffle<T>(_ elements: inout [T]) {
    shuffle(&elements, from: 1)
  }

  /// NumPy's `_shuffle_int(n, first, data)`: swaps for `i = n-1` down to `first`.
  mutating func shuffle<T>(_ elements: inout [T], from first: Int) {
    let n = elements.count
    guard n > first else { return }
    for i in stride(from: n - 1, through: first, by: -1) {
      let j = Int(interval(UInt64(i)))
      elements.swapAt(i, j)
    }
  }

  /// `Generator.permutation(n)`: a shuffled `arange(n)`.
  public mutating func permutation(_ n: Int) -> [Int64] {
    var values = (0..<Int64(Swift.max(n, 0))).map { $0 }
    shuffle(&values)
    return values
  }

  /// `Generator.choice(n, size, replace)` without `p`: indices into `arange(n)`. With
  /// replacement, `integers(0, n, size)`; without, Floyd's algorithm (a tail shuffle for large
  /// populations), then a shuffle of the result, as NumPy's default `shuffle=True`.
  public mutating func choice(_ populationSize: Int, count: Int, replace: Bool)
    throws(RandomError) -> [Int64]
  {
    if populationSize <= 0 && count != 0 {
      throw RandomError(.valueError, "a must be a positive integer unless no samples are taken")
    }
    if replace { return try integers(0, Int64(populationSize), shape: [count]) }
    if count > populationSize {
      throw RandomError(
        .valueError, "Cannot take a larger sample than population when replace is False")
    }
    if count < 0 { throw RandomError(.valueError, "negative dimensions are not allowed") }
    let n = populationSize
    if n > 10000 && count > n / 50 {
      var indices = (0..<Int64(n)).map { $0 }
      for i in stride(from: n - 1, through: Swift.max(n - count, 1), by: -1) {
        let j = Int(bounded(UInt64(i)))
        indices.swapAt(i, j)
      }
      return Array(indices[(n - count)...])
    }
    var indices = [Int64](repeating: 0, count: count)
    let mask = bitMask(covering: UInt64(1.2 * Double(count)))
    let setSize = mask &+ 1
    let empty = UInt64.max
    var hashSet = [UInt64](repeating: empty, count: Int(setSize))
    for j in (n - count)..<n {
      let value = bounded(UInt64(j))
      var location = Int(value & mask)
      while hashSet[location] != empty && hashSet[location] != value {
        location = (location + 1) & Int(mask)
      }
      if hashSet[location] == empty {
        hashSet[location] = value
        indices[j - n + count] = Int64(value)
      } else {
        location = j & Int(mask)
        while hashSet[location] != empty { location = (location + 1) & Int(mask) }
        hashSet[location] = UInt64(j)
        indices[j - n + count] = Int64(j)
      }
    }
    // NumPy's `_shuffle_int` draws with Lemire's bounded method, not `random_interval`.
    for i in stride(from: count - 1, through: 1, by: -1) {
      let j = Int(bounded(UInt64(i)))
      indices.swapAt(i, j)
    }
    return indices
  }

  /// `random_bounded_uint64(0, range, use_masked=False)` without a buffer: one Lemire draw.
  mutating func bounded(_ range: UInt64) -> UInt64 {
    Generator.lemire(&bitGenerator, range)
  }
}
