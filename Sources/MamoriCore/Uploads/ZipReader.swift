import Foundation
import ZIPFoundation

/// Why a zip archive was refused, in English, to be shown after the file's name.
public struct ZipError: Error, CustomStringConvertible, Sendable, Equatable {
  public var reason: String
  public var description: String { reason }

  public init(reason: String) { self.reason = reason }
}

/// A zip archive read from bytes nobody vouches for (an uploaded workbook).
///
/// ZIPFoundation's `Archive(data:)` is not used on such bytes: it trusts the offsets of the central
/// directory (a bad one traps in `Archive+MemoryFile.swift`, "Range requires lowerBound <= upperBound")
/// and the uncompressed size an entry claims (a part that claims 100 bytes inflated to gigabytes). Here
/// every offset and length is checked against the bytes before it is used, only the parts that are
/// asked for are inflated, and inflating stops as soon as a part produces more than it claims or than
/// the limits below allow.
///
/// Only what workbooks use is read: one disk, no ZIP64, no encryption, methods store (0) and deflate (8).
public struct ZipReader: Sendable {
  /// An export has 10 parts and Excel's own workbooks a few dozen; a central directory of 100,000
  /// entries would only cost time.
  public static let maximumEntries = 1_000
  /// Part names of a workbook are short paths.
  public static let maximumNameBytes = 1_024
  /// No part a workbook is read for is anywhere near this large once inflated (a sheet of 1,000 rows
  /// is about 0.5 MiB).
  public static let maximumPartBytes = 16 << 20
  /// All parts read from one archive together.
  public static let maximumTotalBytes = 32 << 20
  /// XML deflates about 10 to 1, very repetitive sheets up to 100 to 1; a bomb reaches 1,000 to 1.
  public static let maximumRatio = 200
  /// Below this size a part is not held to the ratio (a few hundred zeros compress very well too).
  public static let ratioFloorBytes = 1 << 20

  public struct Entry: Sendable, Equatable {
    public var name: String
    public var method: UInt16
    public var flags: UInt16
    public var crc32: UInt32
    public var compressedSize: Int
    public var uncompressedSize: Int
    public var localHeaderOffset: Int
  }

  /// The entries in the order of the central directory.
  public let entries: [Entry]
  let index: [String: Int]
  let bytes: Data
  /// Where the central directory starts: no entry's data may reach into it.
  let centralDirectoryOffset: Int

  public init(data: Data) throws(ZipError) {
    // Work on a copy that starts at index 0, whatever slice the caller passes.
    let bytes = Data(data)
    self.bytes = bytes
    let count = bytes.count
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }

    // End of central directory: 22 bytes, then a comment of at most 65,535 bytes, at the very end.
    let eocdSize = 22
    guard count >= eocdSize else { throw ZipError(reason: "is not an .xlsx workbook (not a zip archive)") }
    var eocd: Int?
    var position = count - eocdSize
    let lowest = max(0, count - eocdSize - 0xFFFF)
    while position >= lowest {
      if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 0x05, bytes[position + 3] == 0x06,
        position + eocdSize + u16(position + 20) == count
      {
        eocd = position
        break
      }
      position -= 1
    }
    guard let eocd else { throw ZipError(reason: "is not an .xlsx workbook (not a zip archive)") }
    let disk = u16(eocd + 4)
    let directoryDisk = u16(eocd + 6)
    let entriesOnDisk = u16(eocd + 8)
    let entryCount = u16(eocd + 10)
    let directorySize = u32(eocd + 12)
    let directoryOffset = u32(eocd + 16)
    if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
      throw ZipError(reason: "is a ZIP64 archive, which no workbook of an accepted size needs")
    }
    guard disk == 0, directoryDisk == 0, entriesOnDisk == entryCount else {
      throw ZipError(reason: "is a zip archive split over several disks")
    }
    guard entryCount <= Self.maximumEntries else {
      throw ZipError(reason: "has \(entryCount) parts; a workbook is refused above \(Self.maximumEntries)")
    }
    guard directoryOffset <= eocd, directorySize <= eocd - directoryOffset else {
      throw ZipError(reason: "is a damaged zip archive (its directory lies outside the file)")
    }
    self.centralDirectoryOffset = directoryOffset

    var entries: [Entry] = []
    var index: [String: Int] = [:]
    entries.reserveCapacity(entryCount)
    position = directoryOffset
    let directoryEnd = directoryOffset + directorySize
    for _ in 0..<entryCount {
      guard directoryEnd - position >= 46, u32(position) == 0x0201_4B50 else {
        throw ZipError(reason: "is a damaged zip archive (a directory entry is cut short or misplaced)")
      }
      let flags = u16(position + 8)
      let method = u16(position + 10)
      let crc = UInt32(u32(position + 16))
      let compressedSize = u32(position + 20)
      let uncompressedSize = u32(position + 24)
      let nameLength = u16(position + 28)
      let extraLength = u16(position + 30)
      let commentLength = u16(position + 32)
      let startDisk = u16(position + 34)
      let localOffset = u32(position + 42)
      let entrySize = 46 + nameLength + extraLength + commentLength
      guard entrySize <= directoryEnd - position else {
        throw ZipError(reason: "is a damaged zip archive (a directory entry is cut short)")
      }
      guard nameLength <= Self.maximumNameBytes else {
        throw ZipError(reason: "has a part name longer than \(Self.maximumNameBytes) bytes")
      }
      let name = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
      if compressedSize == 0xFFFF_FFFF || uncompressedSize == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
        throw ZipError(reason: "is a ZIP64 archive, which no workbook of an accepted size needs")
      }
      guard startDisk == 0 else { throw ZipError(reason: "is a zip archive split over several disks") }
      guard index[name] == nil else { throw ZipError(reason: "has two parts named \(Self.printable(name))") }
      index[name] = entries.count
      entries.append(
        Entry(
          name: name, method: UInt16(method), flags: UInt16(flags), crc32: crc, compressedSize: compressedSize,
          uncompressedSize: uncompressedSize, localHeaderOffset: localOffset))
      position += entrySize
    }
    self.entries = entries
    self.index = index
  }

  public func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

  /// A part name fit for a message: control characters replaced, at most 100 characters.
  static func printable(_ name: String) -> String {
    let cleaned = String(String.UnicodeScalarView(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    return cleaned.count > 100 ? String(cleaned.prefix(100)) + "…" : cleaned
  }

  /// What may still be inflated from one archive; shared by the parts read from it.
  public struct Budget: Sendable {
    public var remainingBytes: Int

    public init(bytes: Int = ZipReader.maximumTotalBytes) { remainingBytes = bytes }
  }

  /// The inflated bytes of a part, or nil when the archive has none of that name. Refuses a part that
  /// is encrypted, uses another method than store or deflate, claims or produces more than the limits,
  /// produces another size than it claims, or whose CRC-32 differs.
  public func read(_ name: String, budget: inout Budget) throws(ZipError) -> Data? {
    guard let entry = entry(name) else { return nil }
    let shown = Self.printable(name)
    guard entry.flags & 1 == 0 else { throw ZipError(reason: "has an encrypted part \(shown)") }
    guard entry.method == 0 || entry.method == 8 else {
      throw ZipError(reason: "has a part \(shown) compressed with method \(entry.method); only store and deflate are read")
    }
    guard entry.uncompressedSize <= Self.maximumPartBytes else {
      throw ZipError(reason: "has a part \(shown) of \(entry.uncompressedSize) bytes unpacked; parts are refused above \(Self.maximumPartBytes >> 20) MiB")
    }
    guard entry.uncompressedSize <= budget.remainingBytes else {
      throw ZipError(reason: "unpacks to more than \(Self.maximumTotalBytes >> 20) MiB in all; workbooks are refused above that")
    }
    guard entry.uncompressedSize <= max(Self.ratioFloorBytes, entry.compressedSize * Self.maximumRatio) else {
      throw ZipError(reason: "has a part \(shown) that claims to unpack more than \(Self.maximumRatio) times its size (a zip bomb)")
    }

    // The local header: its own name and extra field lengths decide where the data starts.
    let local = entry.localHeaderOffset
    let count = bytes.count
    guard local <= count - 30, bytes[local] == 0x50, bytes[local + 1] == 0x4B, bytes[local + 2] == 0x03, bytes[local + 3] == 0x04
    else {
      throw ZipError(reason: "is a damaged zip archive (the header of \(shown) is missing)")
    }
    let localMethod = Int(bytes[local + 8]) | Int(bytes[local + 9]) << 8
    let nameLength = Int(bytes[local + 26]) | Int(bytes[local + 27]) << 8
    let extraLength = Int(bytes[local + 28]) | Int(bytes[local + 29]) << 8
    let start = local + 30 + nameLength + extraLength
    guard localMethod == Int(entry.method), start <= centralDirectoryOffset,
      entry.compressedSize <= centralDirectoryOffset - start
    else {
      throw ZipError(reason: "is a damaged zip archive (the data of \(shown) lies outside the file)")
    }
    let compressed = bytes[start..<(start + entry.compressedSize)]

    let output: Data
    let crc: UInt32
    if entry.method == 0 {
      guard entry.compressedSize == entry.uncompressedSize else {
        throw ZipError(reason: "has a stored part \(shown) whose sizes disagree")
      }
      output = Data(compressed)
      crc = output.crc32(checksum: 0)
    } else {
      (output, crc) = try Self.inflate(compressed, claimed: entry.uncompressedSize, name: shown)
    }
    guard output.count == entry.uncompressedSize else {
      throw ZipError(reason: "has a part \(shown) that unpacks to \(output.count) bytes where its header says \(entry.uncompressedSize)")
    }
    guard crc == entry.crc32 else { throw ZipError(reason: "has a damaged part \(shown) (its CRC-32 differs)") }
    budget.remainingBytes -= output.count
    return output
  }

  /// Inflates a raw deflate stream, counting what comes out: the first byte past what the part claims
  /// stops it (so a bomb costs at most its claimed size, itself bounded by the limits above).
  ///
  /// ZIPFoundation's inflater on Linux (`Data.decode`) has two traps this avoids. It tells zlib that
  /// every chunk the provider returns holds `bufferSize` bytes, whatever it really holds; and it asks
  /// for more input for as long as the stream has not ended, looping for ever once the provider returns
  /// nothing: that is the endless loop of `hang-corrupt-zip.xlsx`, whose sheet's stream does not end
  /// within the file, under `Archive`, whose provider returns empty chunks at the end of the file. Here
  /// the whole compressed part is one chunk of exactly `bufferSize` bytes, and the provider throws when
  /// asked for more: a stream that has not ended by then is cut short.
  static func inflate(_ compressed: Data, claimed: Int, name: String) throws(ZipError) -> (Data, UInt32) {
    enum Stop: Error {
      case truncated
      case tooLarge
    }
    let input = Data(compressed)
    guard !input.isEmpty else {
      throw ZipError(reason: "has a damaged part \(name) (its compressed data is empty)")
    }
    var served = false
    var output = Data()
    output.reserveCapacity(min(claimed, Self.maximumPartBytes))
    do {
      let crc = try Data.decompress(
        size: Int64(input.count), bufferSize: input.count, skipCRC32: false,
        provider: { _, _ in
          guard !served else { throw Stop.truncated }
          served = true
          return input
        },
        consumer: { piece in
          guard piece.count <= claimed - output.count else { throw Stop.tooLarge }
          output.append(piece)
        })
      return (output, crc)
    } catch Stop.tooLarge {
      throw ZipError(reason: "has a part \(name) that unpacks to more than the \(claimed) bytes its header says (a zip bomb?)")
    } catch Stop.truncated {
      throw ZipError(reason: "has a damaged part \(name) (its compressed data ends before its stream does)")
    } catch {
      throw ZipError(reason: "has a damaged part \(name) (it does not inflate)")
    }
  }
}
