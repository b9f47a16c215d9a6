import Foundation
import PropertyBased
import Testing

@testable import MamoriCore

/// The engine against a deliberately plain implementation of the same rules, written from the contract
/// with no concern for speed: every event in memory, every asset tried for every event, the history of
/// each day summed afresh.
enum ReferenceDetector {
  struct Person {
    var id: String
    var exit: CivilDate?
    var notice: CivilDate?
  }

  struct Asset {
    var id: String
    var location: String
    var level: String
  }

  struct Event {
    var timestamp: String
    var user: String
    var action: String
    var object: String
    var bytes: UInt64
  }

  static let transfers: Set<String> = ["download", "copy", "print", "usb_write", "upload_external", "email_external"]
  static let external: Set<String> = ["usb_write", "upload_external", "email_external"]

  /// Local date, local hour, and the instant in nanoseconds since the epoch.
  static func time(_ timestamp: String) -> (date: CivilDate, hour: Int, instant: Int128) {
    let text = Array(timestamp)
    let date = CivilDate(iso: String(text[0..<10]))!
    let hour = Int(String(text[11..<13]))!
    let minute = Int(String(text[14..<16]))!
    let second = Int(String(text[17..<19]))!
    var rest = String(text[19...])
    var nanos = 0
    if rest.hasPrefix(".") {
      let digits = rest.dropFirst().prefix { $0.isNumber }
      nanos = Int(digits.padding(toLength: 9, withPad: "0", startingAt: 0))!
      rest = String(rest.dropFirst(1 + digits.count))
    }
    var offset = 0
    if rest != "Z" {
      let sign = rest.hasPrefix("-") ? -1 : 1
      let parts = rest.dropFirst().split(separator: ":")
      offset = sign * (Int(parts[0])! * 3600 + Int(parts[1])! * 60)
    }
    let seconds = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offset
    return (date, hour, Int128(seconds) * 1_000_000_000 + Int128(nanos))
  }

  static func asset(of object: String, in assets: [Asset]) -> Asset? {
    let matching = assets.filter { asset in
      let location = asset.location
      if object == location { return true }
      guard object.utf8.starts(with: location.utf8) else { return false }
      if location.hasSuffix("/") { return true }
      return object.utf8.dropFirst(location.utf8.count).first == UInt8(ascii: "/")
    }
    return matching.min { a, b in
      a.location.utf8.count != b.location.utf8.count
        ? a.location.utf8.count > b.location.utf8.count : a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
    }
  }

  static func detect(people: [Person], assets: [Asset], grants: Set<[String]>, events: [Event]) -> [Alert] {
    var groups: [String: (rule: DetectionRule, user: String, asset: Asset?, date: CivilDate, hour: Int?, events: [Event])] = [:]
    func add(_ rule: DetectionRule, _ event: Event, asset: Asset?, hour: Int? = nil) {
      let (date, _, _) = time(event.timestamp)
      let key = "\(rule.rawValue)|\(event.user)|\(asset?.id ?? "-")|\(date.iso)|\(hour.map(String.init) ?? "-")"
      groups[key, default: (rule, event.user, asset, date, hour, [])].events.append(event)
    }
    let person = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    for event in events {
      let (date, hour, _) = time(event.timestamp)
      let target = asset(of: event.object, in: assets)
      let isTransfer = transfers.contains(event.action)
      if let exit = person[event.user]?.exit, date > exit { add(.postExitActivity, event, asset: nil) }
      if isTransfer {
        add(.volumeSpike, event, asset: nil)
        add(.massTransfer, event, asset: nil, hour: hour)
      }
      guard let target else { continue }
      if person[event.user] == nil || !grants.contains([event.user, target.id]) {
        add(.unauthorizedAccess, event, asset: target)
      }
      guard isTransfer else { continue }
      if let exit = person[event.user]?.exit {
        var start = exit.adding(days: -90)
        if let notice = person[event.user]?.notice, notice < start { start = notice }
        if start <= date, date <= exit { add(.departingTransfer, event, asset: target) }
      }
      let weekday = date.weekday
      if weekday == 0 || weekday == 6 || JapaneseHolidays.isHoliday(date) || hour < 7 || hour >= 22 {
        add(.offHoursTransfer, event, asset: target)
      }
      if external.contains(event.action) { add(.externalChannel, event, asset: target) }
    }

    // Volume-spike needs each user's daily transfer bytes and first day of any event.
    var daily: [String: [Int: Int128]] = [:]
    var firstDay: [String: Int] = [:]
    for event in events {
      let day = time(event.timestamp).date.daysSinceEpoch
      firstDay[event.user] = min(firstDay[event.user] ?? day, day)
      if transfers.contains(event.action) { daily[event.user, default: [:]][day, default: 0] += Int128(event.bytes) }
    }

    var alerts: [Alert] = []
    for group in groups.values {
      if group.rule == .massTransfer, Set(group.events.map(\.object)).count < 100 { continue }
      if group.rule == .volumeSpike {
        let day = group.date.daysSinceEpoch
        let b = daily[group.user]![day]!
        let n = min(30, day - firstDay[group.user]!)
        guard n >= 14, b > 104_857_600 else { continue }
        let history = (1...n).map { daily[group.user]![day - $0] ?? 0 }
        let s = history.reduce(0, +)
        let q = history.reduce(0) { $0 + $1 * $1 }
        let nb = Int128(n) * b
        guard nb - s > 0, (nb - s) * (nb - s) > 9 * (Int128(n) * q - s * s) else { continue }
      }
      let ordered = group.events.sorted { a, b in
        let x = time(a.timestamp).instant
        let y = time(b.timestamp).instant
        return x != y ? x < y : a.timestamp.utf8.lexicographicallyPrecedes(b.timestamp.utf8)
      }
      let severity: AlertSeverity
      switch group.rule {
      case .postExitActivity: severity = .critical
      case .volumeSpike, .offHoursTransfer: severity = .medium
      case .massTransfer: severity = .high
      default: severity = group.asset?.level == "secret" ? .critical : .high
      }
      alerts.append(
        Alert(
          rule: group.rule, severity: severity, userID: group.user, assetID: group.asset?.id, date: group.date,
          hour: group.hour, events: group.events.count, bytes: group.events.reduce(0) { $0 + UInt128($1.bytes) },
          first: ordered.first!.timestamp, last: ordered.last!.timestamp))
    }
    return alerts.sorted(by: Alert.precedes)
  }
}

@Suite("Leak detection: the engine against a plain implementation", .timeLimit(.minutes(5)))
struct DetectionPropertyTests {
  static let assets: [ReferenceDetector.Asset] = [
    .init(id: "A1", location: "/share/design", level: "secret"),
    .init(id: "A2", location: "/share/", level: "internal"),
    .init(id: "A3", location: "/srv/y/", level: "confidential"),
    .init(id: "A4", location: "/q/a,b", level: "secret"),
    .init(id: "A5", location: "/dup", level: "confidential"),
    .init(id: "A0", location: "/dup", level: "secret"),
  ]
  static let users = ["u1", "u2", "u3", "ghost"]
  static let objects = [
    "/share/design/a", "/share/design", "/share/designer.txt", "/share/x", "/share/", "/share", "/srv/y", "/srv/y/",
    "/srv/y/z", "/q/a,b/c", "/q/a,b", "/dup/1", "/dup", "/other/1", "/other/\"2\"", "vpn", "/share/design/b/c",
  ]
  static let actions = [
    "view", "download", "copy", "print", "usb_write", "upload_external", "email_external", "delete", "login",
    "logout", "rename",
  ]
  static let zones = ["+09:00", "+09:00", "Z", "-05:00", "+05:30"]
  static let fractions = ["", "", ".5", ".000001", ".123456789"]
  static let sizes: [UInt64] = [0, 1, 4096, 50_000_000, 104_857_600, 104_857_601, 300_000_000, 900_000_000]
  static let start = CivilDate(iso: "2026-03-01")!

  static let event = zip(
    Gen.int(in: 0..<users.count), Gen.int(in: 0...45), Gen.int(in: 0..<(24 * 60)), Gen.int(in: 0..<(zones.count * fractions.count)),
    Gen.int(in: 0..<actions.count), Gen.int(in: 0..<objects.count), Gen.int(in: 0..<sizes.count)
  ).map { user, day, minute, zone, action, object, size -> ReferenceDetector.Event in
    let date = start.adding(days: day)
    let timestamp = String(format: "%@T%02d:%02d:%02d", date.iso, minute / 60, minute % 60, (minute * 7) % 60)
      + fractions[zone % fractions.count] + zones[zone / fractions.count]
    return .init(timestamp: timestamp, user: users[user], action: actions[action], object: objects[object], bytes: sizes[size])
  }

  /// exit day and notice choice per user: none, or days into the period.
  static let person = zip(Gen.int(in: 0...4), Gen.int(in: 0...3))

  static func csv(_ field: String) -> String {
    field.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
  }

  @Test("random small inputs give exactly the same alerts")
  func sameAlerts() async {
    await propertyCheck(
      count: 250, input: Self.person.array(of: 3), Gen.int(in: 0...((1 << 18) - 1)), Self.event.array(of: 0...160), Gen.bool(0.3)
    ) { people, grantBits, generated, burst in
      var events = generated
      if burst {
        // 100+ distinct objects in one clock hour, so mass-transfer is exercised as well.
        for index in 0..<(95 + grantBits % 10) {
          events.append(.init(
            timestamp: "2026-03-10T15:\(String(format: "%02d", index % 60)):00+09:00", user: "u2", action: "copy",
            object: "/share/design/burst\(index % 103)", bytes: UInt64(index)))
        }
      }
      let persons = people.enumerated().map { index, choice -> ReferenceDetector.Person in
        let exit: CivilDate? = [nil, 5, 20, 38, 60][choice.0].map { Self.start.adding(days: $0) }
        let notice: CivilDate? = exit.flatMap { exit in [nil, exit.adding(days: -3), exit.adding(days: -120), Self.start.adding(days: 2)][choice.1] }
        return .init(id: Self.users[index], exit: exit, notice: notice)
      }
      var grants: Set<[String]> = []
      for (userIndex, user) in Self.users.prefix(3).enumerated() {
        for (assetIndex, asset) in Self.assets.enumerated() where grantBits & (1 << (userIndex * 6 + assetIndex)) != 0 {
          grants.insert([user, asset.id])
        }
      }
      let expected = ReferenceDetector.detect(people: persons, assets: Self.assets, grants: grants, events: events)

      var input = DetectionCase()
      for person in persons { input.person(person.id, exit: person.exit?.iso ?? "", notice: person.notice?.iso ?? "") }
      for asset in Self.assets { input.assets += "\(asset.id),\(asset.id),\(Self.csv(asset.location)),\(asset.level)\n" }
      for grant in grants.sorted(by: { $0.joined() < $1.joined() }) { input.grant(grant[0], grant[1]) }
      // Events in two files, in the generated (unsorted) order.
      let half = events.count / 2
      input.events = [events[..<half], events[half...]].map { part in
        "timestamp,user_id,action,object,bytes\n"
          + part.map { "\($0.timestamp),\($0.user),\($0.action),\(Self.csv($0.object)),\($0.bytes)\n" }.joined()
      }
      do {
        let actual = try input.run(threads: 3, blockSize: 256).alerts
        #expect(actual.map(AlertWriter.jsonLine) == expected.map(AlertWriter.jsonLine))
      } catch {
        Issue.record("the engine failed: \(error)")
      }
    }
  }
}
