/// An RFC 4180 reader that works on bytes: quoted fields with commas, doubled quotes and line breaks,
/// CRLF or LF, a leading BOM. It never builds a `String` per character: a record is a list of byte
/// ranges into the buffer, and only the fields a caller needs are ever decoded.
///
/// The reader is a set of functions over an `UnsafeBufferPointer<UInt8>` that holds whole records
/// (the engine feeds it blocks cut at record boundaries), so that several threads can parse parts of
/// one block at once.
public enum CSVRecords {
  public static let comma = UInt8(ascii: ",")
  public static let quote = UInt8(ascii: "\"")
  public static let newline = UInt8(ascii: "\n")
  public static let carriageReturn = UInt8(ascii: "\r")

  /// Where a field's bytes are: `start..<end`, and whether they need unescaping (a quoted field with
  /// doubled quotes inside).
  public struct Field: Sendable {
    public var start: Int
    public var end: Int
    public var hasEscapedQuotes: Bool

    public init(start: Int = 0, end: Int = 0, hasEscapedQuotes: Bool = false) {
      self.start = start
      self.end = end
      self.hasEscapedQuotes = hasEscapedQuotes
    }

    public var isEmpty: Bool { start == end }
  }

  public enum Outcome: Equatable, Sendable {
    /// A record was read; the next one starts at `next`.
    case record(next: Int)
    /// A line without any byte (skipped by callers).
    case emptyLine(next: Int)
    /// The buffer ends inside the record; more bytes are needed (or, at the end of the file, a quoted
    /// field was never closed).
    case incomplete
    /// The record is malformed; it ends at `next`, so reading can go on after it.
    case malformed(next: Int, reason: MalformedReason)
  }

  public enum MalformedReason: Equatable, Sendable {
    case textAfterClosingQuote
    case quoteInUnquotedField
    /// Bytes that are not UTF-8, on the record's line plus `lineOffset` (a quoted field may span lines).
    case invalidUTF8(lineOffset: Int)
  }

  /// Reads one record starting at `start`. `fields` is reused between calls to avoid allocating.
  /// `newlines` is increased by the line breaks the record spans (including its terminator), so that
  /// callers know physical line numbers. A record at the very end of the buffer without a line break
  /// counts as complete only when `atEnd` (the end of the file).
  ///
  /// A quote opens a quoted field only at the start of a field; anywhere else it is a stray quote: the
  /// record is malformed, but the quote does not change how the rest is split. ``BoundaryFinder``
  /// follows the same rule, so blocks are always cut where the parser sees a record boundary.
  @inline(__always)
  public static func read(
    _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, atEnd: Bool, fields: inout [Field], newlines: inout Int
  ) -> Outcome {
    let count = buffer.count
    fields.removeAll(keepingCapacity: true)
    guard start < count else { return .incomplete }
    if buffer[start] == newline {
      newlines += 1
      return .emptyLine(next: start + 1)
    }
    if buffer[start] == carriageReturn, start + 1 < count, buffer[start + 1] == newline {
      newlines += 1
      return .emptyLine(next: start + 2)
    }
    var index = start
    var lines = 0
    var malformed: MalformedReason?
    while true {
      if index < count, buffer[index] == quote {
        // A quoted field.
        index += 1
        let contentStart = index
        var escaped = false
        while true {
          guard index < count else { return .incomplete }
          let byte = buffer[index]
          if byte == quote {
            if index + 1 < count {
              if buffer[index + 1] == quote {
                escaped = true
                index += 2
                continue
              }
            } else if !atEnd {
              return .incomplete
            }
            break
          }
          if byte == newline {
            lines += 1
          } else if byte >= 0x80 {
            if let next = UTF8Check.skipSequence(buffer, at: index) {
              index = next
              continue
            }
            malformed = worse(malformed, .invalidUTF8(lineOffset: lines))
          }
          index += 1
        }
        fields.append(Field(start: contentStart, end: index, hasEscapedQuotes: escaped))
        index += 1
        // Anything between the closing quote and the separator is an error, kept out of the field.
        while index < count {
          let byte = buffer[index]
          if byte == comma || byte == newline { break }
          if byte == carriageReturn, index + 1 < count, buffer[index + 1] == newline { break }
          if byte == carriageReturn, index + 1 >= count, !atEnd { return .incomplete }
          if byte == carriageReturn, index + 1 >= count { break }
          malformed = worse(malformed, .textAfterClosingQuote)
          if byte >= 0x80, let next = UTF8Check.skipSequence(buffer, at: index) {
            index = next
            continue
          } else if byte >= 0x80 {
            malformed = worse(malformed, .invalidUTF8(lineOffset: lines))
          }
          index += 1
        }
      } else {
        // An unquoted field runs to the next comma or line break.
        let fieldStart = index
        while index < count {
          let byte = buffer[index]
          // Most bytes are ASCII above the comma (letters, digits, "/", ".", ":" …): one test for them.
          if byte &- 0x2D < 0x53 {
            index += 1
            continue
          }
          if byte == comma || byte == newline { break }
          if byte >= 0x80 {
            // Japanese text is mostly three-byte sequences with a lead from E1 to EC: checked here
            // without a call; everything else goes through the full check.
            if byte &- 0xE1 < 0x0C, index + 2 < count, buffer[index + 1] & 0xC0 == 0x80,
              buffer[index + 2] & 0xC0 == 0x80
            {
              index += 3
              continue
            }
            if let next = UTF8Check.skipSequence(buffer, at: index) {
              index = next
              continue
            }
            malformed = worse(malformed, .invalidUTF8(lineOffset: lines))
          } else if byte == quote {
            malformed = worse(malformed, .quoteInUnquotedField)
          }
          index += 1
        }
        var fieldEnd = index
        if fieldEnd > fieldStart, buffer[fieldEnd - 1] == carriageReturn, index < count || atEnd {
          fieldEnd -= 1
        }
        fields.append(Field(start: fieldStart, end: fieldEnd))
      }
      // After a field: a comma (another field follows), a line break, or the end of the file.
      guard index < count else {
        guard atEnd else { return .incomplete }
        return finish(index, lines, &newlines, malformed)
      }
      switch buffer[index] {
      case comma:
        index += 1
      case carriageReturn:
        // Only reached after a quoted field: CR LF, or CR at the very end of the file.
        if index + 1 < count { return finish(index + 2, lines + 1, &newlines, malformed) }
        return atEnd ? finish(index + 1, lines, &newlines, malformed) : .incomplete
      default:
        return finish(index + 1, lines + 1, &newlines, malformed)
      }
    }
  }

  @inline(__always)
  static func finish(_ next: Int, _ lines: Int, _ newlines: inout Int, _ malformed: MalformedReason?) -> Outcome {
    newlines += lines
    if let malformed { return .malformed(next: next, reason: malformed) }
    return .record(next: next)
  }

  /// Invalid UTF-8 concerns the whole file, so it wins over a record's other faults.
  @inline(__always)
  static func worse(_ current: MalformedReason?, _ new: MalformedReason) -> MalformedReason {
    if case .invalidUTF8? = current { return current! }
    if case .invalidUTF8 = new { return new }
    return current ?? new
  }

  /// The bytes of a field, with doubled quotes undone.
  public static func bytes(of field: Field, in buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    guard field.hasEscapedQuotes else { return Array(buffer[field.start..<field.end]) }
    var result: [UInt8] = []
    result.reserveCapacity(field.end - field.start)
    var index = field.start
    while index < field.end {
      let byte = buffer[index]
      result.append(byte)
      index += byte == quote ? 2 : 1
    }
    return result
  }

  public static func string(of field: Field, in buffer: UnsafeBufferPointer<UInt8>) -> String {
    if field.hasEscapedQuotes { return String(decoding: bytes(of: field, in: buffer), as: UTF8.self) }
    return String(decoding: UnsafeBufferPointer(rebasing: buffer[field.start..<field.end]), as: UTF8.self)
  }

  // MARK: - Cutting blocks at record boundaries

  /// The quote state of a block, followed from quote to quote: enough to find record boundaries
  /// without looking at every byte when quotes are rare, as they are in logs.
  public struct BoundaryFinder {
    let buffer: UnsafeBufferPointer<UInt8>
    /// Everything before `position` has been followed; `inQuotes` is the state there.
    var position = 0
    var inQuotes = false

    public init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    /// The start of the first record at or after `target` (nil when the buffer ends first).
    public mutating func recordStart(atOrAfter target: Int) -> Int? {
      advance(to: target)
      var index = max(target, position)
      while true {
        guard let lineBreak = Self.find(CSVRecords.newline, in: buffer, from: index) else { return nil }
        advance(to: lineBreak)
        if !inQuotes { return lineBreak + 1 }
        index = lineBreak + 1
      }
    }

    /// Follows quotes up to (not including) `target`.
    mutating func advance(to target: Int) {
      while position < target {
        guard let nextQuote = Self.find(CSVRecords.quote, in: buffer, from: position), nextQuote < target else {
          position = target
          return
        }
        if inQuotes {
          if nextQuote + 1 < buffer.count, buffer[nextQuote + 1] == CSVRecords.quote {
            position = nextQuote + 2
            continue
          }
          inQuotes = false
        } else {
          // A quote opens a quoted field only at the start of a field; elsewhere it is a stray quote,
          // which the parser reports.
          let previous = nextQuote == 0 ? CSVRecords.newline : buffer[nextQuote - 1]
          if previous == CSVRecords.comma || previous == CSVRecords.newline { inQuotes = true }
        }
        position = nextQuote + 1
      }
    }

    static func find(_ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
      guard start < buffer.count, let base = buffer.baseAddress else { return nil }
      guard let found = memchr(base + start, Int32(byte), buffer.count - start) else { return nil }
      return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
  }
}

/// UTF-8 validation without decoding, for the bytes above 0x7F.
public enum UTF8Check {
  /// The index after the well-formed sequence starting at `index`, or nil when it is not well-formed
  /// (overlong forms, surrogates and code points above U+10FFFF included).
  @inline(__always)
  public static func skipSequence(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
    let count = buffer.count
    let lead = buffer[index]
    @inline(__always) func continuation(_ offset: Int) -> Bool {
      index + offset < count && buffer[index + offset] & 0xC0 == 0x80
    }
    switch lead {
    case 0xC2...0xDF:
      return continuation(1) ? index + 2 : nil
    case 0xE0:
      guard index + 2 < count, (0xA0...0xBF).contains(buffer[index + 1]), continuation(2) else { return nil }
      return index + 3
    case 0xE1...0xEC, 0xEE...0xEF:
      return continuation(1) && continuation(2) ? index + 3 : nil
    case 0xED:
      guard index + 2 < count, (0x80...0x9F).contains(buffer[index + 1]), continuation(2) else { return nil }
      return index + 3
    case 0xF0:
      guard index + 3 < count, (0x90...0xBF).contains(buffer[index + 1]), continuation(2), continuation(3) else {
        return nil
      }
      return index + 4
    case 0xF1...0xF3:
      return continuation(1) && continuation(2) && continuation(3) ? index + 4 : nil
    case 0xF4:
      guard index + 3 < count, (0x80...0x8F).contains(buffer[index + 1]), continuation(2), continuation(3) else {
        return nil
      }
      return index + 4
    default:
      return nil
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
