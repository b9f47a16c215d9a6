/// A read-only set of byte strings (user IDs, asset locations) with an index each, looked up straight
/// from a parse buffer: no `String`, no allocation per lookup, safe to share between threads.
public struct ByteTable: Sendable {
  private var slots: [Int32]
  private var hashes: [UInt64] = []
  private var starts: [Int32] = []
  private var lengths: [Int32] = []
  private var arena: [UInt8] = []
  private var mask: Int

  public init(capacity: Int) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
  }

  public var count: Int { hashes.count }

  @inline(__always)
  public static func hash(_ pointer: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
    var hasher = WordHasher(pointer)
    return hasher.hash(ofPrefix: length)
  }

  /// Adds `bytes` and returns its index; an existing entry keeps its index.
  @discardableResult
  public mutating func insert(_ bytes: [UInt8]) -> Int {
    if let existing = bytes.withUnsafeBufferPointer({ find($0.baseAddress!, $0.count) }) { return existing }
    if (hashes.count + 1) * 2 > slots.count { grow() }
    let hash = bytes.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count) }
    let index = hashes.count
    hashes.append(hash)
    starts.append(Int32(arena.count))
    lengths.append(Int32(bytes.count))
    arena.append(contentsOf: bytes)
    place(index, hash: hash)
    return index
  }

  private mutating func place(_ index: Int, hash: UInt64) {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = Int32(index)
  }

  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    mask = slots.count - 1
    for index in hashes.indices { place(index, hash: hashes[index]) }
  }

  /// The index of the bytes at `pointer`, if present.
  @inline(__always)
  public func find(_ pointer: UnsafePointer<UInt8>, _ length: Int) -> Int? {
    find(pointer, length, hash: Self.hash(pointer, length))
  }

  @inline(__always)
  public func find(_ pointer: UnsafePointer<UInt8>, _ length: Int, hash: UInt64) -> Int? {
    guard !hashes.isEmpty else { return nil }
    var slot = Int(truncatingIfNeeded: hash) & mask
    return slots.withUnsafeBufferPointer { slots in
      arena.withUnsafeBufferPointer { arena in
        while true {
          let entry = Int(slots[slot])
          if entry < 0 { return nil }
          if hashes[entry] == hash, Int(lengths[entry]) == length,
            memcmp(arena.baseAddress! + Int(starts[entry]), pointer, length) == 0
          {
            return entry
          }
          slot = (slot + 1) & mask
        }
      }
    }
  }

  public func bytes(at index: Int) -> ArraySlice<UInt8> {
    arena[Int(starts[index])..<Int(starts[index] + lengths[index])]
  }

  public func string(at index: Int) -> String {
    String(decoding: bytes(at: index), as: UTF8.self)
  }
}

/// Finds the asset of an object: the asset whose location is the longest one that matches.
///
/// A location matches an object that equals it or starts with it where the location ends with `/` or
/// the object's next character is `/`. So the only candidate locations are the object itself and its
/// prefixes ending just before or just after each `/`: those are hashed in one pass over the object
/// and looked up from the longest down, instead of testing every asset against every event.
public struct AssetIndex: Sendable {
  private var table: ByteTable
  /// The asset of each table entry.
  private var assetOfEntry: [Int32] = []
  /// Whether some location has this length; lengths no location has are never looked up.
  private var lengthUsed: [Bool] = []

  /// `locations[i]` is the location of asset `i`; `order` breaks ties between equal locations (the
  /// asset that sorts first wins).
  public init(locations: [[UInt8]], preferring order: (Int, Int) -> Bool) {
    table = ByteTable(capacity: max(locations.count, 8))
    var winner: [Int: Int] = [:]
    for (asset, location) in locations.enumerated() {
      let entry = table.insert(location)
      if let current = winner[entry], !order(asset, current) { continue }
      winner[entry] = asset
    }
    assetOfEntry = (0..<table.count).map { Int32(winner[$0]!) }
    let longest = locations.map(\.count).max() ?? 0
    lengthUsed = [Bool](repeating: false, count: longest + 1)
    for location in locations { lengthUsed[location.count] = true }
  }

  /// The asset index for the object bytes `start..<end`, or -1 when no location matches; and, when
  /// asked, the 64-bit hash of the whole object (the same hash, so the object is read once).
  ///
  /// Candidates are the prefixes just before and after each `/` and the whole object, tried shortest
  /// first; the last one found (the longest) wins. Only lengths that some location has are hashed and
  /// looked up at all.
  @inline(__always)
  public func match(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, wantHash: Bool = false)
    -> (asset: Int32, hash: UInt64)
  {
    let length = end - start
    let longest = lengthUsed.count - 1
    guard length > 0 else { return (-1, 0) }
    let base = buffer.baseAddress! + start
    var hasher = WordHasher(base)
    var found: Int32 = -1
    if longest > 0 {
      // A "/" at index `longest` still ends a candidate (the prefix before it), so look one byte further.
      let limit = min(length, longest + 1)
      var index = 0
      while index < limit {
        if base[index] == 47 {  // "/"
          if lengthUsed[index], let entry = table.find(base, index, hash: hasher.hash(ofPrefix: index)) {
            found = assetOfEntry[entry]
          }
          if index + 1 <= longest, lengthUsed[index + 1],
            let entry = table.find(base, index + 1, hash: hasher.hash(ofPrefix: index + 1))
          {
            found = assetOfEntry[entry]
          }
        }
        index += 1
      }
      if length <= longest, lengthUsed[length], let entry = table.find(base, length, hash: hasher.hash(ofPrefix: length)) {
        found = assetOfEntry[entry]
      }
    }
    return (found, wantHash ? hasher.hash(ofPrefix: length) : 0)
  }
}

/// A 64-bit hash of byte strings that folds eight bytes per multiply, and can give the hash of any
/// prefix of one string as it goes (prefixes must be asked for in increasing length). Murmur-style
/// mixing with a final avalanche: good enough to count distinct paths by hash.
struct WordHasher {
  private let base: UnsafePointer<UInt8>
  private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
  private var folded = 0

  @inline(__always)
  init(_ base: UnsafePointer<UInt8>) { self.base = base }

  @inline(__always)
  static func load(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    if count == 8 { return UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self).littleEndian }
    var word: UInt64 = 0
    for index in 0..<count { word |= UInt64(pointer[index]) << (8 * UInt64(index)) }
    return word
  }

  @inline(__always)
  static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
    var k = word &* 0x87C3_7B91_1142_53D5
    k = (k << 31) | (k >> 33)
    k = k &* 0x4CF5_AD43_2745_937F
    let h = state ^ k
    return ((h << 27) | (h >> 37)) &* 5 &+ 0x52DC_E729
  }

  @inline(__always)
  mutating func hash(ofPrefix length: Int) -> UInt64 {
    while folded + 8 <= length {
      state = Self.mix(state, Self.load(base + folded, 8))
      folded += 8
    }
    var h = state
    let rest = length - folded
    if rest > 0 { h = Self.mix(h, Self.load(base + folded, rest)) }
    h ^= UInt64(length)
    h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
    h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
    return h ^ (h >> 33)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
