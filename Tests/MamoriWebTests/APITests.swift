import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("JSON API", .timeLimit(.minutes(5)))
struct APITests {
  @Test("a token is shown once, stored hashed, works as its owner and stops when revoked")
  func tokenLifecycle() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let browser = try await Fixture.signIn(tenant.officer, on: app)
      let created = try await app.send(.POST, "/account/tokens", as: browser, form: ["name": "人事システム連携", "expires_in_days": "30"])
      #expect(created.status == .ok)
      let secret = String(try #require(created.text.firstMatch(of: /id="new-token">(mamori_[A-Za-z0-9_\-]+)</)?.1))
      let stored = try #require(try await ApiToken.query(on: app.db).first())
      #expect(stored.tokenHash == Secrets.digest(secret))
      #expect(!stored.tokenHash.contains(secret))
      // Shown once: the account page lists it by prefix only.
      let later = try await app.send(.GET, "/account", as: browser)
      #expect(!later.text.contains(secret))
      #expect(later.text.contains(stored.prefix))

      let me = try await app.api(.GET, "/api/v1/me", token: secret)
      #expect(me.status == .ok)
      let body = try #require(try me.json() as? [String: Any])
      #expect(body["email"] as? String == "officer@acme.example")
      #expect(body["role"] as? String == "officer")

      #expect(try await app.send(.POST, "/account/tokens/\(stored.id!.uuidString)/revoke", as: browser, form: [:]).status == .seeOther)
      #expect(try await app.api(.GET, "/api/v1/me", token: secret).status == .unauthorized)
      #expect(try await app.api(.GET, "/api/v1/me", token: "mamori_forged").status == .unauthorized)
    }
  }

  @Test("an expired token is refused")
  func expiry() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let token = try await ApiTokens.issue(
        name: "short", for: tenant.admin.id!, expiresAt: options.clock.now() + 60, on: app.db, now: options.clock.now())
      #expect(try await app.api(.GET, "/api/v1/me", token: token.secret).status == .ok)
      options.clock.advance(by: 61)
      #expect(try await app.api(.GET, "/api/v1/me", token: token.secret).status == .unauthorized)
    }
  }

  @Test("people: create, read, change, delete, with 422 naming each bad field")
  func peopleCRUD() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let token = try await ApiTokens.issue(name: "t", for: tenant.officer.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let invalid = try await app.api(
        .POST, "/api/v1/people", token: token, json: ["code": "E001", "login_name": "x", "family_name": "", "employment_type": "boss"])
      #expect(invalid.status == .unprocessableEntity)
      let error = try #require((try invalid.json() as? [String: Any])?["error"] as? [String: Any])
      let fields = try #require(error["fields"] as? [String: String])
      #expect(Set(fields.keys) == ["code", "family_name", "employment_type"])
      #expect(fields["code"] == "This is already in use; choose another.")

      let created = try await app.api(
        .POST, "/api/v1/people", token: token,
        json: [
          "code": "E002", "login_name": "sato.yumi", "family_name": "佐藤", "given_name": "由美", "employment_type": "employee",
          "department_id": tenant.department.id!.uuidString, "hire_date": "2019-04-01",
        ])
      #expect(created.status == .created)
      let person = try #require(try created.json() as? [String: Any])
      #expect(person["full_name"] as? String == "佐藤 由美")
      #expect(person["status"] as? String == "active")
      let id = try #require(person["id"] as? String)

      let changed = try await app.api(.PATCH, "/api/v1/people/\(id)", token: token, json: ["notice_date": "2026-11-01", "exit_date": "2026-12-31"])
      #expect(changed.status == .ok)
      #expect((try changed.json() as? [String: Any])?["status"] as? String == "leaving")
      #expect((try changed.json() as? [String: Any])?["code"] as? String == "E002")

      let leaving = try await app.api(.GET, "/api/v1/people?status=leaving", token: token)
      #expect((try leaving.json() as? [[String: Any]])?.count == 1)

      #expect(try await app.api(.DELETE, "/api/v1/people/\(id)", token: token).status == .noContent)
      #expect(try await app.api(.GET, "/api/v1/people/\(id)", token: token).status == .notFound)
    }
  }

  @Test("malformed JSON is a 400 that says where; a member may not use the register")
  func badRequests() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let token = try await ApiTokens.issue(name: "t", for: tenant.admin.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let wrongType = try await app.api(.POST, "/api/v1/departments", token: token, json: ["code": 5, "name": "x"])
      #expect(wrongType.status == .badRequest)
      #expect(wrongType.text.contains("code"))
      let member = try await ApiTokens.issue(name: "m", for: tenant.member.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let forbidden = try await app.api(.GET, "/api/v1/people", token: member)
      #expect(forbidden.status == .forbidden)
      #expect((try forbidden.json() as? [String: Any]).flatMap { $0["error"] as? [String: Any] }?["code"] as? String == "forbidden")
    }
  }

  @Test("the operator creates an organisation with its administrator's invitation")
  func operatorCreatesOrganisation() async throws {
    try await withApp { app, options in
      let operatorUser = try await Fixture.operatorUser(on: app)
      let token = try await ApiTokens.issue(name: "ops", for: operatorUser.id!, expiresAt: nil, on: app.db, now: options.clock.now()).secret
      let created = try await app.api(
        .POST, "/api/v1/organisations", token: token,
        json: ["slug": "minato-kogyo", "name": "みなと工業株式会社", "admin_email": "boss@minato.example", "admin_name": "港 太郎"])
      #expect(created.status == .created)
      let body = try #require(try created.json() as? [String: Any])
      let invitation = try #require(body["invitation"] as? [String: Any])
      #expect((invitation["link"] as? String)?.contains("/set-password/") == true)
      let duplicate = try await app.api(.POST, "/api/v1/organisations", token: token, json: ["slug": "minato-kogyo", "name": "x"])
      #expect(duplicate.status == .unprocessableEntity)
      let list = try await app.api(.GET, "/api/v1/organisations", token: token)
      #expect((try list.json() as? [[String: Any]])?.map { $0["slug"] as? String } == ["minato-kogyo"])
    }
  }

  @Test("the OpenAPI document is served and parses")
  func openAPIServed() async throws {
    try await withApp { app, _ in
      let response = try await app.send(.GET, "/api/v1/openapi.yaml")
      #expect(response.status == .ok)
      #expect(response.text.hasPrefix("openapi: 3.1.0"))
    }
  }
}
