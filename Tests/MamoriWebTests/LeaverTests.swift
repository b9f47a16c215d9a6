import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// Pledges and leaver checklists (issue 9): the operations, their pages, tenant isolation, the command line.
@Suite("Pledges and leavers", .timeLimit(.minutes(5)))
struct LeaverTests {
  /// The test clock's day in Tokyo.
  let today = CivilDate(iso: "2026-11-18")!

  func personForm(_ person: Person, _ changes: [String: String]) -> [String: String] {
    [
      "code": person.code, "login_name": person.loginName, "family_name": person.familyName, "given_name": person.givenName,
      "employment_type": person.employment.rawValue, "training_language": "ja",
      "department_id": person.$department.id?.uuidString.lowercased() ?? "",
    ].merging(changes) { $1 }
  }

  @Test("recording a notice date opens one case with six items; re-recording dates moves open items' due days, not done ones")
  func openAndIdempotent() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let path = "/people/\(tenant.person.id!.uuidString.lowercased())"
      // A save without dates opens nothing.
      #expect(try await app.send(.POST, path, as: officer, form: personForm(tenant.person, [:])).status == .seeOther)
      #expect(try await LeaverCase.query(on: app.db).count() == 0)

      #expect(try await app.send(.POST, path, as: officer, form: personForm(tenant.person, ["notice_date": "2026-11-10"])).status == .seeOther)
      let leaverCase = try #require(try await LeaverCase.query(on: app.db).first())
      #expect(leaverCase.status == .open && leaverCase.openedOn == today && leaverCase.$person.id == tenant.person.id)
      var tasks = try await LeaverTask.query(on: app.db).all()
      #expect(Set(tasks.map(\.kind)) == Set(LeaverTaskKind.allCases) && tasks.count == 6)
      // A notice alone does not say when the person goes; the recorder owns the items until reassigned.
      #expect(tasks.allSatisfy { $0.dueOn == nil && $0.$owner.id == tenant.officer.id })

      // The last working day and leaving date arrive: due days follow.
      let dates = ["notice_date": "2026-11-10", "exit_date": "2026-12-15", "leaving_date": "2026-12-31"]
      #expect(try await app.send(.POST, path, as: officer, form: personForm(tenant.person, dates)).status == .seeOther)
      #expect(try await LeaverCase.query(on: app.db).count() == 1)
      tasks = try await LeaverTask.query(on: app.db).all()
      #expect(tasks.count == 6)
      let due = Dictionary(uniqueKeysWithValues: tasks.map { ($0.kind, $0.dueOn) })
      #expect(due[.revokeAccess] == CivilDate(iso: "2026-12-15") && due[.leavingPledge] == CivilDate(iso: "2026-12-15"))
      #expect(due[.monitoring] == CivilDate(iso: "2027-01-30"))

      // Mark the interview done, then move the last working day: the done item keeps its day.
      var form = ["done_exit_interview": "on", "note_exit_interview": "転職先は同業ではない"]
      for task in tasks {
        form["due_\(task.kind.rawValue)"] = task.dueOn?.iso ?? ""
        form["owner_\(task.kind.rawValue)"] = tenant.officer.id!.uuidString.lowercased()
      }
      let caseID = leaverCase.id!.uuidString.lowercased()
      #expect(try await app.send(.POST, "/leavers/\(caseID)", as: officer, form: form).status == .seeOther)
      let moved = dates.merging(["exit_date": "2026-12-10"]) { $1 }
      #expect(try await app.send(.POST, path, as: officer, form: personForm(tenant.person, moved)).status == .seeOther)
      tasks = try await LeaverTask.query(on: app.db).all()
      let interview = try #require(tasks.first { $0.kind == .exitInterview })
      #expect(interview.isDone && interview.dueOn == CivilDate(iso: "2026-12-15") && interview.$doneBy.id == tenant.officer.id)
      #expect(interview.doneOn == today && interview.note == "転職先は同業ではない")
      #expect(tasks.first { $0.kind == .returnItems }?.dueOn == CivilDate(iso: "2026-12-10"))

      // Withdrawn when every date is removed; the done item stays recorded.
      #expect(try await app.send(.POST, path, as: officer, form: personForm(tenant.person, [:])).status == .seeOther)
      #expect(try await LeaverCase.query(on: app.db).first()?.status == .withdrawn)
      #expect(try await LeaverTask.query(on: app.db).filter(\.$doneOn != nil).count() == 1)

      let actions = try await AuditEntry.query(on: app.db).filter(\.$action ~~ "leaver_").all().map(\.action)
      #expect(actions == ["leaver_case.open", "leaver_case.update", "leaver_task.update", "leaver_case.update", "leaver_case.update"])
    }
  }

  @Test("the checklist form: bad owner and date are shown beside their fields; ticking every item closes the case")
  func checklist() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let other = try await Fixture.tenant("other", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let leaverCase = try await openCase(tenant, exit: "2026-11-30", on: app)
      let path = "/leavers/\(leaverCase.id!.uuidString.lowercased())"
      let bad = try await app.send(
        .POST, path, as: officer,
        form: ["owner_return_items": other.officer.id!.uuidString.lowercased(), "due_monitoring": "2026-13-01"])
      #expect(bad.status == .unprocessableEntity)
      #expect(bad.text.contains("一覧から選んでください。") && bad.text.contains("日付を正しく入力してください"))
      #expect(try await LeaverTask.query(on: app.db).filter(\.$owner.$id == other.officer.id).count() == 0)

      var form: [String: String] = [:]
      for kind in LeaverTaskKind.allCases {
        form["done_\(kind.rawValue)"] = "on"
        form["owner_\(kind.rawValue)"] = tenant.admin.id!.uuidString.lowercased()
      }
      #expect(try await app.send(.POST, path, as: officer, form: form).status == .seeOther)
      #expect(try await LeaverCase.find(leaverCase.id, on: app.db)?.status == .closed)
      #expect(try await LeaverTask.query(on: app.db).all().allSatisfy { $0.$owner.id == tenant.admin.id && $0.doneOn == today })
      // Unticking one reopens it.
      form["done_monitoring"] = nil
      #expect(try await app.send(.POST, path, as: officer, form: form).status == .seeOther)
      #expect(try await LeaverCase.find(leaverCase.id, on: app.db)?.status == .open)
    }
  }

  func openCase(_ tenant: TenantFixture, exit: String, on app: Application) async throws -> LeaverCase {
    let person = try #require(try await Person.find(tenant.person.id, on: app.db))
    var draft = PersonDraft(
      code: person.code, loginName: person.loginName, familyName: person.familyName, givenName: person.givenName,
      employmentType: person.employment.rawValue, hireDate: "2015-04-01", exitDate: exit)
    draft.noticeDate = "2026-10-01"
    _ = try await Register.savePerson(
      draft, departmentID: person.$department.id, into: person, organisationID: tenant.organisationID,
      actor: AuditActor(label: "officer", id: tenant.officer.id, clientAddress: "test"), now: app.mamori.clock.now(), on: app.db)
    return try #require(try await LeaverCase.query(on: app.db).filter(\.$person.$id == person.id!).first())
  }

  @Test("revoke all: every grant revoked through the revoke operation, each audited, the item done, in one go")
  func revokeAll() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      var grants: [Grant] = []
      for code in ["A-1", "A-2"] {
        let asset = try await AssetRegister.saveAsset(
          AssetDraft(code: code, name: code, location: "/\(code)/", level: "secret"), ownerID: nil, into: nil,
          organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
        grants.append(
          try await AssetRegister.grant(
            GrantDraft(grantedOn: "2026-01-01"), personID: tenant.person.id, to: asset, grantedBy: nil,
            organisationID: tenant.organisationID, today: today, actor: .system, now: app.mamori.clock.now(), on: app.db))
      }
      try await AssetRegister.revoke(grants[1], by: nil, today: today, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let leaverCase = try await openCase(tenant, exit: "2026-11-17", on: app)
      let path = "/leavers/\(leaverCase.id!.uuidString.lowercased())"
      let page = try await app.send(.GET, path, as: officer)
      #expect(page.status == .ok)
      #expect(page.text.contains("A-1") && page.text.contains("アクセス権 1件 をすべて取り消す"))
      #expect(page.text.contains("期限切れ"))

      let revoked = try await app.send(.POST, path + "/revoke-all", as: officer, form: [:])
      #expect(revoked.status == .seeOther)
      let after = try await Grant.query(on: app.db).all()
      #expect(after.allSatisfy { $0.revokedOn != nil })
      #expect(after.first { $0.id == grants[0].id }?.$revokedBy.id == tenant.officer.id)
      let task = try #require(try await LeaverTask.query(on: app.db).filter(\.$kind == .revokeAccess).first())
      #expect(task.doneOn == today && task.$doneBy.id == tenant.officer.id)
      let actions = try await AuditEntry.query(on: app.db).sort(\.$seq).all().map(\.action)
      #expect(actions.suffix(2) == ["grant.revoke", "leaver_task.update"])
      #expect(actions.filter { $0 == "grant.revoke" }.count == 2)
      // Nothing left to revoke: the page says so.
      #expect(try await app.send(.GET, path, as: officer).text.contains("取り消していないアクセス権はありません。"))
    }
  }

  @Test("pledges: recorded with a scan (type-checked, bounded), downloaded as an attachment, listed, deleted; findings follow")
  func pledges() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let personPath = "/people/\(tenant.person.id!.uuidString.lowercased())"
      func findings() async throws -> [Finding] {
        try await AssetRegister.findings(organisationID: tenant.organisationID, today: today, on: app.db).findings
          .filter { $0.kind == .pledgeMissing }
      }
      #expect(try await findings().map(\.personID) == ["tanaka.acme"])
      let page = try await app.send(.GET, personPath, as: officer)
      #expect(page.text.contains("誓約書を記録する") && page.text.contains("enctype=\"multipart/form-data\""))

      for (name, data, message) in [
        ("tool.exe", Data("MZ".utf8), "添付できるのは"),
        ("scan.pdf", Data("<html>".utf8), "ファイルの中身が拡張子と一致しない"),
        ("big.pdf", Data("%PDF-".utf8) + Data(repeating: 0x41, count: EvidenceFile.maximumBytes - 4), "ファイルが大きすぎます"),
      ] {
        let refused = try await app.upload(
          personPath + "/pledges", as: officer, fields: ["kind": "joining", "signed_on": "2015-04-01"], file: (name, data))
        #expect(refused.status == .unprocessableEntity, "\(name)")
        #expect(refused.text.contains(message), "\(name)")
      }
      let future = try await app.upload(personPath + "/pledges", as: officer, fields: ["kind": "joining", "signed_on": "2026-11-19"], file: nil)
      #expect(future.text.contains("署名日に未来の日付は指定できません。"))
      #expect(try await Pledge.query(on: app.db).count() == 0)

      let pdf = Data("%PDF-1.7\n誓約書\n%%EOF\n".utf8)
      let recorded = try await app.upload(
        personPath + "/pledges", as: officer, fields: ["kind": "joining", "signed_on": "2015-04-01", "scope": "全般"],
        file: ("誓約書.pdf", pdf))
      #expect(recorded.status == .seeOther)
      let pledge = try #require(try await Pledge.query(on: app.db).first())
      #expect(pledge.kind == .joining && pledge.$recordedBy.id == tenant.officer.id && pledge.size == pdf.count)
      #expect(try await findings().isEmpty)
      let download = try await app.send(.GET, "/pledges/\(pledge.id!.uuidString.lowercased())/file", as: officer)
      #expect(download.status == .ok && Data(buffer: download.body) == pdf)
      #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
      #expect(download.headers.first(name: .cacheControl) == "private, no-store")
      let list = try await app.send(.GET, "/pledges?kind=joining", as: officer)
      #expect(list.text.contains("田中 健太") && list.text.contains("誓約書.pdf"))
      #expect(!(try await app.send(.GET, "/pledges?kind=leaving", as: officer)).text.contains("田中 健太"))

      #expect(try await app.send(.POST, "/pledges/\(pledge.id!.uuidString.lowercased())/delete", as: officer, form: [:]).status == .seeOther)
      #expect(try await Pledge.query(on: app.db).count() == 0)
      #expect(try await app.mamori.files.get(key: pledge.storageKey!) == nil)
      let actions = try await AuditEntry.query(on: app.db).filter(\.$action ~~ "pledge.").sort(\.$seq).all().map(\.action)
      #expect(actions == ["pledge.record", "pledge.delete"])
    }
  }

  @Test("members may not open the leavers or pledges pages nor post to them")
  func memberRefused() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let leaverCase = try await openCase(tenant, exit: "2026-11-30", on: app)
      let member = try await Fixture.signIn(tenant.member, on: app)
      let caseID = leaverCase.id!.uuidString.lowercased()
      #expect(try await app.send(.GET, "/leavers", as: member).status == .forbidden)
      #expect(try await app.send(.GET, "/pledges", as: member).status == .forbidden)
      // A record's page answers as if it did not exist, as for assets.
      #expect(try await app.send(.GET, "/leavers/\(caseID)", as: member).status == .notFound)
      #expect(try await app.send(.POST, "/leavers/\(caseID)/revoke-all", as: member, form: [:]).status == .notFound)
      #expect(try await app.send(.POST, "/leavers/\(caseID)", as: member, form: ["done_monitoring": "on"]).status == .notFound)
      #expect(try await LeaverTask.query(on: app.db).filter(\.$doneOn != nil).count() == 0)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let list = try await app.send(.GET, "/leavers", as: officer)
      #expect(list.status == .ok && list.text.contains("田中 健太") && list.text.contains("0 / 6 項目完了"))
    }
  }

  @Test("mamori leavers list: JSON and table of open cases; unknown organisation is misuse")
  func commandLine() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      _ = try await openCase(tenant, exit: "2026-11-17", on: app)
      let leavers = try await RegisterCommands.leavers(organisationSlug: "acme", all: false, on: app)
      #expect(leavers.count == 1)
      let leaver = try #require(leavers.first)
      #expect(leaver.personID == "tanaka.acme" && leaver.done == 0 && leaver.total == 6)
      #expect(leaver.overdue == [.leavingPledge, .returnItems, .revokeAccess, .exitInterview, .informPartners])
      #expect(LeaverWriter.json(leavers).contains("\"exit_date\":\"2026-11-17\""))
      await #expect(throws: RegisterCommands.Failure.unknownOrganisation("nope")) {
        try await RegisterCommands.leavers(organisationSlug: "nope", all: false, on: app)
      }
    }
  }
}
