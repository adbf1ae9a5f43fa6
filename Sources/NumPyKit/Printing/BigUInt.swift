/// A small unsigned big integer for Dragon4's exact arithmetic (the `BigInt` of NumPy's
/// numpy/_core/src/multiarray/dragon4.c): little-endian 32-bit blocks, no leading zero blocks.
///
/// Only the operations Dragon4 needs exist; every result is exact.
struct BigUInt: Sendable, Equatable {
  /// The blocks, least significant first; empty means zero.
  private(set) var blocks: [UInt32]

  /// Makes the big integer holding `value`.
  init(_ value: UInt64) {
    blocks = []
    if value != 0 {
      blocks.append(UInt32(truncatingIfNeeded: value))
      if value >> 32 != 0 { blocks.append(UInt32(truncatingIfNeeded: value >> 32)) }
    }
  }

  private init(blocks: [UInt32]) {
    self.blocks = blocks
    trim()
  }

  /// 2^exponent.
  static func pow2(_ exponent: Int) -> BigUInt {
    var blocks = [UInt32](repeating: 0, count: exponent / 32 + 1)
    blocks[exponent / 32] = 1 << UInt32(exponent % 32)
    return BigUInt(blocks: blocks)
  }

  /// 10^exponent.
  static func pow10(_ exponent: Int) -> BigUInt {
    var result = BigUInt(1)
    var left = exponent
    while left >= 9 {
      result.multiply(by: 1_000_000_000)
      left -= 9
    }
    var small: UInt32 = 1
    for _ in 0..<left { small *= 10 }
    result.multiply(by: small)
    return result
  }

  /// Whether the value is zero.
  var isZero: Bool { blocks.isEmpty }

  /// Whether the value is even.
  var isEven: Bool { blocks.isEmpty || blocks[0] & 1 == 0 }

  private mutating func trim() {
    while let last = blocks.last, last == 0 { blocks.removeLast() }
  }

  /// self *= factor.
  mutating func multiply(by factor: UInt32) {
    var carry: UInt64 = 0
    for i in blocks.indices {
      let product = UInt64(blocks[i]) * UInt64(factor) + carry
      blocks[i] = UInt32(truncatingIfNeeded: product)
      carry = product >> 32
    }
    if carry != 0 { blocks.append(UInt32(carry)) }
    trim()
  }

  /// self <<= shift.
  mutating func shiftLeft(_ shift: Int) {
    guard shift > 0, !blocks.isEmpty else { return }
    let blockShift = shift / 32
    let bitShift = UInt32(shift % 32)
    var result = [UInt32](repeating: 0, count: blocks.count + blockShift + 1)
    for i in blocks.indices {
      let wide = UInt64(blocks[i]) << UInt64(bitShift)
      result[i + blockShift] |= UInt32(truncatingIfNeeded: wide)
      result[i + blockShift + 1] |= UInt32(truncatingIfNeeded: wide >> 32)
    }
    blocks = result
    trim()
  }

  /// The product of two big integers.
  static func * (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
    if lhs.isZero || rhs.isZero { return BigUInt(0) }
    var result = [UInt32](repeating: 0, count: lhs.blocks.count + rhs.blocks.count)
    for i in lhs.blocks.indices {
      var carry: UInt64 = 0
      let a = UInt64(lhs.blocks[i])
      for j in rhs.blocks.indices {
        let sum = a * UInt64(rhs.blocks[j]) + UInt64(result[i + j]) + carry
        result[i + j] = UInt32(truncatingIfNeeded: sum)
        carry = sum >> 32
      }
      result[i + rhs.blocks.count] = UInt32(carry)
    }
    return BigUInt(blocks: result)
  }

  /// The sum of two big integers.
  static func + (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
    let count = max(lhs.blocks.count, rhs.blocks.count)
    var result = [UInt32](repeating: 0, count: count + 1)
    var carry: UInt64 = 0
    for i in 0..<count {
      let a = i < lhs.blocks.count ? UInt64(lhs.blocks[i]) : 0
      let b = i < rhs.blocks.count ? UInt64(rhs.blocks[i]) : 0
      let sum = a + b + carry
      result[i] = UInt32(truncatingIfNeeded: sum)
      carry = sum >> 32
    }
    result[count] = UInt32(carry)
    return BigUInt(blocks: result)
  }

  /// -1, 0 or 1 as lhs is less than, equal to or greater than rhs.
  static func compare(_ lhs: BigUInt, _ rhs: BigUInt) -> Int {
    if lhs.blocks.count != rhs.blocks.count {
      return lhs.blocks.count < rhs.blocks.count ? -1 : 1
    }
    var i = lhs.blocks.count - 1
    while i >= 0 {
      if lhs.blocks[i] != rhs.blocks[i] { return lhs.blocks[i] < rhs.blocks[i] ? -1 : 1 }
      i -= 1
    }
    return 0
  }

  /// self -= other, where other ≤ self.
  private mutating func subtract(_ other: BigUInt) {
    var borrow: Int64 = 0
    for i in blocks.indices {
      let b = i < other.blocks.count ? Int64(other.blocks[i]) : 0
      var difference = Int64(blocks[i]) - b - borrow
      if difference < 0 {
        difference += 1 << 32
        borrow = 1
      } else {
        borrow = 0
      }
      blocks[i] = UInt32(difference)
    }
    trim()
  }

  /// Divides self by divisor when the quotient is below 10; self becomes the remainder.
  mutating func divideWithRemainderMaxQuotient9(by divisor: BigUInt) -> UInt8 {
    var quotient: UInt8 = 0
    while BigUInt.compare(self, divisor) >= 0 {
      subtract(divisor)
      quotient += 1
    }
    return quotient
  }
}
