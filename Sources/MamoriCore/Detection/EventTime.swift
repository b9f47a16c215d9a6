/// An event's timestamp: `YYYY-MM-DDTHH:MM:SS`, optional `.` and 1 to 9 digits, then `Z` or `±HH:MM`,
/// parsed strictly from bytes. The local date and hour are those written (the event's own offset); the
/// instant is exact to the nanosecond for ordering.
public struct EventTime: Sendable, Equatable {
  /// Seconds since 1970-01-01T00:00:00Z.
  public var seconds: Int64
  public var nanoseconds: Int32
  /// The local calendar day, as days since 1970-01-01.
  public var localDay: Int32
  public var localHour: Int8

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
    if buffer[start + index] == 46 {  // "."
      index += 1
      var digits = 0
      while start + index < end, let value = digit(index) {
        nanos = nanos * 10 + value
        digits += 1
        index += 1
      }
      guard digits >= 1, digits <= 9 else { return nil }
      for _ in digits..<9 { nanos *= 10 }
    }
    guard start + index < end else { return nil }
    var offsetSeconds = 0
    let sign = buffer[start + index]
    if sign == 90 {  // "Z"
      guard start + index + 1 == end else { return nil }
    } else if sign == 43 || sign == 45 {  // "+" / "-"
      guard start + index + 6 == end, let offsetHours = two(index + 1), buffer[start + index + 3] == 58,
        let offsetMinutes = two(index + 4), offsetHours <= 23, offsetMinutes <= 59
      else { return nil }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (sign == 45 ? -1 : 1)
    } else {
      return nil
    }
    guard year >= 1 else { return nil }
    let localDay = CivilDate.unchecked(year: year, month: month, day: day)
    let localSeconds = Int64(localDay) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    return EventTime(
      seconds: localSeconds - Int64(offsetSeconds), nanoseconds: Int32(nanos), localDay: Int32(localDay),
      localHour: Int8(hour))
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

/// A timestamp's text, kept inline (no allocation) so that `first` and `last` can be written exactly as
/// they were given.
public struct TimestampText: Sendable, Equatable, Comparable {
  var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0, w4: UInt64 = 0
  var length: UInt8 = 0

  @inline(__always)
  public init(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
    length = UInt8(end - start)
    withUnsafeMutableBytes(of: &self) { raw in
      for index in 0..<(end - start) { raw[index] = buffer[start + index] }
    }
  }

  public init() {}

  public var string: String {
    var copy = self
    return withUnsafeBytes(of: &copy) { raw in
      String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<Int(length)]), as: UTF8.self)
    }
  }

  /// Code-point order, which for UTF-8 (and these ASCII texts) is byte order.
  public static func < (lhs: TimestampText, rhs: TimestampText) -> Bool {
    var a = lhs
    var b = rhs
    return withUnsafeBytes(of: &a) { x in
      withUnsafeBytes(of: &b) { y in
        let n = min(Int(lhs.length), Int(rhs.length))
        for index in 0..<n where x[index] != y[index] { return x[index] < y[index] }
        return lhs.length < rhs.length
      }
    }
  }
}
