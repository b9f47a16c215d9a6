import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("Roles and audit access", .timeLimit(.minutes(5)))
struct AccessTests {
  @Test("visitors are sent to sign in; the API answers 401")
  func visitors() async throws {
    try await withApp { app, _ in
      let page = try await app.send(.GET, "/people?type=dispatched")
      #expect(page.status == .seeOther)
      #expect(page.location == "/login?next=/people")
      let api = try await app.api(.GET, "/api/v1/people", token: nil)
      #expect(api.status == .unauthorized)
      let error = try #require(try api.json() as? [String: Any])
      #expect((error["error"] as? [String: Any])?["code"] as? String == "unauthorized")
    }
  }

  @Test("each role sees its pages and is refused the others")
  func rolePages() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let body = try await Fixture.body("midori", on: app)
      let operatorUser = try await Fixture.operatorUser(on: app)
      let expectations: [(User, [String: HTTPResponseStatus])] = [
        (tenant.admin, ["/": .ok, "/people": .ok, "/organisation/users": .ok, "/organisation/audit-access": .ok, "/admin/organisations": .forbidden, "/audits": .forbidden]),
        (tenant.officer, ["/": .ok, "/people": .ok, "/departments": .ok, "/organisation": .ok, "/organisation/audit-access": .forbidden, "/account": .ok]),
        (tenant.member, ["/": .ok, "/account": .ok, "/people": .forbidden, "/departments": .forbidden, "/organisation": .forbidden]),
        (body.auditor, ["/": .ok, "/audits": .ok, "/people": .forbidden, "/account": .ok]),
        (operatorUser, ["/": .ok, "/admin/organisations": .ok, "/admin/bodies": .ok, "/people": .forbidden]),
      ]
      for (user, pages) in expectations {
        let browser = try await Fixture.signIn(user, on: app)
        for (path, status) in pages {
          let response = try await app.send(.GET, path, as: browser)
          #expect(response.status == status, "\(user.email) GET \(path) answered \(response.status.code)")
        }
      }
      // An officer may read the organisation's profile but not change it.
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      #expect(try await app.send(.POST, "/organisation", as: officer, form: ["name": "x"]).status == .forbidden)
    }
  }

  @Test("an auditor sees an organisation only while it grants the body an audit")
  func auditWindow() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let body = try await Fixture.body("midori", on: app)
      let other = try await Fixture.body("other", on: app)
      let grant = try await Fixture.grant(body.body, by: tenant, from: 2, to: 10, on: app)
      var auditor = try await Fixture.signIn(body.auditor, on: app)
      let token = try await ApiTokens.issue(name: "a", for: body.auditor.id!, expiresAt: nil, on: app.db, now: options.clock.now())
      let path = "/audits/\(grant.id!.uuidString.lowercased())"

      // Scheduled, not yet open.
      #expect(try await app.send(.GET, path, as: auditor).status == .notFound)
      #expect(try await app.api(.GET, "/api/v1\(path)/people", token: token.secret).status == .notFound)

      options.clock.advance(by: 3 * 86_400)
      auditor = try await Fixture.signIn(body.auditor, on: app)
      let open = try await app.send(.GET, path, as: auditor)
      #expect(open.status == .ok)
      #expect(open.text.contains("田中 健太"))
      let people = try await app.api(.GET, "/api/v1\(path)/people", token: token.secret)
      #expect(people.status == .ok)
      #expect((try people.json() as? [[String: Any]])?.first?["full_name"] as? String == "田中 健太")
      #expect(try await app.send(.GET, "/audits", as: auditor).text.contains(path))

      // Another body's auditor never sees it.
      let stranger = try await Fixture.signIn(other.auditor, on: app)
      #expect(try await app.send(.GET, path, as: stranger).status == .notFound)

      // Revoked by the organisation: gone at once.
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      #expect(try await app.send(.POST, "/organisation/audit-access/\(grant.id!.uuidString)/revoke", as: admin, form: [:]).status == .seeOther)
      #expect(try await app.send(.GET, path, as: auditor).status == .notFound)

      // And a grant that has ended is closed too.
      let ended = try await Fixture.grant(body.body, by: tenant, from: -30, to: -1, on: app)
      #expect(try await app.send(.GET, "/audits/\(ended.id!.uuidString)", as: auditor).status == .notFound)
    }
  }

  @Test("an administrator grants audit access with a valid period only")
  func grantAccess() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let body = try await Fixture.body("midori", on: app)
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let bodyID = body.body.id!.uuidString.lowercased()
      let backwards = try await app.send(
        .POST, "/organisation/audit-access", as: admin,
        form: ["body_id": bodyID, "starts_on": "2026-12-10", "ends_on": "2026-12-01", "purpose": "初回審査"])
      #expect(backwards.status == .unprocessableEntity)
      #expect(backwards.text.contains("終了日は開始日以降にしてください。"))
      let tooLong = try await app.send(
        .POST, "/organisation/audit-access", as: admin,
        form: ["body_id": bodyID, "starts_on": "2026-12-01", "ends_on": "2028-12-01", "purpose": "初回審査"])
      #expect(tooLong.status == .unprocessableEntity)
      let ok = try await app.send(
        .POST, "/organisation/audit-access", as: admin,
        form: ["body_id": bodyID, "starts_on": "2026-12-01", "ends_on": "2026-12-31", "purpose": "初回審査"])
      #expect(ok.status == .seeOther)
      let page = try await app.send(.GET, "/organisation/audit-access", as: admin)
      #expect(page.text.contains("2026年12月1日 〜 2026年12月31日"))
      #expect(page.text.contains("開始前"))
    }
  }
}
