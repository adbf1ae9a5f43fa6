import NumPyKit

/// `x[i]`, `x[a:b:c]` on lists, tuples, strings, ranges and dicts, with CPython's messages.
enum Subscripts {
  static func index(_ value: Value, count: Int, what: String) throws(PythonError) -> Int {
    guard let raw = Operators.integer(value) else {
      throw PythonError.type("\(what) indices must be integers or slices, not \(value.typeName)")
    }
    let position = raw < 0 ? Int(raw) + count : Int(raw)
    guard position >= 0 && position < count else {
      throw PythonError.index("\(what) index out of range")
    }
    return position
  }

  /// The positions a slice selects (CPython's `PySlice_AdjustIndices`).
  static func positions(_ lower: Value, _ upper: Value, _ stride: Value, count: Int)
    throws(PythonError) -> [Int]
  {
    let (start, stop, step) = try adjusted(lower, upper, stride, count: count)
    var result: [Int] = []
    var position = start
    while step > 0 ? position < stop : position > stop {
      result.append(position)
      position += step
    }
    return result
  }

  /// A slice's start, stop and step over `count` items (CPython's `slice.indices`).
  static func adjusted(_ lower: Value, _ upper: Value, _ stride: Value, count: Int)
    throws(PythonError) -> (Int, Int, Int)
  {
    func bound(_ value: Value) throws(PythonError) -> Int? {
      if case .none = value { return nil }
      guard let number = Operators.integer(value) else {
        throw PythonError.type("slice indices must be integers or None or have an __index__ method")
      }
      return Int(clamping: number)
    }
    let (start, stop, step) = (try bound(lower), try bound(upper), try bound(stride))
    do throws(ArrayError) {
      return try StridedArray.adjustedSlice(start, stop, step, extent: count)
    } catch {
      throw PythonError.value(error.message)
    }
  }

  static func load(_ container: Value, _ key: Value) throws(PythonError) -> Value {
    if container.unverifiableReason != nil || key.unverifiableReason != nil {
      return Value.marking(try load(container.unmarked, key.unmarked), from: [container, key])
    }
    switch container {
    case .array(let object) where object.strings != nil:
      return ArrayValues.wrapStrings(try NumPyOperators.load(object.array, key), object.strings!)
    case .array(let object):
      return try NumPyOperators.load(object.array, key)
    case .iterator(let iterator) where iterator.shape != nil:
      // `it[0]`: the current element of np.nditer's one operand.
      guard Operators.integer(key) == 0, iterator.current < iterator.items.count else {
        throw PythonError.index("index out of bounds")
      }
      return iterator.items[iterator.current]
    case .native(let object) where object.typeName == "RClass" || object.typeName == "CClass":
      return try NumPyModule.concatenated(key, columns: object.typeName == "CClass")
    case .native(let object) where object.typeName == "flagsobj":
      guard case .str(let name) = key, let flag = object.attributes[name.lowercased()] else {
        throw PythonError.raise("KeyError", "Unknown flag")
      }
      return flag
    case .native(let object) where object.sink != nil:
      return .unverifiable(Sinks.plotting((object.sink ?? "") + "[]"), reason: Sinks.plotReason)
    case .list(let list):
      if case .slice(let a, let b, let c) = key {
        return .list(
          ListObject(try positions(a, b, c, count: list.items.count).map { list.items[$0] }))
      }
      return list.items[try index(key, count: list.items.count, what: "list")]
    case .tuple(let items):
      if case .slice(let a, let b, let c) = key {
        return .tuple(try positions(a, b, c, count: items.count).map { items[$0] })
      }
      return items[try index(key, count: items.count, what: "tuple")]
    case .str(let text):
      let characters = Array(text)
      if case .slice(let a, let b, let c) = key {
        return .str(String(try positions(a, b, c, count: characters.count).map { characters[$0] }))
      }
      return .str(String(characters[try index(key, count: characters.count, what: "string")]))
    case .range(let start, let stop, let step):
      let count = Int(Ranges.count(start, stop, step))
      if case .slice(let a, let b, let c) = key {
        let (first, last, stride) = try adjusted(a, b, c, count: count)
        return .range(
          start: start + Int64(first) * step, stop: start + Int64(last) * step,
          step: step * Int64(stride))
      }
      return .int(start + Int64(try index(key, count: count, what: "range object")) * step)
    case .dict(let dict):
      guard let value = dict.get(try HashKey(key)) else {
        throw PythonError(exception: ExceptionObject(type: "KeyError", arguments: [key]))
      }
      return value
    default:
      throw PythonError.type("'\(container.typeName)' object is not subscriptable")
    }
  }

  static func store(_ container: Value, _ key: Value, _ value: Value) throws(PythonError) {
    let container = container.unmarked
    let key = key.unmarked
    switch container {
    case .array(let object) where object.strings != nil:
      throw PythonError(refusal: ArrayValues.strArrayRefusal)
    case .array(let object):
      try NumPyOperators.store(object.array, key, value)
    case .list(let list):
      if case .slice(let a, let b, let c) = key {
        let selected = try positions(a, b, c, count: list.items.count)
        guard let replacement = try? items(of: value) else {
          throw PythonError.type("can only assign an iterable")
        }
        if case .none = c,
          let first = selected.first ?? (try? positions(a, b, .none, count: list.items.count).first)
        {
          list.items.replaceSubrange(first..<(first + selected.count), with: replacement)
        } else if selected.isEmpty, case .none = c {
          let start =
            try positions(a, .none, .none, count: list.items.count).first ?? list.items.count
          list.items.insert(contentsOf: replacement, at: start)
        } else {
          guard replacement.count == selected.count else {
            throw PythonError.value(
              "attempt to assign sequence of size \(replacement.count) to extended slice of size \(selected.count)"
            )
          }
          for (position, item) in zip(selected, replacement) { list.items[position] = item }
        }
        return
      }
      list.items[try index(key, count: list.items.count, what: "list assignment")] = value
    case .dict(let dict):
      dict.set(key, try HashKey(key), value)
    default:
      throw PythonError.type("'\(container.typeName)' object does not support item assignment")
    }
  }

  static func delete(_ container: Value, _ key: Value) throws(PythonError) {
    switch container {
    case .list(let list):
      if case .slice(let a, let b, let c) = key {
        let selected = Set(try positions(a, b, c, count: list.items.count))
        list.items = list.items.enumerated().filter { !selected.contains($0.offset) }.map(\.element)
        return
      }
      list.items.remove(at: try index(key, count: list.items.count, what: "list assignment"))
    case .dict(let dict):
      guard dict.remove(try HashKey(key)) != nil else {
        throw PythonError(exception: ExceptionObject(type: "KeyError", arguments: [key]))
      }
    default:
      throw PythonError.type("'\(container.typeName)' object doesn't support item deletion")
    }
  }

  static func items(of value: Value) throws(PythonError) -> [Value] {
    switch value {
    case .list(let list): return list.items
    case .tuple(let items): return items
    case .str(let text): return text.map { .str(String($0)) }
    default: throw PythonError.type("not iterable")
    }
  }
}
