/// Japanese national holidays (国民の祝日), substitute holidays (振替休日) and citizens' holidays
/// (国民の休日) for 2000–2099, computed from the rules of the 国民の祝日に関する法律 as they applied
/// in each year, including the one-off changes of 2019 (the enthronement) and 2020–2021 (the Olympic
/// Games). Equinox days for future years use the usual astronomical approximation, as the Cabinet
/// Office does until it announces them each February.
public enum JapaneseHolidays {
  public enum Kind: String, Sendable, CaseIterable {
    /// A day named by the law (元日, 成人の日 …).
    case national
    /// 振替休日: the next working day after a national holiday on a Sunday.
    case substitute
    /// 国民の休日: a day between two national holidays.
    case citizens
  }

  public struct Holiday: Sendable, Equatable {
    public var date: CivilDate
    /// The Japanese name as the Cabinet Office lists it.
    public var name: String
    public var kind: Kind
  }

  public static let supportedYears = 2000...2099

  /// Every holiday of `year`, in date order; empty outside 2000–2099.
  public static func holidays(in year: Int) -> [Holiday] {
    guard supportedYears.contains(year) else { return [] }
    var national = nationalHolidays(in: year)
    national.sort { $0.date < $1.date }
    var result = national
    let named = Set(national.map(\.date))

    // 振替休日: from 2007 the next day that is not itself a national holiday; before, only Monday.
    for holiday in national where holiday.date.weekday == 0 {
      var day = holiday.date.adding(days: 1)
      if year >= 2007 {
        while named.contains(day) { day = day.adding(days: 1) }
      } else if named.contains(day) {
        continue
      }
      result.append(Holiday(date: day, name: "休日", kind: .substitute))
    }

    // 国民の休日: a day whose day before and day after are national holidays. Before 2007 a Sunday
    // or a substitute holiday did not become one.
    let taken = Set(result.map(\.date))
    for holiday in national {
      let between = holiday.date.adding(days: 1)
      guard named.contains(between.adding(days: 1)), !taken.contains(between) else { continue }
      if year < 2007, between.weekday == 0 { continue }
      result.append(Holiday(date: between, name: "休日", kind: .citizens))
    }
    return result.sorted { $0.date < $1.date }
  }

  /// Whether `date` is a holiday of any kind. Fast: a lookup in a table computed once.
  public static func isHoliday(_ date: CivilDate) -> Bool {
    isHoliday(daysSinceEpoch: date.daysSinceEpoch)
  }

  public static func isHoliday(daysSinceEpoch day: Int) -> Bool {
    let index = day - table.firstDay
    guard index >= 0, index < table.bits.count else { return false }
    return table.bits[index]
  }

  private static let table: (firstDay: Int, bits: [Bool]) = {
    let first = CivilDate(year: supportedYears.lowerBound, month: 1, day: 1)!.daysSinceEpoch
    let last = CivilDate(year: supportedYears.upperBound, month: 12, day: 31)!.daysSinceEpoch
    var bits = [Bool](repeating: false, count: last - first + 1)
    for year in supportedYears {
      for holiday in holidays(in: year) { bits[holiday.date.daysSinceEpoch - first] = true }
    }
    return (first, bits)
  }()

  // MARK: - The law, year by year

  static func nationalHolidays(in year: Int) -> [Holiday] {
    var list: [Holiday] = []
    func add(_ month: Int, _ day: Int, _ name: String) {
      if let date = CivilDate(year: year, month: month, day: day) {
        list.append(Holiday(date: date, name: name, kind: .national))
      }
    }
    func addMonday(_ month: Int, nth: Int, _ name: String) {
      add(month, nthMonday(year: year, month: month, nth: nth), name)
    }

    add(1, 1, "元日")
    addMonday(1, nth: 2, "成人の日")  // the second Monday since 2000 (Happy Monday)
    add(2, 11, "建国記念の日")
    if year >= 2020 { add(2, 23, "天皇誕生日") }
    add(3, vernalEquinox(year), "春分の日")
    add(4, 29, year >= 2007 ? "昭和の日" : "みどりの日")
    add(5, 3, "憲法記念日")
    if year >= 2007 { add(5, 4, "みどりの日") }
    add(5, 5, "こどもの日")

    switch year {
    case 2020: add(7, 23, "海の日")
    case 2021: add(7, 22, "海の日")
    case 2000...2002: add(7, 20, "海の日")
    default: addMonday(7, nth: 3, "海の日")
    }
    switch year {
    case 2020: add(8, 10, "山の日")
    case 2021: add(8, 8, "山の日")
    case 2016...: add(8, 11, "山の日")
    default: break
    }
    if year <= 2002 { add(9, 15, "敬老の日") } else { addMonday(9, nth: 3, "敬老の日") }
    add(9, autumnalEquinox(year), "秋分の日")
    switch year {
    case 2020: add(7, 24, "スポーツの日")
    case 2021: add(7, 23, "スポーツの日")
    case 2000...2019: addMonday(10, nth: 2, "体育の日")
    default: addMonday(10, nth: 2, "スポーツの日")
    }
    add(11, 3, "文化の日")
    add(11, 23, "勤労感謝の日")
    if year <= 2018 { add(12, 23, "天皇誕生日") }

    if year == 2019 {
      // 天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律 (2018).
      add(5, 1, "即位の日")
      add(10, 22, "即位礼正殿の儀")
    }
    return list
  }

  static func nthMonday(year: Int, month: Int, nth: Int) -> Int {
    let first = CivilDate(year: year, month: month, day: 1)!
    let offset = (8 - first.weekday) % 7  // days from the 1st to the first Monday
    return 1 + offset + 7 * (nth - 1)
  }

  /// The day of March of the vernal equinox (JST), by the standard approximation for 1980–2099.
  static func vernalEquinox(_ year: Int) -> Int {
    equinoxDay(year: year, base: 20.8431)
  }

  /// The day of September of the autumnal equinox (JST), by the same approximation.
  static func autumnalEquinox(_ year: Int) -> Int {
    equinoxDay(year: year, base: 23.2488)
  }

  private static func equinoxDay(year: Int, base: Double) -> Int {
    let elapsed = year - 1980
    return Int((base + 0.242194 * Double(elapsed)).rounded(.down)) - elapsed / 4
  }
}
