import Foundation

/// Dates as people read them: 2026年3月2日 in Japanese, 2 March 2026 in English.
public enum DateDisplay {
  static let englishMonths = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
  ]
  static let japaneseWeekdays = ["日", "月", "火", "水", "木", "金", "土"]
  static let englishWeekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

  public static func date(_ date: CivilDate, _ language: Language) -> String {
    switch language {
    case .ja: return "\(date.year)年\(date.month)月\(date.day)日"
    case .en: return "\(date.day) \(englishMonths[date.month - 1]) \(date.year)"
    }
  }

  /// A date given as YYYY, YYYY-MM or YYYY-MM-DD (a source's date): 2025年11月 / November 2025.
  public static func partialDate(_ text: String, _ language: Language) -> String {
    let parts = text.split(separator: "-").compactMap { Int($0) }
    switch (parts.count, language) {
    case (3, _):
      return CivilDate(year: parts[0], month: parts[1], day: parts[2]).map { date($0, language) } ?? text
    case (2, .ja) where (1...12).contains(parts[1]): return "\(parts[0])年\(parts[1])月"
    case (2, .en) where (1...12).contains(parts[1]): return "\(englishMonths[parts[1] - 1]) \(parts[0])"
    case (1, .ja): return "\(parts[0])年"
    default: return text
    }
  }

  /// A date with its weekday, for deadlines: 2026年3月2日（月） / Mon 2 March 2026.
  public static func dateWithWeekday(_ date: CivilDate, _ language: Language) -> String {
    switch language {
    case .ja: return "\(Self.date(date, .ja))（\(japaneseWeekdays[date.weekday])）"
    case .en: return "\(englishWeekdays[date.weekday]) \(Self.date(date, .en))"
    }
  }

  /// An instant in the organisation's time zone, to the minute: 2026年3月2日 14:05 / 2 March 2026 14:05.
  public static func dateTime(_ instant: Date, _ language: Language, timeZone: TimeZone) -> String {
    let day = CivilDate(instant, in: timeZone)
    let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
    let secondOfDay = ((seconds % 86_400) + 86_400) % 86_400
    // By hand: String(format:) is slow on Linux, and the audit trail shows a hundred of these a page.
    func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let time = twoDigits(secondOfDay / 3600) + ":" + twoDigits((secondOfDay % 3600) / 60)
    return "\(date(day, language)) \(time)"
  }
}
