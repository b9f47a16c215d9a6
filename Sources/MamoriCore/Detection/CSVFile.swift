import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A problem with an input file, at a line (1 is the header) or with the whole file.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var reason: String
  /// Concerns the whole file (no header, a missing column, invalid UTF-8, an unterminated quote): it
  /// stops the run even with `--skip-invalid`.
  public var isFatal: Bool

  public init(file: String, line: Int?, reason: String, isFatal: Bool = false) {
    self.file = file
    self.line = line
    self.reason = reason
    self.isFatal = isFatal
  }

  public var description: String {
    if let line { return "\(file):\(line): \(reason)" }
    return "\(file): \(reason)"
  }
}

/// Memory for one block; grows only if a single record is larger than it.
final class BlockBuffer: @unchecked Sendable {
  private(set) var storage: UnsafeMutableBufferPointer<UInt8>

  init(size: Int) { storage = .allocate(capacity: size) }

  deinit { storage.deallocate() }

  func grow(keeping count: Int) {
    let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: storage.count * 2)
    larger.baseAddress!.update(from: storage.baseAddress!, count: count)
    storage.deallocate()
    storage = larger
  }
}

/// Reads a CSV file in blocks of whole records, never holding the whole file: each block ends at a
/// record boundary, and the bytes of the record cut at its end are carried into the next block. Blocks
/// go into buffers the caller owns, so that several can be parsed at once.
final class CSVFile {
  let path: String
  let name: String
  private let descriptor: Int32
  private var carry: [UInt8] = []
  private var reachedEnd = false
  private var atFileStart = true

  init(path: String, name: String) throws {
    self.path = path
    self.name = name
    descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw InputError(file: name, line: nil, reason: "cannot be read: \(String(cString: strerror(errno)))", isFatal: true)
    }
  }

  deinit { close(descriptor) }

  /// A block of whole records, valid while its buffer is not reused.
  struct Block {
    var bytes: UnsafeBufferPointer<UInt8>
    var isLast: Bool
  }

  /// Fills `buffer` with the next block, or returns nil at the end of the file.
  func nextBlock(into buffer: BlockBuffer) throws -> Block? {
    var filled = carry.count
    if filled > 0 {
      while buffer.storage.count < filled * 2 { buffer.grow(keeping: 0) }
      carry.withUnsafeBufferPointer { buffer.storage.baseAddress!.update(from: $0.baseAddress!, count: filled) }
      carry.removeAll(keepingCapacity: true)
    }
    while true {
      if !reachedEnd { filled = try fill(buffer, from: filled) }
      let storage = buffer.storage
      if atFileStart, filled >= 3, storage[0] == 0xEF, storage[1] == 0xBB, storage[2] == 0xBF {
        storage.baseAddress!.update(from: storage.baseAddress! + 3, count: filled - 3)
        filled -= 3
      }
      if filled > 0 { atFileStart = false }
      let view = UnsafeBufferPointer(rebasing: storage[0..<filled])
      if reachedEnd {
        guard filled > 0 else { return nil }
        return Block(bytes: view, isLast: true)
      }
      if let end = Self.lastRecordEnd(in: view) {
        carry.append(contentsOf: view[end..<filled])
        return Block(bytes: UnsafeBufferPointer(rebasing: view[0..<end]), isLast: false)
      }
      // One record is longer than the buffer: make room and read on.
      buffer.grow(keeping: filled)
    }
  }

  private func fill(_ buffer: BlockBuffer, from start: Int) throws -> Int {
    var filled = start
    let storage = buffer.storage
    while filled < storage.count {
      let count = read(descriptor, storage.baseAddress! + filled, storage.count - filled)
      if count < 0 {
        if errno == EINTR { continue }
        throw InputError(file: name, line: nil, reason: "cannot be read: \(String(cString: strerror(errno)))", isFatal: true)
      }
      if count == 0 {
        reachedEnd = true
        break
      }
      filled += count
    }
    return filled
  }

  /// The end of the last complete record: just after the last line break outside quotes.
  static func lastRecordEnd(in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = buffer.baseAddress else { return nil }
    var searchEnd = buffer.count
    while searchEnd > 0 {
      var position = searchEnd - 1
      while position >= 0, base[position] != CSVRecords.newline { position -= 1 }
      guard position >= 0 else { return nil }
      var finder = CSVRecords.BoundaryFinder(buffer)
      finder.advance(to: position)
      if !finder.inQuotes { return position + 1 }
      searchEnd = position
    }
    return nil
  }
}

/// The header of a CSV file: column positions by name.
struct CSVHeader {
  var names: [String]
  var columnCount: Int { names.count }

  /// Matches names trimmed of spaces, case-insensitively; when a name occurs twice the first wins.
  func index(of name: String) -> Int? {
    names.firstIndex(of: name)
  }

  static func normalise(_ raw: String) -> String {
    raw.trimmingSpaces().lowercased()
  }

  /// Reads the header record from the start of a file's first block, and returns where data starts.
  static func read(_ file: CSVFile, block: CSVFile.Block) throws -> (CSVHeader, dataStart: Int, lines: Int) {
    var fields: [CSVRecords.Field] = []
    var newlines = 0
    var position = 0
    while true {
      switch CSVRecords.read(block.bytes, from: position, atEnd: block.isLast, fields: &fields, newlines: &newlines) {
      case .emptyLine(let next):
        position = next
        continue
      case .record(let next):
        let names = fields.map { normalise(CSVRecords.string(of: $0, in: block.bytes)) }
        return (CSVHeader(names: names), next, newlines)
      case .malformed(_, let reason):
        if case .invalidUTF8(let offset) = reason {
          throw InputError(file: file.name, line: 1 + newlines + offset, reason: "is not valid UTF-8", isFatal: true)
        }
        throw InputError(file: file.name, line: 1 + newlines, reason: "has a malformed header", isFatal: true)
      case .incomplete:
        if block.isLast, position < block.bytes.count {
          throw InputError(file: file.name, line: 1 + newlines, reason: "has an unterminated quoted field", isFatal: true)
        }
        throw InputError(file: file.name, line: 1, reason: "is empty: it has no header", isFatal: true)
      }
    }
  }

  func require(_ columns: [String], file: String) throws -> [Int] {
    let missing = columns.filter { index(of: $0) == nil }
    guard missing.isEmpty else {
      throw InputError(
        file: file, line: 1, reason: "lacks the required column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))",
        isFatal: true)
    }
    return columns.map { index(of: $0)! }
  }
}
