import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// `/register/import`: register files uploaded on the page, read by the sandboxed child and written
/// by the same operation as `mamori import`, all or nothing.
@Suite("Register import on the page", .timeLimit(.minutes(5)))
struct RegisterImportPageTests {
  static let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/register")

  func fixture(_ name: String) throws -> Data { try Data(contentsOf: Self.fixtures.appendingPathComponent(name)) }

  @Test("people, assets (CSV) and grants (.xlsx) import on the page with a report; the audit trail has every record")
  func imports() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let other = try await Fixture.tenant("other", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let form = try await app.send(.GET, "/register/import?file=assets", as: officer)
      #expect(form.status == .ok)
      #expect(form.text.contains(#"<option value="assets" selected>守るべき情報</option>"#))
      #expect(form.text.contains(#"name="_csrf""#) && form.text.contains(#"enctype="multipart/form-data""#))

      let people = try await app.upload("/register/import", as: officer, fields: ["kind": "people"], file: ("people-cp932.csv", try fixture("people-cp932.csv")))
      #expect(people.status == .ok)
      #expect(people.text.contains("people-cp932.csv: 2件追加、0件更新、1件変更なし"))
      #expect(people.text.contains("作成した部署: ㈱外部委託課, 製造部"))
      #expect(people.text.contains("使わなかった列: 備考"))
      let assets = try await app.upload("/register/import", as: officer, fields: ["kind": "assets"], file: ("assets.csv", try fixture("assets-utf8-bom.csv")))
      #expect(assets.status == .ok && assets.text.contains("assets.csv: 3件追加"))
      let workbook = try XLSXWriter.data(
        XLSXWorkbook(sheets: [
          XLSXSheet(
            name: "付与",
            rows: [
              [.text("ユーザーID"), .text("資産ID"), .text("付与日")],
              [.text("sato.ichiro"), .text("A-002"), .date(year: 2025, month: 10, day: 1)],
            ])
        ]))
      let grants = try await app.upload("/register/import", as: officer, fields: ["kind": "grants"], file: ("付与.xlsx", workbook))
      #expect(grants.status == .ok && grants.text.contains("付与.xlsx: 1件追加、0件更新、0件変更なし"), "\(grants.text)")
      let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
      #expect(actions.filter { $0 == "person.create" }.count == 2 && actions.filter { $0 == "asset.create" }.count == 3)
      #expect(actions.filter { $0 == "grant.create" }.count == 1)
      // Everything went to the organisation of the signed-in officer.
      #expect(try await Person.query(on: app.db).filter(\.$organisation.$id == other.organisationID).count() == 1)
      #expect(try await Asset.query(on: app.db).filter(\.$organisation.$id == other.organisationID).count() == 0)

      tenant.admin.language = .en
      try await tenant.admin.save(on: app.db)
      let english = try await Fixture.signIn(tenant.admin, on: app)
      let again = try await app.upload("/register/import", as: english, fields: ["kind": "people"], file: ("people-cp932.csv", try fixture("people-cp932.csv")))
      #expect(again.text.contains("people-cp932.csv: 0 created, 0 updated, 3 unchanged"), "\(again.text)")
    }
  }

  @Test("a file with bad rows saves nothing and lists every bad row; no file, a wrong type and a missing column are refused")
  func refusals() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let before = try await AuditEntry.query(on: app.db).count()
      let bad = try await app.upload("/register/import", as: officer, fields: ["kind": "people"], file: ("people-bad.csv", try fixture("people-bad.csv")))
      #expect(bad.status == .unprocessableEntity)
      #expect(bad.text.contains("7件の問題があるため、何も取り込んでいません。"))
      for line in [
        "people-bad.csv:3: exit_date: 「2026-02-30」は日付として読めません", "people-bad.csv:4: user_id: 2行目と同じ値です。",
        "people-bad.csv:4: code: 2行目と同じ値です。", "people-bad.csv:5: employment_type: 「boss」は選べる値ではありません。",
        "people-bad.csv:6: 列の数が見出しと違います（2列、見出しは6列）。", "people-bad.csv:7: exit_date:",
      ] {
        #expect(bad.text.contains(line), "\(line)")
      }
      #expect(try await Person.query(on: app.db).count() == 1)
      #expect(try await AuditEntry.query(on: app.db).count() == before)

      let noFile = try await app.upload("/register/import", as: officer, fields: ["kind": "people"], file: nil)
      #expect(noFile.status == .unprocessableEntity && noFile.text.contains("ファイルを選んでください。"))
      let pdf = try await app.upload("/register/import", as: officer, fields: ["kind": "people"], file: ("people.pdf", Data("%PDF".utf8)))
      #expect(pdf.status == .unprocessableEntity && pdf.text.contains("CSV ファイル（.csv）か Excel ブック（.xlsx）を選んでください。"))
      let missing = try await app.upload("/register/import", as: officer, fields: ["kind": "assets"], file: ("a.csv", Data("資産ID,名称\nA-1,x\n".utf8)))
      #expect(missing.status == .unprocessableEntity && missing.text.contains("a.csv:1: 必要な列「location」がありません。"))
      let notWorkbook = try await app.upload("/register/import", as: officer, fields: ["kind": "assets"], file: ("a.xlsx", Data("資産ID\n".utf8)))
      #expect(notWorkbook.status == .unprocessableEntity && notWorkbook.text.contains("a.xlsx: Excel ブック（.xlsx）として読めません"))
      #expect(try await AuditEntry.query(on: app.db).count() == before)

      // Hostile workbooks are read by the sandboxed child only: refused with their name, the server serving.
      let hostile = try FileManager.default.contentsOfDirectory(
        at: Repository.fixtures.appendingPathComponent("fuzz-crashes/xlsx"), includingPropertiesForKeys: nil
      ).filter { $0.pathExtension == "xlsx" } + [Repository.fixtures.appendingPathComponent("uploads/zip-bomb.xlsx")]
      for url in hostile {
        let response = try await app.upload(
          "/register/import", as: officer, fields: ["kind": "assets"], file: (url.lastPathComponent, try Data(contentsOf: url)))
        #expect(response.status == .unprocessableEntity, "\(url.lastPathComponent)")
        #expect(response.text.contains(url.lastPathComponent), "the refusal names the file")
        #expect(try await app.send(.GET, "/healthz").status == .ok)
      }
      #expect(try await AuditEntry.query(on: app.db).count() == before)
    }
  }

  @Test("only officers and administrators may import, and only with the form's CSRF token")
  func access() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let member = try await Fixture.signIn(tenant.member, on: app)
      let file = ("people.csv", Data("user_id\nintruder\n".utf8))
      #expect(try await app.send(.GET, "/register/import", as: member).status == .forbidden)
      #expect(try await app.upload("/register/import", as: member, fields: ["kind": "people"], file: file).status == .forbidden)
      var officer = try await Fixture.signIn(tenant.officer, on: app)
      officer.csrf = "not-the-token"
      #expect(try await app.upload("/register/import", as: officer, fields: ["kind": "people"], file: file).status == .forbidden)
      #expect(try await Person.query(on: app.db).filter(\.$loginName == "intruder").count() == 0)
    }
  }
}
