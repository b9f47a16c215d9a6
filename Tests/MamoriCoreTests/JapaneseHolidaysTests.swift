import Testing

@testable import MamoriCore

/// The holidays of 2019–2027 as the Cabinet Office (内閣府「国民の祝日について」) published them,
/// including 2019's enthronement days and the Olympic moves of 2020 and 2021.
@Suite("Japanese national holidays", .timeLimit(.minutes(5)))
struct JapaneseHolidaysTests {
  static let published: [Int: [String]] = [
    2019: [
      "01-01", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01", "05-02", "05-03", "05-04", "05-05", "05-06",
      "07-15", "08-11", "08-12", "09-16", "09-23", "10-14", "10-22", "11-03", "11-04", "11-23",
    ],
    2020: [
      "01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-23",
      "07-24", "08-10", "09-21", "09-22", "11-03", "11-23",
    ],
    2021: [
      "01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "07-22", "07-23", "08-08",
      "08-09", "09-20", "09-23", "11-03", "11-23",
    ],
    2022: [
      "01-01", "01-10", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04", "05-05", "07-18", "08-11", "09-19",
      "09-23", "10-10", "11-03", "11-23",
    ],
    2023: [
      "01-01", "01-02", "01-09", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04", "05-05", "07-17", "08-11",
      "09-18", "09-23", "10-09", "11-03", "11-23",
    ],
    2024: [
      "01-01", "01-08", "02-11", "02-12", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-15",
      "08-11", "08-12", "09-16", "09-22", "09-23", "10-14", "11-03", "11-04", "11-23",
    ],
    2025: [
      "01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-21",
      "08-11", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24",
    ],
    2026: [
      "01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20", "08-11",
      "09-21", "09-22", "09-23", "10-12", "11-03", "11-23",
    ],
    2027: [
      "01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04", "05-05", "07-19", "08-11",
      "09-20", "09-23", "10-11", "11-03", "11-23",
    ],
  ]

  @Test("2019–2027 match the published lists exactly", arguments: Array(published.keys).sorted())
  func publishedYears(year: Int) {
    let computed = JapaneseHolidays.holidays(in: year).map { String($0.date.iso.dropFirst(5)) }
    #expect(computed == Self.published[year])
    for day in Self.published[year]! {
      #expect(JapaneseHolidays.isHoliday(CivilDate(iso: "\(year)-\(day)")!))
    }
  }

  @Test("the special days are named as the Cabinet Office names them")
  func specialDays() {
    func name(_ iso: String) -> String? {
      let date = CivilDate(iso: iso)!
      return JapaneseHolidays.holidays(in: date.year).first { $0.date == date }?.name
    }
    #expect(name("2019-05-01") == "即位の日")
    #expect(name("2019-10-22") == "即位礼正殿の儀")
    #expect(name("2019-04-30") == "休日")  // a citizens' holiday between two holidays
    #expect(name("2020-07-24") == "スポーツの日")
    #expect(name("2021-07-23") == "スポーツの日")
    #expect(name("2021-08-09") == "休日")
    #expect(name("2018-12-23") == "天皇誕生日")
    #expect(name("2019-12-23") == nil)
    #expect(name("2019-02-23") == nil)
    #expect(name("2020-02-23") == "天皇誕生日")
    #expect(name("2026-09-22") == "休日")
  }

  @Test("historical rules: Happy Monday from 2000 and 2003, みどりの日 moving in 2007, 山の日 from 2016")
  func history() {
    #expect(JapaneseHolidays.isHoliday(CivilDate(iso: "2000-01-10")!))  // second Monday of January
    #expect(!JapaneseHolidays.isHoliday(CivilDate(iso: "2000-01-15")!))
    #expect(JapaneseHolidays.isHoliday(CivilDate(iso: "2002-07-20")!))  // 海の日 fixed until 2002
    #expect(JapaneseHolidays.isHoliday(CivilDate(iso: "2003-07-21")!))  // third Monday from 2003
    #expect(JapaneseHolidays.isHoliday(CivilDate(iso: "2006-05-04")!))  // citizens' holiday before 2007
    #expect(JapaneseHolidays.isHoliday(CivilDate(iso: "2009-09-22")!))  // Silver Week
    #expect(JapaneseHolidays.isHoliday(CivilDate(iso: "2015-09-22")!))
    #expect(!JapaneseHolidays.isHoliday(CivilDate(iso: "2015-08-11")!))
    #expect(JapaneseHolidays.isHoliday(CivilDate(iso: "2016-08-11")!))
    #expect(JapaneseHolidays.isHoliday(CivilDate(iso: "2008-05-06")!))  // substitute after May 4 became みどりの日
    let may2008 = JapaneseHolidays.holidays(in: 2008).filter { $0.date.month == 5 }.map(\.date.day)
    #expect(may2008 == [3, 4, 5, 6])
  }

  @Test("every year of 2000–2099 has 15 to 22 holidays, and none outside that range")
  func range() {
    for year in JapaneseHolidays.supportedYears {
      let holidays = JapaneseHolidays.holidays(in: year)
      #expect((15...22).contains(holidays.count), "\(year): \(holidays.count)")
      #expect(Set(holidays.map(\.date)).count == holidays.count, "\(year) has a day twice")
      #expect(holidays.allSatisfy { $0.date.year == year })
    }
    #expect(JapaneseHolidays.holidays(in: 1999).isEmpty)
    #expect(!JapaneseHolidays.isHoliday(CivilDate(iso: "2100-01-01")!))
  }
}
