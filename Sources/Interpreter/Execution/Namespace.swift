/// A variable name as a namespace's key. Swift's `String` hashes with SipHash, seeded per
/// process, which costs more than the rest of a variable lookup; names are short identifiers
/// chosen by people, not by an adversary, so FNV-1a over their UTF-8 bytes (with a final mix
/// for the table's low bits) is the hash here.
struct NameKey: Hashable {
  let text: String

  static func == (a: NameKey, b: NameKey) -> Bool { a.text == b.text }

  func hash(into hasher: inout Hasher) { hasher.combine(fnv) }

  func _rawHashValue(seed: Int) -> Int {
    var h = fnv ^ UInt64(UInt(bitPattern: seed))
    h = (h ^ (h >> 29)) &* 0xbf58_476d_1ce4_e5b9
    return Int(Int64(bitPattern: h ^ (h >> 32)))
  }

  private var fnv: UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    var copy = text
    copy.withUTF8 { bytes in
      for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }
    return h
  }
}

/// The variables of a module or class body by name, each in a numbered cell.
///
/// A name's cell number never changes and is never reused (deleting a variable empties its
/// cell), so compiled code finds a global by its number, with no hashing (see `Compiler`).
/// Order is unspecified, as in the dictionary this replaced.
struct Namespace {
  private var index: [NameKey: Int] = [:]
  /// The cells' values (nil: unbound), by cell number.
  private(set) var cells: [Value?] = []

  init() {}

  subscript(name: String) -> Value? {
    get {
      guard let cell = index[NameKey(text: name)] else { return nil }
      return cells[cell]
    }
    set {
      if let cell = index[NameKey(text: name)] {
        cells[cell] = newValue
      } else if let newValue {
        index[NameKey(text: name)] = cells.count
        cells.append(newValue)
      }
    }
  }

  /// The number of `name`'s cell, made (empty) if it has none.
  mutating func cell(_ name: String) -> Int {
    if let cell = index[NameKey(text: name)] { return cell }
    index[NameKey(text: name)] = cells.count
    cells.append(nil)
    return cells.count - 1
  }

  /// The value in cell `number` (nil: unbound).
  func value(inCell number: Int) -> Value? { cells[number] }

  /// Binds the variable of cell `number`.
  mutating func set(cell number: Int, _ value: Value) { cells[number] = value }

  @discardableResult
  mutating func removeValue(forKey name: String) -> Value? {
    guard let cell = index[NameKey(text: name)], let old = cells[cell] else { return nil }
    cells[cell] = nil
    return old
  }

  /// Back to what an earlier copy of this namespace held. Cells made since stay (compiled
  /// code holds their numbers), empty.
  mutating func restore(_ earlier: Namespace) {
    guard earlier.cells.count <= cells.count else {
      self = earlier  // not an earlier copy of this namespace: take it whole
      return
    }
    for cell in cells.indices {
      cells[cell] = cell < earlier.cells.count ? earlier.cells[cell] : nil
    }
  }

  /// The bound values.
  var values: [Value] { cells.compactMap { $0 } }

  /// The names and values as a plain dictionary.
  var dictionary: [String: Value] {
    var result: [String: Value] = [:]
    result.reserveCapacity(index.count)
    for (key, cell) in index { if let value = cells[cell] { result[key.text] = value } }
    return result
  }
}
