/// Open-addressing hash tables for the engine's aggregates. Swift's `Dictionary` hashes with SipHash
/// and stores generic buckets; these tables hash two machine words with a multiply and keep their keys
/// in flat arrays, which matters when every event updates several of them.

/// The key of an aggregate: rule, user, asset (or none), local day and hour (or none), in two words.
struct AggregateKey: Hashable {
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

  func hash(into hasher: inout Hasher) {
    hasher.combine(high)
    hasher.combine(low)
  }

  @inline(__always)
  var hash: UInt64 {
    var h = high &* 0x9E37_79B9_7F4A_7C15 ^ (low &+ 0x632B_E59B_D9B4_E019)
    h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
    return h ^ (h >> 29)
  }
}

/// Aggregate keys to positions in the aggregates array. Key and position share one slot, so a lookup
/// touches one cache line.
struct AggregateIndex {
  struct Slot {
    var high: UInt64
    var low: UInt64
    var value: Int32
  }

  private(set) var slots: [Slot]
  private(set) var count = 0
  private var mask: Int

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Slot](repeating: Slot(high: 0, low: 0, value: -1), count: size)
    mask = size - 1
  }

  /// The position stored for `key`, or the result of `make()` stored for it now.
  @inline(__always)
  mutating func position(of key: AggregateKey, orInsert make: () -> Int32) -> (position: Int32, inserted: Bool) {
    var slot = Int(truncatingIfNeeded: key.hash) & mask
    let found: Int32? = slots.withUnsafeBufferPointer { slots in
      while true {
        let entry = slots[slot]
        if entry.value < 0 { return nil }
        if entry.high == key.high, entry.low == key.low { return entry.value }
        slot = (slot + 1) & mask
      }
    }
    if let found { return (found, false) }
    let value = make()
    slots[slot] = Slot(high: key.high, low: key.low, value: value)
    count += 1
    if count * 10 > slots.count * 7 { grow() }
    return (value, true)
  }

  /// The position stored for `key`, if any.
  func lookup(_ key: AggregateKey) -> Int32? {
    var slot = Int(truncatingIfNeeded: key.hash) & mask
    while true {
      let entry = slots[slot]
      if entry.value < 0 { return nil }
      if entry.high == key.high, entry.low == key.low { return entry.value }
      slot = (slot + 1) & mask
    }
  }

  private mutating func grow() {
    let old = slots
    slots = [Slot](repeating: Slot(high: 0, low: 0, value: -1), count: old.count * 2)
    mask = slots.count - 1
    for entry in old where entry.value >= 0 {
      var target = Int(truncatingIfNeeded: AggregateKey(high: entry.high, low: entry.low).hash) & mask
      while slots[target].value >= 0 { target = (target + 1) & mask }
      slots[target] = entry
    }
  }

  /// Every key with its position.
  func forEach(_ body: (AggregateKey, Int32) -> Void) {
    for entry in slots where entry.value >= 0 {
      body(AggregateKey(high: entry.high, low: entry.low), entry.value)
    }
  }
}

/// The distinct objects moved in each busy user-hour, as (aggregate position, 64-bit hash of the
/// object). Quiet hours keep their first few objects inside their aggregate and never come here.
struct DistinctObjects {
  struct Slot {
    var hash: UInt64
    /// The aggregate position plus one; 0 marks an empty slot.
    var tag: UInt64
  }

  private var slots: [Slot]
  private(set) var count = 0
  private var mask: Int

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Slot](repeating: Slot(hash: 0, tag: 0), count: size)
    mask = size - 1
  }

  /// Adds the object; true when it was not there yet.
  @inline(__always)
  mutating func insert(aggregate: Int32, hash: UInt64) -> Bool {
    let tag = UInt64(UInt32(bitPattern: aggregate)) &+ 1
    var h = (hash ^ (tag &* 0xD6E8_FEB8_6659_FD93)) &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 31
    var slot = Int(truncatingIfNeeded: h) & mask
    let present: Bool = slots.withUnsafeBufferPointer { slots in
      while true {
        let entry = slots[slot]
        if entry.tag == 0 { return false }
        if entry.tag == tag, entry.hash == hash { return true }
        slot = (slot + 1) & mask
      }
    }
    if present { return false }
    slots[slot] = Slot(hash: hash, tag: tag)
    count += 1
    if count * 10 > slots.count * 7 { grow() }
    return true
  }

  private mutating func grow() {
    let old = slots
    slots = [Slot](repeating: Slot(hash: 0, tag: 0), count: old.count * 2)
    mask = slots.count - 1
    count = 0
    for entry in old where entry.tag != 0 {
      _ = insert(aggregate: Int32(bitPattern: UInt32(truncatingIfNeeded: entry.tag &- 1)), hash: entry.hash)
    }
  }

  /// Every entry: aggregate position and hash.
  func forEach(_ body: (Int32, UInt64) -> Void) {
    for entry in slots where entry.tag != 0 {
      body(Int32(bitPattern: UInt32(truncatingIfNeeded: entry.tag &- 1)), entry.hash)
    }
  }
}
