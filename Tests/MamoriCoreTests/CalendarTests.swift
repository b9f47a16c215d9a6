import Foundation
import Testing

@testable import MamoriCore

@Suite("Civil dates and their display", .timeLimit(.minutes(5)))
struct CalendarTests {
  @Test("parses exactly YYYY-MM-DD")
  func parsing() {
    #expect(CivilDate(iso: "2026-03-02") == CivilDate(year: 2026, month: 3, day: 2))
    #expect(CivilDate(iso: "2024-02-29") != nil)
    for bad in ["2026-02-29", "2026-13-01", "2026-3-2", "2026/03/02", "", "２０２６-03-02", "2026-03-02T00:00"] {
      #expect(CivilDate(iso: bad) == nil, "\(bad)")
    }
  }

  @Test("days since the epoch round-trip over four centuries, with weekdays")
  func epochRoundTrip() {
    var date = CivilDate(year: 1900, month: 1, day: 1)!
    var expectedWeekday = 1  // 1900-01-01 was a Monday
    for _ in 0..<(400 * 366) {
      #expect(CivilDate(daysSinceEpoch: date.daysSinceEpoch) == date)
      if date.weekday != expectedWeekday { Issue.record("weekday of \(date)"); break }
      let next = date.adding(days: 1)
      #expect(next > date)
      date = next
      expectedWeekday = (expectedWeekday + 1) % 7
      if date.year >= 2300 { break }
    }
    #expect(CivilDate(iso: "1970-01-01")!.daysSinceEpoch == 0)
    #expect(CivilDate(iso: "2026-03-01")!.weekday == 0)  // a Sunday
  }

  @Test("the day of an instant depends on the time zone")
  func timeZones() {
    let instant = Date(timeIntervalSince1970: 1_772_373_000)  // 2026-03-01T14:50:00Z
    #expect(CivilDate(instant, in: TimeZone(identifier: "Asia/Tokyo")!).iso == "2026-03-01")
    let late = Date(timeIntervalSince1970: 1_772_380_200)  // 2026-03-01T16:50:00Z = 01:50 in Tokyo on the 2nd
    #expect(CivilDate(late, in: TimeZone(identifier: "Asia/Tokyo")!).iso == "2026-03-02")
    #expect(CivilDate(late, in: TimeZone(identifier: "UTC")!).iso == "2026-03-01")
  }

  @Test("dates read the Japanese way in Japanese and in words in English")
  func display() {
    let date = CivilDate(iso: "2026-03-02")!
    #expect(DateDisplay.date(date, .ja) == "2026年3月2日")
    #expect(DateDisplay.date(date, .en) == "2 March 2026")
    #expect(DateDisplay.dateWithWeekday(date, .ja) == "2026年3月2日（月）")
    #expect(DateDisplay.dateWithWeekday(date, .en) == "Mon 2 March 2026")
    let instant = Date(timeIntervalSince1970: 1_772_413_500)  // 2026-03-02T01:05:00Z
    #expect(DateDisplay.dateTime(instant, .ja, timeZone: TimeZone(identifier: "Asia/Tokyo")!) == "2026年3月2日 10:05")
    #expect(DateDisplay.dateTime(instant, .en, timeZone: TimeZone(identifier: "UTC")!) == "2 March 2026 01:05")
  }

  @Test("a person's status follows their notice and exit dates")
  func personStatus() {
    let today = CivilDate(iso: "2026-03-02")!
    #expect(PersonStatus.on(today, noticeDate: nil, exitDate: nil) == .active)
    #expect(PersonStatus.on(today, noticeDate: CivilDate(iso: "2026-02-20"), exitDate: nil) == .leaving)
    #expect(PersonStatus.on(today, noticeDate: nil, exitDate: today) == .leaving)
    #expect(PersonStatus.on(today, noticeDate: nil, exitDate: CivilDate(iso: "2026-03-01")) == .left)
  }
}

@Suite("Leaving and the departure window", .timeLimit(.minutes(5)))
struct DepartureTests {
  let exit = CivilDate(iso: "2026-06-30")!

  @Test("the window opens 90 days before the exit date, or at an earlier notice; both ends inclusive")
  func window() {
    #expect(DepartureWindow.contains(exit, exit: exit, notice: nil))
    #expect(DepartureWindow.contains(exit.adding(days: -90), exit: exit, notice: nil))
    #expect(!DepartureWindow.contains(exit.adding(days: -91), exit: exit, notice: nil))
    #expect(!DepartureWindow.contains(exit.adding(days: 1), exit: exit, notice: nil))
    #expect(DepartureWindow.contains(exit.adding(days: -200), exit: exit, notice: exit.adding(days: -200)))
    // A notice later than the window's start changes nothing.
    #expect(DepartureWindow.contains(exit.adding(days: -90), exit: exit, notice: exit.adding(days: -10)))
  }

  @Test("the register's leaving status and the detection window are different things")
  func statusIsNotWindow() {
    let notice = exit.adding(days: -7)
    let day = exit.adding(days: -30)
    #expect(PersonStatus.on(day, noticeDate: notice, exitDate: nil) == .leaving)
    #expect(PersonStatus.on(day, noticeDate: nil, exitDate: nil) == .active)
    #expect(DepartureWindow.contains(day, exit: exit, notice: notice), "detection looks back before the notice")
    #expect(PersonStatus.on(exit.adding(days: 1), noticeDate: notice, exitDate: exit) == .left)
  }
}
