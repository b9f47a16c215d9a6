import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// The import writes people, assets, grants and audit entries as rows of JSON without models (decisions
/// 161–162): what it writes must read back through the models exactly as Fluent would have written it,
/// and each entry's `after` must be the model's own canonical JSON.
@Suite("Register import rows", .timeLimit(.minutes(5)))
struct RegisterImportRowsTests {
  static let awkward = [
    "", "設計資料 ①㈱髙", "a/b\\c \"quoted\"", "tab\there", "line\nbreak\r\nCRLF", "\u{01}\u{08}\u{0C}\u{1F}\u{7F}",
    "emoji 🗝️ and \u{2028}\u{2029}", "<tag>&amp;", "  spaces  ",
  ]

  @Test("the hand-written audit documents are the bytes AuditChain.json gives for the models")
  func snapshots() throws {
    for _ in 0..<200 {
      let id = UUID()
      #expect(id.text() == id.uuidString && id.text(lowercase: true) == id.uuidString.lowercased())
    }
    let at = Date(timeIntervalSince1970: 1_764_493_337.789)
    let organisationID = UUID()
    for (index, text) in Self.awkward.enumerated() {
      let grant = Grant()
      grant.id = UUID()
      grant.createdAt = at
      grant.$organisation.id = organisationID
      grant.$person.id = UUID()
      grant.$asset.id = UUID()
      grant.reason = text
      grant.grantedOn = CivilDate(iso: "2026-04-01")!
      grant.expiresOn = index.isMultiple(of: 2) ? CivilDate(iso: "2027-03-31") : nil
      let grantJSON = GrantSnapshot(organisationID: organisationID, createdAt: at).json(
        id: grant.id!, personID: grant.$person.id, assetID: grant.$asset.id, reason: text, grantedOn: "2026-04-01",
        expiresOn: grant.expiresOn?.iso)
      #expect(grantJSON == AuditChain.json(grant))

      let asset = Asset()
      asset.id = UUID()
      asset.createdAt = at
      asset.updatedAt = at
      asset.$organisation.id = organisationID
      asset.$owner.id = index.isMultiple(of: 2) ? UUID() : nil
      (asset.code, asset.name, asset.details, asset.location, asset.group) = ("A-\(index)", text, text + "!", "/fs/\(text)", text)
      (asset.retention, asset.disposal, asset.coreSource, asset.coreSuperiority, asset.coreExistence) = (text, "", text, "", text)
      asset.form = .paper
      asset.level = .secret
      asset.isCore = index.isMultiple(of: 3)
      asset.designatedTechnology = index.isMultiple(of: 2) ? DesignatedTechnology.allCases.first : nil
      let assetJSON = AssetSnapshot(organisationID: organisationID, at: at).json(
        id: asset.id!, ownerID: asset.$owner.id,
        AssetSnapshot.Values(
          code: asset.code, name: asset.name, details: asset.details, form: asset.form.rawValue, location: asset.location,
          level: asset.level.rawValue, group: asset.group, retention: asset.retention, disposal: asset.disposal, isCore: asset.isCore,
          coreSource: asset.coreSource, coreSuperiority: asset.coreSuperiority, coreExistence: asset.coreExistence,
          designatedTechnology: asset.designatedTechnology?.rawValue))
      #expect(assetJSON == AuditChain.json(asset))

      let day = index.isMultiple(of: 2) ? CivilDate(iso: "2026-03-31") : nil
      let person = Person(
        id: UUID(), organisationID: organisationID, departmentID: index.isMultiple(of: 2) ? UUID() : nil, code: "E\(index)",
        loginName: "u\(index)", familyName: text, givenName: text, fullName: text + " " + text, email: day == nil ? nil : "a@b.jp",
        employmentType: .dispatched, jobTitle: text, hireDate: day, noticeDate: day, exitDate: day, leavingDate: day,
        trainingLanguage: .en, isKeyPerson: index.isMultiple(of: 3), notes: text)
      person.createdAt = at
      person.updatedAt = at
      let personJSON = PersonSnapshot(organisationID: organisationID, at: at).json(
        id: person.id!,
        PersonSnapshot.Values(
          departmentID: person.$department.id, code: person.code, loginName: person.loginName, familyName: person.familyName,
          givenName: person.givenName, fullName: person.fullName, email: person.email, employmentType: person.employmentType.rawValue,
          jobTitle: person.jobTitle, hireDate: day?.iso, noticeDate: day?.iso, exitDate: day?.iso, leavingDate: day?.iso,
          trainingLanguage: person.trainingLanguage.rawValue, isKeyPerson: person.isKeyPerson, notes: person.notes))
      #expect(personJSON == AuditChain.json(person))
    }
  }

  @Test("imported people, assets and grants read back through their models as their entries recorded them; the chain verifies")
  func readBack() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let now = app.mamori.clock.now()
      func load(_ file: RegisterFile, _ csv: String) async throws -> RegisterImport.Report {
        try await RegisterImport.run(
          file, data: Data(csv.utf8), fileName: "\(file).csv", encoding: .auto, organisationID: tenant.organisationID,
          today: CivilDate(iso: "2026-06-01")!, actor: .commandLine, now: now, on: app.db)
      }
      let people = try await load(
        .people,
        #"""
        user_id,code,name,department,employment_type,hire_date,exit_date,leaving_date,email,key_person,training_language
        sato,E101,"佐藤 ""一郎""",製造部,contractor,2015/4/1,2026-02-26,2026-03-31,sato@example.jp,true,en
        nguyen,E102,Nguyen Minh,design,dispatched,,,,,,
        suzuki,E103,"鈴木 花子",,employee,2020-04-01,,,,false,ja
        """#)
      #expect(people.created == 3 && people.createdDepartments == ["製造部"])
      let assets = try await load(
        .assets,
        #"""
        asset_id,name,location,level,owner,group,form,description,retention,disposal
        A-1,"図面, 新製品","/fs/設計/図面",極秘,sato,G1,paper,"改行
        あり",5年,溶解
        A-2,手順書,https://example.jp/a?b=c,internal,,,,,,
        A-3,試作品,倉庫,confidential,E103,G1,prototype,,,
        """#)
      #expect(assets.created == 3)
      let grants = try await load(
        .grants,
        #"""
        user_id,asset_id,granted_on,expires_on,reason
        sato,A-1,2025/4/1,2026-03-31,設計 "レビュー"
        nguyen,A-2,,,
        suzuki,A-3,2026-01-15,,\バックスラッシュ/
        """#)
      #expect(grants.created == 3)

      let entries = try await AuditTrail.entries(chain: tenant.organisationID.uuidString.lowercased(), on: app.db)
      #expect(AuditChain.verify(entries) == .intact(count: entries.count))
      var checked = 0
      for entry in entries where entry.action.hasSuffix(".create") {
        let id = try #require(UUID(uuidString: entry.recordID))
        let model: String? =
          switch entry.recordType {
          case "person": try await Person.find(id, on: app.db).map { AuditChain.json($0) }
          case "asset": try await Asset.find(id, on: app.db).map { AuditChain.json($0) }
          case "grant": try await Grant.find(id, on: app.db).map { AuditChain.json($0) }
          case "department": try await Department.find(id, on: app.db).map { AuditChain.json($0) }
          default: entry.after
          }
        #expect(model == entry.after, "\(entry.recordType) \(entry.recordID)")
        checked += 1
      }
      #expect(checked == 10)
      let sato = try #require(try await Person.query(on: app.db).filter(\.$loginName == "sato").with(\.$department).first())
      #expect(sato.fullName == "佐藤 \"一郎\"" && sato.isKeyPerson && sato.trainingLanguage == .en && sato.department?.name == "製造部")
      #expect(sato.hireDate == CivilDate(iso: "2015-04-01") && sato.email == "sato@example.jp")
      let nguyen = try #require(try await Person.query(on: app.db).filter(\.$loginName == "nguyen").first())
      #expect(nguyen.$department.id == tenant.department.id && nguyen.email == nil && nguyen.hireDate == nil)
      let drawing = try #require(try await Asset.query(on: app.db).filter(\.$code == "A-1").first())
      #expect(drawing.name == "図面, 新製品" && drawing.details == "改行\nあり" && drawing.level == .secret && drawing.$owner.id == sato.id)
      #expect(drawing.form == .paper && !drawing.isCore && drawing.designatedTechnology == nil && drawing.createdAt != nil)
      let prototype = try #require(try await Asset.query(on: app.db).filter(\.$code == "A-3").first())
      #expect(prototype.$owner.id != nil && prototype.form == .prototype)
      let held = try await Grant.query(on: app.db).filter(\.$person.$id == sato.id!).all()
      #expect(held.count == 1 && held[0].reason == "設計 \"レビュー\"" && held[0].expiresOn == CivilDate(iso: "2026-03-31"))
      #expect(held[0].grantedOn == CivilDate(iso: "2025-04-01") && held[0].$asset.id == drawing.id && held[0].revokedOn == nil)
      let defaulted = try await Grant.query(on: app.db).filter(\.$person.$id == nguyen.id!).all()
      #expect(defaulted.count == 1 && defaulted[0].grantedOn == CivilDate(iso: "2026-06-01") && defaulted[0].expiresOn == nil)
      // The leaver among the new people has a checklist, opened after the people's entries.
      let leaverCase = try #require(try await LeaverCase.query(on: app.db).filter(\.$person.$id == sato.id!).first())
      let order = LeaverTaskKind.allCases
      let tasks = try await LeaverTask.query(on: app.db).filter(\.$leaverCase.$id == leaverCase.id!).all()
        .sorted { order.firstIndex(of: $0.kind)! < order.firstIndex(of: $1.kind)! }
      #expect(tasks.count == order.count && leaverCase.status == .open && leaverCase.createdAt != nil)
      #expect(tasks.allSatisfy { $0.$organisation.id == tenant.organisationID && $0.$owner.id == nil && !$0.isDone })
      let openEntry = try #require(entries.first { $0.action == "leaver_case.open" })
      #expect(openEntry.after == AuditChain.json(Leavers.CaseSnapshot(leaverCase, tasks: tasks)))
      #expect(try await LeaverCase.query(on: app.db).count() == 1)
      let actions = entries.map(\.action)
      let opened = try #require(actions.firstIndex(of: "leaver_case.open"))
      #expect(actions.lastIndex(of: "person.create")! < opened && actions.firstIndex(of: "department.create")! < opened)

      // The tenant scope sees them: the findings read the imported grants (the leaver still holds one).
      let findings = try await RegisterCommands.findings(organisationSlug: "acme", on: app)
      #expect(findings.contains { $0.kind == .leaverHoldsGrant && $0.personID == "sato" && $0.assetID == "A-1" })
    }
  }

  @Test("1,200 leavers in one file: their checklists' items go in statements under the databases' bound-value limits")
  func manyLeavers() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      // 1,200 cases have 1,200 × 6 items of 7 columns: 50,400 values, more than one SQLite statement
      // takes (32,766), so BulkInsert must split what it is given (decision 197).
      var csv = "user_id,code,name,exit_date\n"
      for index in 0..<1200 { csv += "leaver\(index),L\(index),退職 \(index),2026-05-31\n" }
      let report = try await RegisterImport.run(
        .people, data: Data(csv.utf8), fileName: "people.csv", encoding: .auto, organisationID: tenant.organisationID,
        today: CivilDate(iso: "2026-06-01")!, actor: .commandLine, now: app.mamori.clock.now(), on: app.db)
      #expect(report.created == 1200)
      #expect(try await LeaverCase.query(on: app.db).count() == 1200)
      #expect(try await LeaverTask.query(on: app.db).count() == 1200 * LeaverTaskKind.allCases.count)
      let entries = try await AuditTrail.entries(chain: tenant.organisationID.uuidString.lowercased(), on: app.db)
      #expect(AuditChain.verify(entries) == .intact(count: entries.count))
      #expect(entries.count { $0.action == "leaver_case.open" } == 1200)
    }
  }

  @Test("an imported grant's entry has the same fields as one made on the asset's page")
  func sameShapeAsPage() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let now = app.mamori.clock.now()
      let asset = try await AssetRegister.saveAsset(
        AssetDraft(code: "P-1", name: "図面", location: "/share/", level: "secret"), ownerID: nil, into: nil,
        organisationID: tenant.organisationID, actor: .system, now: now, on: app.db)
      _ = try await AssetRegister.grant(
        GrantDraft(reason: "設計", grantedOn: "2026-04-01", expiresOn: "2027-03-31"), personID: tenant.person.id, to: asset,
        grantedBy: nil, organisationID: tenant.organisationID, today: CivilDate(iso: "2026-06-01")!, actor: .system, now: now,
        on: app.db)
      _ = try await RegisterImport.run(
        .assets, data: Data("asset_id,name,location,level\nI-1,図面,/share/,secret\n".utf8), fileName: "a.csv", encoding: .auto,
        organisationID: tenant.organisationID, today: CivilDate(iso: "2026-06-01")!, actor: .system, now: now, on: app.db)
      _ = try await RegisterImport.run(
        .grants, data: Data("user_id,asset_id,granted_on,expires_on,reason\n\(tenant.person.loginName),I-1,2026-04-01,2027-03-31,設計\n".utf8),
        fileName: "g.csv", encoding: .auto, organisationID: tenant.organisationID, today: CivilDate(iso: "2026-06-01")!,
        actor: .system, now: now, on: app.db)
      let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "grant.create").sort(\.$seq).all()
      try #require(entries.count == 2)
      func recorded(_ entry: AuditEntry) throws -> [String: String] {
        let object = (try JSONSerialization.jsonObject(with: Data((entry.after ?? "").utf8)) as? [String: Any]) ?? [:]
        return object.mapValues { "\($0)" }
      }
      let page = try recorded(entries[0])
      let imported = try recorded(entries[1])
      #expect(!page.isEmpty && Set(page.keys) == Set(imported.keys))
      let differing = Set(page.keys.filter { page[$0] != imported[$0] })
      #expect(differing.isSubset(of: ["id", "asset", "createdAt"]), "differ: \(differing)")
      #expect(entries[0].actor == entries[1].actor && entries[0].recordType == entries[1].recordType)
    }
  }
}
