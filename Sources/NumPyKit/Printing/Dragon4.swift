/// NumPy's float64 to decimal conversion (numpy.format_float_positional and
/// numpy.format_float_scientific, i.e. `dragon4_positional` / `dragon4_scientific` of
/// numpy/_core/src/multiarray/dragon4.c), byte for byte.
///
/// Digits are exact: in unique mode the shortest digits that round-trip (closest of those),
/// cut off at the precision by rounding the exact binary value half to even; otherwise the
/// exact value rounded half to even. A fixed-width integer fast path answers the common
/// cases and provably gives the same digits as the big-integer port it falls back to.
///
/// A value type holding a reusable scratch buffer; reuse one instance to format many values.
public struct Dragon4: Sendable {
  /// How trailing zeros and the decimal point are trimmed (NumPy's `trim` argument).
  public enum Trim: Sendable, Hashable {
    /// 'k': keep trailing zeros and the decimal point.
    case keep
    /// '.': trim trailing zeros, keep the decimal point.
    case dot
    /// '0': trim trailing zeros but keep one zero after the decimal point.
    case zero
    /// '-': trim trailing zeros and the decimal point.
    case dotAndZeros

    /// The mode named by NumPy's one-character code ('k', '.', '0', '-').
    public init?(numpyCode: String) {
      switch numpyCode {
      case "k": self = .keep
      case ".": self = .dot
      case "0": self = .zero
      case "-": self = .dotAndZeros
      default: return nil
      }
    }
  }

  /// The digits of the last conversion, as ASCII bytes: the first `digitCount` entries.
  /// Allocated when first written (`reserveDigits`): a converter that only measures digits as
  /// integers (`uniqueDigits`) never allocates.
  private var digits: [UInt8] = []
  private var digitCount = 0

  /// Whether the 128-bit fast path may answer (tests turn it off to compare with the port).
  var allowsFastPath = true

  /// Whether the values are float32's (each double given is exactly a float32): the digits
  /// are then those of the float32, whose rounding interval is float32's (NumPy's Dragon4 on
  /// `npy_float`), from the big-integer port.
  public var single = false

  /// The last digits as an integer, when the fast path made them (`fastValueIsSet`).
  private var fastValue: UInt64 = 0
  private var fastValueIsSet = false
  /// Set by `uniqueDigits`: the fast path then leaves `digits` unwritten.
  private var integerOnly = false

  /// Makes a converter with an empty scratch buffer.
  public init() {}

  /// The digits of |x| (finite, float64) in unique mode cut off at `cutoff` significant
  /// digits (`totalLength`) or fraction digits, as `appendScientific` / `appendPositional`
  /// make them, without their trailing zeros: the digits as an integer, how many, and the
  /// decimal exponent of the first. Nil past 19 digits.
  mutating func uniqueDigits(_ x: Double, totalLength: Bool, cutoff: Int)
    -> (value: UInt64, count: Int, exponent: Int)?
  {
    fastValueIsSet = false
    integerOnly = true
    let exponent = generateDigits(
      x, unique: true, totalLength: totalLength, cutoffMax: cutoff, cutoffMin: -1,
      bufferSize: 16383)
    integerOnly = false
    var count = digitCount
    var value: UInt64
    if fastValueIsSet {
      value = fastValue
    } else {
      guard count <= 19 else { return nil }
      value = 0
      for i in 0..<count { value = value &* 10 &+ UInt64(digits[i] &- UInt8(ascii: "0")) }
    }
    // A value rounded to zero at the cutoff prints as zero does.
    if value == 0 { return (0, 1, 0) }
    while count > 1 && value % 10 == 0 {
      value /= 10
      count -= 1
    }
    return (value, count, exponent)
  }

  // MARK: - Public convenience (Python's signatures)

  /// numpy.format_float_positional(x, precision, unique, fractional, trim, sign, pad_left,
  /// pad_right, min_digits), byte for byte; `nil` means Python's `None`.
  public static func positional(
    _ x: Double, precision: Int? = nil, unique: Bool = true, fractional: Bool = true,
    trim: Trim = .keep, sign: Bool = false, padLeft: Int? = nil, padRight: Int? = nil,
    minDigits: Int? = nil, single: Bool = false
  ) -> String {
    var converter = Dragon4()
    converter.single = single
    var out: [UInt8] = []
    converter.appendPositional(
      x, precision: precision ?? -1, unique: unique, fractional: fractional, trim: trim,
      sign: sign, padLeft: padLeft ?? -1, padRight: padRight ?? -1,
      minDigits: minDigits ?? -1, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// numpy.format_float_scientific(x, precision, unique, trim, sign, pad_left, exp_digits,
  /// min_digits), byte for byte; `nil` means Python's `None`.
  public static func scientific(
    _ x: Double, precision: Int? = nil, unique: Bool = true, trim: Trim = .keep,
    sign: Bool = false, padLeft: Int? = nil, expDigits: Int? = nil, minDigits: Int? = nil,
    single: Bool = false
  ) -> String {
    var converter = Dragon4()
    converter.single = single
    var out: [UInt8] = []
    converter.appendScientific(
      x, precision: precision ?? -1, unique: unique, trim: trim, sign: sign,
      padLeft: padLeft ?? -1, expDigits: expDigits ?? -1, minDigits: minDigits ?? -1,
      to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  // MARK: - Formatting (FormatPositional / FormatScientific)

  /// Appends numpy's `dragon4_positional` text for `x`; -1 stands for `None` in every
  /// integer argument.
  mutating func appendPositional(
    _ x: Double, precision: Int, unique: Bool, fractional: Bool, trim: Trim, sign: Bool,
    padLeft: Int, padRight: Int, minDigits: Int, to out: inout [UInt8]
  ) {
    if !x.isFinite {
      Dragon4.appendInfNan(x, sign: sign, to: &out)
      return
    }
    let signChar: UInt8? = x.sign == .minus ? UInt8(ascii: "-") : (sign ? UInt8(ascii: "+") : nil)
    let hasSign = signChar == nil ? 0 : 1
    let printExponent = generateDigits(
      x, unique: unique, totalLength: !fractional, cutoffMax: precision,
      cutoffMin: minDigits, bufferSize: 16383 - hasSign)
    let numDigits = digitCount
    let numWholeDigits = printExponent >= 0 ? printExponent + 1 : 1
    let addDigits = unique ? minDigits : precision
    var desired = addDigits < 0 ? 0 : addDigits
    if !fractional { desired = addDigits - numWholeDigits }
    let zeros = printExponent >= 0 ? 0 : -(printExponent + 1)
    let most =
      max(padLeft, 0) + 1 + numWholeDigits + numDigits + zeros + 2 + max(desired, 0)
      + max(padRight, 0) + 16
    digits.withUnsafeBufferPointer { digits in
      out.appendBytes(atMost: most) { out in
        if padLeft > numWholeDigits + hasSign {
          out.put(UInt8(ascii: " "), times: padLeft - numWholeDigits - hasSign)
        }
        if let signChar { out.put(signChar) }
        var numFractionDigits = 0
        if printExponent >= 0 {
          if numDigits <= numWholeDigits {
            out.put(digits[0..<numDigits])
            out.put(UInt8(ascii: "0"), times: numWholeDigits - numDigits)
          } else {
            out.put(digits[0..<numWholeDigits])
            out.put(UInt8(ascii: "."))
            out.put(digits[numWholeDigits..<numDigits])
            numFractionDigits = numDigits - numWholeDigits
          }
        } else {
          out.put(UInt8(ascii: "0"))
          out.put(UInt8(ascii: "."))
          out.put(UInt8(ascii: "0"), times: zeros)
          out.put(digits[0..<numDigits])
          numFractionDigits = zeros + numDigits
        }
        numFractionDigits = out.endFraction(
          numFractionDigits, trim: trim, desired: desired, dropsBareDot: true)
        if padRight >= numFractionDigits {
          if trim == .dotAndZeros && numFractionDigits == 0 { out.put(UInt8(ascii: " ")) }
          out.put(UInt8(ascii: " "), times: padRight - numFractionDigits)
        }
      }
    }
  }

  /// Appends numpy's `dragon4_scientific` text for `x`; -1 stands for `None` in every
  /// integer argument.
  mutating func appendScientific(
    _ x: Double, precision: Int, unique: Bool, trim: Trim, sign: Bool, padLeft: Int,
    expDigits: Int, minDigits: Int, to out: inout [UInt8]
  ) {
    if !x.isFinite {
      Dragon4.appendInfNan(x, sign: sign, to: &out)
      return
    }
    let signChar: UInt8? = x.sign == .minus ? UInt8(ascii: "-") : (sign ? UInt8(ascii: "+") : nil)
    let leftChars = 1 + (signChar == nil ? 0 : 1)
    var printExponent = generateDigits(
      x, unique: unique, totalLength: true, cutoffMax: precision < 0 ? -1 : precision + 1,
      cutoffMin: minDigits < 0 ? -1 : minDigits + 1, bufferSize: 16383)
    let numDigits = digitCount
    let addDigits = max(0, unique ? minDigits : precision)
    let most = max(padLeft, 0) + numDigits + addDigits + 16
    digits.withUnsafeBufferPointer { digits in
      out.appendBytes(atMost: most) { out in
        if padLeft > leftChars { out.put(UInt8(ascii: " "), times: padLeft - leftChars) }
        if let signChar { out.put(signChar) }
        out.put(digits[0])
        if numDigits > 1 {
          out.put(UInt8(ascii: "."))
          out.put(digits[1..<numDigits])
        }
        _ = out.endFraction(numDigits - 1, trim: trim, desired: addDigits, dropsBareDot: false)
        let minExpDigits = expDigits < 0 ? 2 : min(expDigits, 5)
        out.put(UInt8(ascii: "e"))
        if printExponent >= 0 {
          out.put(UInt8(ascii: "+"))
        } else {
          out.put(UInt8(ascii: "-"))
          printExponent = -printExponent
        }
        var exponentValue = printExponent % 100_000
        var size = 5
        while size > minExpDigits && exponentValue < Int(Dragon4.powerOfTen(size - 1)) {
          size -= 1
        }
        out.put(UInt8(ascii: "0"), times: size)
        for i in 1...size {
          out.base[out.count - i] = UInt8(ascii: "0") + UInt8(exponentValue % 10)
          exponentValue /= 10
        }
      }
    }
  }

  /// PrintInfNan: "nan" (never signed), "inf", "-inf" or "+inf".
  private static func appendInfNan(_ x: Double, sign: Bool, to out: inout [UInt8]) {
    if x.isNaN {
      out.append(contentsOf: "nan".utf8)
      return
    }
    if x < 0 {
      out.append(UInt8(ascii: "-"))
    } else if sign {
      out.append(UInt8(ascii: "+"))
    }
    out.append(contentsOf: "inf".utf8)
  }

  // MARK: - Digit generation

  /// Fills `digits` for |x| (finite) and returns the base-10 exponent of the first digit.
  /// `cutoffMax` / `cutoffMin` count total digits when `totalLength`, else fraction digits;
  /// -1 means no cutoff.
  private mutating func generateDigits(
    _ x: Double, unique: Bool, totalLength: Bool, cutoffMax: Int, cutoffMin: Int,
    bufferSize: Int
  ) -> Int {
    if single {
      return generateSingleDigits(
        Float(x), unique: unique, totalLength: totalLength, cutoffMax: cutoffMax,
        cutoffMin: cutoffMin, bufferSize: bufferSize)
    }
    let biased = Int(x.exponentBitPattern)
    let fraction = x.significandBitPattern
    if biased == 0 && fraction == 0 {
      reserveDigits()
      digits[0] = UInt8(ascii: "0")
      digitCount = 1
      return 0
    }
    let (mantissa, exponent, mantissaBit, unequalMargins) = Self.decomposed(
      biased: biased, fraction: fraction, fractionBits: 52, bias: 1075)
    if biased != 0, allowsFastPath,
      let fast = fastDigits(
        mantissa: mantissa, exponent: exponent, unequalMargins: unequalMargins,
        unique: unique, totalLength: totalLength, cutoffMax: cutoffMax, cutoffMin: cutoffMin)
    {
      return fast
    }
    return bigIntegerDigits(
      mantissa: mantissa, exponent: exponent, mantissaBit: mantissaBit,
      unequalMargins: unequalMargins, unique: unique, totalLength: totalLength,
      cutoffMax: cutoffMax, cutoffMin: cutoffMin, bufferSize: bufferSize)
  }

  /// A nonzero binary float as Dragon4 takes it, from its biased exponent and fraction bits:
  /// the mantissa (with a normal number's implicit bit), the binary exponent, the mantissa's
  /// highest set bit, and whether the margins are unequal (a normal power of two above the
  /// smallest). float64: 52 fraction bits, bias 1075; float32: 23 and 150.
  private static func decomposed(biased: Int, fraction: UInt64, fractionBits: Int, bias: Int)
    -> (mantissa: UInt64, exponent: Int, mantissaBit: Int, unequalMargins: Bool)
  {
    if biased != 0 {
      return (
        fraction | (1 << UInt64(fractionBits)), biased - bias, fractionBits,
        biased != 1 && fraction == 0
      )
    }
    return (fraction, 1 - bias, 63 - fraction.leadingZeroBitCount, false)
  }

  /// Room for the fast path's digits (at most 20) in `digits`.
  @inline(__always)
  private mutating func reserveDigits() {
    if digits.count < 32 { digits = [UInt8](repeating: 0, count: 32) }
  }

  /// Fills `digits` from the big-integer port (`slowDigits`) and returns the exponent.
  private mutating func bigIntegerDigits(
    mantissa: UInt64, exponent: Int, mantissaBit: Int, unequalMargins: Bool, unique: Bool,
    totalLength: Bool, cutoffMax: Int, cutoffMin: Int, bufferSize: Int
  ) -> Int {
    var slow: [UInt8] = []
    let printExponent = Dragon4.slowDigits(
      mantissa: mantissa, exponent: exponent, mantissaBit: mantissaBit,
      unequalMargins: unequalMargins, unique: unique, totalLength: totalLength,
      cutoffMax: cutoffMax, cutoffMin: cutoffMin, bufferSize: bufferSize, into: &slow)
    if slow.count > digits.count {
      digits.append(contentsOf: repeatElement(0, count: slow.count - digits.count))
    }
    for i in slow.indices { digits[i] = slow[i] }
    digitCount = slow.count
    return printExponent
  }

  /// `generateDigits` for a float32 (NumPy's `Dragon4_PrintFloat_IEEE_binary32`): its
  /// 24-bit mantissa and exponent, through the big-integer port.
  private mutating func generateSingleDigits(
    _ x: Float, unique: Bool, totalLength: Bool, cutoffMax: Int, cutoffMin: Int,
    bufferSize: Int
  ) -> Int {
    let biased = Int(x.exponentBitPattern)
    let fraction = UInt64(x.significandBitPattern)
    if biased == 0 && fraction == 0 {
      reserveDigits()
      digits[0] = UInt8(ascii: "0")
      digitCount = 1
      return 0
    }
    let (mantissa, exponent, mantissaBit, unequalMargins) = Self.decomposed(
      biased: biased, fraction: fraction, fractionBits: 23, bias: 150)
    return bigIntegerDigits(
      mantissa: mantissa, exponent: exponent, mantissaBit: mantissaBit,
      unequalMargins: unequalMargins, unique: unique, totalLength: totalLength,
      cutoffMax: cutoffMax, cutoffMin: cutoffMin, bufferSize: bufferSize)
  }

  /// 10^0 ... 10^19 (the powers of ten that fit in 64 bits), a literal: the optimiser
  /// initialises it statically, so the digit loops read it without a `swift_once` check (a
  /// table computed by a closure is initialised lazily, checked on every call; a switch
  /// becomes an indirect jump).
  private static let tens: [UInt64] = [
    1, 10, 100, 1000, 10000, 100000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
    10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
    100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
    100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
  ]

  /// 10^n for 0 ≤ n ≤ 19 (the powers of ten that fit in 64 bits).
  @inline(__always)
  static func powerOfTen(_ n: Int) -> UInt64 { tens[n] }

  /// 5^n for 0 ≤ n ≤ 27 (the powers of five that fit in 63 bits).
  @inline(__always)
  static func powerOfFive(_ n: Int) -> UInt64 {
    var result: UInt64 = 1
    for _ in 0..<n { result &*= 5 }
    return result
  }

  /// The number of decimal digits of a value (1 for 0).
  @inline(__always)
  static func decimalDigitCount(_ value: UInt64) -> Int {
    // floor(log10(2) · bit length) is the count or one less.
    let bits = 64 - (value | 1).leadingZeroBitCount
    let guess = (bits * 1233) >> 12
    return guess < 20 && value >= powerOfTen(guess) ? guess + 1 : max(guess, 1)
  }

  /// The exact fast path for normal values m·2^e with -116 ≤ e < 0: the scaled value
  /// m·10^s / 2^-e is split exactly into quotient and remainder in 128-bit integers, and the
  /// Dragon4 stopping rules (margins, rounding) are applied at the cutoff digit. In unique
  /// mode it is used only when at most 15 significant digits are involved, where a rounding
  /// interval (width ≤ 2^-52·|x|) holds at most one candidate of the cutoff length, so the
  /// shortest digits are that candidate without its trailing zeros. `nil`: not applicable.
  @inline(__always)
  private mutating func fastDigits(
    mantissa: UInt64, exponent: Int, unequalMargins: Bool, unique: Bool, totalLength: Bool,
    cutoffMax: Int, cutoffMin: Int
  ) -> Int? {
    guard exponent < 0 else { return nil }
    let shift = -exponent
    var denominator = UInt128(1) << UInt128(min(shift, 127))
    let maxDigits = unique ? 15 : 19
    var quotient: UInt64
    var remainder: UInt128
    var scale: UInt128
    var scientificExponent = 0
    var digitLimit: Int
    if totalLength {
      // Scientific: n significant digits.
      if cutoffMax < 0 {
        guard unique, cutoffMin < 0 else { return nil }
        digitLimit = 15
      } else {
        guard cutoffMax >= 1 && cutoffMax <= maxDigits && cutoffMin <= 15 else { return nil }
        digitLimit = cutoffMax
      }
      let bitLength = 52 + exponent
      // floor(bitLength · log10 2) (78913 / 2^18 ≈ log10 2; the loop below corrects k).
      var k = (bitLength &* 78913) >> 18
      var attempts = 0
      while true {
        attempts += 1
        let s = digitLimit - 1 - k
        guard attempts <= 4, s >= 0, s <= 27 else { return nil }
        // Past 10^19 (small values), m·10^s / 2^shift is taken as m·5^s / 2^(shift - s): the
        // common factor 2^s leaves numerator, denominator and margins alike (every comparison
        // below is homogeneous in them), and m·5^s < 2^53·2^63 stays within 128 bits.
        let reduced = s > 19
        let effectiveShift = reduced ? shift - s : shift
        guard effectiveShift >= 1 && effectiveShift <= 116 else { return nil }
        denominator = UInt128(1) << UInt128(effectiveShift)
        scale = UInt128(reduced ? Dragon4.powerOfFive(s) : Dragon4.powerOfTen(s))
        let product = UInt128(mantissa) * scale
        let high = product >> UInt128(effectiveShift)
        if high >= UInt128(Dragon4.powerOfTen(digitLimit)) {
          k += 1
          continue
        }
        quotient = UInt64(high)
        if quotient < Dragon4.powerOfTen(digitLimit - 1) {
          k -= 1
          continue
        }
        remainder = product & (denominator - 1)
        break
      }
      scientificExponent = k
    } else {
      // Positional: a fixed number of fraction digits.
      if cutoffMax < 0 {
        guard unique, cutoffMin <= 0 else { return nil }
        // Shortest digits without a cutoff: use the scientific route.
        return fastDigits(
          mantissa: mantissa, exponent: exponent, unequalMargins: unequalMargins,
          unique: true, totalLength: true, cutoffMax: -1, cutoffMin: -1)
      }
      guard cutoffMax <= 19, cutoffMin <= cutoffMax, shift <= 116 else { return nil }
      scale = UInt128(Dragon4.powerOfTen(cutoffMax))
      let product = UInt128(mantissa) * scale
      let high = product >> UInt128(shift)
      guard high >= 1, high < UInt128(Dragon4.powerOfTen(maxDigits)) else { return nil }
      quotient = UInt64(high)
      remainder = product & (denominator - 1)
      digitLimit = Dragon4.decimalDigitCount(quotient)
    }
    // Dragon4's stopping rules at the cutoff digit. Margins in numerator units:
    // high = scale/2, low = scale/2 (or scale/4 with unequal margins).
    var low = false
    var high = false
    if unique {
      let isEven = mantissa & 1 == 0
      let lowLeft = unequalMargins ? 4 * remainder : 2 * remainder
      low = isEven ? lowLeft <= scale : lowLeft < scale
      let highLeft = 2 * (denominator - remainder)
      high = isEven ? highLeft <= scale : highLeft < scale
    }
    if !(low || high) && unique && cutoffMax < 0 { return nil }
    var roundDown = low
    if low == high {
      let twice = 2 * remainder
      roundDown = twice < denominator || (twice == denominator && quotient & 1 == 0)
    }
    var rounded = roundDown ? quotient : quotient + 1
    let carried = !roundDown && quotient % 10 == 9
    let count = Dragon4.decimalDigitCount(rounded)
    let firstExponent: Int
    if totalLength {
      firstExponent = scientificExponent + (count > digitLimit ? 1 : 0)
    } else {
      firstExponent = count - 1 - cutoffMax
    }
    var length = count
    if low || high || !unique || carried {
      while rounded % 10 == 0 && length > 1 {
        rounded /= 10
        length -= 1
      }
    }
    fastValue = rounded
    fastValueIsSet = true
    // Write the digits of `rounded` (length digits) most significant first, unless only the
    // integer is wanted (`uniqueDigits`).
    if !integerOnly {
      reserveDigits()
      digits.withUnsafeMutableBufferPointer { digits in
        writeDigits(rounded, count: length, to: digits.baseAddress!)
      }
    }
    digitCount = length
    return firstExponent
  }

  /// A faithful port of NumPy's big-integer `Dragon4()` (dragon4.c), without its block
  /// normalisation (which changes only speed).
  private static func slowDigits(
    mantissa: UInt64, exponent: Int, mantissaBit: Int, unequalMargins: Bool, unique: Bool,
    totalLength: Bool, cutoffMax: Int, cutoffMin: Int, bufferSize: Int,
    into digits: inout [UInt8]
  ) -> Int {
    let isEven = mantissa & 1 == 0
    var scale: BigUInt
    var scaledValue = BigUInt(mantissa)
    var marginLow: BigUInt
    if unequalMargins {
      if exponent > 0 {
        scaledValue.shiftLeft(exponent + 2)
        scale = BigUInt(4)
        marginLow = BigUInt.pow2(exponent)
      } else {
        scaledValue.shiftLeft(2)
        scale = BigUInt.pow2(-exponent + 2)
        marginLow = BigUInt(1)
      }
    } else {
      if exponent > 0 {
        scaledValue.shiftLeft(exponent + 1)
        scale = BigUInt(2)
        marginLow = BigUInt.pow2(exponent)
      } else {
        scaledValue.shiftLeft(1)
        scale = BigUInt.pow2(-exponent + 1)
        marginLow = BigUInt(1)
      }
    }
    let log10Of2 = 0.30102999566398119521373889472449
    var digitExponent = Int((Double(mantissaBit + exponent) * log10Of2 - 0.69).rounded(.up))
    if cutoffMax >= 0 && !totalLength && digitExponent <= -cutoffMax {
      digitExponent = -cutoffMax + 1
    }
    if digitExponent > 0 {
      scale = scale * BigUInt.pow10(digitExponent)
    } else if digitExponent < 0 {
      let power = BigUInt.pow10(-digitExponent)
      scaledValue = scaledValue * power
      marginLow = marginLow * power
    }
    if BigUInt.compare(scaledValue, scale) >= 0 {
      digitExponent += 1
    } else {
      scaledValue.multiply(by: 10)
      marginLow.multiply(by: 10)
    }
    var cutoffMaxExponent = digitExponent - bufferSize
    if cutoffMax >= 0 {
      let desired = totalLength ? digitExponent - cutoffMax : -cutoffMax
      if desired > cutoffMaxExponent { cutoffMaxExponent = desired }
    }
    var cutoffMinExponent = digitExponent
    if cutoffMin >= 0 {
      let desired = totalLength ? digitExponent - cutoffMin : -cutoffMin
      if desired < cutoffMinExponent { cutoffMinExponent = desired }
    }
    var outExponent = digitExponent - 1
    var low = false
    var high = false
    var outputDigit: UInt8 = 0
    if unique {
      while true {
        digitExponent -= 1
        outputDigit = scaledValue.divideWithRemainderMaxQuotient9(by: scale)
        var marginHigh = marginLow
        if unequalMargins { marginHigh.multiply(by: 2) }
        let valueHigh = scaledValue + marginHigh
        let cmpLow = BigUInt.compare(scaledValue, marginLow)
        low = isEven ? cmpLow <= 0 : cmpLow < 0
        let cmpHigh = BigUInt.compare(valueHigh, scale)
        high = isEven ? cmpHigh >= 0 : cmpHigh > 0
        if ((low || high) && digitExponent <= cutoffMinExponent)
          || digitExponent == cutoffMaxExponent
        {
          break
        }
        digits.append(UInt8(ascii: "0") + outputDigit)
        scaledValue.multiply(by: 10)
        marginLow.multiply(by: 10)
      }
    } else {
      while true {
        digitExponent -= 1
        outputDigit = scaledValue.divideWithRemainderMaxQuotient9(by: scale)
        if scaledValue.isZero || digitExponent == cutoffMaxExponent { break }
        digits.append(UInt8(ascii: "0") + outputDigit)
        scaledValue.multiply(by: 10)
      }
    }
    var roundDown = low
    if low == high {
      scaledValue.multiply(by: 2)
      let compare = BigUInt.compare(scaledValue, scale)
      roundDown = compare < 0
      if compare == 0 { roundDown = outputDigit & 1 == 0 }
    }
    if roundDown {
      digits.append(UInt8(ascii: "0") + outputDigit)
    } else if outputDigit == 9 {
      while true {
        guard let last = digits.last else {
          digits.append(UInt8(ascii: "1"))
          outExponent += 1
          break
        }
        if last != UInt8(ascii: "9") {
          digits[digits.count - 1] = last + 1
          break
        }
        digits.removeLast()
      }
    } else {
      digits.append(UInt8(ascii: "0") + outputDigit + 1)
    }
    return outExponent
  }
}

/// Where a formatter writes one number's bytes before they are appended to the output in one
/// copy: a number costs one uniqueness check of the output array instead of one per byte.
struct ByteSink {
  let base: UnsafeMutablePointer<UInt8>
  /// The room made (checked in debug builds; the formatters bound what they write).
  let capacity: Int
  /// The bytes written so far.
  var count = 0

  @inline(__always) mutating func put(_ byte: UInt8) {
    assert(count < capacity, "ByteSink overflow")
    base[count] = byte
    count += 1
  }

  @inline(__always) mutating func put(_ byte: UInt8, times n: Int) {
    guard n > 0 else { return }
    assert(count + n <= capacity, "ByteSink overflow")
    (base + count).update(repeating: byte, count: n)
    count += n
  }

  @inline(__always) mutating func put(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
    guard !bytes.isEmpty else { return }
    assert(count + bytes.count <= capacity, "ByteSink overflow")
    (base + count).update(from: bytes.base.baseAddress! + bytes.startIndex, count: bytes.count)
    count += bytes.count
  }

  /// What NumPy's FormatPositional and FormatScientific write after the fraction digits,
  /// given `fractionDigits` of them: a bare '.' unless trimming it, then by `trim` one '0'
  /// ('0'), zeros up to `desired` ('k'), or the trailing zeros removed ('.', '0', '-') and a
  /// '0' after a bare '.' ('0'). Positional output also drops a bare '.' for '-'
  /// (`dropsBareDot`); scientific output keeps it. Returns the fraction digits now written.
  mutating func endFraction(
    _ fractionDigits: Int, trim: Dragon4.Trim, desired: Int,
    dropsBareDot: Bool
  ) -> Int {
    var count = fractionDigits
    if trim != .dotAndZeros && count == 0 { put(UInt8(ascii: ".")) }
    if trim == .zero {
      if count == 0 {
        put(UInt8(ascii: "0"))
        count += 1
      }
    } else if trim == .keep && desired > count {
      put(UInt8(ascii: "0"), times: desired - count)
      count = desired
    }
    if trim != .keep && count > 0 {
      while last == UInt8(ascii: "0") {
        removeLast()
        count -= 1
      }
      if last == UInt8(ascii: ".") {
        if trim == .zero {
          put(UInt8(ascii: "0"))
          count += 1
        } else if trim == .dotAndZeros && dropsBareDot {
          removeLast()
        }
      }
    }
    return count
  }

  /// The last byte written (nil before any).
  var last: UInt8? { count > 0 ? base[count - 1] : nil }

  @inline(__always) mutating func removeLast() { count -= 1 }
}

extension [UInt8] {
  /// Appends what `write` puts into a sink with room for `most` bytes (it must not put more):
  /// the bytes are assembled in temporary (stack) storage and appended in one copy.
  @inline(__always)
  mutating func appendBytes(atMost most: Int, _ write: (inout ByteSink) -> Void) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: most) { buffer in
      var sink = ByteSink(base: buffer.baseAddress!, capacity: most)
      write(&sink)
      append(contentsOf: UnsafeBufferPointer(start: sink.base, count: sink.count))
    }
  }
}
