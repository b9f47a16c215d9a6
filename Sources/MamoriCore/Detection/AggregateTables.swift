/// Open-addressing hash tables for the engine's aggregates. Swift's `Dictionary` hashes with SipHash
/// and stores generic buckets; these tables hash two machine words with a multiply and keep their keys
/// in flat arrays, which matters when every event updates several of them.

/// The key of an aggregate: rule, user, asset (or none), local day and hour (or none), in two words.
struct AggregateKey: Equatable {
  var high: UInt64
  var low: UInt64

  @inline(__always)
  init(rule: DetectionRule, user: Int32, asset: Int32 = -1, day: Int32, hour: Int8 = -1) {
    high = UInt64(UInt32(bitPattern: user)) << 32 | UInt64(UInt32(bitPattern: asset))
    low = rule.code << 56 | UInt64(UInt8(bitPattern: hour)) << 40 | UInt64(UInt32(bitPattern: day))
  }

  init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  var user: Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: high >> 32)) }
  var asset: Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: high)) }
  var rule: DetectionRule { DetectionRule.from(code: low >> 56) }
  var hour: Int8 { Int8(bitPattern: UInt8(truncatingIfNeeded: low >> 40)) }
  var day: Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: low)) }

  func with(user: Int32) -> AggregateKey {
    AggregateKey(high: UInt64(UInt32(bitPattern: user)) << 32 | (high & 0xFFFF_FFFF), low: low)
  }

  @inline(__always)
  var hash: UInt64 {
    var h = high &* 0x9E37_79B9_7F4A_7C15 ^ (low &+ 0x632B_E59B_D9B4_E019)
    h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
    return h ^ (h >> 29)
  }
}

/// Aggregate keys to positions in the aggregates array.
struct AggregateIndex {
  private(set) var highs: [UInt64]
  private(set) var lows: [UInt64]
  private(set) var values: [Int32]
  private(set) var count = 0
  private var mask: Int

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    highs = [UInt64](repeating: 0, count: size)
    lows = [UInt64](repeating: 0, count: size)
    values = [Int32](repeating: -1, count: size)
    mask = size - 1
  }

  /// The position stored for `key`, or the result of `make()` stored for it now.
  @inline(__always)
  mutating func position(of key: AggregateKey, orInsert make: () -> Int32) -> (position: Int32, inserted: Bool) {
    var slot = Int(truncatingIfNeeded: key.hash) & mask
    while true {
      let value = values[slot]
      if value < 0 { break }
      if highs[slot] == key.high, lows[slot] == key.low { return (value, false) }
      slot = (slot + 1) & mask
    }
    let value = make()
    highs[slot] = key.high
    lows[slot] = key.low
    values[slot] = value
    count += 1
    if count * 10 > values.count * 7 { grow() }
    return (value, true)
  }

  private mutating func grow() {
    let oldHighs = highs
    let oldLows = lows
    let oldValues = values
    let size = values.count * 2
    highs = [UInt64](repeating: 0, count: size)
    lows = [UInt64](repeating: 0, count: size)
    values = [Int32](repeating: -1, count: size)
    mask = size - 1
    for slot in oldValues.indices where oldValues[slot] >= 0 {
      let key = AggregateKey(high: oldHighs[slot], low: oldLows[slot])
      var target = Int(truncatingIfNeeded: key.hash) & mask
      while values[target] >= 0 { target = (target + 1) & mask }
      highs[target] = key.high
      lows[target] = key.low
      values[target] = oldValues[slot]
    }
  }

  /// Every key with its position.
  func forEach(_ body: (AggregateKey, Int32) -> Void) {
    for slot in values.indices where values[slot] >= 0 {
      body(AggregateKey(high: highs[slot], low: lows[slot]), values[slot])
    }
  }
}

/// The distinct objects moved in each user-hour, as (aggregate position, 96 bits of the object's
/// hashes): a collision of all 96 bits between two objects of one user in one hour does not happen in
/// practice.
struct DistinctObjects {
  private var first: [UInt64]
  /// The aggregate position in the high half, 32 more bits of hash in the low half; 0 marks an empty slot
  /// (positions are stored plus one).
  private var second: [UInt64]
  private(set) var count = 0
  private var mask: Int

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    first = [UInt64](repeating: 0, count: size)
    second = [UInt64](repeating: 0, count: size)
    mask = size - 1
  }

  /// Adds the object; true when it was not there yet.
  @inline(__always)
  mutating func insert(aggregate: Int32, hash: (UInt64, UInt64)) -> Bool {
    let tag = UInt64(UInt32(bitPattern: aggregate) &+ 1) << 32 | (hash.1 & 0xFFFF_FFFF)
    var h = (hash.0 ^ tag) &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 31
    var slot = Int(truncatingIfNeeded: h) & mask
    while true {
      let stored = second[slot]
      if stored == 0 { break }
      if stored == tag, first[slot] == hash.0 { return false }
      slot = (slot + 1) & mask
    }
    first[slot] = hash.0
    second[slot] = tag
    count += 1
    if count * 10 > second.count * 7 { grow() }
    return true
  }

  private mutating func grow() {
    let oldFirst = first
    let oldSecond = second
    first = [UInt64](repeating: 0, count: oldSecond.count * 2)
    second = [UInt64](repeating: 0, count: oldSecond.count * 2)
    mask = second.count - 1
    count = 0
    for slot in oldSecond.indices where oldSecond[slot] != 0 {
      let tag = oldSecond[slot]
      _ = insert(aggregate: Int32(bitPattern: UInt32(tag >> 32) &- 1), hash: (oldFirst[slot], tag & 0xFFFF_FFFF))
    }
  }

  /// Every entry: aggregate position and hashes.
  func forEach(_ body: (Int32, (UInt64, UInt64)) -> Void) {
    for slot in second.indices where second[slot] != 0 {
      body(Int32(bitPattern: UInt32(second[slot] >> 32) &- 1), (first[slot], second[slot] & 0xFFFF_FFFF))
    }
  }
}
