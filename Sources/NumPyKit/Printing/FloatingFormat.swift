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
    nanString = Array(options.nanString.utf8)
    infString = Array(options.infString.utf8)
    sign = options.effectiveSign
    if legacy <= 113 && !isScalar && sign == .minus { sign = .space }
    precision = floatMode == .unique ? -1 : options.precision
    var dragon = Dragon4()
    dragon.single = single
    fillFormat(data, dragon: &dragon)
  }

  /// The number of characters (Unicode scalars) in UTF-8 bytes.
  static func length<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
    var count = 0
    for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
    return count
  }

  private mutating func fillFormat(_ data: [Double], dragon: inout Dragon4) {
    var finiteCount = 0
    var anySignBit = false
    var maxValue = 0.0
    var minValue = Double.infinity
    var anyNonZero = false
    var anyNegativeInf = false
    for x in data {
      if x.isFinite {
        finiteCount += 1
        if x.sign == .minus { anySignBit = true }
        if x != 0 {
          anyNonZero = true
          let magnitude = abs(x)
          if magnitude > maxValue { maxValue = magnitude }
          if magnitude < minValue { minValue = magnitude }
        }
      } else if x.isInfinite && x < 0 {
        anyNegativeInf = true
      }
    }
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
    scratch.reserveCapacity(64)
    let plus = sign == .plus
    if finiteCount == 0 {
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

  /// FloatingFormat.__call__(x): appends the formatted element.
  func append(_ x: Double, dragon: inout Dragon4, to out: inout [UInt8]) {
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
