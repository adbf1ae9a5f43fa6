/// NumPy's `FloatingFormat` (numpy/_core/arrayprint.py): chooses positional or scientific
/// notation and the column widths from the (summarised) data, then formats each element
/// byte for byte as NumPy does.
struct FloatingFormat: Sendable {
  private let legacy: Int
  private let floatMode: PrintOptions.FloatMode
  private let suppress: Bool
  private let nanString: [UInt8]
  private let infString: [UInt8]
  private var sign: PrintOptions.Sign
  private var precision: Int
  private(set) var expFormat = false
  private var padLeft = 0
  private var padRight = 0
  private var trim: Dragon4.Trim = .dot
  private var expSize = -1
  private var unique = true
  private var minDigits = -1
  /// float32 data: its digits are float32's, and the choice of notation compares in float32.
  private let single: Bool

  /// FloatingFormat(data, precision, floatmode, suppress, sign, legacy=legacy).
  init(data: [Double], isScalar: Bool, options: PrintOptions, single: Bool = false) {
    self.single = single
    legacy = options.legacyLevel
    floatMode = options.floatMode
    suppress = options.suppress
    // NumPy's own words from constant tables (no allocation per array printed).
    nanString = options.nanString == "nan" ? FloatingFormat.nan : Array(options.nanString.utf8)
    infString = options.infString == "inf" ? FloatingFormat.inf : Array(options.infString.utf8)
    sign = options.effectiveSign
    if legacy <= 113 && !isScalar && sign == .minus { sign = .space }
    precision = floatMode == .unique ? -1 : options.precision
    var dragon = Dragon4()
    dragon.single = single
    // NumPy's default float mode under the default sign and layout, with up to 14 digits:
    // the digits are made once, measured as numbers, and printed from the record.
    let fast =
      !single && legacy > 113 && floatMode == .maxprec && sign == .minus && precision >= 0
      && precision <= 14
    recorded = fast ? RecordedDigits(capacity: data.count) : nil
    fillFormat(data, dragon: &dragon)
  }

  private static let nan: [UInt8] = [0x6E, 0x61, 0x6E]
  private static let inf: [UInt8] = [0x69, 0x6E, 0x66]

  /// The fast path's digits of every finite value of the data, in order (nil off it).
  private let recorded: RecordedDigits?

  /// Whether every element it prints is ASCII (nan and inf strings included).
  var isASCII: Bool { nanString.allSatisfy { $0 < 0x80 } && infString.allSatisfy { $0 < 0x80 } }

  /// About how many bytes one element takes (a capacity hint).
  var widthHint: Int { padLeft + padRight + (expFormat ? 2 + max(expSize, 2) : 1) }

  /// The number of characters (Unicode scalars) in UTF-8 bytes.
  static func length<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
    var count = 0
    for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
    return count
  }

  private mutating func fillFormat(_ data: [Double], dragon: inout Dragon4) {
    // One branch-free pass on the bit patterns (a non-negative double's bits order as its
    // value): how many are finite, whether one has its sign bit, the extremes of the nonzero
    // finite magnitudes, and whether -inf occurs.
    var finiteCount = 0
    var signBits: UInt64 = 0
    var maxBits: UInt64 = 0
    var minBits = UInt64.max
    var negativeInfinities = 0
    let infinityBits = Double.infinity.bitPattern
    data.withUnsafeBufferPointer { values in
      for x in values {
        let bits = x.bitPattern
        let magnitude = bits & ~(1 << 63)
        let finite = magnitude < infinityBits
        finiteCount &+= finite ? 1 : 0
        signBits |= finite ? bits : 0
        maxBits = max(maxBits, finite ? magnitude : 0)
        minBits = min(minBits, finite && magnitude != 0 ? magnitude : UInt64.max)
        negativeInfinities &+= bits == (-Double.infinity).bitPattern ? 1 : 0
      }
    }
    let anySignBit = signBits >> 63 != 0
    let anyNonZero = minBits != UInt64.max
    let anyNegativeInf = negativeInfinities > 0
    let maxValue = Double(bitPattern: maxBits)
    let minValue = anyNonZero ? Double(bitPattern: minBits) : Double.infinity
    if anyNonZero {
      if single {
        // NumPy compares the float32 extremes with the (weak) Python floats as float32.
        let (top, bottom) = (Float(maxValue), Float(minValue))
        if top >= 1e8 || (!suppress && (bottom < Float(0.0001) || top / bottom > 1000)) {
          expFormat = true
        }
      } else if maxValue >= 1e8
        || (!suppress && (minValue < 0.0001 || maxValue / minValue > 1000))
      {
        expFormat = true
      }
    }
    var scratch: [UInt8] = []
    let plus = sign == .plus
    if finiteCount > 0, let recorded, recordDigits(data, into: recorded, dragon: &dragon) {
      // Measured from the recorded digits.
    } else if finiteCount == 0 {
      padLeft = 0
      padRight = 0
      trim = .dot
      expSize = -1
      unique = true
      minDigits = -1
    } else if expFormat {
      var firstTrim = Dragon4.Trim.dot
      var firstUnique = true
      if floatMode == .fixed || legacy <= 113 {
        firstTrim = .keep
        firstUnique = false
      }
      var maxInt = 0
      var maxFrac = 0
      var maxExp = 0
      for x in data where x.isFinite {
        scratch.removeAll(keepingCapacity: true)
        dragon.appendScientific(
          x, precision: precision, unique: firstUnique, trim: firstTrim, sign: plus,
          padLeft: -1, expDigits: -1, minDigits: -1, to: &scratch)
        let e = scratch.firstIndex(of: UInt8(ascii: "e")) ?? scratch.count
        let dot = scratch[..<e].firstIndex(of: UInt8(ascii: ".")) ?? e
        maxInt = max(maxInt, dot)
        maxFrac = max(maxFrac, dot < e ? e - dot - 1 : 0)
        maxExp = max(maxExp, scratch.count - e - 1)
      }
      expSize = maxExp - 1
      trim = .keep
      precision = maxFrac
      minDigits = maxFrac
      unique = firstUnique
      padLeft = legacy <= 113 ? 3 : maxInt
      padRight = expSize + 2 + precision
    } else {
      var firstTrim = Dragon4.Trim.dot
      var firstUnique = true
      if floatMode == .fixed {
        firstTrim = .keep
        firstUnique = false
      }
      var maxInt = 0
      var maxFrac = 0
      for x in data where x.isFinite {
        scratch.removeAll(keepingCapacity: true)
        dragon.appendPositional(
          x, precision: precision, unique: firstUnique, fractional: true, trim: firstTrim,
          sign: plus, padLeft: -1, padRight: -1, minDigits: -1, to: &scratch)
        let dot = scratch.firstIndex(of: UInt8(ascii: ".")) ?? scratch.count
        var intLength = dot
        if legacy <= 113, let first = scratch.first,
          first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
        {
          intLength -= 1
        }
        maxInt = max(maxInt, intLength)
        maxFrac = max(maxFrac, dot < scratch.count ? scratch.count - dot - 1 : 0)
      }
      padLeft = legacy <= 113 ? 1 + maxInt : maxInt
      padRight = maxFrac
      expSize = -1
      unique = firstUnique
      if floatMode == .fixed || floatMode == .maxprecEqual {
        precision = padRight
        minDigits = padRight
        trim = .keep
      } else {
        trim = .dot
        minDigits = 0
      }
    }
    if legacy > 113 && sign == .space && !anySignBit {
      padLeft += 1
    }
    if finiteCount != data.count {
      let negativeInf = sign != .minus || anyNegativeInf
      let offset = padRight + 1
      padLeft = max(
        padLeft, FloatingFormat.length(nanString) - offset,
        FloatingFormat.length(infString) + (negativeInf ? 1 : 0) - offset)
    }
  }

  /// `fillFormat`'s measurements on the fast path: the digits of every finite value (unique,
  /// cut at `precision`), recorded, and the widths NumPy measures on the formatted strings
  /// computed from them (sign, whole digits, fraction digits, exponent digits).
  /// False, with nothing recorded or changed, when a value's digits do not fit the record.
  private mutating func recordDigits(
    _ data: [Double], into recorded: RecordedDigits, dragon: inout Dragon4
  ) -> Bool {
    let exponential = expFormat
    let cutoff = exponential ? precision + 1 : precision
    // Every value's entry in place (a non-finite one as a placeholder), a large array in two
    // halves on two threads, each with its own converter and widths.
    let storage = recorded.reserve(data.count)
    let parts = data.withUnsafeBufferPointer { values in
      guard values.count >= 1 << 16 else {
        return [
          FloatingFormat.measure(
            values, 0..<values.count, into: storage, exponential: exponential, cutoff: cutoff)
        ]
      }
      // Each half writes only its own range of the storage.
      let middle = values.count / 2
      return Halves.map { half in
        FloatingFormat.measure(
          values, half == 0 ? 0..<middle : middle..<values.count, into: storage,
          exponential: exponential, cutoff: cutoff)
      }
    }
    if parts.contains(where: \.failed) {
      recorded.invalidate()
      return false
    }
    let maxInt = parts.map(\.int).max() ?? 0
    let maxFrac = parts.map(\.fraction).max() ?? 0
    let maxExpDigits = parts.map(\.exponent).max() ?? 0
    recorded.startReplay()
    unique = true
    if expFormat {
      // FloatingFormat's exponential branch: trim 'k', precision and min digits maxFrac.
      expSize = maxExpDigits
      trim = .keep
      precision = maxFrac
      minDigits = maxFrac
      padLeft = maxInt
      padRight = expSize + 2 + precision
    } else {
      padLeft = maxInt
      padRight = maxFrac
      expSize = -1
      trim = .dot
      minDigits = 0
    }
    return true
  }

  /// The width of every element printed from the record (`padLeft + 1 + padRight`: the
  /// widths are the maxima of the values' own, so each element is padded to it exactly).
  var recordedWidth: Int { padLeft + 1 + padRight }

  /// `recordDigits` over `range` of the values: each value's entry written in place (a
  /// non-finite one as a placeholder) and the widths NumPy would measure on them; `failed`
  /// when a value's digits do not fit the record.
  private static func measure(
    _ values: UnsafeBufferPointer<Double>, _ range: Range<Int>,
    into storage: UnsafeMutablePointer<RecordedDigits.Digits>, exponential: Bool, cutoff: Int
  ) -> Widths {
    var converter = Dragon4()
    var widths = Widths()
    for k in range {
      let x = values[k]
      guard x.isFinite else {
        storage[k] = RecordedDigits.Digits(nonFinite: x.bitPattern)
        continue
      }
      // A subnormal's minimum digits past its shortest ones are not zeros.
      guard !(exponential && x.isSubnormal),
        let (value, count, exponent) = converter.uniqueDigits(
          x, totalLength: exponential, cutoff: cutoff),
        value <= RecordedDigits.Digits.largestValue
      else {
        widths.failed = true
        break
      }
      storage[k] = RecordedDigits.Digits(value: value, exponent: exponent, bits: x.bitPattern)
      let signWidth = x.sign == .minus ? 1 : 0
      if exponential {
        widths.int = max(widths.int, signWidth + 1)
        widths.fraction = max(widths.fraction, count - 1)
        widths.exponent = max(widths.exponent, abs(exponent) >= 100 ? 3 : 2)
      } else {
        let whole = exponent >= 0 ? exponent + 1 : 1
        widths.int = max(widths.int, signWidth + whole)
        widths.fraction = max(
          widths.fraction, exponent >= 0 ? max(0, count - whole) : count - exponent - 1)
      }
    }
    return widths
  }

  /// Appends a recorded value as `append` formats it (`writeRecorded`).
  private func appendRecorded(
    _ negative: Bool, _ digits: RecordedDigits.Digits, to out: inout [UInt8]
  ) {
    out.appendBytes(atMost: recordedWidth) { sink in
      sink.count = writeRecorded(negative, digits, to: sink.base)
    }
  }

  /// Writes a recorded value as `append` formats it, `recordedWidth` bytes at `base`, and
  /// returns that count: scientific with `precision` fraction digits (zeros after the
  /// recorded ones: exact for a normal value under 15 significant digits) and at least
  /// `expSize` exponent digits, or positional with its bare '.' and space padding. Digits are
  /// written in place (never past the element's end) and moved where a point goes between.
  @inline(__always)
  func writeRecorded(
    _ negative: Bool, _ digits: RecordedDigits.Digits, to base: UnsafeMutablePointer<UInt8>
  ) -> Int {
    let count = digits.count
    let exponent = digits.exponent
    let signWidth = negative ? 1 : 0
    let space = UInt8(ascii: " ")
    let zero = UInt8(ascii: "0")
    let point = UInt8(ascii: ".")
    var n = 0
    // The left padding before the sign and `whole` digits, then the sign.
    func padAndSign(whole: Int) {
      let pad = padLeft - whole - signWidth
      if pad > 0 {
        base.initialize(repeating: space, count: pad)
        n += pad
      }
      if negative {
        base[n] = UInt8(ascii: "-")
        n += 1
      }
    }
    if expFormat {
      padAndSign(whole: 1)
      // d0 d1 ... at n+1..., then d0 moved before the point.
      writeDigits(digits.value, count: count, to: base + n + 1)
      base[n] = base[n + 1]
      base[n + 1] = point
      n += count + 1
      let zeros = precision - (count - 1)
      if zeros > 0 {
        (base + n).initialize(repeating: zero, count: zeros)
        n += zeros
      }
      base[n] = UInt8(ascii: "e")
      base[n + 1] = exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
      n += 2
      let magnitude = abs(exponent)
      let used = magnitude >= 100 ? 3 : 2
      let width = max(min(expSize, 5), used)
      if width > used {
        (base + n).initialize(repeating: zero, count: width - used)
        n += width - used
      }
      writeDigits(UInt64(magnitude), count: used, to: base + n)
      n += used
      return n
    }
    let whole = exponent >= 0 ? exponent + 1 : 1
    padAndSign(whole: whole)
    var fraction = 0
    if exponent >= 0 {
      if count <= whole {
        writeDigits(digits.value, count: count, to: base + n)
        n += count
        if whole > count {
          (base + n).initialize(repeating: zero, count: whole - count)
          n += whole - count
        }
        base[n] = point
        n += 1
      } else {
        // d0 ... at n+1..., the whole digits moved one left, the point after them.
        writeDigits(digits.value, count: count, to: base + n + 1)
        for i in 0..<whole { base[n + i] = base[n + i + 1] }
        base[n + whole] = point
        n += count + 1
        fraction = count - whole
      }
    } else {
      base[n] = zero
      base[n + 1] = point
      n += 2
      let zeros = -exponent - 1
      if zeros > 0 {
        (base + n).initialize(repeating: zero, count: zeros)
        n += zeros
      }
      writeDigits(digits.value, count: count, to: base + n)
      n += count
      fraction = count + zeros
    }
    if padRight > fraction {
      (base + n).initialize(repeating: space, count: padRight - fraction)
      n += padRight - fraction
    }
    return n
  }

  /// The record of a format on the fast path whose printing pass has started (nil off it).
  var replayingRecord: RecordedDigits? {
    guard let recorded, recorded.isReplaying else { return nil }
    return recorded
  }

  /// FloatingFormat.__call__(x): appends the formatted element.
  func append(_ x: Double, dragon: inout Dragon4, to out: inout [UInt8]) {
    if let digits = recorded?.next(x.bitPattern) {
      appendRecorded(x.sign == .minus, digits, to: &out)
      return
    }
    appendGeneral(x, dragon: &dragon, to: &out)
  }

  /// `append` for the element at `index` of data printed whole (not summarised), looked up
  /// by position: rows may then be printed in any order, on any thread.
  func append(_ x: Double, at index: Int, dragon: inout Dragon4, to out: inout [UInt8]) {
    if let digits = recorded?.entry(at: index, x.bitPattern) {
      appendRecorded(x.sign == .minus, digits, to: &out)
      return
    }
    appendGeneral(x, dragon: &dragon, to: &out)
  }

  /// Whether `append(_:at:)` may be used: every value recorded, in the data's order.
  var recordsByPosition: Bool { replayingRecord != nil }

  func appendGeneral(_ x: Double, dragon: inout Dragon4, to out: inout [UInt8]) {
    dragon.single = single
    if !x.isFinite {
      var text: [UInt8] = []
      if x.isNaN {
        if sign == .plus { text.append(UInt8(ascii: "+")) }
        text.append(contentsOf: nanString)
      } else {
        if x < 0 {
          text.append(UInt8(ascii: "-"))
        } else if sign == .plus {
          text.append(UInt8(ascii: "+"))
        }
        text.append(contentsOf: infString)
      }
      let pad = padLeft + padRight + 1 - FloatingFormat.length(text)
      if pad > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: pad)) }
      out.append(contentsOf: text)
      return
    }
    if expFormat {
      dragon.appendScientific(
        x, precision: precision, unique: unique, trim: trim, sign: sign == .plus,
        padLeft: padLeft, expDigits: expSize, minDigits: minDigits, to: &out)
    } else {
      dragon.appendPositional(
        x, precision: precision, unique: unique, fractional: true, trim: trim,
        sign: sign == .plus, padLeft: padLeft, padRight: padRight, minDigits: minDigits,
        to: &out)
    }
  }
}

/// The widths `recordDigits` measures over a run of values.
private struct Widths {
  var int = 0
  var fraction = 0
  var exponent = 0
  var failed = false
}

/// `count` decimal digits of `value` (leading zeros included), most significant first, two at
/// a time from a table.
@inline(__always)
func writeDigits(_ value: UInt64, count: Int, to out: UnsafeMutablePointer<UInt8>) {
  // "00" "01" ... "99".
  let pairs: StaticString =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
  let table = pairs.utf8Start
  var v = value
  var i = count
  while i >= 2 {
    let pair = Int(v % 100) * 2
    v /= 100
    out[i - 1] = table[pair + 1]
    out[i - 2] = table[pair]
    i -= 2
  }
  if i == 1 { out[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10) }
}

/// The digits of one array's finite values as FloatingFormat's fast path records them in its
/// measuring pass (in the data's order) and replays them when printing, which visits the same
/// values in the same order: each value's digits are made once. Matched by bit pattern, so a
/// value met out of order is formatted afresh, never given another's digits. Raw storage: the
/// printing loop reads it without exclusivity checks.
final class RecordedDigits: @unchecked Sendable {
  /// One value's entry in 16 bytes: its digits as an integer (at most 54 bits, without
  /// trailing zeros, so their count is the integer's digit count) and the decimal exponent of
  /// the first (10 bits) in one word, and the value's bit pattern.
  struct Digits {
    /// value | exponent << 54 (two's complement); all ones for a non-finite value.
    private var packed: UInt64
    /// The value's bit pattern (a non-finite value's entry is formatted the general way).
    var bits: UInt64

    /// The largest digits an entry holds (2^54 - 2; 16 digits always fit).
    static let largestValue: UInt64 = 1 << 54 - 2

    init(value: UInt64, exponent: Int, bits: UInt64) {
      assert(value <= Digits.largestValue && (-512..<512).contains(exponent))
      packed = value | UInt64(bitPattern: Int64(exponent)) << 54
      self.bits = bits
    }

    /// The placeholder of a non-finite value.
    init(nonFinite bits: UInt64) {
      packed = .max
      self.bits = bits
    }

    var isFinite: Bool { packed != .max }
    /// The digits as an integer.
    var value: UInt64 { packed & (1 << 54 - 1) }
    /// The decimal exponent of the first digit.
    var exponent: Int { Int(Int64(bitPattern: packed) >> 54) }
    /// How many digits (1 for zero).
    var count: Int { Dragon4.decimalDigitCount(value) }
  }

  private let storage: UnsafeMutablePointer<Digits>
  private let capacity: Int
  // Digits is a trivial type: entries are written with plain stores, never deinitialized.
  private(set) var used = 0
  /// The entry `next` matches next.
  var cursor = 0
  private var replaying = false

  init(capacity: Int) {
    self.capacity = max(capacity, 1)
    storage = .allocate(capacity: self.capacity)
  }

  deinit { storage.deallocate() }

  /// Room for `count` entries, to be written in place (every one of them) before
  /// `startReplay`: the storage.
  func reserve(_ count: Int) -> UnsafeMutablePointer<Digits> {
    precondition(count <= capacity, "RecordedDigits: more values than room")
    used = count
    return storage
  }

  /// Drops what was recorded: every value is then formatted the general way.
  func invalidate() {
    used = 0
    replaying = false
  }

  func startReplay() {
    replaying = true
    cursor = 0
  }

  var isReplaying: Bool { replaying }

  /// The entry at `index` if it is `bits` and finite.
  @inline(__always)
  func entry(at index: Int, _ bits: UInt64) -> Digits? {
    guard replaying, index < used else { return nil }
    let digits = storage[index]
    return digits.bits == bits && digits.isFinite ? digits : nil
  }

  /// The next recorded value's digits if it is `bits` (nil, past it, for a non-finite one).
  @inline(__always)
  func next(_ bits: UInt64) -> Digits? { next(bits, cursor: &cursor) }

  /// `next` from a cursor of the caller's (a printing loop that keeps its own), moved on
  /// past a match.
  @inline(__always)
  func next(_ bits: UInt64, cursor: inout Int) -> Digits? {
    guard replaying, cursor < used else { return nil }
    let digits = storage[cursor]
    guard digits.bits == bits else { return nil }
    cursor += 1
    return digits.isFinite ? digits : nil
  }
}
