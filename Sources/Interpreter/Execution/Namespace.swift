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

/// The variables of a scope by name (unordered, as the dictionary it replaces), over the fast
/// `NameKey` hash.
struct Namespace {
  private(set) var storage: [NameKey: Value] = [:]

  init() {}

  subscript(name: String) -> Value? {
    get { storage[NameKey(text: name)] }
    set { storage[NameKey(text: name)] = newValue }
  }

  @discardableResult
  mutating func removeValue(forKey name: String) -> Value? {
    storage.removeValue(forKey: NameKey(text: name))
  }

  var values: Dictionary<NameKey, Value>.Values { storage.values }

  /// The names and values as a plain dictionary.
  var dictionary: [String: Value] {
    var result: [String: Value] = [:]
    result.reserveCapacity(storage.count)
    for (key, value) in storage { result[key.text] = value }
    return result
  }
}
