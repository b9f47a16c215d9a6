import Foundation

/// A calendar day without a time or a zone, as people write it: exit dates, notice dates, hire dates.
///
/// Stored as `YYYY-MM-DD` text so that SQLite and PostgreSQL hold the same value and no time zone can
/// move a leaver's last day by one.
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...CivilDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses exactly `YYYY-MM-DD`; anything else (other separators, missing zero padding) is rejected.
  public init?(iso text: some StringProtocol) {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      return nil
    }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for index in range {
        let byte = bytes[index]
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      return value
    }
    guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
    self.init(year: y, month: m, day: d)
  }

  /// Days since 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`.
  public var daysSinceEpoch: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  public init(daysSinceEpoch z0: Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
    self.month = m
    self.day = d
  }

  /// The day on which `instant` falls in `timeZone`.
  public init(_ instant: Date, in timeZone: TimeZone) {
    let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    self.init(daysSinceEpoch: days)
  }

  public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

  /// The instant this day begins in `timeZone` (its local midnight).
  public func start(in timeZone: TimeZone) -> Date {
    let midnightUTC = Date(timeIntervalSince1970: TimeInterval(daysSinceEpoch) * 86_400)
    // The offset at local midnight can differ from the one at UTC midnight around a DST change.
    let guess = midnightUTC - TimeInterval(timeZone.secondsFromGMT(for: midnightUTC))
    return midnightUTC - TimeInterval(timeZone.secondsFromGMT(for: guess))
  }

  public func days(until other: CivilDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

  /// 0 = Sunday … 6 = Saturday.
  public var weekday: Int {
    let w = (daysSinceEpoch + 4) % 7
    return w >= 0 ? w : w + 7
  }

  public var iso: String {
    // Built by hand: String(format:) goes through Foundation and shows up when thousands of dates are
    // written.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(10)
    var y = year
    var digits = [UInt8](repeating: 48, count: 4)
    for index in stride(from: 3, through: 0, by: -1) {
      digits[index] = UInt8(48 + y % 10)
      y /= 10
    }
    bytes.append(contentsOf: digits)
    bytes.append(45)
    bytes.append(UInt8(48 + month / 10))
    bytes.append(UInt8(48 + month % 10))
    bytes.append(45)
    bytes.append(UInt8(48 + day / 10))
    bytes.append(UInt8(48 + day % 10))
    return String(decoding: bytes, as: UTF8.self)
  }

  public var description: String { iso }

  public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }

  public static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let date = CivilDate(iso: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "expected a date as YYYY-MM-DD, got \(text)")
    }
    self = date
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(iso)
  }
}
