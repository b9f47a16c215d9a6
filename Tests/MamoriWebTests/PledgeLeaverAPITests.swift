import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("JSON API: pledges and leavers", .timeLimit(.minutes(5)))
struct PledgeLeaverAPITests {
  @Test("pledges: record, read, correct, list with filters; 401, 403, 404 across organisations and 422 with each bad field")
  func pledges() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let other = try await Fixture.tenant("other", on: app)
      let token = try await ApiTokens.issue(name: "t", for: tenant.officer.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let member = try await ApiTokens.issue(name: "m", for: tenant.member.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let personID = tenant.person.id!.uuidString.lowercased()
      #expect(try await app.api(.GET, "/api/v1/pledges", token: nil).status == .unauthorized)
      #expect(try await app.api(.GET, "/api/v1/pledges", token: member).status == .forbidden)
      #expect(try await app.api(.POST, "/api/v1/pledges", token: member, json: ["person_id": personID]).status == .forbidden)

      let invalid = try await app.api(.POST, "/api/v1/pledges", token: token, json: ["person_id": personID, "kind": "forever", "signed_on": "2099-01-01"])
      #expect(invalid.status == .unprocessableEntity)
      let fields = try RegisterAPITests.fields(invalid)
      #expect(Set(fields.keys) == ["kind", "signed_on"])
      #expect(try RegisterAPITests.object(invalid)["error"].flatMap { ($0 as? [String: Any])?["status"] as? Int } == 422)
      // Another organisation's person is not one of ours.
      let foreignPerson = try await app.api(
        .POST, "/api/v1/pledges", token: token, json: ["person_id": other.person.id!.uuidString, "kind": "joining", "signed_on": "2026-01-01"])
      #expect(try RegisterAPITests.fields(foreignPerson).keys.sorted() == ["person_id"])
      #expect(try await Pledge.query(on: app.db).count() == 0)

      let created = try await app.api(
        .POST, "/api/v1/pledges", token: token, json: ["person_id": personID, "kind": "joining", "signed_on": "2026-04-01", "scope": "全社"])
      #expect(created.status == .created)
      let pledge = try RegisterAPITests.object(created)
      let id = try #require(pledge["id"] as? String)
      #expect(pledge["kind"] as? String == "joining" && pledge["signed_on"] as? String == "2026-04-01" && pledge["scope"] as? String == "全社")
      _ = try await app.api(
        .POST, "/api/v1/pledges", token: token, json: ["person_id": personID, "kind": "project", "signed_on": "2026-06-01", "asset_group": "ライン A"])

      let corrected = try await app.api(.PATCH, "/api/v1/pledges/\(id)", token: token, json: ["signed_on": "2026-04-02"])
      #expect(corrected.status == .ok)
      #expect(try RegisterAPITests.object(corrected)["signed_on"] as? String == "2026-04-02")
      #expect(try RegisterAPITests.object(corrected)["scope"] as? String == "全社")
      let badPatch = try await app.api(.PATCH, "/api/v1/pledges/\(id)", token: token, json: ["kind": "x"])
      #expect(try RegisterAPITests.fields(badPatch).keys.sorted() == ["kind"])
      let update = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "pledge.update").first())
      #expect(update.recordID == id.lowercased() && update.actorID == tenant.officer.id!.uuidString.lowercased())
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "pledge.record").count() == 2)

      func kinds(_ query: String) async throws -> [String] {
        let list = try await app.api(.GET, "/api/v1/pledges" + query, token: token)
        #expect(list.status == .ok)
        return try #require(try list.json() as? [[String: Any]]).compactMap { $0["kind"] as? String }
      }
      #expect(try await kinds("") == ["project", "joining"])
      #expect(try await kinds("?kind=joining") == ["joining"])
      #expect(try await kinds("?person_id=\(personID)&signed_to=2026-05-01") == ["joining"])
      #expect(try await kinds("?per_page=1&page=2") == ["joining"])
      #expect(try await app.api(.GET, "/api/v1/pledges?kind=nope", token: token).status == .unprocessableEntity)

      // Another organisation's pledge is never found, nor changed.
      let theirs = try await Pledges.record(
        PledgeDraft(kind: "joining", signedOn: "2026-01-01"), scan: nil, person: other.person, recordedBy: nil,
        organisationID: other.organisationID, today: CivilDate(iso: "2026-11-01")!, actor: .system, now: options.clock.now(),
        files: app.mamori.files, on: app.db)
      #expect(try await app.api(.GET, "/api/v1/pledges/\(theirs.id!.uuidString)", token: token).status == .notFound)
      #expect(try await app.api(.PATCH, "/api/v1/pledges/\(theirs.id!.uuidString)", token: token, json: ["scope": "x"]).status == .notFound)
      #expect(try await Pledge.find(theirs.id, on: app.db)?.scope == "")
      #expect(try await kinds("?person_id=\(other.person.id!.uuidString)") == [])
    }
  }

  @Test("leavers: list and read checklists, change one item; 403 for members, 404 across organisations, 422 with each bad field")
  func leavers() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let other = try await Fixture.tenant("other", on: app)
      let token = try await ApiTokens.issue(name: "t", for: tenant.officer.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let member = try await ApiTokens.issue(name: "m", for: tenant.member.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      for fixture in [tenant, other] {
        let person = try #require(try await Person.find(fixture.person.id, on: app.db))
        person.exitDate = CivilDate(iso: "2026-12-10")
        try await person.save(on: app.db)
        try await Leavers.sync(person: person, hadDates: false, actor: .system, now: options.clock.now(), on: app.db)
      }
      let leaverCase = try #require(try await LeaverCase.query(in: tenant.organisationID, on: app.db).first())
      let theirCase = try #require(try await LeaverCase.query(in: other.organisationID, on: app.db).first())
      let caseID = leaverCase.id!.uuidString.lowercased()

      #expect(try await app.api(.GET, "/api/v1/leavers", token: member).status == .forbidden)
      let list = try await app.api(.GET, "/api/v1/leavers", token: token)
      #expect(list.status == .ok && list.headers.first(name: "X-Total-Count") == "1")
      let rows = try #require(try list.json() as? [[String: Any]])
      #expect(rows.count == 1 && (rows[0]["id"] as? String)?.lowercased() == caseID && rows[0]["items"] == nil)
      #expect(rows[0]["last_working_day"] as? String == "2026-12-10" && rows[0]["items_total"] as? Int == LeaverTaskKind.allCases.count)
      let closed = try await app.api(.GET, "/api/v1/leavers?status=closed", token: token)
      #expect(closed.status == .ok)
      #expect(try (closed.json() as? [Any])?.isEmpty == true)
      #expect(try await app.api(.GET, "/api/v1/leavers?status=nope", token: token).status == .unprocessableEntity)

      let one = try RegisterAPITests.object(try await app.api(.GET, "/api/v1/leavers/\(caseID)", token: token))
      let items = try #require(one["items"] as? [[String: Any]])
      let interview = try #require(items.first { $0["kind"] as? String == "exit_interview" })
      let itemID = try #require(interview["id"] as? String)
      #expect(interview["status"] as? String == "open" && interview["due_on"] as? String == "2026-12-10")

      let path = "/api/v1/leavers/\(caseID)/items/\(itemID)"
      // A route with an id answers 404 to a role it refuses, so the record's existence is not told (AccessGuard).
      #expect(try await app.api(.PATCH, path, token: member, json: ["status": "done"]).status == .notFound)
      let bad = try await app.api(.PATCH, path, token: token, json: ["status": "finished", "due_on": "2026-02-30"])
      #expect(bad.status == .unprocessableEntity)
      #expect(try RegisterAPITests.fields(bad).keys.sorted() == ["status"])
      let badDay = try await app.api(.PATCH, path, token: token, json: ["due_on": "2026-02-30", "owner_id": other.officer.id!.uuidString])
      #expect(try RegisterAPITests.fields(badDay).keys.sorted() == ["due_on", "owner_id"])

      let done = try await app.api(
        .PATCH, path, token: token, json: ["status": "done", "owner_id": tenant.officer.id!.uuidString, "due_on": "2026-12-05", "note": "実施済み"])
      #expect(done.status == .ok)
      let item = try RegisterAPITests.object(done)
      #expect(item["status"] as? String == "done" && item["due_on"] as? String == "2026-12-05" && item["note"] as? String == "実施済み")
      #expect((item["owner_id"] as? String)?.lowercased() == tenant.officer.id!.uuidString.lowercased())
      let task = try #require(try await LeaverTask.find(UUID(uuidString: itemID), on: app.db))
      #expect(task.isDone && task.$doneBy.id == tenant.officer.id)
      let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "leaver_task.update").first())
      #expect(entry.recordID == itemID.lowercased() && entry.actorID == tenant.officer.id!.uuidString.lowercased())
      // Other items did not change.
      let others = try await LeaverTask.query(in: tenant.organisationID, on: app.db).filter(\.$id != task.id!).all()
      #expect(others.allSatisfy { !$0.isDone && $0.note.isEmpty })
      // Reopening and clearing the owner.
      let reopened = try RegisterAPITests.object(try await app.api(.PATCH, path, token: token, json: ["status": "open", "clear_owner": true]))
      #expect(reopened["status"] as? String == "open" && reopened["owner_id"] == nil)

      // Another organisation's checklist and items are never found; an item of one case under another is not either.
      let theirTask = try #require(try await LeaverTask.query(in: other.organisationID, on: app.db).first())
      #expect(try await app.api(.GET, "/api/v1/leavers/\(theirCase.id!.uuidString)", token: token).status == .notFound)
      #expect(try await app.api(.PATCH, "/api/v1/leavers/\(theirCase.id!.uuidString)/items/\(theirTask.id!.uuidString)", token: token, json: ["status": "done"]).status == .notFound)
      #expect(try await app.api(.PATCH, "/api/v1/leavers/\(caseID)/items/\(theirTask.id!.uuidString)", token: token, json: ["status": "done"]).status == .notFound)
      #expect(try await LeaverTask.find(theirTask.id, on: app.db)?.isDone == false)
    }
  }
}
