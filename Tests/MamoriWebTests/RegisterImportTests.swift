import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("Register import and export", .timeLimit(.minutes(5)))
struct RegisterImportTests {
  static let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/register")

  func fixture(_ name: String) throws -> Data { try Data(contentsOf: Self.fixtures.appendingPathComponent(name)) }

  @Test("people (CP932, Japanese headers), assets (UTF-8 with BOM) and grants import; departments are matched or created")
  func importAll() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      func load(_ kind: RegisterFile, _ name: String) async throws -> RegisterCommands.ImportOutcome {
        try await RegisterCommands.importFile(
          organisationSlug: "acme", file: kind, data: try fixture(name), fileName: name, encoding: .auto, on: app)
      }
      let people = try await load(.people, "people-cp932.csv")
      #expect(
        people == .imported([
          "people-cp932.csv: 2 created, 0 updated, 1 unchanged", "people-cp932.csv: departments created: ㈱外部委託課, 製造部",
          "people-cp932.csv: columns ignored: 備考",
        ]))
      let sato = try #require(try await Person.query(on: app.db).filter(\.$loginName == "sato.ichiro").with(\.$department).first())
      #expect(sato.employmentType == .contractor && sato.exitDate == CivilDate(iso: "2026-02-26"))
      #expect(sato.leavingDate == CivilDate(iso: "2026-03-31") && sato.noticeDate == CivilDate(iso: "2026-02-01"))
      #expect(sato.department?.name == "㈱外部委託課" && sato.familyName == "佐藤" && sato.givenName == "一郎")
      let tanaka = try #require(try await Person.find(tenant.person.id, on: app.db))
      #expect(tanaka.$department.id == tenant.department.id && tanaka.hireDate == CivilDate(iso: "2015-04-01"))

      #expect(try await load(.assets, "assets-utf8-bom.csv") == .imported(["assets-utf8-bom.csv: 3 created, 0 updated, 0 unchanged"]))
      let shaft = try #require(try await Asset.query(on: app.db).filter(\.$code == "A-002").first())
      #expect(shaft.level == .secret && shaft.$owner.id == tenant.person.id && shaft.form == .electronic)
      #expect(try await load(.grants, "grants.csv") == .imported(["grants.csv: 3 created, 0 updated, 0 unchanged"]))
      // Importing the same grants again changes nothing.
      #expect(try await load(.grants, "grants.csv") == .imported(["grants.csv: 0 created, 0 updated, 3 unchanged"]))

      // Everything imported is in the audit trail.
      let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
      #expect(actions.filter { $0 == "person.create" }.count == 2 && actions.filter { $0 == "department.create" }.count == 2)
      #expect(actions.filter { $0 == "asset.create" }.count == 3 && actions.filter { $0 == "grant.create" }.count == 3)

      // The findings see the imported leaver, who is past the last working day with a grant.
      let findings = try await RegisterCommands.findings(organisationSlug: "acme", on: app)
      #expect(findings.contains { $0.kind == .leaverHoldsGrant && $0.personID == "sato.ichiro" && $0.assetID == "A-002" })
      #expect(findings.contains { $0.kind == .externalWorkerSecretGrant && $0.personID == "nguyen.minh" })
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let satoPage = try await app.send(.GET, "/people/\(sato.id!.uuidString.lowercased())", as: officer)
      #expect(satoPage.text.contains("最終出社日（2026年2月26日）を過ぎていますが、1件のアクセス権が残っています。"))

      // Export, then import the export: nothing changes, and a second export is byte for byte the same.
      for kind in RegisterFile.allCases {
        let exported = try await RegisterCommands.exportFile(organisationSlug: "acme", file: kind, on: app)
        let again = try await RegisterCommands.importFile(
          organisationSlug: "acme", file: kind, data: exported, fileName: "x.csv", encoding: .auto, on: app)
        guard case .imported(let lines) = again else {
          Issue.record("\(kind): \(again)")
          continue
        }
        #expect(lines.first?.contains(" 0 created, 0 updated") == true, "\(kind): \(lines)")
        #expect(try await RegisterCommands.exportFile(organisationSlug: "acme", file: kind, on: app) == exported)
      }
      let exportedPeople = String(decoding: try await RegisterCommands.exportFile(organisationSlug: "acme", file: .people, on: app), as: UTF8.self)
      #expect(exportedPeople.hasPrefix("\u{FEFF}user_id,code,name,family_name,given_name,department,employment_type"))
      #expect(exportedPeople.contains("\"複数行の\r\nメモ\"") == false)
    }
  }

  @Test(".xlsx: the export of each file imports back with nothing changed, and bad rows are named by their sheet row")
  func workbooks() async throws {
    try await withApp { app, _ in
      _ = try await Fixture.tenant("acme", on: app)
      for (kind, name) in [(RegisterFile.people, "people-cp932.csv"), (.assets, "assets-utf8-bom.csv"), (.grants, "grants.csv")] {
        let outcome = try await RegisterCommands.importFile(
          organisationSlug: "acme", file: kind, data: try fixture(name), fileName: name, encoding: .auto, on: app)
        guard case .imported = outcome else {
          Issue.record("\(name): \(outcome)")
          return
        }
      }
      let before = try await AuditEntry.query(on: app.db).count()
      for kind in RegisterFile.allCases {
        let workbook = try await RegisterCommands.exportFile(organisationSlug: "acme", file: kind, format: .xlsx, on: app)
        #expect(workbook.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let table = try RegisterSheet.table(xlsx: workbook, file: kind)
        let csv = try RegisterCSV.parse(
          try RegisterCSV.decode(try await RegisterCommands.exportFile(organisationSlug: "acme", file: kind, on: app)))
        // The same columns and values as the CSV export.
        #expect(table.header == csv.header && table.rows.map(\.fields) == csv.rows.map(\.fields), "\(kind)")
        let again = try await RegisterCommands.importFile(
          organisationSlug: "acme", file: kind, data: workbook, fileName: "\(kind.rawValue).xlsx", encoding: .auto, on: app)
        #expect(again == .imported(["\(kind.rawValue).xlsx: 0 created, 0 updated, \(table.rows.count) unchanged"]), "\(kind)")
        #expect(try await RegisterCommands.exportFile(organisationSlug: "acme", file: kind, format: .xlsx, on: app) == workbook)
      }
      #expect(try await AuditEntry.query(on: app.db).count() == before)

      // A workbook made by hand: a date typed as a date cell is that day; bad rows are named by their sheet row.
      let sheet = try XLSXWriter.data(
        XLSXWorkbook(sheets: [
          XLSXSheet(
            name: "付与",
            rows: [
              [.text("ユーザーID"), .text("資産ID"), .text("付与日"), .text("期限")],
              [.text("tanaka.acme"), .text("A-003"), .date(year: 2026, month: 1, day: 5), .empty],
              [],
              [.text("tanaka.acme"), .text("Z-9"), .text("2026-13-01"), .empty],
            ])
        ]))
      let refused = try await RegisterCommands.importFile(
        organisationSlug: "acme", file: .grants, data: sheet, fileName: "grants.xlsx", encoding: .auto, on: app)
      #expect(
        refused == .refused([
          "grants.xlsx:4: asset_id: Z-9 is not in the register of information to protect.",
          "grants.xlsx:4: granted_on: 2026-13-01 is not a date (write 2026-03-31 or 2026/3/31).",
        ]))
      #expect(try await AuditEntry.query(on: app.db).count() == before)
      let fixed = try XLSXWriter.data(
        XLSXWorkbook(sheets: [
          XLSXSheet(
            name: "付与",
            rows: [
              [.text("ユーザーID"), .text("資産ID"), .text("付与日"), .text("期限")],
              [.text("tanaka.acme"), .text("A-003"), .date(year: 2026, month: 1, day: 5), .date(year: 2026, month: 12, day: 31)],
            ])
        ]))
      // Named .csv but a workbook inside: read as the workbook it is.
      #expect(
        try await RegisterCommands.importFile(
          organisationSlug: "acme", file: .grants, data: fixed, fileName: "grants.csv", encoding: .auto, on: app)
          == .imported(["grants.csv: 1 created, 0 updated, 0 unchanged"]))
      let grant = try #require(try await Grant.query(on: app.db).all().first { $0.grantedOn == CivilDate(iso: "2026-01-05") })
      #expect(grant.expiresOn == CivilDate(iso: "2026-12-31"))
    }
  }

  @Test("columns a file does not have keep what the register holds (a detection-contract people file)")
  func partialColumns() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let file = Data("user_id,name,department,employment_type,exit_date,notice_date\ntanaka.acme,田中 健太,design,employee,2026-12-25,2026-11-20\n".utf8)
      let outcome = try await RegisterCommands.importFile(
        organisationSlug: "acme", file: .people, data: file, fileName: "people.csv", encoding: .auto, on: app)
      #expect(outcome == .imported(["people.csv: 0 created, 1 updated, 0 unchanged"]))
      let person = try #require(try await Person.find(tenant.person.id, on: app.db))
      #expect(person.exitDate == CivilDate(iso: "2026-12-25") && person.noticeDate == CivilDate(iso: "2026-11-20"))
      #expect(person.email == "tanaka@acme.example" && person.hireDate == CivilDate(iso: "2015-04-01") && person.jobTitle == "設計担当")
      #expect(person.code == "E001" && person.familyName == "田中" && person.givenName == "健太")
    }
  }

  @Test("a file with bad rows saves nothing and names every bad row with its line and reason, on SQLite and PostgreSQL")
  func allOrNothing() async throws {
    try await withApp { app, _ in
      _ = try await Fixture.tenant("acme", on: app)
      let before = try await AuditEntry.query(on: app.db).count()
      let outcome = try await RegisterCommands.importFile(
        organisationSlug: "acme", file: .people, data: try fixture("people-bad.csv"), fileName: "people-bad.csv", encoding: .auto,
        on: app)
      guard case .refused(let lines) = outcome else {
        Issue.record("imported: \(outcome)")
        return
      }
      #expect(
        lines == [
          "people-bad.csv:3: exit_date: 2026-02-30 is not a date (write 2026-03-31 or 2026/3/31).",
          "people-bad.csv:4: user_id: Same value as line 2.",
          "people-bad.csv:4: code: Same value as line 2.",
          "people-bad.csv:5: employment_type: boss is not one of the allowed values.",
          "people-bad.csv:5: login_name: No spaces or commas.",
          "people-bad.csv:6: The row has 2 fields; the header has 6.",
          "people-bad.csv:7: exit_date: The last working day must not be before the resignation notice date.",
        ])
      #expect(try await Person.query(on: app.db).count() == 1)
      #expect(try await AuditEntry.query(on: app.db).count() == before)

      // A grant for an unknown asset or person stops the file too.
      let grants = try await RegisterCommands.importFile(
        organisationSlug: "acme", file: .grants, data: Data("user_id,asset_id\ntanaka.acme,Z-9\nnobody,Z-9\n".utf8), fileName: "g.csv",
        encoding: .auto, on: app)
      #expect(
        grants == .refused([
          "g.csv:2: asset_id: Z-9 is not in the register of information to protect.",
          "g.csv:3: user_id: nobody is not in the register of people.",
          "g.csv:3: asset_id: Z-9 is not in the register of information to protect.",
        ]))
    }
  }
}
