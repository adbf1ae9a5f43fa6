import NumPyKit

/// `np.random`: the legacy global `RandomState` (what `np.random.seed` drives), `RandomState`
/// objects and `default_rng` Generators, each method drawing NumPyKit's bit-exact streams.
enum NumPyRandom {
  /// A legacy random state shared by the methods that close over it.
  final class LegacyState {
    var state: RandomState
    /// Seeded by the notebook (unseeded draws come from the OS in NumPy: unverifiable).
    var seeded: Bool
    /// The int it was last seeded with (nil: an array, a state, or no seed) and the draws
    /// made since, for the seed search's `DrawCall`s.
    var seedValue: Int?
    var drawsSinceSeeding = 0
    /// Fingerprints of the states `get_state` handed out while unseeded: restoring one with
    /// `set_state` leaves the state unverifiable (in NumPy it came from the OS).
    var unverifiableStates: Set<Int> = []
    init(state: RandomState, seeded: Bool) {
      self.state = state
      self.seeded = seeded
    }
  }

  /// A `np.random.SeedSequence` object's entropy (held in the object's `state` slot; it never
  /// changes, so snapshots have nothing to restore).
  final class SeedSequenceState: SnapshotState {
    let sequence: SeedSequence
    let seeded: Bool
    init(sequence: SeedSequence, seeded: Bool) {
      self.sequence = sequence
      self.seeded = seeded
    }
    func capture() -> Any { sequence }
    func restore(_ state: Any) {}
  }

  /// A `Generator` shared by its methods.
  final class GeneratorState {
    var generator: Generator
    let seeded: Bool
    /// The int `default_rng` was given (nil: anything else) and the draws made since.
    var seedValue: Int?
    var drawsSinceSeeding = 0
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
        legacy.seedValue = call.value(0, "seed").flatMap(seedInt)
        let object = NativeObject(
          typeName: "RandomState", repr: "RandomState(MT19937)",
          attributes: legacyMethods(legacy, name: "RandomState"))
        object.state = legacy
        return .native(object)
      })
    attributes["default_rng"] = .builtin(
      BuiltinFunction(name: "default_rng") { _, positional, keywords throws(PythonError) in
        let call = CallArguments("default_rng", positional, keywords)
        let seed = call.value(0, "seed")
        if case .native(let object)? = seed, object.state is GeneratorState {
          return .native(object)  // a Generator passes through
        }
        let (sequence, seeded) = try seedSequence(seed)
        let generator = Generator(bitGenerator: PCG64(seedSequence: sequence))
        let state = GeneratorState(generator: generator, seeded: seeded)
        state.seedValue = seed.flatMap(seedInt)
        let object = NativeObject(
          typeName: "Generator", repr: "Generator(PCG64)", attributes: generatorMethods(state))
        object.state = state
        return .native(object)
      })
    attributes["SeedSequence"] = .builtin(
      BuiltinFunction(name: "SeedSequence") { _, positional, keywords throws(PythonError) in
        let call = CallArguments("SeedSequence", positional, keywords)
        let entropy = call.value(0, "entropy")
        if entropy == nil {
          // NumPy draws the entropy from the OS: a stand-in, unverifiable.
          let object = seedSequenceObject(SeedSequence(words: [0]), entropy: .int(0), seeded: false)
          return .unverifiable(
            .native(object), reason: "SeedSequence() takes its entropy from the OS")
        }
        let (sequence, _) = try seedSequence(entropy)
        return .native(seedSequenceObject(sequence, entropy: entropyValue(entropy), seeded: true))
      })
    return ModuleObject(name: "numpy.random", attributes: attributes)
  }

  /// The `SeedSequence` behind a `default_rng(seed)` / `SeedSequence(entropy)` argument, and
  /// whether the program chose it: None (NumPy asks the OS; seed 0 stands in, unverifiable),
  /// a non-negative int, a sequence or array of them (each split into 32-bit words), or a
  /// `SeedSequence` object. NumPy's errors for negative and non-integer entropy.
  static func seedSequence(_ seed: Value?) throws(PythonError) -> (SeedSequence, Bool) {
    guard let seed else { return (SeedSequence(words: [0]), false) }
    if case .native(let object) = seed.unmarked, let held = object.state as? SeedSequenceState {
      return (held.sequence, held.seeded)
    }
    do throws(RandomError) {
      if let n = integerSeed(seed) {
        guard n >= 0 else { throw RandomError(.valueError, "expected non-negative integer") }
        return (SeedSequence(sequence: [UInt64(n)]), true)
      }
      switch seed.unmarked {
      case .float(let x):
        throw RandomError(
          .typeError, "SeedSequence expects int or sequence of ints for entropy not \(x)")
      case .list, .tuple, .array:
        var words: [UInt64] = []
        for item in try entropyItems(seed) {
          guard let n = integerSeed(item) else {
            throw RandomError(.typeError, "seed must be integer")
          }
          guard n >= 0 else { throw RandomError(.valueError, "expected non-negative integer") }
          words.append(UInt64(n))
        }
        return (SeedSequence(sequence: words), true)
      default:
        throw RandomError(
          .typeError,
          "SeedSequence expects int or sequence of ints for entropy not \(Printer.repr(seed))")
      }
    } catch let failure {
      throw error(failure)
    }
  }

  /// An integer seed value (Python int or bool, NumPy integer; uint64 as unsigned).
  static func integerSeed(_ value: Value) -> Int128? {
    switch value.unmarked {
    case .bool(let flag): return flag ? 1 : 0
    case .int(let n): return Int128(n)
    case .npScalar(.integer(let n, .uint64)): return Int128(UInt64(bitPattern: n))
    case .npScalar(.int64(let n)), .npScalar(.integer(let n, _)): return Int128(n)
    default: return nil
    }
  }

  /// The items of a list, tuple or 1-d array seed.
  static func entropyItems(_ seed: Value) throws(RandomError) -> [Value] {
    switch seed.unmarked {
    case .list(let list): return list.items
    case .tuple(let items): return items
    case .array(let object):
      let array = object.array
      guard array.ndim <= 1, array.dtype.isInteger || array.dtype == .bool else {
        throw RandomError(.typeError, "seed must be integer")
      }
      return array.elements().map { .npScalar($0) }
    default: return []
    }
  }

  /// `SeedSequence.entropy` as NumPy keeps it: the int, or the list as given.
  static func entropyValue(_ entropy: Value?) -> Value {
    guard let entropy else { return .none }
    switch entropy.unmarked {
    case .list(let list): return .list(ListObject(list.items))
    case .tuple(let items): return .list(ListObject(items))
    default: return entropy.unmarked
    }
  }

  /// A `np.random.SeedSequence` object: `entropy`, `generate_state`, `pool_size`,
  /// `n_children_spawned`, `spawn_key`, printed as NumPy prints it.
  static func seedSequenceObject(_ sequence: SeedSequence, entropy: Value, seeded: Bool)
    -> NativeObject
  {
    let text = "SeedSequence(\n    entropy=\(Printer.repr(entropy)),\n)"
    var attributes: [String: Value] = [
      "entropy": entropy, "pool_size": .int(4), "n_children_spawned": .int(0),
      "spawn_key": .tuple([]),
    ]
    attributes["generate_state"] = .builtin(
      BuiltinFunction(name: "generate_state") { _, positional, keywords throws(PythonError) in
        let call = CallArguments("generate_state", positional, keywords)
        guard let count = try call.int(0, "n_words") else {
          throw PythonError.type(
            "generate_state() missing required argument 'n_words' (pos 1)")
        }
        let dtype = try call.dtype(1) ?? .uint32
        switch dtype {
        case .uint32:
          let words = sequence.generateState(count).map { Int64($0) }
          return ArrayValues.wrapArray(
            StridedArray(shape: [words.count], integers: words, dtype: .uint32))
        case .uint64:
          let words = sequence.generateState64(count).map { Int64(bitPattern: $0) }
          return ArrayValues.wrapArray(
            StridedArray(shape: [words.count], integers: words, dtype: .uint64))
        default:
          throw PythonError.type("only support uint32 or uint64")
        }
      })
    let object = NativeObject(typeName: "SeedSequence", repr: text, attributes: attributes)
    object.state = SeedSequenceState(sequence: sequence, seeded: seeded)
    return object
  }

  /// A seed argument that is a plain int (what the seed search can change), as an `Int`.
  static func seedInt(_ seed: Value) -> Int? {
    switch seed {
    case .int(let n): return Int(n)
    case .npScalar(.int64(let n)): return Int(n)
    default: return nil
    }
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

  // MARK: - Arguments and results of the distributions

  /// A distribution parameter (`lam=`, `scale=`, `p=`): a number, or an array of at least one
  /// dimension (NumPy's broadcast path; a 0-d array counts as a number, as in NumPy). Absent:
  /// `fallback`, or NumPy's TypeError when the parameter is required.
  static func parameter(
    _ call: CallArguments, _ index: Int, _ name: String, default fallback: Double? = nil
  ) throws(PythonError) -> RandomParameter<Double> {
    guard let value = call.value(index, name) else {
      if let fallback { return .scalar(fallback) }
      if case .none? = call.value(index, name, noneIsAbsent: false) {
        throw PythonError.type("must be real number, not NoneType")
      }
      _ = try call.required(index, name)
      return .scalar(.nan)
    }
    if let x = Operators.number(value) { return .scalar(x) }
    let array = try ArrayValues.array(value)
    if array.ndim == 0 { return .scalar(array.onlyElement?.real ?? .nan) }
    return .array(array.realValues(), shape: array.shape)
  }

  /// Binomial's `n`: an int (a float truncated, as NumPy's conversion does) or an integer
  /// array; NumPy's TypeError for a float array.
  static func countParameter(_ call: CallArguments, _ index: Int, _ name: String)
    throws(PythonError) -> RandomParameter<Int64>
  {
    let value = try call.required(index, name)
    if let n = Operators.integer(value) { return .scalar(n) }
    if let x = Operators.number(value) { return .scalar(try truncated(x)) }
    let array = try ArrayValues.array(value)
    if array.ndim == 0 {
      guard let only = array.onlyElement else { return .scalar(0) }
      return .scalar(array.dtype.isFloat ? try truncated(only.real) : only.integer)
    }
    guard !array.dtype.isFloat, array.dtype != .uint64 else {
      throw PythonError.type(
        "Cannot cast array data from dtype('\(array.dtype.rawValue)') to dtype('int64') "
          + "according to the rule 'safe'")
    }
    return .array(array.integerValues(), shape: array.shape)
  }

  /// A float converted to a C integer as Python's `int()` converts it.
  static func truncated(_ x: Double) throws(PythonError) -> Int64 {
    if x.isNaN { throw PythonError.value("cannot convert float NaN to integer") }
    guard x.isFinite else { throw PythonError.overflow("cannot convert float infinity to integer") }
    guard abs(x) < 9.2e18 else { throw Operators.refuseOverflow("int(\(x))") }
    return Int64(x.rounded(.towardZero))
  }

  /// A float64 draw as NumPy returns it: a Python float for `size=None` with scalar
  /// parameters, else an array of the draw's shape.
  static func floats(_ draws: RandomDraws<Double>, _ size: [Int]?) -> Value {
    if size == nil && draws.shape.isEmpty { return .float(draws.values.first ?? 0) }
    return ArrayValues.wrapArray(StridedArray(shape: draws.shape, reals: draws.values))
  }

  /// An int64 draw (poisson, binomial) as NumPy returns it: a Python int for `size=None` with
  /// scalar parameters, else an int64 array.
  static func counts(_ draws: RandomDraws<Int64>, _ size: [Int]?) -> Value {
    if size == nil && draws.shape.isEmpty { return .int(draws.values.first ?? 0) }
    return ArrayValues.wrapArray(StridedArray(shape: draws.shape, integers: draws.values))
  }

  /// An integer bound of `randint`/`integers`: Python ints and NumPy integers exactly (uint64
  /// beyond int64 too), floats truncated as NumPy's `int()` does. Array bounds (NumPy's
  /// broadcast path) are refused.
  static func bound(_ value: Value, _ function: String) throws(PythonError) -> Int128 {
    if let n = integerSeed(value) { return n }
    if let x = Operators.number(value) { return Int128(try truncated(x)) }
    if case .array(let object) = value.unmarked, object.array.ndim == 0,
      let only = object.array.onlyElement
    {
      return try bound(.npScalar(only), function)
    }
    throw PythonError(refusal: "retrace does not model \(function) with array bounds yet")
  }

  /// The dtype of a bounded integer draw and whether it was the Python type `int` or `bool`
  /// (which make a `size=None` draw a Python number): `fallback` when absent.
  static func integerDType(_ call: CallArguments, _ index: Int, fallback: DType, python: Bool)
    throws(PythonError) -> (DType, String?)
  {
    guard let value = call.value(index, "dtype") else { return (fallback, python ? "int" : nil) }
    if case .builtin(let builtin) = value.unmarked, ["int", "bool"].contains(builtin.name) {
      return (try ArrayValues.dtype(value.unmarked) ?? fallback, builtin.name)
    }
    if case .str("l") = value.unmarked { return (.int64, nil) }
    return (try ArrayValues.dtype(value.unmarked) ?? fallback, nil)
  }

  /// Bounded integers as NumPy returns them: for `size=None` a NumPy scalar of the dtype (a
  /// Python int or bool when the dtype was given as `int` or `bool`), else an array.
  static func boundedIntegers(
    _ values: [Int64], dtype: DType, size: [Int]?, python: String?
  ) -> Value {
    guard let size else {
      let value = values.first ?? 0
      switch python {
      case "int": return .int(value)
      case "bool": return .bool(value != 0)
      default: return .npScalar(dtype == .bool ? .bool(value != 0) : .of(value, dtype))
      }
    }
    if dtype == .bool {
      return ArrayValues.wrapArray(
        StridedArray(shape: size, reals: values.map { Double($0) }, dtype: .bool))
    }
    return ArrayValues.wrapArray(StridedArray(shape: size, integers: values, dtype: dtype))
  }

  /// Identifies a legacy state (key and position) within this process.
  static func fingerprint(_ key: [UInt32], _ position: Int) -> Int {
    var hasher = Hasher()
    hasher.combine(key)
    hasher.combine(position)
    return hasher.finalize()
  }

  /// `get_state(legacy=)`: NumPy's tuple `('MT19937', key, pos, has_gauss, gauss)`, or its
  /// dict.
  static func stateValue(_ state: RandomState, legacy: Bool) throws(PythonError) -> Value {
    let current = state.legacyState
    let key = ArrayValues.wrapArray(
      StridedArray(
        shape: [current.key.count], integers: current.key.map { Int64($0) }, dtype: .uint32))
    let position = Value.int(Int64(current.position))
    let hasGauss = Value.int(current.hasGauss ? 1 : 0)
    if legacy { return .tuple([.str("MT19937"), key, position, hasGauss, .float(current.gauss)]) }
    let inner = DictObject()
    inner.set(.str("key"), try HashKey(.str("key")), key)
    inner.set(.str("pos"), try HashKey(.str("pos")), position)
    let outer = DictObject()
    outer.set(.str("bit_generator"), try HashKey(.str("bit_generator")), .str("MT19937"))
    outer.set(.str("state"), try HashKey(.str("state")), .dict(inner))
    outer.set(.str("has_gauss"), try HashKey(.str("has_gauss")), hasGauss)
    outer.set(.str("gauss"), try HashKey(.str("gauss")), .float(current.gauss))
    return .dict(outer)
  }

  /// `set_state(state)`: NumPy's tuple or dict, with its errors; the state it describes.
  static func restoredState(_ value: Value) throws(PythonError) -> RandomState {
    var key: Value
    var position: Value
    var hasGauss: Value = .int(0)
    var gauss: Value = .float(0)
    func entry(_ dict: DictObject, _ name: String) throws(PythonError) -> Value? {
      dict.get(try HashKey(.str(name)))
    }
    switch value.unmarked {
    case .dict(let dict):
      guard let name = try entry(dict, "bit_generator"),
        case .dict(let inner)? = try entry(dict, "state")
      else {
        throw PythonError.value("state dictionary is not valid.")
      }
      hasGauss = try entry(dict, "has_gauss") ?? hasGauss
      gauss = try entry(dict, "gauss") ?? gauss
      guard case .str("MT19937") = name.unmarked else {
        throw PythonError.value("state must be for a MT19937 PRNG")
      }
      guard let k = try entry(inner, "key") else { throw PythonError.raise("KeyError", "'key'") }
      guard let p = try entry(inner, "pos") else { throw PythonError.raise("KeyError", "'pos'") }
      (key, position) = (k, p)
    case .tuple, .list:
      var items: [Value] = []
      if case .tuple(let elements) = value.unmarked { items = elements }
      if case .list(let list) = value.unmarked { items = list.items }
      guard let first = items.first else { throw PythonError.index("tuple index out of range") }
      guard case .str("MT19937") = first.unmarked else {
        throw PythonError.value("set_state can only be used with legacy MT19937 state instances.")
      }
      guard items.count >= 3 else { throw PythonError.index("tuple index out of range") }
      (key, position) = (items[1], items[2])
      if items.count > 3 {
        guard items.count >= 5 else { throw PythonError.index("tuple index out of range") }
        (hasGauss, gauss) = (items[3], items[4])
      }
    default:
      throw PythonError.type("state must be a dict or a tuple.")
    }
    let words = try ArrayValues.array(key).integerValues()
    guard words.count >= MT19937.stateCount else {
      throw PythonError.index(
        "index \(words.count) is out of bounds for axis 0 with size \(words.count)")
    }
    guard words.prefix(MT19937.stateCount).allSatisfy({ (0...Int64(UInt32.max)).contains($0) })
    else {
      throw PythonError.overflow("Python integer out of bounds for uint32")
    }
    guard let pos = Operators.integer(position), let flag = Operators.integer(hasGauss),
      let cached = Operators.number(gauss)
    else {
      throw PythonError.type("an integer is required")
    }
    guard
      let state = RandomState(
        key: words.prefix(MT19937.stateCount).map { UInt32($0) }, position: Int(pos),
        hasGauss: flag != 0, gauss: cached)
    else {
      throw PythonError(refusal: "retrace does not model an MT19937 position of \(pos)")
    }
    return state
  }

  static func legacyMethods(_ legacy: LegacyState, name generatorName: String = "np.random")
    -> [String: Value]
  {
    var attributes: [String: Value] = [:]
    func method(_ name: String, _ body: @escaping (CallArguments) throws(PythonError) -> Value) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { interpreter, positional, keywords throws(PythonError) in
          let call = CallArguments(name, positional, keywords)
          let result = try body(call)
          if name == "seed" || name == "set_state" { return result }
          report(interpreter, result, positional, generatorName, name)
          if let observer = interpreter.observer, name != "get_state" {
            observer.interpreter(
              interpreter,
              drewCall: DrawCall(
                generator: generatorName, method: name, result: result,
                seed: legacy.seedValue, index: legacy.drawsSinceSeeding,
                reseed: { seed throws(PythonError) in
                  legacy.state = try seededState(.int(Int64(seed)))
                  legacy.seeded = true
                  legacy.seedValue = seed
                },
                draw: { () throws(PythonError) in try body(call) },
                restart: { words in
                  legacy.state.restartBlock(withTwisted: words)
                  legacy.seeded = true
                },
                position: { legacy.state.bitGenerator.statePosition }))
          }
          if name != "get_state" { legacy.drawsSinceSeeding += 1 }
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
      legacy.seedValue = call.value(0, "seed").flatMap(seedInt)
      legacy.drawsSinceSeeding = 0
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
      let low = try bound(try call.required(0, "low"), "np.random.randint")
      let high = try call.value(1, "high").map { v throws(PythonError) in
        try bound(v, "np.random.randint")
      }
      let shape = try call.shape(2, "size")
      let (dtype, python) = try integerDType(call, 3, fallback: .int64, python: true)
      let values = try draw { () throws(RandomError) in
        try legacy.state.randint(low, high, dtype: dtype, shape: shape ?? [])
      }
      return boundedIntegers(values, dtype: dtype, size: shape, python: python)
    }
    method("random_integers") { call throws(PythonError) in
      let low = try bound(try call.required(0, "low"), "np.random.random_integers")
      let high = try call.value(1, "high").map { v throws(PythonError) in
        try bound(v, "np.random.random_integers")
      }
      let shape = try call.shape(2, "size")
      let values = try draw { () throws(RandomError) in
        try legacy.state.randomIntegers(low, high, shape: shape ?? [])
      }
      return boundedIntegers(values, dtype: .int64, size: shape, python: nil)
    }
    method("standard_exponential") { call throws(PythonError) in
      let size = try call.shape(0, "size")
      let draws = try draw { () throws(RandomError) in
        try legacy.state.standardExponential(size: size)
      }
      return floats(draws, size)
    }
    method("exponential") { call throws(PythonError) in
      let scale = try parameter(call, 0, "scale", default: 1)
      let size = try call.shape(1, "size")
      let draws = try draw { () throws(RandomError) in
        try legacy.state.exponential(scale: scale, size: size)
      }
      return floats(draws, size)
    }
    method("standard_gamma") { call throws(PythonError) in
      let shape = try parameter(call, 0, "shape")
      let size = try call.shape(1, "size")
      let draws = try draw { () throws(RandomError) in
        try legacy.state.standardGamma(shape: shape, size: size)
      }
      return floats(draws, size)
    }
    method("gamma") { call throws(PythonError) in
      let shape = try parameter(call, 0, "shape")
      let scale = try parameter(call, 1, "scale", default: 1)
      let size = try call.shape(2, "size")
      let draws = try draw { () throws(RandomError) in
        try legacy.state.gamma(shape: shape, scale: scale, size: size)
      }
      return floats(draws, size)
    }
    method("beta") { call throws(PythonError) in
      let a = try parameter(call, 0, "a")
      let b = try parameter(call, 1, "b")
      let size = try call.shape(2, "size")
      let draws = try draw { () throws(RandomError) in
        try legacy.state.beta(a: a, b: b, size: size)
      }
      return floats(draws, size)
    }
    method("poisson") { call throws(PythonError) in
      let lam = try parameter(call, 0, "lam", default: 1)
      let size = try call.shape(1, "size")
      let draws = try draw { () throws(RandomError) in
        try legacy.state.poisson(lam: lam, size: size)
      }
      return counts(draws, size)
    }
    method("binomial") { call throws(PythonError) in
      let n = try countParameter(call, 0, "n")
      let p = try parameter(call, 1, "p")
      let size = try call.shape(2, "size")
      let draws = try draw { () throws(RandomError) in
        try legacy.state.binomial(n: n, p: p, size: size)
      }
      return counts(draws, size)
    }
    method("get_state") { call throws(PythonError) in
      let current = legacy.state.legacyState
      if !legacy.seeded {
        legacy.unverifiableStates.insert(fingerprint(current.key, current.position))
      }
      return try stateValue(legacy.state, legacy: try call.bool(0, "legacy", default: true))
    }
    method("set_state") { call throws(PythonError) in
      let restored = try restoredState(try call.required(0, "state"))
      let current = restored.legacyState
      legacy.state = restored
      legacy.seedValue = nil
      legacy.seeded = !legacy.unverifiableStates.contains(
        fingerprint(current.key, current.position))
      return .none
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
      let texts = try ArrayValues.strings(a)
      let population: StridedArray
      if let texts { population = texts.0 } else { population = try ArrayValues.array(a) }
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
      if let table = texts?.1 { return ArrayValues.wrapStrings(ArrayValues.wrap(picked), table) }
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

  /// `dtype=` of the Generator methods that also draw float32, which retrace refuses.
  static func float64Only(_ call: CallArguments, _ index: Int, _ name: String)
    throws(PythonError)
  {
    guard let dtype = call.value(index, "dtype") else { return }
    let wanted = try ArrayValues.dtype(dtype.unmarked)
    if wanted == .float64 { return }
    if wanted == .float32 {
      throw PythonError(refusal: "retrace does not model Generator.\(name) draws of float32")
    }
    throw PythonError.type("Unsupported dtype \(Printer.repr(dtype)) for \(name)")
  }

  /// Whether NumPy's order-K copy of `array` is Fortran- and not C-contiguous (the axes of
  /// more than one element have strides growing with the axis), so that `permuted` with no
  /// axis shuffles it in Fortran order, as its `ravel(order='A')` reads it.
  static func keepsFortranOrder(_ array: StridedArray) -> Bool {
    let strides = (0..<array.ndim).filter { array.shape[$0] > 1 }.map { abs(array.strides[$0]) }
    guard strides.count > 1 else { return false }
    return zip(strides, strides.dropFirst()).allSatisfy { $0 < $1 }
  }

  static func generatorMethods(_ state: GeneratorState) -> [String: Value] {
    var attributes: [String: Value] = [:]
    func method(_ name: String, _ body: @escaping (CallArguments) throws(PythonError) -> Value) {
      attributes[name] = .builtin(
        BuiltinFunction(name: name) { interpreter, positional, keywords throws(PythonError) in
          let call = CallArguments(name, positional, keywords)
          let result = try body(call)
          report(interpreter, result, positional, "Generator", name)
          if let observer = interpreter.observer {
            observer.interpreter(
              interpreter,
              drewCall: DrawCall(
                generator: "Generator", method: name, result: result, seed: state.seedValue,
                index: state.drawsSinceSeeding,
                reseed: { seed throws(PythonError) in
                  let (sequence, _) = try seedSequence(.int(Int64(seed)))
                  state.generator = Generator(bitGenerator: PCG64(seedSequence: sequence))
                  state.seedValue = seed
                },
                draw: { () throws(PythonError) in try body(call) }))
          }
          state.drawsSinceSeeding += 1
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
      try float64Only(call, 1, "random")
      let values = try draw { () throws(RandomError) in try state.generator.random(shape ?? []) }
      return floats(values, shape)
    }
    method("standard_normal") { call throws(PythonError) in
      let shape = try call.shape(0, "size")
      try float64Only(call, 1, "standard_normal")
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
      let low = try bound(try call.required(0, "low"), "Generator.integers")
      let high = try call.value(1, "high").map { v throws(PythonError) in
        try bound(v, "Generator.integers")
      }
      let shape = try call.shape(2, "size")
      let (dtype, python) = try integerDType(call, 3, fallback: .int64, python: false)
      let endpoint = try call.bool(4, "endpoint", default: false)
      let values = try draw { () throws(RandomError) in
        try state.generator.integers(
          low, high, dtype: dtype, shape: shape ?? [], endpoint: endpoint)
      }
      return boundedIntegers(values, dtype: dtype, size: shape, python: python)
    }
    method("standard_exponential") { call throws(PythonError) in
      let size = try call.shape(0, "size")
      try float64Only(call, 1, "standard_exponential")
      let method = call.string(2, "method") ?? "zig"
      let draws = try draw { () throws(RandomError) in
        try state.generator.standardExponential(size: size, inversion: method != "zig")
      }
      return floats(draws, size)
    }
    method("exponential") { call throws(PythonError) in
      let scale = try parameter(call, 0, "scale", default: 1)
      let size = try call.shape(1, "size")
      let draws = try draw { () throws(RandomError) in
        try state.generator.exponential(scale: scale, size: size)
      }
      return floats(draws, size)
    }
    method("standard_gamma") { call throws(PythonError) in
      let shape = try parameter(call, 0, "shape")
      let size = try call.shape(1, "size")
      try float64Only(call, 2, "standard_gamma")
      let draws = try draw { () throws(RandomError) in
        try state.generator.standardGamma(shape: shape, size: size)
      }
      return floats(draws, size)
    }
    method("gamma") { call throws(PythonError) in
      let shape = try parameter(call, 0, "shape")
      let scale = try parameter(call, 1, "scale", default: 1)
      let size = try call.shape(2, "size")
      let draws = try draw { () throws(RandomError) in
        try state.generator.gamma(shape: shape, scale: scale, size: size)
      }
      return floats(draws, size)
    }
    method("beta") { call throws(PythonError) in
      let a = try parameter(call, 0, "a")
      let b = try parameter(call, 1, "b")
      let size = try call.shape(2, "size")
      let draws = try draw { () throws(RandomError) in
        try state.generator.beta(a: a, b: b, size: size)
      }
      return floats(draws, size)
    }
    method("poisson") { call throws(PythonError) in
      let lam = try parameter(call, 0, "lam", default: 1)
      let size = try call.shape(1, "size")
      let draws = try draw { () throws(RandomError) in
        try state.generator.poisson(lam: lam, size: size)
      }
      return counts(draws, size)
    }
    method("binomial") { call throws(PythonError) in
      let n = try countParameter(call, 0, "n")
      let p = try parameter(call, 1, "p")
      let size = try call.shape(2, "size")
      let draws = try draw { () throws(RandomError) in
        try state.generator.binomial(n: n, p: p, size: size)
      }
      return counts(draws, size)
    }
    method("permuted") { call throws(PythonError) in
      let x = try call.required(0, "x")
      if call.value(nil, "out") != nil {
        throw PythonError(refusal: "retrace does not model Generator.permuted(out=...) yet")
      }
      let axis = try call.int(nil, "axis")
      let array = try ArrayValues.array(x)
      if array.ndim == 0 && axis == nil { throw PythonError.type("len() of unsized object") }
      let fortran = axis == nil && keepsFortranOrder(array)
      if array.dtype.isInteger {
        let values = try draw { () throws(RandomError) in
          try state.generator.permuted(
            array.integerValues(), shape: array.shape, axis: axis, fortranOrder: fortran)
        }
        return ArrayValues.wrapArray(
          StridedArray(shape: array.shape, integers: values, dtype: array.dtype))
      }
      let values = try draw { () throws(RandomError) in
        try state.generator.permuted(
          array.realValues(), shape: array.shape, axis: axis, fortranOrder: fortran)
      }
      return ArrayValues.wrapArray(
        StridedArray(shape: array.shape, reals: values, dtype: array.dtype))
    }
    method("choice") { call throws(PythonError) in
      let a = try call.required(0, "a")
      let shape = try call.shape(1, "size")
      let replace = try call.bool(2, "replace", default: true)
      let texts = Operators.integer(a) == nil ? try ArrayValues.strings(a) : nil
      var population: StridedArray? = texts?.0
      if population == nil, Operators.integer(a) == nil { population = try ArrayValues.array(a) }
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
      if let table = texts?.1 { return ArrayValues.wrapStrings(ArrayValues.wrap(picked), table) }
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
