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
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for index in 0..<length {
      hash = (hash ^ UInt64(pointer[index])) &* 0x0000_0100_0000_01B3
    }
    return hash
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

  /// The asset index for the object bytes `start..<end`, or -1 when no location matches.
  ///
  /// Candidates are tried shortest first as the hash grows along the object, and the last one found
  /// (the longest) wins; only lengths that some location has are looked up at all.
  @inline(__always)
  public func match(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int32 {
    let length = end - start
    let longest = lengthUsed.count - 1
    guard length > 0, longest > 0 else { return -1 }
    let base = buffer.baseAddress! + start
    var found: Int32 = -1
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    // A "/" at index `longest` still ends a candidate (the prefix before it), so look one byte further.
    let limit = min(length, longest + 1)
    var index = 0
    while index < limit {
      let byte = base[index]
      if byte == 47 {  // "/": the prefix before it, then the prefix including it
        if lengthUsed[index], let entry = table.find(base, index, hash: hash) { found = assetOfEntry[entry] }
        hash = (hash ^ 47) &* 0x0000_0100_0000_01B3
        if index + 1 <= longest, lengthUsed[index + 1], let entry = table.find(base, index + 1, hash: hash) {
          found = assetOfEntry[entry]
        }
      } else {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
      }
      index += 1
    }
    if length <= longest, lengthUsed[length], let entry = table.find(base, length, hash: hash) {
      found = assetOfEntry[entry]
    }
    return found
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
