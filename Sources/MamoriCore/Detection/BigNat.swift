/// A small arbitrary-precision natural number, for the volume-spike comparison: its squares of byte
/// sums can exceed 128 bits, and the contract wants the comparison exact.
struct BigNat: Comparable {
  /// Little-endian 64-bit limbs, without leading zero limbs.
  private(set) var limbs: [UInt64]

  init(_ value: UInt128) {
    limbs = [UInt64(truncatingIfNeeded: value), UInt64(truncatingIfNeeded: value >> 64)]
    trim()
  }

  private init(limbs: [UInt64]) {
    self.limbs = limbs
    trim()
  }

  private mutating func trim() {
    while let last = limbs.last, last == 0 { limbs.removeLast() }
  }

  static func + (a: BigNat, b: BigNat) -> BigNat {
    var result: [UInt64] = []
    var carry: UInt64 = 0
    for index in 0..<max(a.limbs.count, b.limbs.count) {
      let x = index < a.limbs.count ? a.limbs[index] : 0
      let y = index < b.limbs.count ? b.limbs[index] : 0
      let (s1, o1) = x.addingReportingOverflow(y)
      let (s2, o2) = s1.addingReportingOverflow(carry)
      result.append(s2)
      carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
    }
    if carry > 0 { result.append(carry) }
    return BigNat(limbs: result)
  }

  /// `a - b` for `a >= b`.
  static func - (a: BigNat, b: BigNat) -> BigNat {
    precondition(a >= b, "BigNat subtraction below zero")
    var result: [UInt64] = []
    var borrow: UInt64 = 0
    for index in 0..<a.limbs.count {
      let y = index < b.limbs.count ? b.limbs[index] : 0
      let (d1, o1) = a.limbs[index].subtractingReportingOverflow(y)
      let (d2, o2) = d1.subtractingReportingOverflow(borrow)
      result.append(d2)
      borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
    }
    return BigNat(limbs: result)
  }

  static func * (a: BigNat, b: BigNat) -> BigNat {
    guard !a.limbs.isEmpty, !b.limbs.isEmpty else { return BigNat(0) }
    var result = [UInt64](repeating: 0, count: a.limbs.count + b.limbs.count)
    for i in 0..<a.limbs.count {
      var carry: UInt64 = 0
      for j in 0..<b.limbs.count {
        let (high, low) = a.limbs[i].multipliedFullWidth(by: b.limbs[j])
        let (s1, o1) = result[i + j].addingReportingOverflow(low)
        let (s2, o2) = s1.addingReportingOverflow(carry)
        result[i + j] = s2
        carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
      }
      var k = i + b.limbs.count
      while carry > 0 {
        let (sum, overflow) = result[k].addingReportingOverflow(carry)
        result[k] = sum
        carry = overflow ? 1 : 0
        k += 1
      }
    }
    return BigNat(limbs: result)
  }

  static func < (a: BigNat, b: BigNat) -> Bool {
    if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count }
    for index in stride(from: a.limbs.count - 1, through: 0, by: -1) where a.limbs[index] != b.limbs[index] {
      return a.limbs[index] < b.limbs[index]
    }
    return false
  }
}
