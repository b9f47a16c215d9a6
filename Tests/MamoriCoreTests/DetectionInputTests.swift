import Foundation
import Testing

@testable import MamoriCore

@Suite("Leak detection: reading CSV and bad input", .timeLimit(.minutes(5)))
struct DetectionInputTests {
  func base() -> DetectionCase {
    var input = DetectionCase()
    input.person("u1")
    input.asset("A", "/share/design", "secret")
    return input
  }

  @Test("RFC 4180: quoted commas, doubled quotes, line breaks in quotes, CRLF, a BOM, columns in any order")
  func csvShapes() throws {
    var input = base()
    input.asset("Q", "/q/a,\"b\"", "confidential")  // written below with quoting
    input.assets = "\u{FEFF} Level ,ASSET_ID,Name,location,extra\r\nsecret,A,設計,/share/design,x\r\nconfidential,Q,\"引用, \"\"です\"\"\",\"/q/a,\"\"b\"\"\",y\r\n"
    let events = Array(
      ("\u{FEFF}Object,  TIMESTAMP ,user_id,ACTION,bytes,note\r\n"
        + "\"/share/design/図面,1.dwg\",2026-03-02T10:00:00+09:00,u1,view,,\"a note\r\nover two lines\"\r\n"
        + "\"/q/a,\"\"b\"\"/x\",2026-03-02T10:00:01+09:00,u1,view,0,\r\n"
        + "\r\n"
        + "/share/design/2.dwg,2026-03-02T10:00:02+09:00,u1,view,12,last").utf8)
    let outcome = try input.run(rawEvents: events)
    #expect(outcome.errors == [])
    let alerts = outcome.alerts(.unauthorizedAccess)
    #expect(alerts.map { "\($0.assetID!):\($0.events):\($0.bytes)" } == ["A:2:12", "Q:1:0"])
  }

  @Test("a header name may repeat: the first column of that name wins")
  func duplicateHeader() throws {
    var input = base()
    input.events = ["timestamp,user_id,action,object,object,bytes\n2026-03-02T10:00:00+09:00,u1,view,/share/design/x,/elsewhere,1\n"]
    #expect(try input.run().alerts(.unauthorizedAccess).count == 1)
  }

  @Test("every malformed row is reported with its physical line and reason, and no alert is written")
  func badRows() throws {
    var input = base()
    input.events = [
      "timestamp,user_id,action,object,bytes\n"  // 1
        + "2026-03-02 10:00:00+09:00,u1,view,/a,1\n"  // 2: a space for T
        + "2026-03-02T10:00:00,u1,view,/a,1\n"  // 3: no offset
        + "2026-03-02T10:00:00+0900,u1,view,/a,1\n"  // 4
        + "2026-03-02T10:00:00+09,u1,view,/a,1\n"  // 5
        + "2026-02-30T10:00:00+09:00,u1,view,/a,1\n"  // 6: no such day
        + "2026-03-02t10:00:00z,u1,view,/a,1\n"  // 7: lower-case
        + "2026-03-02T10:00:00.1234567890Z,u1,view,/a,1\n"  // 8: ten fraction digits
        + "2026-03-02T24:00:00Z,u1,view,/a,1\n"  // 9
        + "2026-03-02T10:00:00Z,u1,view,\"/a\nb\",-5\n"  // 10–11: a record over two lines
        + "2026-03-02T10:00:00Z,u1,view,/a,+5\r\n"  // 12
        + "2026-03-02T10:00:00Z,u1,view,/a,1e3\n"  // 13
        + "2026-03-02T10:00:00Z,u1,view,/a,1.5\n"  // 14
        + "2026-03-02T10:00:00Z,u1,view,/a, 5\n"  // 15
        + "2026-03-02T10:00:00Z,u1,view,/a,9223372036854775808\n"  // 16: 2^63
        + "2026-03-02T10:00:00Z,,view,/a,1\n"  // 17
        + "2026-03-02T10:00:00Z,u1,,/a,1\n"  // 18
        + "2026-03-02T10:00:00Z,u1,view,,1\n"  // 19
        + ",u1,view,/a,1\n"  // 20
        + "2026-03-02T10:00:00Z,u1,view,/a\n"  // 21: too few fields
        + "2026-03-02T10:00:00Z,u1,view,/a,1,extra\n"  // 22: too many
        + "2026-03-02T10:00:00Z,u1,view,\"/a\"x,1\n"  // 23
        + "2026-03-02T10:00:00Z,u1,view,/a\"b,1\n"  // 24
        + "2026-03-02T10:00:00Z,u1,view,/share/design/ok,0009223372036854775807\n"  // 25: valid
    ]
    let outcome = try input.run()
    #expect(outcome.alerts.isEmpty)
    #expect(outcome.errors == [
      "events.csv:2: has an unparseable timestamp \"2026-03-02 10:00:00+09:00\"",
      "events.csv:3: has an unparseable timestamp \"2026-03-02T10:00:00\"",
      "events.csv:4: has an unparseable timestamp \"2026-03-02T10:00:00+0900\"",
      "events.csv:5: has an unparseable timestamp \"2026-03-02T10:00:00+09\"",
      "events.csv:6: has an unparseable timestamp \"2026-02-30T10:00:00+09:00\"",
      "events.csv:7: has an unparseable timestamp \"2026-03-02t10:00:00z\"",
      "events.csv:8: has an unparseable timestamp \"2026-03-02T10:00:00.1234567890Z\"",
      "events.csv:9: has an unparseable timestamp \"2026-03-02T24:00:00Z\"",
      "events.csv:10: has negative bytes -5",
      "events.csv:12: has bytes that are not a number: \"+5\"",
      "events.csv:13: has bytes that are not a number: \"1e3\"",
      "events.csv:14: has bytes that are not a number: \"1.5\"",
      "events.csv:15: has bytes that are not a number: \" 5\"",
      "events.csv:16: has bytes that are not a number: \"9223372036854775808\"",
      "events.csv:17: has an empty user_id",
      "events.csv:18: has an empty action",
      "events.csv:19: has an empty object",
      "events.csv:20: has an empty timestamp",
      "events.csv:21: has 4 fields where the header has 5",
      "events.csv:22: has 6 fields where the header has 5",
      "events.csv:23: has text after a closing quote",
      "events.csv:24: has a quote inside an unquoted field",
    ])
    #expect(outcome.invalidRows.map(\.count) == [22])

    // With --skip-invalid the good row still counts.
    let skipped = try input.run(skipInvalid: true)
    #expect(skipped.alerts.map(\.rule) == [.unauthorizedAccess])
    #expect(skipped.alerts.first?.bytes == 9_223_372_036_854_775_807)
    #expect(skipped.invalidRows.map { "\($0.file):\($0.count)" } == ["events.csv:22"])
  }

  @Test("bad people, assets and grants name their file, line and reason")
  func badRegister() throws {
    var input = DetectionCase()
    input.people += "u1,A,,,,\nu1,B,,,,\nu2,C,,,2026-13-01,\n,D,,,,\nu3,E,,,,2026/01/01\n"
    input.assets += "A,x,/a,secret\nA,y,/b,secret\nB,x,/c, secret\nC,x,/d,Secret\nD,x,,internal\n"
    input.grants += "u1,A\nnobody,A\nu1,Z\nu1,\n"
    let outcome = try input.run()
    #expect(outcome.errors == [
      "people.csv:3: repeats user_id \"u1\" (first on line 2)",
      "people.csv:4: has an unparseable exit_date \"2026-13-01\"; use YYYY-MM-DD",
      "people.csv:5: has an empty user_id",
      "people.csv:6: has an unparseable notice_date \"2026/01/01\"; use YYYY-MM-DD",
      "assets.csv:3: repeats asset_id \"A\" (first on line 2)",
      "assets.csv:4: has an unknown level \" secret\"; use secret, confidential or internal",
      "assets.csv:5: has an unknown level \"Secret\"; use secret, confidential or internal",
      "assets.csv:6: has an empty location",
      "grants.csv:4: grants an unknown asset \"Z\"",
      "grants.csv:5: has an empty asset_id",
    ])
    #expect(outcome.invalidRows.map { "\($0.file):\($0.count)" } == ["people.csv:4", "assets.csv:4", "grants.csv:2"])
  }

  @Test("problems with a whole file stop the run even with --skip-invalid")
  func fatalErrors() throws {
    func fatal(_ input: DetectionCase, raw: [UInt8]? = nil) -> String? {
      do {
        if let raw { _ = try input.run(rawEvents: raw, skipInvalid: true) } else { _ = try input.run(skipInvalid: true) }
        return nil
      } catch {
        return "\(error)"
      }
    }
    var empty = base()
    empty.events = [""]
    #expect(fatal(empty) == "events.csv:1: is empty: it has no header")
    var missing = base()
    missing.events = ["timestamp,user,action,object\n2026-03-02T10:00:00Z,u1,view,/a\n"]
    #expect(fatal(missing) == "events.csv:1: lacks the required column user_id")
    var noLevel = base()
    noLevel.assets = "asset_id,location\nA,/a\n"
    #expect(fatal(noLevel) == "assets.csv:1: lacks the required column level")
    var unterminated = base()
    unterminated.events = ["timestamp,user_id,action,object,bytes\n2026-03-02T10:00:00Z,u1,view,/a,1\n2026-03-02T10:00:00Z,u1,view,\"/a,1\nmore\n"]
    #expect(fatal(unterminated) == "events.csv:3: has an unterminated quoted field")
    let invalid: [UInt8] = Array("timestamp,user_id,action,object,bytes\n2026-03-02T10:00:00Z,u1,view,\"/a\nb".utf8) + [0xFF]
      + Array("\",1\n".utf8)
    #expect(fatal(base(), raw: invalid) == "events.csv:3: is not valid UTF-8")
    let overlong: [UInt8] = Array("timestamp,user_id,action,object,bytes\n".utf8) + [0xC0, 0xAF] + Array(",u1,view,/a,1\n".utf8)
    #expect(fatal(base(), raw: overlong) == "events.csv:2: is not valid UTF-8")
  }

  @Test("IDs that differ only in Unicode normalisation are different IDs (code points, not canonical equivalence)")
  func normalisation() throws {
    let composed = "\u{E9}"
    let decomposed = "e\u{301}"
    var users = base()
    users.event("2025-06-02T10:00:00+09:00", composed, "view", "/share/design/x")
    users.event("2025-06-02T10:00:00+09:00", decomposed, "view", "/share/design/x")
    let alerts = try users.run().alerts(.unauthorizedAccess)
    #expect(alerts.map { Array($0.userID.unicodeScalars) } == [Array(decomposed.unicodeScalars), Array(composed.unicodeScalars)])

    var assets = DetectionCase()
    assets.person("u1")
    assets.asset(composed, "/a", "secret")
    assets.asset(decomposed, "/b", "secret")
    assets.grant("u1", decomposed)
    assets.event("2025-06-02T10:00:00+09:00", "u1", "view", "/a/x")
    let outcome = try assets.run()
    #expect(outcome.errors.isEmpty)
    #expect(outcome.alerts.map { $0.assetID.map { Array($0.unicodeScalars) } } == [Array(composed.unicodeScalars)])
  }

  @Test("a grant for a user missing from people is ignored; that user is analysed like anyone else")
  func missingUsers() throws {
    var input = base()
    input.grant("ghost", "A")
    input.event("2026-03-02T10:00:00+09:00", "ghost", "view", "/share/design/x")
    let outcome = try input.run()
    #expect(outcome.errors.isEmpty)
    #expect(outcome.alerts.map { "\($0.userID) \($0.rule.rawValue)" } == ["ghost unauthorized-access"])
  }

  @Test("timestamps: the strict grammar, offsets, fractions")
  func timestamps() {
    func parse(_ text: String) -> EventTime? {
      Array(text.utf8).withUnsafeBufferPointer { EventTime.parse($0, 0, $0.count) }
    }
    let tokyo = parse("2026-03-02T10:00:00+09:00")!
    let utc = parse("2026-03-02T01:00:00Z")!
    #expect(tokyo.isSameInstant(as: utc))
    #expect(tokyo.localHour == 10 && utc.localHour == 1)
    #expect(parse("2026-03-02T10:00:00.5Z")!.nanoseconds == 500_000_000)
    #expect(parse("2026-03-02T10:00:00.123456789-03:30")!.nanoseconds == 123_456_789)
    #expect(parse("2026-03-01T23:59:59-23:59")!.localDay == Int32(CivilDate(iso: "2026-03-01")!.daysSinceEpoch))
    for bad in ["2026-03-02T10:00:00.Z", "2026-03-02T10:00:60Z", "2026-03-02T10:00:00+24:00", "2026-03-02T10:00:00+09:60", "2026-03-02T10:00:00ZZ", "+2026-03-02T10:00:00Z"] {
      #expect(parse(bad) == nil, "\(bad)")
    }
  }
}
