/// `shuffle`, `permutation` and `choice` of NumPy's legacy `RandomState`, bit for bit.
extension RandomState {
  /// `np.random.shuffle(x)` on a 1-d sequence (or along the first axis): Fisher-Yates from
  /// the end, `j = random_interval(i)` for `i = n-1 ... 1`.
  public mutating func shuffle<T>(_ elements: inout [T]) {
    let n = elements.count
    guard n > 1 else { return }
    bitGenerator.withCursor { cursor in
      elements.withUnsafeMutableBufferPointer { buffer in
        for i in stride(from: n - 1, through: 1, by: -1) {
          let j = Int(cursor.interval(UInt64(i)))
          buffer.swapAt(i, j)
        }
      }
    }
  }

  /// `np.random.permutation(n)`: a shuffled `arange(n)` (empty for `n <= 0`, as NumPy).
  public mutating func permutation(_ n: Int) -> [Int64] {
    var values = (0..<Int64(max(n, 0))).map { $0 }
    shuffle(&values)
    return values
  }

  /// `np.random.permutation(x)` for a 1-d `x` (or rows of a 2-d one): a shuffled copy.
  public mutating func permutation<T>(_ elements: [T]) -> [T] {
    var copy = elements
    shuffle(&copy)
    return copy
  }

  /// `np.random.choice(a, size, replace, p)` with an integer `a`: indices into `arange(a)`.
  ///
  /// Algorithms as `mtrand.pyx`: with replacement and no `p` it is `randint(0, a, size)`;
  /// with `p` it is `searchsorted(cumsum(p) / sum, random_sample(size), side='right')`;
  /// without replacement and no `p` it is `permutation(a)[:size]`; without replacement with
  /// `p` it is NumPy's redraw loop. Errors are NumPy's, in NumPy's order.
  public mutating func choice(
    _ populationSize: Int, shape: [Int] = [], replace: Bool = true, p: [Double]? = nil
  ) throws(RandomError) -> [Int64] {
    let requested = shape.reduce(1, *)
    if populationSize <= 0 && requested != 0 {
      throw RandomError(.valueError, "a must be greater than 0 unless no samples are taken")
    }
    return try choiceIndices(populationSize, shape: shape, replace: replace, p: p)
  }

  /// `np.random.choice(a, size, replace, p)` with a 1-d array `a`: its elements at the
  /// indices `choice(a.count, ...)` would draw.
  public mutating func choice<T>(
    from population: [T], shape: [Int] = [], replace: Bool = true, p: [Double]? = nil
  ) throws(RandomError) -> [T] {
    let requested = shape.reduce(1, *)
    if population.isEmpty && requested != 0 {
      throw RandomError(.valueError, "'a' cannot be empty unless no samples are taken")
    }
    let indices = try choiceIndices(population.count, shape: shape, replace: replace, p: p)
    return indices.map { population[Int($0)] }
  }

  private mutating func choiceIndices(
    _ populationSize: Int, shape: [Int], replace: Bool, p: [Double]?
  ) throws(RandomError) -> [Int64] {
    if let p { try Self.validate(p, populationSize: populationSize) }
    let size = shape.reduce(1, *)
    if replace {
      guard let p else { return try randint(0, Int64(populationSize), shape: shape) }
      let cdf = Self.normalizedCumulativeSum(p)
      let uniforms = try randomSample(shape)
      return uniforms.map { Int64(Self.searchSortedRight(cdf, $0)) }
    }
    if size > populationSize {
      throw RandomError(
        .valueError, "Cannot take a larger sample than population when 'replace=False'")
    }
    if size < 0 { throw RandomError(.valueError, "Negative dimensions are not allowed") }
    guard var weights = p else { return Array(permutation(populationSize).prefix(size)) }
    if weights.lazy.filter({ $0 > 0 }).count < size {
      throw RandomError(.valueError, "Fewer non-zero entries in p than size")
    }
    var found: [Int64] = []
    found.reserveCapacity(size)
    while found.count < size {
      let uniforms = try randomSample([size - found.count])
      for index in found { weights[Int(index)] = 0 }
      let cdf = Self.normalizedCumulativeSum(weights)
      var seen = Set<Int>()
      for x in uniforms {
        let index = Self.searchSortedRight(cdf, x)
        if seen.insert(index).inserted { found.append(Int64(index)) }
      }
    }
    return found
  }

  /// The checks `choice` makes on `p`, with NumPy's messages and order.
  private static func validate(_ p: [Double], populationSize: Int) throws(RandomError) {
    guard p.count == populationSize else {
      throw RandomError(.valueError, "'a' and 'p' must have same size")
    }
    let sum = kahanSum(p)
    if sum.isNaN { throw RandomError(.valueError, "probabilities contain NaN") }
    if p.contains(where: { $0 < 0 }) {
      throw RandomError(.valueError, "probabilities are not non-negative")
    }
    let tolerance = Double.ulpOfOne.squareRoot()
    if abs(sum - 1.0) > tolerance {
      throw RandomError(.valueError, "probabilities do not sum to 1")
    }
  }

  /// NumPy's `kahan_sum` (compensated summation, `_common.pyx`).
  static func kahanSum(_ values: [Double]) -> Double {
    guard var sum = values.first else { return 0.0 }
    var compensation = 0.0
    for value in values.dropFirst() {
      let y = value - compensation
      let t = sum + y
      compensation = (t - sum) - y
      sum = t
    }
    return sum
  }

  /// `cdf = np.cumsum(p); cdf /= cdf[-1]` (sequential sums, one division by the last).
  static func normalizedCumulativeSum(_ p: [Double]) -> [Double] {
    var cdf = p
    var running = 0.0
    for i in cdf.indices {
      running += cdf[i]
      cdf[i] = running
    }
    guard let total = cdf.last else { return cdf }
    for i in cdf.indices { cdf[i] /= total }
    return cdf
  }

  /// `np.searchsorted(sorted, x, side='right')`: the number of leading elements `<= x`.
  static func searchSortedRight(_ sorted: [Double], _ x: Double) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
      let middle = (low + high) / 2
      if x < sorted[middle] { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
