import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("Register of information to protect", .timeLimit(.minutes(5)))
struct AssetRegisterTests {
  /// Records signed pledges of `kinds` for `person`, so that a test of other findings sees no `pledge-missing`.
  static func sign(_ person: Person, _ kinds: [PledgeKind], tenant: TenantFixture, on app: Application) async throws {
    for kind in kinds {
      _ = try await Pledges.record(
        PledgeDraft(kind: kind.rawValue, signedOn: "2026-01-01"), scan: nil, person: person, recordedBy: nil,
        organisationID: tenant.organisationID, today: CivilDate(iso: "2026-11-18")!, actor: .system, now: app.mamori.clock.now(),
        files: app.mamori.files, on: app.db)
    }
  }

  static let assetForm: [String: String] = [
    "code": "A-001", "name": "シャフト図面", "level": "secret", "form": "electronic", "location": "/share/line-a/",
    "group": "ライン A", "retention": "10年", "disposal": "消去",
  ]

  @Test("an officer adds an asset; bad input is shown field by field and nothing is saved; the entry is audited")
  func addAsset() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let bad = try await app.send(
        .POST, "/assets", as: officer,
        form: ["code": "A 1", "name": "", "level": "top", "form": "electronic", "location": "/x/", "is_core": "on"])
      #expect(bad.status == .unprocessableEntity)
      for message in ["入力してください。", "一覧から選んでください。", "資産IDに空白やカンマは使えません。"] {
        #expect(bad.text.contains(message), "missing: \(message)")
      }
      #expect(try await Asset.query(on: app.db).count() == 0)

      var form = Self.assetForm
      form["owner_id"] = tenant.person.id!.uuidString.lowercased()
      let good = try await app.send(.POST, "/assets", as: officer, form: form)
      #expect(good.status == .seeOther)
      let location = try #require(good.location)
      let page = try await app.send(.GET, location, as: officer)
      #expect(page.status == .ok)
      #expect(page.text.contains("シャフト図面"))
      #expect(page.text.contains("極秘"))
      #expect(page.text.contains("田中 健太"))
      #expect(page.text.contains("この区分の取扱いルールはまだ定められていません。"))

      let again = try await app.send(.POST, "/assets", as: officer, form: form)
      #expect(again.status == .unprocessableEntity)
      #expect(again.text.contains("すでに使われています。"))

      let asset = try #require(try await Asset.query(on: app.db).first())
      #expect(asset.level == .secret && asset.form == .electronic && asset.$owner.id == tenant.person.id)
      let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "asset.create").all()
      #expect(entries.count == 1)

      // The register downloads as the CSV mamori export writes.
      let csv = try await app.send(.GET, "/register/export?file=assets", as: officer)
      #expect(csv.status == .ok)
      #expect(csv.headers.first(name: .contentDisposition)?.contains("acme-assets-") == true)
      #expect(csv.text.hasPrefix("\u{FEFF}asset_id,name,location,level,owner,group") && csv.text.contains("A-001,シャフト図面,/share/line-a/,secret,tanaka.acme"))
      #expect(try await app.send(.GET, "/register/export?file=secrets", as: officer).status == .notFound)
      let workbook = try await app.send(.GET, "/register/export?file=assets&format=xlsx", as: officer)
      #expect(workbook.status == .ok)
      #expect(workbook.headers.first(name: .contentDisposition)?.contains(".xlsx") == true)
      #expect(workbook.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
      let sheet = try RegisterSheet.table(xlsx: Data(buffer: workbook.body), file: .assets)
      #expect(sheet.rows.map(\.fields) == (try RegisterCSV.parse(try RegisterCSV.decode(Data(csv.text.utf8)))).rows.map(\.fields))
      #expect(try await app.send(.GET, "/register/export?file=assets&format=pdf", as: officer).status == .notFound)

      // A member may not see the register.
      let member = try await Fixture.signIn(tenant.member, on: app)
      #expect(try await app.send(.GET, "/assets", as: member).status == .forbidden)
      #expect(try await app.send(.GET, location, as: member).status == .notFound)
    }
  }

  @Test("the list searches and filters by level and group, and pages by 50")
  func list() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      for index in 1...60 {
        var draft = AssetDraft(
          code: "A-\(String(format: "%03d", index))", name: "資料 \(index)", location: "/share/\(index)/",
          level: index <= 5 ? "secret" : "internal", group: index % 2 == 0 ? "偶数" : "奇数")
        draft.retention = "5年"
        _ = try await AssetRegister.saveAsset(
          draft, ownerID: nil, into: nil, organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(),
          on: app.db)
      }
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let all = try await app.send(.GET, "/assets", as: officer)
      #expect(all.text.contains("全60件"))
      #expect(all.text.contains("A-050") && !all.text.contains("A-051"))
      #expect(all.text.contains("page=2"))
      let secret = try await app.send(.GET, "/assets?level=secret", as: officer)
      #expect(secret.text.contains("全60件中 5件が該当"))
      let even = try await app.send(.GET, "/assets?group=%E5%81%B6%E6%95%B0&q=a-00", as: officer)
      #expect(even.text.contains("全60件中 4件が該当"))
    }
  }

  @Test("grants: made, refused twice or to a leaver, revoked; each audited; shown on the person's page")
  func grants() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let asset = try await AssetRegister.saveAsset(
        AssetDraft(code: "A-1", name: "図面", location: "/share/a/", level: "confidential"), ownerID: tenant.person.id, into: nil,
        organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let path = "/assets/\(asset.id!.uuidString.lowercased())"
      let personID = tenant.person.id!.uuidString.lowercased()
      let made = try await app.send(
        .POST, path + "/grants", as: officer, form: ["person_id": personID, "reason": "設計", "granted_on": "2026-04-01"])
      #expect(made.status == .seeOther)
      let twice = try await app.send(.POST, path + "/grants", as: officer, form: ["person_id": personID, "granted_on": "2026-04-02"])
      #expect(twice.status == .unprocessableEntity)
      #expect(twice.text.contains("すでにこの情報への有効なアクセス権を持っています。"))
      let badDates = try await app.send(
        .POST, path + "/grants", as: officer, form: ["person_id": personID, "granted_on": "2026-04-02", "expires_on": "2026-04-01"])
      #expect(badDates.text.contains("期限は付与日以降にしてください。"))

      let leaver = Person(
        organisationID: tenant.organisationID, departmentID: nil, code: "C9", loginName: "gone", familyName: "佐藤", givenName: "",
        fullName: "佐藤", email: nil, employmentType: .contractor, jobTitle: "", hireDate: nil,
        exitDate: CivilDate(iso: "2020-03-31"))
      try await leaver.create(on: app.db)
      let refused = try await app.send(
        .POST, path + "/grants", as: officer, form: ["person_id": leaver.id!.uuidString.lowercased(), "granted_on": "2026-04-01"])
      #expect(refused.text.contains("最終出社日を過ぎた人にはアクセス権を付与できません。"))

      let grant = try #require(try await Grant.query(on: app.db).first())
      #expect(grant.grantedOn == CivilDate(iso: "2026-04-01") && grant.$grantedBy.id == tenant.officer.id)
      let personPage = try await app.send(.GET, "/people/\(personID)", as: officer)
      #expect(personPage.text.contains("A-1 図面"))
      #expect(personPage.text.contains("grant-valid"))

      let revoked = try await app.send(.POST, "/grants/\(grant.id!.uuidString.lowercased())/revoke", as: officer, form: ["from": "person"])
      #expect(revoked.status == .seeOther)
      #expect(revoked.location == "/people/\(personID)")
      let after = try #require(try await Grant.find(grant.id, on: app.db))
      #expect(after.revokedOn != nil && after.$revokedBy.id == tenant.officer.id)
      let actions = try await AuditEntry.query(on: app.db).filter(\.$action ~~ "grant.").all().map(\.action).sorted()
      #expect(actions == ["grant.create", "grant.revoke"])
      // After the revocation a new grant may be made again.
      let again = try await app.send(.POST, path + "/grants", as: officer, form: ["person_id": personID, "granted_on": "2026-05-01"])
      #expect(again.status == .seeOther)
    }
  }

  @Test("findings are computed from the data and shown on their page, on the home page and by the command's function")
  func findings() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let now = app.mamori.clock.now()
      let today = Organisations.today(tenant.organisation, now: now)
      let secret = try await AssetRegister.saveAsset(
        AssetDraft(code: "S-1", name: "極秘図面", location: "/s/", level: "secret"), ownerID: nil, into: nil,
        organisationID: tenant.organisationID, actor: .system, now: now, on: app.db)
      let contractor = Person(
        organisationID: tenant.organisationID, departmentID: nil, code: "C1", loginName: "contractor.one", familyName: "委託",
        givenName: "", fullName: "委託 一郎", email: nil, employmentType: .contractor, jobTitle: "", hireDate: nil,
        exitDate: today.adding(days: 10))
      try await contractor.create(on: app.db)
      _ = try await AssetRegister.grant(
        GrantDraft(grantedOn: today.adding(days: -30).iso), personID: contractor.id, to: secret, grantedBy: nil,
        organisationID: tenant.organisationID, today: today, actor: .system, now: now, on: app.db)
      // Everyone's pledges are in order (pledge-missing is tested in LeaverTests).
      try await Self.sign(tenant.person, [.joining], tenant: tenant, on: app)
      try await Self.sign(contractor, [.external, .leaving], tenant: tenant, on: app)

      var report = try await AssetRegister.findings(organisationID: tenant.organisationID, today: today, on: app.db)
      #expect(report.findings.map(\.kind) == [.externalWorkerSecretGrant, .assetWithoutOwner])

      // The contractor's last working day passes: the grant is now held by a leaver.
      report = try await AssetRegister.findings(organisationID: tenant.organisationID, today: today.adding(days: 11), on: app.db)
      #expect(report.findings.map(\.kind) == [.leaverHoldsGrant, .externalWorkerSecretGrant, .assetWithoutOwner])
      #expect(report.findings[0].personID == "contractor.one" && report.findings[0].assetID == "S-1")

      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let page = try await app.send(.GET, "/findings", as: officer)
      #expect(page.text.contains("派遣・業務委託の人が極秘情報にアクセスできる"))
      #expect(page.text.contains("管理者がいない情報"))
      #expect(page.text.contains("委託 一郎 (contractor.one)"))
      let filtered = try await app.send(.GET, "/findings?kind=asset-without-owner", as: officer)
      #expect(filtered.text.contains("1件") && !filtered.text.contains("委託 一郎 (contractor.one)"))
      let home = try await app.send(.GET, "/", as: officer)
      #expect(home.text.contains("要対応事項 2件"))
      #expect(home.text.contains("/findings?kind=external-worker-secret-grant"))

      let cli = try await RegisterCommands.findings(organisationSlug: "acme", on: app)
      #expect(cli.count == 2)
      await #expect(throws: RegisterCommands.Failure.unknownOrganisation("nope")) {
        try await RegisterCommands.findings(organisationSlug: "nope", on: app)
      }
    }
  }

  @Test("handling rules are set per level, shown on the assets of that level and on the printable sheet")
  func handlingRules() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let tooLong = String(repeating: "長", count: 1001)
      let bad = try await app.send(.POST, "/assets/handling-rules", as: officer, form: ["level": "secret", "marking": tooLong])
      #expect(bad.status == .unprocessableEntity)
      #expect(bad.text.contains("文字以内で入力してください。"))
      let saved = try await app.send(
        .POST, "/assets/handling-rules", as: officer, form: ["level": "secret", "marking": "各ページに「極秘」", "taking_out": "禁止"])
      #expect(saved.status == .seeOther)
      let sheet = try await app.send(.GET, "/assets/handling-rules", as: officer)
      #expect(sheet.text.contains("各ページに「極秘」"))
      #expect(sheet.text.contains("data-print"))
      let asset = try await AssetRegister.saveAsset(
        AssetDraft(code: "S-1", name: "極秘図面", location: "/s/", level: "secret"), ownerID: nil, into: nil,
        organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let page = try await app.send(.GET, "/assets/\(asset.id!.uuidString.lowercased())", as: officer)
      #expect(page.text.contains("各ページに「極秘」"))
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "handling_rule.update").count() == 1)
      // Saving the same text again writes nothing.
      _ = try await app.send(
        .POST, "/assets/handling-rules", as: officer, form: ["level": "secret", "marking": "各ページに「極秘」", "taking_out": "禁止"])
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "handling_rule.update").count() == 1)
    }
  }

  @Test("the key-person share is an organisation setting between 50 and 100 %, used by the findings")
  func keyPersonSetting() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let form = ["name": "acme 株式会社", "time_zone": "Asia/Tokyo"]
      let bad = try await app.send(.POST, "/organisation", as: admin, form: form.merging(["key_person_percent": "30"]) { $1 })
      #expect(bad.status == .unprocessableEntity)
      #expect(bad.text.contains("50から100の範囲で入力してください。"))
      let good = try await app.send(.POST, "/organisation", as: admin, form: form.merging(["key_person_percent": "60"]) { $1 })
      #expect(good.status == .seeOther)
      #expect(try await Organisation.find(tenant.organisationID, on: app.db)?.keyPersonPercent == 60)
      // Three of five assets (60 %) now make a key person.
      let now = app.mamori.clock.now()
      let today = Organisations.today(tenant.organisation, now: now)
      for index in 1...5 {
        let asset = try await AssetRegister.saveAsset(
          AssetDraft(code: "G-\(index)", name: "資料", location: "/g/\(index)/", level: "internal", group: "G"), ownerID: tenant.person.id,
          into: nil, organisationID: tenant.organisationID, actor: .system, now: now, on: app.db)
        if index <= 3 {
          _ = try await AssetRegister.grant(
            GrantDraft(grantedOn: today.iso), personID: tenant.person.id, to: asset, grantedBy: nil, organisationID: tenant.organisationID,
            today: today, actor: .system, now: now, on: app.db)
        }
      }
      try await Self.sign(tenant.person, [.joining], tenant: tenant, on: app)
      let report = try await AssetRegister.findings(organisationID: tenant.organisationID, today: today, on: app.db)
      #expect(report.findings.map(\.kind) == [.keyPerson])
    }
  }

  @Test("a person's new dates, training language and key-person flag are saved and shown")
  func personFields() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let bad = try await app.send(
        .POST, "/people", as: officer,
        form: [
          "code": "E9", "login_name": "e9", "family_name": "鈴木", "employment_type": "employee", "exit_date": "2026-12-20",
          "leaving_date": "2026-12-10", "training_language": "fr",
        ])
      #expect(bad.status == .unprocessableEntity)
      #expect(bad.text.contains("退職日は最終出社日以降にしてください。"))
      let good = try await app.send(
        .POST, "/people", as: officer,
        form: [
          "code": "E9", "login_name": "e9", "family_name": "鈴木", "employment_type": "employee", "notice_date": "2026-11-01",
          "exit_date": "2026-12-10", "leaving_date": "2026-12-31", "training_language": "en", "key_person": "on",
        ])
      #expect(good.status == .seeOther)
      let person = try #require(try await Person.query(on: app.db).filter(\.$code == "E9").first())
      #expect(person.leavingDate == CivilDate(iso: "2026-12-31") && person.exitDate == CivilDate(iso: "2026-12-10"))
      #expect(person.trainingLanguage == .en && person.isKeyPerson && person.employmentType == .employee)
      let page = try await app.send(.GET, try #require(good.location), as: officer)
      #expect(page.text.contains("2026年12月31日"))
      #expect(page.text.contains("English"))
    }
  }
}
