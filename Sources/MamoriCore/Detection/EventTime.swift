/// An event's timestamp: `YYYY-MM-DDTHH:MM:SS`, optional `.` and 1 to 9 digits, then `Z` or `±HH:MM`,
/// parsed strictly from bytes. The local date and hour are those written (the event's own offset); the
/// instant is exact to the nanosecond for ordering.
///
/// The text is not kept: in this strict format it follows from the instant, the offset, how the offset
/// was written (`Z`, `+`, `-`) and how many fraction digits were written, so 16 bytes give it back
/// exactly (see ``text``).
public struct EventTime: Sendable, Equatable {
  /// Seconds since 1970-01-01T00:00:00Z.
  public var seconds: Int64
  public var nanoseconds: Int32
  /// The offset from UTC in minutes.
  public var offsetMinutes: Int16
  /// Fraction digits written (0–9) in the low bits; `Z` (0), `+` (1) or `-` (2) in the high bits.
  public var format: UInt8

  /// Seconds of the local wall clock since 1970-01-01T00:00:00.
  @inline(__always)
  var localSeconds: Int64 { seconds + Int64(offsetMinutes) * 60 }

  /// The local calendar day, as days since 1970-01-01.
  @inline(__always)
  public var localDay: Int32 {
    let local = localSeconds
    return Int32(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
  }

  @inline(__always)
  public var localHour: Int8 {
    let local = localSeconds
    let secondOfDay = ((local % 86_400) + 86_400) % 86_400
    return Int8(secondOfDay / 3600)
  }

  /// The timestamp exactly as it was written.
  public var text: String {
    let local = localSeconds
    let day = CivilDate(daysSinceEpoch: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    let secondOfDay = Int(((local % 86_400) + 86_400) % 86_400)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Self.maximumLength)
    func digits(_ value: Int, _ count: Int) {
      var divisor = 1
      for _ in 1..<count { divisor *= 10 }
      var rest = value
      while divisor > 0 {
        bytes.append(UInt8(48 + rest / divisor))
        rest %= divisor
        divisor /= 10
      }
    }
    digits(day.year, 4)
    bytes.append(45)
    digits(day.month, 2)
    bytes.append(45)
    digits(day.day, 2)
    bytes.append(84)
    digits(secondOfDay / 3600, 2)
    bytes.append(58)
    digits((secondOfDay % 3600) / 60, 2)
    bytes.append(58)
    digits(secondOfDay % 60, 2)
    let fraction = Int(format & 0x0F)
    if fraction > 0 {
      bytes.append(46)
      var value = Int(nanoseconds)
      for _ in fraction..<9 { value /= 10 }
      digits(value, fraction)
    }
    if format >> 4 == 0 {
      bytes.append(90)
    } else {
      bytes.append(format >> 4 == 2 ? 45 : 43)
      let minutes = abs(Int(offsetMinutes))
      digits(minutes / 60, 2)
      bytes.append(58)
      digits(minutes % 60, 2)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The contract's order among events of one alert: by instant, then by text in code-point order.
  @inline(__always)
  public func precedes(_ other: EventTime) -> Bool {
    if seconds != other.seconds { return seconds < other.seconds }
    if nanoseconds != other.nanoseconds { return nanoseconds < other.nanoseconds }
    if offsetMinutes == other.offsetMinutes, format == other.format { return false }
    return text.utf8.lexicographicallyPrecedes(other.text.utf8)
  }

  public static let maximumLength = 35

  /// Parses the bytes `start..<end` of `buffer`; nil for anything that is not exactly the format.
  @inline(__always)
  public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> EventTime? {
    let length = end - start
    guard length >= 20, length <= maximumLength else { return nil }
    @inline(__always) func digit(_ offset: Int) -> Int? {
      let value = Int(buffer[start + offset]) &- 48
      return value >= 0 && value <= 9 ? value : nil
    }
    @inline(__always) func two(_ offset: Int) -> Int? {
      guard let a = digit(offset), let b = digit(offset + 1) else { return nil }
      return a * 10 + b
    }
    guard let y1 = two(0), let y2 = two(2), buffer[start + 4] == 45, let month = two(5), buffer[start + 7] == 45,
      let day = two(8), buffer[start + 10] == 84, let hour = two(11), buffer[start + 13] == 58,
      let minute = two(14), buffer[start + 16] == 58, let second = two(17)
    else { return nil }
    let year = y1 * 100 + y2
    guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year), hour <= 23,
      minute <= 59, second <= 59
    else { return nil }
    var index = 19
    var nanos = 0
    var digits = 0
    if buffer[start + index] == 46 {  // "."
      index += 1
      while start + index < end, let value = digit(index) {
        nanos = nanos * 10 + value
        digits += 1
        index += 1
      }
      guard digits >= 1, digits <= 9 else { return nil }
      for _ in digits..<9 { nanos *= 10 }
    }
    guard start + index < end else { return nil }
    var offset = 0
    var kind: UInt8 = 0
    let sign = buffer[start + index]
    if sign == 90 {  // "Z"
      guard start + index + 1 == end else { return nil }
    } else if sign == 43 || sign == 45 {  // "+" / "-"
      guard start + index + 6 == end, let offsetHours = two(index + 1), buffer[start + index + 3] == 58,
        let offsetMinutes = two(index + 4), offsetHours <= 23, offsetMinutes <= 59
      else { return nil }
      offset = (offsetHours * 60 + offsetMinutes) * (sign == 45 ? -1 : 1)
      kind = sign == 45 ? 2 : 1
    } else {
      return nil
    }
    guard year >= 1 else { return nil }
    let localDay = CivilDate.unchecked(year: year, month: month, day: day)
    let localSeconds = Int64(localDay) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    return EventTime(
      seconds: localSeconds - Int64(offset) * 60, nanoseconds: Int32(nanos), offsetMinutes: Int16(offset),
      format: kind << 4 | UInt8(digits))
  }

  /// Equal instants, whatever the offsets they were written in.
  @inline(__always)
  public func isSameInstant(as other: EventTime) -> Bool {
    seconds == other.seconds && nanoseconds == other.nanoseconds
  }

  @inline(__always)
  public static func < (lhs: EventTime, rhs: EventTime) -> Bool {
    lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanoseconds < rhs.nanoseconds
  }
}

extension CivilDate {
  /// Days since the epoch of a date already known to be valid, without building a `CivilDate`.
  @inline(__always)
  static func unchecked(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }
}

