import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// `mamori detect --org`: detection reads people, assets and grants from the register and finds what it
/// finds in the CSV files `mamori export` writes of the same register.
@Suite("Detection on the register", .timeLimit(.minutes(5)))
struct RegisterDetectionTests {
  static let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/register")

  /// Events touching every rule that depends on the register: grants (unauthorized-access, one of them a
  /// revoked grant), the last working day (departing-transfer, post-exit-activity) and levels.
  static let events = """
    timestamp,user_id,action,object,bytes
    2026-02-20T10:00:00+09:00,sato.ichiro,download,/share/line-a/cond/grind.csv,2048
    2026-02-20T10:05:00+09:00,sato.ichiro,view,/share/line-a/shaft.dwg,
    2026-03-02T09:00:00+09:00,sato.ichiro,login,vpn,
    2026-02-21T23:00:00+09:00,nguyen.minh,usb_write,/share/line-a/shaft.dwg,1048576
    2026-02-24T11:00:00+09:00,tanaka.acme,view,/share/line-a/cond/grind.csv,
    2026-02-24T11:10:00+09:00,tanaka.acme,copy,/share/line-a/shaft.dwg,10
    2026-02-24T12:00:00+09:00,ghost,view,/share/line-a/x,
    2026-02-24T12:30:00+09:00,tanaka.acme,print,第2工場 金型庫/型A,5

    """

  @Test("the same alerts from the database as from the exported CSV files of the same register, on SQLite and PostgreSQL")
  func sameAlertsAsExportedFiles() async throws {
    try await withApp { app, _ in
      _ = try await Fixture.tenant("acme", on: app)
      for (kind, name) in [(RegisterFile.people, "people-cp932.csv"), (.assets, "assets-utf8-bom.csv"), (.grants, "grants.csv")] {
        let outcome = try await RegisterCommands.importFile(
          organisationSlug: "acme", file: kind, data: try Data(contentsOf: Self.fixtures.appendingPathComponent(name)), fileName: name,
          encoding: .auto, on: app)
        guard case .imported = outcome else {
          Issue.record("\(name): \(outcome)")
          return
        }
      }
      // A revoked grant grants nothing, from the database as in the export (which leaves it out).
      let nguyen = try #require(try await Person.query(on: app.db).filter(\.$loginName == "nguyen.minh").first())
      let revoked = try #require(try await Grant.query(on: app.db).filter(\.$person.$id == nguyen.requireID()).first())
      try await AssetRegister.revoke(
        revoked, by: nil, today: CivilDate(iso: "2026-02-01")!, actor: .commandLine, now: Date(), on: app.db)
      // Another organisation's register is not read.
      let other = try await Fixture.tenant("other", on: app)
      _ = try await AssetRegister.saveAsset(
        AssetDraft(code: "X-1", name: "他社", location: "/share", level: "secret"), ownerID: nil, into: nil,
        organisationID: other.organisationID, actor: .commandLine, now: Date(), on: app.db)

      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-detect-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: folder) }
      for kind in RegisterFile.allCases {
        try await RegisterCommands.exportFile(organisationSlug: "acme", file: kind, on: app)
          .write(to: folder.appendingPathComponent("\(kind.rawValue).csv"))
      }
      let eventsFile = folder.appendingPathComponent("events.csv")
      try Data(Self.events.utf8).write(to: eventsFile)
      func path(_ name: String) -> LeakDetector.InputFile { .init(path: folder.appendingPathComponent(name).path) }

      var errors: [InputError] = []
      let fromFiles = try LeakDetector.run(
        people: path("people.csv"), assets: path("assets.csv"), grants: path("grants.csv"), events: [path("events.csv")]
      ) { errors.append($0) }
      let register = try await RegisterCommands.detectionRegister(organisationSlug: "acme", on: app)
      let fromDatabase = try LeakDetector.run(register: register, events: [path("events.csv")]) { errors.append($0) }
      #expect(errors.isEmpty, "\(errors)")
      #expect(fromDatabase.alerts == fromFiles.alerts)
      #expect(fromDatabase.events == 8)

      // The register as detection reads it: login names, the last working day, unrevoked grants only.
      #expect(register.people.count == 3 && register.assets.count == 3 && register.grants.count == 2)
      #expect(register.people.contains(
        DetectionRegister.Person(userID: "sato.ichiro", exitDate: CivilDate(iso: "2026-02-26"), noticeDate: CivilDate(iso: "2026-02-01"))))
      #expect(!register.assets.contains { $0.assetID == "X-1" })
      #expect(!register.grants.contains { $0.userID == "nguyen.minh" })

      let found = Set(fromDatabase.alerts.map { "\($0.rule.rawValue) \($0.userID) \($0.assetID ?? "-")" })
      #expect(
        found == [
          "departing-transfer sato.ichiro A-002", "unauthorized-access sato.ichiro A-001", "post-exit-activity sato.ichiro -",
          "unauthorized-access nguyen.minh A-001", "external-channel nguyen.minh A-001", "off-hours-transfer nguyen.minh A-001",
          "unauthorized-access tanaka.acme A-002", "unauthorized-access ghost A-001", "unauthorized-access tanaka.acme A-003",
        ])
    }
  }
}
