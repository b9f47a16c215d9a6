import Foundation
import Testing

@testable import MamoriCore

@Suite("Leak detection: the rules and their boundaries", .timeLimit(.minutes(5)))
struct DetectionRulesTests {
  /// A register with one secret design folder and one internal share, granted to u1.
  func base() -> DetectionCase {
    var input = DetectionCase()
    input.person("u1")
    input.asset("A-design", "/share/design", "secret")
    input.asset("A-share", "/share/", "internal")
    input.grant("u1", "A-design")
    input.grant("u1", "A-share")
    return input
  }

  @Test("mass-transfer: 99 distinct objects in a clock hour do not fire, 100 do; hours are not sliding")
  func massTransfer() throws {
    var input = base()
    for index in 0..<99 { input.event("2026-03-02T10:\(String(format: "%02d", index % 60)):00+09:00", "u1", "copy", "/tmp/f\(index)", "10") }
    input.event("2026-03-02T10:59:59+09:00", "u1", "copy", "/tmp/f0", "10")  // a repeat is not a new object
    #expect(try input.run().alerts(.massTransfer).isEmpty)

    input.event("2026-03-02T10:59:59.5+09:00", "u1", "download", "/tmp/f99", "10")
    let alerts = try input.run().alerts(.massTransfer)
    #expect(alerts.count == 1)
    #expect(alerts.first?.hour == 10)
    #expect(alerts.first?.events == 101)
    #expect(alerts.first?.bytes == 1010)
    #expect(alerts.first?.severity == .high)
    #expect(alerts.first?.first == "2026-03-02T10:00:00+09:00")
    #expect(alerts.first?.last == "2026-03-02T10:59:59.5+09:00")

    // 60 objects at 10:30–10:59 and 60 at 11:00–11:29: 120 within 60 minutes, but not in one clock hour.
    var split = base()
    for index in 0..<60 { split.event("2026-03-03T10:\(30 + index / 2):00+09:00", "u1", "print", "/p/a\(index)") }
    for index in 0..<60 { split.event("2026-03-03T11:\(index / 2):00+09:00", "u1", "print", "/p/b\(index)") }
    #expect(try split.run().alerts(.massTransfer).isEmpty)
  }

  @Test("off-hours-transfer: 21:59 and 07:00 are working hours; 22:00, 06:59, weekends and holidays are not")
  func offHours() throws {
    var input = base()
    input.event("2026-03-02T21:59:59+09:00", "u1", "download", "/share/design/a.dwg")  // Monday
    input.event("2026-03-02T07:00:00+09:00", "u1", "download", "/share/design/b.dwg")
    #expect(try input.run().alerts(.offHoursTransfer).isEmpty)

    input.event("2026-03-03T22:00:00+09:00", "u1", "download", "/share/design/c.dwg", "5")
    input.event("2026-03-04T06:59:59+09:00", "u1", "copy", "/share/design/d.dwg", "7")
    input.event("2026-03-07T12:00:00+09:00", "u1", "print", "/share/design/e.dwg")  // Saturday
    input.event("2026-09-22T12:00:00+09:00", "u1", "print", "/share/design/f.dwg")  // 国民の休日
    input.event("2026-03-05T23:00:00+09:00", "u1", "view", "/share/design/g.dwg")  // not a transfer
    input.event("2026-03-05T23:00:00+09:00", "u1", "download", "/elsewhere/h.dwg")  // not protected
    let alerts = try input.run().alerts(.offHoursTransfer)
    #expect(alerts.map(\.date.iso) == ["2026-03-03", "2026-03-04", "2026-03-07", "2026-09-22"])
    #expect(alerts.allSatisfy { $0.severity == .medium && $0.assetID == "A-design" && $0.events == 1 })
    // Only the off-hours transfers of that day count.
    var mixed = base()
    mixed.event("2026-03-02T12:00:00+09:00", "u1", "download", "/share/design/x", "100")
    mixed.event("2026-03-02T23:00:00+09:00", "u1", "download", "/share/design/y", "1")
    #expect(try mixed.run().alerts(.offHoursTransfer).map(\.bytes) == [1])
  }

  @Test("volume-spike: more than 100 MiB and three deviations above at least 14 days of history")
  func volumeSpike() throws {
    func input(historyDays: Int, bytes: String) -> DetectionCase {
      var input = base()
      let today = CivilDate(iso: "2026-03-31")!
      input.event("\(today.adding(days: -historyDays).iso)T09:00:00+09:00", "u1", "login", "/")
      input.event("\(today.iso)T10:00:00+09:00", "u1", "download", "/x/big.zip", bytes)
      return input
    }
    #expect(try input(historyDays: 14, bytes: "104857600").run().alerts(.volumeSpike).isEmpty)  // exactly 100 MiB
    let fired = try input(historyDays: 14, bytes: "104857601").run().alerts(.volumeSpike)
    #expect(fired.count == 1)
    #expect(fired.first?.bytes == 104_857_601)
    #expect(fired.first?.severity == .medium)
    #expect(try input(historyDays: 13, bytes: "999999999").run().alerts(.volumeSpike).isEmpty)  // 13 days of history

    // A user who moves 500 MB every day: 600 MB is not three deviations above.
    var busy = base()
    let start = CivilDate(iso: "2026-03-01")!
    for day in 0..<20 {
      busy.event("\(start.adding(days: day).iso)T10:00:00+09:00", "u1", "download", "/x/d\(day)", day % 2 == 0 ? "400000000" : "600000000")
    }
    busy.event("\(start.adding(days: 20).iso)T10:00:00+09:00", "u1", "download", "/x/today", "700000000")
    #expect(try busy.run().alerts(.volumeSpike).isEmpty)
    // After a quiet month, the same 700 MB is a spike, counted over all that day's transfers.
    var quiet = base()
    quiet.event("2026-02-01T10:00:00+09:00", "u1", "download", "/x/a", "1000")
    quiet.event("2026-03-10T10:00:00+09:00", "u1", "download", "/x/b", "350000000")
    quiet.event("2026-03-10T11:00:00+09:00", "u1", "usb_write", "/x/c", "350000000")
    let spike = try quiet.run().alerts(.volumeSpike)
    #expect(spike.map(\.date.iso) == ["2026-03-10"])
    #expect(spike.first?.events == 2)
    #expect(spike.first?.first == "2026-03-10T10:00:00+09:00")
  }

  @Test("departing-transfer: from notice or 90 days before exit, whichever is earlier, through exit")
  func departing() throws {
    var early = DetectionCase()
    early.person("lv", exit: "2026-06-30", notice: "2026-03-01")  // notice earlier than exit − 90 (04-01)
    early.asset("A", "/share/design", "confidential")
    early.grant("lv", "A")
    for day in ["2026-02-28", "2026-03-01", "2026-06-30", "2026-07-01"] {
      early.event("\(day)T10:00:00+09:00", "lv", "download", "/share/design/x.dwg", "1")
    }
    let alerts = try early.run()
    #expect(alerts.alerts(.departingTransfer).map(\.date.iso) == ["2026-03-01", "2026-06-30"])
    #expect(alerts.alerts(.departingTransfer).allSatisfy { $0.severity == .high })
    #expect(alerts.alerts(.postExitActivity).map(\.date.iso) == ["2026-07-01"])

    var late = DetectionCase()
    late.person("lv", exit: "2026-06-30", notice: "2026-05-15")  // later than exit − 90: changes nothing
    late.asset("A", "/share/design", "secret")
    late.grant("lv", "A")
    for day in ["2026-03-31", "2026-04-01"] {
      late.event("\(day)T10:00:00+09:00", "lv", "copy", "/share/design/x.dwg")
    }
    late.event("2026-04-02T10:00:00+09:00", "lv", "view", "/share/design/x.dwg")  // a view is not a transfer
    let departing = try late.run().alerts(.departingTransfer)
    #expect(departing.map(\.date.iso) == ["2026-04-01"])
    #expect(departing.first?.severity == .critical)
  }

  @Test("post-exit-activity counts every event of the day, of any action and object")
  func postExit() throws {
    var input = DetectionCase()
    input.person("lv", exit: "2026-03-31")
    input.event("2026-03-31T23:59:59+09:00", "lv", "login", "vpn")
    input.event("2026-04-01T00:00:00+09:00", "lv", "login", "vpn")
    input.event("2026-04-01T09:00:00+09:00", "lv", "rename", "/x", "12")
    input.event("2026-04-01T10:00:00+09:00", "lv", "download", "/y", "30")
    let alerts = try input.run().alerts(.postExitActivity)
    #expect(alerts.count == 1)
    #expect(alerts.first?.events == 3)
    #expect(alerts.first?.bytes == 42)
    #expect(alerts.first?.severity == .critical)
    #expect(alerts.first?.assetID == nil)
  }

  @Test("matching: longest location; a location matches at a path boundary only")
  func matching() throws {
    var input = DetectionCase()
    input.person("u1")
    input.asset("A-design", "/share/design", "secret")
    input.asset("A-share", "/share", "internal")
    input.asset("B-y", "/srv/y/", "confidential")
    input.asset("Z-dup", "/dup", "secret")
    input.asset("M-dup", "/dup", "internal")
    input.event("2026-03-02T10:00:00+09:00", "u1", "view", "/share/design/a.dwg")
    input.event("2026-03-02T10:00:00+09:00", "u1", "view", "/share/designer.txt")
    input.event("2026-03-02T10:00:00+09:00", "u1", "view", "/share/design")
    input.event("2026-03-02T10:00:00+09:00", "u1", "view", "/srv/y")  // /srv/y does not match /srv/y/
    input.event("2026-03-02T10:00:00+09:00", "u1", "view", "/srv/y/")
    input.event("2026-03-02T10:00:00+09:00", "u1", "view", "/Share/design/a")  // case-sensitive
    input.event("2026-03-02T10:00:00+09:00", "u1", "view", "/dup/x")
    let alerts = try input.run().alerts(.unauthorizedAccess)
    #expect(alerts.map { "\($0.assetID!):\($0.events)" } == ["A-design:2", "A-share:1", "B-y:1", "M-dup:1"])
    #expect(alerts.first { $0.assetID == "M-dup" }?.severity == .high)
  }

  @Test("unauthorized-access: any event on protected information without a grant, users missing from people too")
  func unauthorized() throws {
    var input = base()
    input.asset("A-other", "/share/sales", "confidential")
    input.event("2026-03-02T10:00:00+09:00", "u1", "view", "/share/sales/q.xlsx")
    input.event("2026-03-02T10:05:00+09:00", "u1", "login", "/share/sales")
    input.event("2026-03-02T10:00:00+09:00", "u1", "view", "/share/design/ok.dwg")  // granted
    input.event("2026-03-02T10:00:00+09:00", "ghost", "view", "/share/design/a.dwg")  // not in people
    let alerts = try input.run().alerts(.unauthorizedAccess)
    #expect(alerts.map { "\($0.userID) \($0.assetID!) \($0.events) \($0.severity.rawValue)" } == [
      "ghost A-design 1 critical", "u1 A-other 2 high",
    ])
  }

  @Test("external-channel: USB, upload and e-mail of protected information")
  func external() throws {
    var input = base()
    input.event("2026-03-02T10:00:00+09:00", "u1", "usb_write", "/share/design/a.dwg", "100")
    input.event("2026-03-02T11:00:00+09:00", "u1", "email_external", "/share/design/b.dwg", "200")
    input.event("2026-03-02T12:00:00+09:00", "u1", "upload_external", "/share/x.txt", "300")
    input.event("2026-03-02T12:00:00+09:00", "u1", "download", "/share/design/c.dwg", "400")  // not external
    input.event("2026-03-02T12:00:00+09:00", "u1", "USB_WRITE", "/share/design/d.dwg", "500")  // unknown action
    let alerts = try input.run().alerts(.externalChannel)
    #expect(alerts.map { "\($0.assetID!) \($0.events) \($0.bytes) \($0.severity.rawValue)" } == [
      "A-design 2 300 critical", "A-share 1 300 high",
    ])
  }

  @Test("local date and hour come from each timestamp's own offset; ordering is by instant, then text")
  func timeZones() throws {
    var input = base()
    input.asset("A-x", "/x", "secret")
    input.event("2026-03-01T23:30:00-05:00", "u1", "view", "/x/a")  // 2026-03-01 locally, 03-02 in Tokyo
    input.event("2026-03-02T04:30:00Z", "u1", "view", "/x/b")  // the same instant
    input.event("2026-03-01T23:30:00.000000001-05:00", "u1", "view", "/x/c")
    let alerts = try input.run().alerts(.unauthorizedAccess)
    #expect(alerts.map(\.date.iso) == ["2026-03-01", "2026-03-02"])
    #expect(alerts[0].events == 2)
    #expect(alerts[0].first == "2026-03-01T23:30:00-05:00")
    #expect(alerts[0].last == "2026-03-01T23:30:00.000000001-05:00")

    // Same instant, different text: the smaller text is first, the larger last.
    var tie = base()
    tie.asset("A-x", "/x", "secret")
    tie.event("2026-03-02T10:00:00+09:00", "u1", "view", "/x/a")
    tie.event("2026-03-02T01:00:00Z", "u1", "view", "/x/b")
    tie.event("2026-03-02T10:00:00.000+09:00", "u1", "view", "/x/c")
    let tied = try tie.run().alerts(.unauthorizedAccess)
    #expect(tied.count == 1)
    #expect(tied.first?.events == 3)
    #expect(tied.first?.first == "2026-03-02T01:00:00Z")
    #expect(tied.first?.last == "2026-03-02T10:00:00.000+09:00")
  }

  @Test("identical rows count separately, across files too; the output is sorted")
  func duplicatesAndOrder() throws {
    var input = base()
    input.event("2026-03-02T10:00:00+09:00", "u1", "usb_write", "/share/design/a.dwg", "1")
    input.events.append("timestamp,user_id,action,object,bytes\n2026-03-02T10:00:00+09:00,u1,usb_write,/share/design/a.dwg,1\n")
    input.event("2026-02-27T10:00:00+09:00", "u0", "usb_write", "/share/design/a.dwg", "1")
    let outcome = try input.run()
    #expect(outcome.alerts(.externalChannel).first { $0.userID == "u1" }?.events == 2)
    #expect(outcome.alerts.map { "\($0.date.iso) \($0.userID) \($0.rule.rawValue)" } == [
      "2026-02-27 u0 external-channel", "2026-02-27 u0 unauthorized-access", "2026-03-02 u1 external-channel",
    ])
  }

  @Test("alerts of one user, day and rule sort by asset (none first), then by hour")
  func orderWithinDay() throws {
    var input = base()
    for hour in [15, 9] {
      for index in 0..<100 {
        input.event(String(format: "2026-03-02T%02d:%02d:00+09:00", hour, index % 60), "u1", "copy", "/o/\(hour)/\(index)")
      }
    }
    input.event("2026-03-02T23:00:00+09:00", "u1", "download", "/share/x", "1")
    input.event("2026-03-02T23:00:00+09:00", "u1", "download", "/share/design/x", "1")
    let alerts = try input.run().alerts
    #expect(alerts.map { "\($0.rule.rawValue) \($0.assetID ?? "-") \($0.hour.map(String.init) ?? "-")" } == [
      "mass-transfer - 9", "mass-transfer - 15", "off-hours-transfer A-design -", "off-hours-transfer A-share -",
    ])
  }

  @Test("the result does not depend on threads or on where blocks are cut")
  func parallelism() throws {
    var input = base()
    input.asset("A-q", "/q", "confidential")
    var random = SplitMix64(seed: 7)
    for index in 0..<3000 {
      let day = 1 + random.next(upTo: 28)
      let hour = random.next(upTo: 24)
      let user = ["u1", "u2", "u3"][random.next(upTo: 3)]
      let action = ["view", "download", "usb_write", "copy", "login"][random.next(upTo: 5)]
      let object = random.next(upTo: 4) == 0 ? "\"/q/with, comma \"\"\(index)\"\"\"" : "/share/design/f\(random.next(upTo: 150)).dwg"
      input.event(String(format: "2026-02-%02dT%02d:%02d:00+09:00", day, hour, random.next(upTo: 60)), user, action, object, "\(random.next(upTo: 1000))")
    }
    let reference = try input.run(threads: 1, blockSize: 1 << 20).alerts
    #expect(!reference.isEmpty)
    for (threads, block) in [(2, 4096), (4, 1000), (3, 200)] {
      #expect(try input.run(threads: threads, blockSize: block).alerts == reference, "threads \(threads), block \(block)")
    }
  }
}
