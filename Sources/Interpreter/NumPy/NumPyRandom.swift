import NumPyKit

/// `np.random`: the legacy global `RandomState` (what `np.random.seed` drives), `RandomState`
/// objects and `default_rng` Generators, each method drawing NumPyKit's bit-exact streams.
enum NumPyRandom {
  /// A legacy random state shared by the methods that close over it.
  final class LegacyState {
    var state: RandomState
    /// Seeded by the notebook (unseeded draws come from the OS in NumPy: unverifiable).
    var seeded: Bool
    init(state: RandomState, seeded: Bool) {
      self.state = state
      self.seeded = seeded
    }
  }

  /// A `Generator` shared by its methods.
  final class GeneratorState {
    var generator: Generator
    let seeded: Bool
    init(generator: Generator, seeded: Bool) {
      self.generator = generator
      self.seeded = seeded
    }
  }

  typealias Body = (PythonInterpreter, CallArguments) throws(PythonError) -> Value

  static func error(_ error: RandomError) -> PythonError { ArrayValues.error(error) }

  static func module(for interpreter: PythonInterpreter) -> ModuleObject {
    var attributes = legacyMethods(interpreter.numpyRandom)
    attributes["RandomState"] = .builtin(
      BuiltinFunction(name: "RandomState") { _, positional, keywords throws(PythonError) in
        let call = CallArguments("RandomState", positional, keywords)
        let legacy = LegacyState(
          state: try seededState(call.value(0, "seed")), seeded: call.value(0, "seed") != nil)
        let object = NativeObject(
          typeName: "RandomState", repr: "RandomState(MT19937)",
          attributes: legacyMethods(legacy, name: "RandomState"))
        object.state = legacy
        return .native(object)
      })
    attributes["default_rng"] = .builtin(
      BuiltinFunction(name: "default_rng") { _, positional, keywords throws(PythonError) in
        let call = CallArguments("default_rng", positional, keywords)
        let seed = try call.int(0, "seed")
        let generator: Generator
        do throws(RandomError) {
          generator = try Generator(seed: seed ?? 0)
        } catch let failure {
          throw NumPyRandom.error(failure)
        }
        let state = GeneratorState(generator: generator, seeded: seed != nil)
        let object = NativeObject(
          typeName: "Generator", repr: "Generator(PCG64)", attributes: generatorMethods(state))
        object.state = state
        return .native(object)
      })
    return ModuleObject(name: "numpy.random", attributes: attributes)
  }

  static func seededState(_ seed: Value?) throws(PythonError) -> RandomState {
    do {
      guard let seed else { return try RandomState(seed: 0) }
      if let n = Operators.integer(seed) { return try RandomState(seed: Int(n)) }
      if case .npScalar(.int64(let n)) = seed { return try RandomState(seed: Int(n)) }
      let words = try ArrayValues.array(seed).integerValues().map { Int($0) }
      return try RandomState(seedArray: words)
    } catch let failure as RandomError {
      throw error(failure)
    } catch let failure as PythonError {
      throw failure
    } catch {
      throw PythonError(refusal: "\(error)")
    }
  }

  /// Tells the observer how many values a draw returned (or shuffled).
  static func report(
    _ interpreter: PythonInterpreter, _ result: Value, _ positional: [Value], _ generator: String,
    _ method: String
  ) {
    guard let observer = interpreter.observer else { return }
    var count = 1
    if case .array(let object) = result { count = object.array.count }
    if case .none = result, let first = positional.first {
      if case .list(let list) = first { count = list.items.count }
      if case .array(let object) = first { count = object.array.shape.first ?? 0 }
    }
    observer.interpreter(interpreter, drew: count, from: generator, method: method)
  }

  /// A draw of `shape` (nil: NumPy's `size=None`, one Python float).
  static func floats(_ values: [Double], _ shape: [Int]?) -> Value {
    guard let shape else { return .float(values.first ?? 0) }
    return ArrayValues.wrapArray(StridedArray(shape: shape, reals: values))
  }

  /// Array-valued distribution parameters (`normal(loc=[-1, 1], size=(n, 2))`), broadcast
  /// against each other and `size`; nil when both are scalars.
  struct Broadcast {
    var shape: [Int]
    var first: [Double]
    var second: [Double]
  }

  static func broadcastParameters(
    _ call: CallArguments, defaults: (Double, Double), names: (String, String)
  ) throws(PythonError) -> Broadcast? {
    let a = try call.optionalArray(0, names.0) ?? .scalar(.float64(defaults.0))
    let b = try call.optionalArray(1, names.1) ?? .scalar(.float64(defaults.1))
    guard a.ndim > 0 || b.ndim > 0 else { return nil }
    guard let merged = Shape.broadcastIfCompatible(a.shape, b.shape) else {
      throw PythonError.value("shape mismatch: objects cannot be broadcast to a single shape.")
    }
    let shape = try call.shape(2, "size") ?? merged
    guard Shape.broadcastIfCompatible(merged, shape) == shape else {
      throw PythonError.value("shape mismatch: objects cannot be broadcast to a single shape.")
    }
    return Broadcast(
      shape: shape, first: a.broadcast(to: shape).realValues(),
      second: b.broadcast(to: shape).realValues())
  }

  /// `loc + scale * z` (or, for `range`, `low + (high - low) * u`), as NumPy's C loops.
  static func affine(_ broadcast: Broadcast, _ draws: [Double], range: Bool) -> Value {
    var out = [Double](repeating: 0, count: draws.count)
    for k in 0..<draws.count {
      let first = broadcast.first[k]
      let second = broadcast.second[k]
      out[k] = range ? first + (second - first) * draws[k] : first + second * draws[k]
    }
    return ArrayValues.wrapArray(StridedArray(shape: broadcast.shape, reals: out))
  }

  static func legacyMethods(_ legacy: LegacyState, name generatorName: String = "np.random")
    -> [String: Value]
  {
    var attributes: [String: Value] = [:]
    func method(_ name: String, _ body: @escaping (CallArguments) throws(PythonError) -> Value) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { interpreter, positional, keywords throws(PythonError) in
          let result = try body(CallArguments(name, positional, keywords))
          if name == "seed" { return result }
          report(interpreter, result, positional, generatorName, name)
          if legacy.seeded { return result }
          return .unverifiable(
            result,
            reason: "drawn from \(generatorName), which the notebook never seeds")
        })
    }
    func draw<T>(_ body: () throws(RandomError) -> T) throws(PythonError) -> T {
      do {
        return try body()
      } catch let failure {
        throw error(failure)
      }
    }
    method("seed") { call throws(PythonError) in
      legacy.state = try seededState(call.value(0, "seed"))
      legacy.seeded = call.value(0, "seed") != nil
      return .none
    }
    method("rand") { call throws(PythonError) in
      let shape = try call.variadicShape()
      let values = try draw { () throws(RandomError) in try legacy.state.randomSample(shape) }
      return floats(values, call.positional.isEmpty ? nil : shape)
    }
    method("randn") { call throws(PythonError) in
      let shape = try call.variadicShape()
      let values = try draw { () throws(RandomError) in try legacy.state.standardNormal(shape) }
      return floats(values, call.positional.isEmpty ? nil : shape)
    }
    for name in ["random", "random_sample", "sample", "ranf"] {
      method(name) { call throws(PythonError) in
        let shape = try call.shape(0, "size")
        let values = try draw { () throws(RandomError) in try legacy.state.randomSample(shape ?? [])
        }
        return floats(values, shape)
      }
    }
    method("standard_normal") { call throws(PythonError) in
      let shape = try call.shape(0, "size")
      let values = try draw { () throws(RandomError) in try legacy.state.standardNormal(shape ?? [])
      }
      return floats(values, shape)
    }
    method("normal") { call throws(PythonError) in
      if let broadcast = try broadcastParameters(call, defaults: (0, 1), names: ("loc", "scale")) {
        let z = try draw { () throws(RandomError) in
          try legacy.state.standardNormal(broadcast.shape)
        }
        return affine(broadcast, z, range: false)
      }
      let loc = try call.double(0, "loc") ?? 0
      let scale = try call.double(1, "scale") ?? 1
      let shape = try call.shape(2, "size")
      let values = try draw { () throws(RandomError) in
        try legacy.state.normal(loc: loc, scale: scale, shape: shape ?? [])
      }
      return floats(values, shape)
    }
    method("uniform") { call throws(PythonError) in
      if let broadcast = try broadcastParameters(call, defaults: (0, 1), names: ("low", "high")) {
        let u = try draw { () throws(RandomError) in try legacy.state.randomSample(broadcast.shape)
        }
        return affine(broadcast, u, range: true)
      }
      let low = try call.double(0, "low") ?? 0
      let high = try call.double(1, "high") ?? 1
      let shape = try call.shape(2, "size")
      let values = try draw { () throws(RandomError) in
        try legacy.state.uniform(low: low, high: high, shape: shape ?? [])
      }
      return floats(values, shape)
    }
    method("randint") { call throws(PythonError) in
      let low = Int64(try call.int(0, "low") ?? 0)
      let high = try call.int(1, "high").map { Int64($0) }
      let shape = try call.shape(2, "size")
      let values = try draw { () throws(RandomError) in
        try legacy.state.randint(low, high, shape: shape ?? [])
      }
      guard let shape else { return .int(values.first ?? 0) }
      return ArrayValues.wrapArray(StridedArray(shape: shape, integers: values))
    }
    method("choice") { call throws(PythonError) in
      let a = try call.required(0, "a")
      let shape = try call.shape(1, "size")
      let replace = try call.bool(2, "replace", default: true)
      let p = try call.optionalArray(3, "p")?.realValues()
      if let n = Operators.integer(a) {
        let values = try draw { () throws(RandomError) in
          try legacy.state.choice(Int(n), shape: shape ?? [], replace: replace, p: p)
        }
        guard let shape else { return .npScalar(.int64(values.first ?? 0)) }
        return ArrayValues.wrapArray(StridedArray(shape: shape, integers: values))
      }
      let population = try ArrayValues.array(a)
      guard population.ndim == 1 else {
        throw PythonError.value("a must be 1-dimensional")
      }
      let indices = try draw { () throws(RandomError) in
        try legacy.state.choice(population.count, shape: shape ?? [], replace: replace, p: p)
      }
      let picked = try NumPyModule.wrapError { () throws(ArrayError) in
        StridedArray.read(
          try population.select([.array(StridedArray(shape: shape ?? [], integers: indices))]))
      }
      return ArrayValues.wrap(picked)
    }
    method("shuffle") { call throws(PythonError) in
      let x = try call.required(0, "x")
      switch x {
      case .list(let list):
        legacy.state.shuffle(&list.items)
      case .array(let object):
        let array = object.array
        guard array.ndim >= 1 else { throw PythonError.type("len() of unsized object") }
        var order = Array(0..<array.shape[0])
        legacy.state.shuffle(&order)
        let rows = StridedArray.read(
          try NumPyModule.wrapError { () throws(ArrayError) in
            try array.select([
              .array(StridedArray(shape: [order.count], integers: order.map { Int64($0) }))
            ])
          })
        try NumPyModule.wrapError { () throws(ArrayError) in
          try StridedArray.write(rows, into: .view(array))
        }
      default:
        throw PythonError(refusal: "retrace models np.random.shuffle of lists and arrays only")
      }
      return .none
    }
    method("permutation") { call throws(PythonError) in
      let x = try call.required(0, "x")
      if let n = Operators.integer(x) {
        let values = legacy.state.permutation(Int(n))
        return ArrayValues.wrapArray(StridedArray(shape: [values.count], integers: values))
      }
      let array = try ArrayValues.array(x)
      var order = Array(0..<(array.shape.first ?? 0))
      legacy.state.shuffle(&order)
      return ArrayValues.wrapArray(
        StridedArray.read(
          try NumPyModule.wrapError { () throws(ArrayError) in
            try array.select([
              .array(StridedArray(shape: [order.count], integers: order.map { Int64($0) }))
            ])
          }))
    }
    return attributes
  }

  static func generatorMethods(_ state: GeneratorState) -> [String: Value] {
    var attributes: [String: Value] = [:]
    func method(_ name: String, _ body: @escaping (CallArguments) throws(PythonError) -> Value) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { interpreter, positional, keywords throws(PythonError) in
          let result = try body(CallArguments(name, positional, keywords))
          report(interpreter, result, positional, "Generator", name)
          if state.seeded { return result }
          return .unverifiable(
            result, reason: "drawn from default_rng() without a seed")
        })
    }
    func draw<T>(_ body: () throws(RandomError) -> T) throws(PythonError) -> T {
      do {
        return try body()
      } catch let failure {
        throw error(failure)
      }
    }
    method("random") { call throws(PythonError) in
      let shape = try call.shape(0, "size")
      let values = try draw { () throws(RandomError) in try state.generator.random(shape ?? []) }
      return floats(values, shape)
    }
    method("standard_normal") { call throws(PythonError) in
      let shape = try call.shape(0, "size")
      let values = try draw { () throws(RandomError) in
        try state.generator.standardNormal(shape ?? [])
      }
      return floats(values, shape)
    }
    method("normal") { call throws(PythonError) in
      if let broadcast = try broadcastParameters(call, defaults: (0, 1), names: ("loc", "scale")) {
        let z = try draw { () throws(RandomError) in
          try state.generator.standardNormal(broadcast.shape)
        }
        return affine(broadcast, z, range: false)
      }
      let loc = try call.double(0, "loc") ?? 0
      let scale = try call.double(1, "scale") ?? 1
      let shape = try call.shape(2, "size")
      let values = try draw { () throws(RandomError) in
        try state.generator.normal(loc: loc, scale: scale, shape: shape ?? [])
      }
      return floats(values, shape)
    }
    method("uniform") { call throws(PythonError) in
      if let broadcast = try broadcastParameters(call, defaults: (0, 1), names: ("low", "high")) {
        let u = try draw { () throws(RandomError) in try state.generator.random(broadcast.shape) }
        return affine(broadcast, u, range: true)
      }
      let low = try call.double(0, "low") ?? 0
      let high = try call.double(1, "high") ?? 1
      let shape = try call.shape(2, "size")
      let values = try draw { () throws(RandomError) in
        try state.generator.uniform(low: low, high: high, shape: shape ?? [])
      }
      return floats(values, shape)
    }
    method("integers") { call throws(PythonError) in
      let low = Int64(try call.int(0, "low") ?? 0)
      let high = try call.int(1, "high").map { Int64($0) }
      let shape = try call.shape(2, "size")
      let endpoint = try call.bool(nil, "endpoint", default: false)
      let values = try draw { () throws(RandomError) in
        try state.generator.integers(low, high, shape: shape ?? [], endpoint: endpoint)
      }
      guard let shape else { return .npScalar(.int64(values.first ?? 0)) }
      return ArrayValues.wrapArray(StridedArray(shape: shape, integers: values))
    }
    method("choice") { call throws(PythonError) in
      let a = try call.required(0, "a")
      let shape = try call.shape(1, "size")
      let replace = try call.bool(2, "replace", default: true)
      let population: StridedArray? = Operators.integer(a) == nil ? try ArrayValues.array(a) : nil
      let n = Operators.integer(a).map { Int($0) } ?? population?.shape.first ?? 0
      let count = (shape ?? []).reduce(1, *)
      let indices: [Int64]
      if let p = try call.optionalArray(3, "p")?.realValues() {
        guard replace else {
          throw PythonError(
            refusal: "retrace does not model Generator.choice(p=..., replace=False) yet")
        }
        guard p.count == n else {
          throw PythonError.value("a and p must have same size")
        }
        // NumPy: cdf = p.cumsum(); cdf /= cdf[-1]; searchsorted(cdf, random(size), 'right').
        var cdf = p
        for k in 1..<max(cdf.count, 1) where k < cdf.count { cdf[k] = cdf[k - 1] + cdf[k] }
        let total = cdf.last ?? 1
        cdf = cdf.map { $0 / total }
        let uniforms = try draw { () throws(RandomError) in try state.generator.random([count]) }
        indices = uniforms.map { u in
          var low = 0
          var high = cdf.count
          while low < high {
            let middle = (low + high) / 2
            if cdf[middle] <= u { low = middle + 1 } else { high = middle }
          }
          return Int64(low)
        }
      } else {
        indices = try draw { () throws(RandomError) in
          try state.generator.choice(n, count: count, replace: replace)
        }
      }
      guard let population else {
        guard let shape else { return .npScalar(.int64(indices.first ?? 0)) }
        return ArrayValues.wrapArray(StridedArray(shape: shape, integers: indices))
      }
      let picked = try NumPyModule.wrapError { () throws(ArrayError) in
        StridedArray.read(
          try population.select([.array(StridedArray(shape: shape ?? [], integers: indices))]))
      }
      return ArrayValues.wrap(picked)
    }
    method("permutation") { call throws(PythonError) in
      let x = try call.required(0, "x")
      if let n = Operators.integer(x) {
        let values = state.generator.permutation(Int(n))
        return ArrayValues.wrapArray(StridedArray(shape: [values.count], integers: values))
      }
      let array = try ArrayValues.array(x)
      let order = state.generator.permutation(array.shape.first ?? 0)
      return ArrayValues.wrapArray(
        StridedArray.read(
          try NumPyModule.wrapError { () throws(ArrayError) in
            try array.select([.array(StridedArray(shape: [order.count], integers: order))])
          }))
    }
    method("shuffle") { call throws(PythonError) in
      let x = try call.required(0, "x")
      switch x.unmarked {
      case .list(let list):
        state.generator.shuffle(&list.items)
      case .array(let object):
        let array = object.array
        guard array.ndim >= 1 else { throw PythonError.type("len() of unsized object") }
        let order = state.generator.permutation(array.shape[0])
        let rows = StridedArray.read(
          try NumPyModule.wrapError { () throws(ArrayError) in
            try array.select([.array(StridedArray(shape: [order.count], integers: order))])
          })
        try NumPyModule.wrapError { () throws(ArrayError) in
          try StridedArray.write(rows, into: .view(array))
        }
      default:
        throw PythonError(refusal: "retrace models Generator.shuffle of lists and arrays only")
      }
      return .none
    }
    return attributes
  }
}
