import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("JSON API: assets and grants", .timeLimit(.minutes(5)))
struct RegisterAPITests {
  static func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
    try #require(try response.json() as? [String: Any])
  }

  static func fields(_ response: TestingHTTPResponse) throws -> [String: String] {
    let error = try #require(try object(response)["error"] as? [String: Any])
    return try #require(error["fields"] as? [String: String])
  }

  @Test("assets: create, read, change, list with the page's filters; 401, 403, 404 and 422 with each bad field")
  func assets() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let token = try await ApiTokens.issue(name: "t", for: tenant.officer.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let personID = tenant.person.id!.uuidString.lowercased()

      #expect(try await app.api(.GET, "/api/v1/assets", token: nil).status == .unauthorized)
      let member = try await ApiTokens.issue(name: "m", for: tenant.member.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      #expect(try await app.api(.GET, "/api/v1/assets", token: member).status == .forbidden)
      #expect(try await app.api(.POST, "/api/v1/assets", token: member, json: ["code": "X"]).status == .forbidden)

      // A level is required of a program; an owner of no one is refused; every bad field is named.
      let invalid = try await app.api(.POST, "/api/v1/assets", token: token, json: ["code": "", "name": "図面", "owner_id": UUID().uuidString])
      #expect(invalid.status == .unprocessableEntity)
      #expect(Set(try Self.fields(invalid).keys) == ["code", "location", "level", "owner_id"])
      #expect(try await Asset.query(on: app.db).count() == 0)

      let created = try await app.api(
        .POST, "/api/v1/assets", token: token,
        json: ["code": "A-1", "name": "金型図面", "location": "//fs/design", "level": "secret", "owner_id": personID, "group": "設計"])
      #expect(created.status == .created)
      let asset = try Self.object(created)
      #expect(asset["level"] as? String == "secret")
      #expect(asset["form"] as? String == "electronic")
      #expect((asset["owner_id"] as? String)?.lowercased() == personID)
      let id = try #require(asset["id"] as? String)
      let duplicate = try await app.api(.POST, "/api/v1/assets", token: token, json: ["code": "A-1", "name": "x", "location": "x", "level": "internal"])
      #expect(try Self.fields(duplicate) == ["code": "This is already in use; choose another."])
      _ = try await app.api(.POST, "/api/v1/assets", token: token, json: ["code": "B-2", "name": "見積", "location": "紙", "level": "internal", "form": "paper"])

      let changed = try await app.api(.PATCH, "/api/v1/assets/\(id)", token: token, json: ["level": "confidential", "clear_owner": true])
      #expect(changed.status == .ok)
      #expect(try Self.object(changed)["level"] as? String == "confidential")
      #expect(try Self.object(changed)["name"] as? String == "金型図面")
      #expect(try Self.object(changed)["owner_id"] == nil || (try Self.object(changed)["owner_id"] is NSNull))
      let badLevel = try await app.api(.PATCH, "/api/v1/assets/\(id)", token: token, json: ["level": "top"])
      #expect(badLevel.status == .unprocessableEntity)
      #expect(try Self.fields(badLevel).keys.contains("level"))
      #expect(try await app.api(.GET, "/api/v1/assets/\(id)", token: token).status == .ok)
      #expect(try await app.api(.GET, "/api/v1/assets/\(UUID().uuidString)", token: token).status == .notFound)
      #expect(try await app.api(.PATCH, "/api/v1/assets/\(UUID().uuidString)", token: token, json: ["name": "x"]).status == .notFound)

      // Audited through the use case: one create per asset and the update.
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "asset.create").count() == 2)
      let update = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "asset.update").first())
      #expect(update.recordID == id.lowercased() && update.actorID == tenant.officer.id!.uuidString.lowercased())

      func codes(_ query: String) async throws -> [String] {
        let list = try await app.api(.GET, "/api/v1/assets" + query, token: token)
        #expect(list.status == .ok)
        return try #require(try list.json() as? [[String: Any]]).compactMap { $0["code"] as? String }
      }
      #expect(try await codes("") == ["A-1", "B-2"])
      #expect(try await codes("?level=internal") == ["B-2"])
      #expect(try await codes("?q=%E9%87%91%E5%9E%8B") == ["A-1"])
      #expect(try await codes("?group=%E8%A8%AD%E8%A8%88") == ["A-1"])
      _ = try await app.api(.PATCH, "/api/v1/assets/\(id)", token: token, json: ["owner_id": personID])
      #expect(try await codes("?owner_id=\(personID)") == ["A-1"])
      #expect(try await codes("?per_page=1&page=2") == ["B-2"])
      let paged = try await app.api(.GET, "/api/v1/assets?per_page=1", token: token)
      #expect(paged.headers.first(name: "X-Total-Count") == "2")
      #expect(try await app.api(.GET, "/api/v1/assets?owner_id=nobody", token: token).status == .unprocessableEntity)
    }
  }

  @Test("grants: made, listed by asset and by person, refused twice or to a leaver, revoked; a read token may not write; a member gets 404")
  func grants() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let token = try await ApiTokens.issue(name: "t", for: tenant.officer.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let asset = try await AssetRegister.saveAsset(
        AssetDraft(code: "A-1", name: "図面", location: "/share/a/", level: "confidential"), ownerID: tenant.person.id, into: nil,
        organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      let path = "/api/v1/assets/\(asset.id!.uuidString.lowercased())/grants"
      let personID = tenant.person.id!.uuidString.lowercased()

      let made = try await app.api(.POST, path, token: token, json: ["person_id": personID, "reason": "設計", "granted_on": "2026-04-01"])
      #expect(made.status == .created)
      let grant = try Self.object(made)
      #expect(grant["status"] as? String == "in_force")
      #expect(grant["granted_on"] as? String == "2026-04-01")
      #expect((grant["granted_by_id"] as? String)?.lowercased() == tenant.officer.id!.uuidString.lowercased())
      let grantID = try #require(grant["id"] as? String)

      let twice = try await app.api(.POST, path, token: token, json: ["person_id": personID, "granted_on": "2026-04-02"])
      #expect(twice.status == .unprocessableEntity)
      #expect(try Self.fields(twice).keys.contains("person_id"))
      let noPerson = try await app.api(.POST, path, token: token, json: ["granted_on": "2026-04-02", "expires_on": "2026-04-01"])
      #expect(Set(try Self.fields(noPerson).keys) == ["person_id", "expires_on"])
      let leaver = Person(
        organisationID: tenant.organisationID, departmentID: nil, code: "C9", loginName: "gone", familyName: "佐藤", givenName: "",
        fullName: "佐藤", email: nil, employmentType: .contractor, jobTitle: "", hireDate: nil, exitDate: CivilDate(iso: "2020-03-31"))
      try await leaver.create(on: app.db)
      let refused = try await app.api(.POST, path, token: token, json: ["person_id": leaver.id!.uuidString, "granted_on": "2026-04-01"])
      #expect(try Self.fields(refused)["person_id"] != nil)
      #expect(try await app.api(.POST, "/api/v1/assets/\(UUID().uuidString)/grants", token: token, json: ["person_id": personID]).status == .notFound)

      let byAsset = try #require(try await app.api(.GET, path, token: token).json() as? [[String: Any]])
      #expect(byAsset.compactMap { $0["id"] as? String } == [grantID])
      let byPerson = try #require(try await app.api(.GET, "/api/v1/people/\(personID)/grants", token: token).json() as? [[String: Any]])
      #expect(byPerson.compactMap { $0["id"] as? String } == [grantID])
      #expect(try await app.api(.GET, "/api/v1/people/\(UUID().uuidString)/grants", token: token).status == .notFound)

      // A read-only token reads but does not revoke; a member's token does neither.
      let reader = try await ApiTokens.issue(
        name: "r", for: tenant.officer.id!, expiresAt: nil, scope: .read, on: app.db, now: options.clock.now()).secret
      #expect(try await app.api(.GET, path, token: reader).status == .ok)
      #expect(try await app.api(.DELETE, "/api/v1/grants/\(grantID)", token: reader).status == .forbidden)
      let member = try await ApiTokens.issue(name: "m", for: tenant.member.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      // With an id, a refused role gets 404 (the route table's rule): nothing is revealed.
      #expect(try await app.api(.DELETE, "/api/v1/grants/\(grantID)", token: member).status == .notFound)
      #expect(try await app.api(.DELETE, "/api/v1/grants/\(grantID)", token: nil).status == .unauthorized)

      #expect(try await app.api(.DELETE, "/api/v1/grants/\(grantID)", token: token).status == .noContent)
      #expect(try await app.api(.DELETE, "/api/v1/grants/\(grantID)", token: token).status == .noContent)
      #expect(try await app.api(.DELETE, "/api/v1/grants/\(UUID().uuidString)", token: token).status == .notFound)
      let after = try #require(try await app.api(.GET, path, token: token).json() as? [[String: Any]])
      #expect(after.first?["status"] as? String == "revoked")
      #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "grant.revoke").count() == 1)
      // Revoked, the person may be granted the asset again.
      #expect(try await app.api(.POST, path, token: token, json: ["person_id": personID, "granted_on": "2026-05-01"]).status == .created)
    }
  }

  @Test("a grant made on the page and one made through the API leave the same audit entry")
  func sameAuditEntry() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      func asset(_ code: String) async throws -> Asset {
        try await AssetRegister.saveAsset(
          AssetDraft(code: code, name: "図面", location: "/share/", level: "secret"), ownerID: nil, into: nil,
          organisationID: tenant.organisationID, actor: .system, now: app.mamori.clock.now(), on: app.db)
      }
      let onPage = try await asset("P-1")
      let onAPI = try await asset("A-1")
      let personID = tenant.person.id!.uuidString.lowercased()
      let browser = try await Fixture.signIn(tenant.officer, on: app)
      let page = try await app.send(
        .POST, "/assets/\(onPage.id!.uuidString.lowercased())/grants", as: browser,
        form: ["person_id": personID, "reason": "設計", "granted_on": "2026-04-01", "expires_on": "2027-03-31"])
      #expect(page.status == .seeOther)
      let token = try await ApiTokens.issue(name: "t", for: tenant.officer.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let api = try await app.api(
        .POST, "/api/v1/assets/\(onAPI.id!.uuidString.lowercased())/grants", token: token,
        json: ["person_id": personID, "reason": "設計", "granted_on": "2026-04-01", "expires_on": "2027-03-31"])
      #expect(api.status == .created)

      let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "grant.create").sort(\.$seq).all()
      try #require(entries.count == 2)
      let (first, second) = (entries[0], entries[1])
      #expect(first.chain == second.chain && first.recordType == "grant" && second.recordType == "grant")
      #expect(first.actor == second.actor && first.actorID == second.actorID)
      #expect(first.actorID == tenant.officer.id!.uuidString.lowercased())
      #expect(first.before == nil && second.before == nil)
      // The recorded grants have the same fields and differ only in their own id, the asset and the
      // instant they were written.
      func recorded(_ entry: AuditEntry) throws -> [String: String] {
        let object = (try JSONSerialization.jsonObject(with: Data((entry.after ?? "").utf8)) as? [String: Any]) ?? [:]
        return object.mapValues { "\($0)" }
      }
      let pageGrant = try recorded(first)
      let apiGrant = try recorded(second)
      #expect(!pageGrant.isEmpty)
      #expect(Set(pageGrant.keys) == Set(apiGrant.keys))
      let differing = Set(pageGrant.keys.filter { pageGrant[$0] != apiGrant[$0] })
      #expect(differing.isSubset(of: ["id", "asset", "createdAt"]), "differ: \(differing)")
      #expect(pageGrant["reason"] == "設計" && pageGrant["expires_on"] == apiGrant["expires_on"])
    }
  }
}
