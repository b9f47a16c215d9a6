import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor

@testable import MamoriWeb

/// The pages read on every request decode rows by column instead of through Fluent models
/// (docs/decisions.md, "Hot reads"). These tests hold those column lists to the models, so that a field
/// added to a model but not to the hand-written query fails here instead of showing a blank.
@Suite("Hot reads agree with the models", .timeLimit(.minutes(5)))
struct HotReadTests {
  @Test("the organisation loaded with the session is the one Fluent loads, every field, and saving it updates the row")
  func sessionOrganisation() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let organisation = try #require(try await Organisation.find(tenant.organisationID, on: app.db))
      organisation.nameEnglish = "Acme Precision"
      organisation.industry = "製造業"
      organisation.capitalYen = 30_000_000
      organisation.employeeCount = 120
      organisation.timeZone = "UTC"
      try await organisation.save(on: app.db)
      let fluent = try #require(try await Organisation.find(tenant.organisationID, on: app.db))

      let session = UserSession(
        userID: try tenant.officer.requireID(), tokenHash: Secrets.digest("hot-read-token"), csrfToken: "csrf",
        createdAt: Date(), clientAddress: "127.0.0.1", userAgent: "test")
      try await session.create(on: app.db)
      let row = try #require(try await SignedInRow.load(tokenHash: Secrets.digest("hot-read-token"), on: app.db))
      let joined = try #require(row.organisation)
      let encoder = JSONEncoder()
      encoder.outputFormatting = .sortedKeys
      // Every property of the model, by Fluent's own encoding: a new column missing from the join differs.
      #expect(String(decoding: try encoder.encode(joined), as: UTF8.self) == String(decoding: try encoder.encode(fluent), as: UTF8.self))
      #expect(row.currentUser.id == tenant.officer.id)
      #expect(row.currentUser.organisationID == tenant.organisationID)
      #expect(row.currentUser.role == .officer)
      #expect(row.csrfToken == "csrf")

      joined.name = "Acme (renamed)"
      try await joined.save(on: app.db)
      #expect(try await Organisation.query(on: app.db).count() >= 1)
      #expect(try await Organisation.query(on: app.db).filter(\.$name == "Acme (renamed)").count() == 1)
    }
  }

  @Test("a session of a user without an organisation has none, and an unknown token finds nothing")
  func sessionWithoutOrganisation() async throws {
    try await withApp { app, _ in
      let operatorUser = User(email: "op@example.com", displayName: "Operator", role: nil, isOperator: true, status: .active)
      try await operatorUser.create(on: app.db)
      let session = UserSession(
        userID: try operatorUser.requireID(), tokenHash: Secrets.digest("operator-token"), csrfToken: "c", createdAt: Date(),
        clientAddress: "127.0.0.1", userAgent: "test")
      try await session.create(on: app.db)
      let row = try #require(try await SignedInRow.load(tokenHash: Secrets.digest("operator-token"), on: app.db))
      #expect(row.organisation == nil)
      #expect(row.currentUser.isOperator)
      #expect(try await SignedInRow.load(tokenHash: Secrets.digest("nobody"), on: app.db) == nil)
    }
  }

  @Test("the tenant version read with the session is the one TenantVersion.read gives, before and after a change, and for a fresh chain")
  func sessionTenantVersion() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let session = UserSession(
        userID: try tenant.officer.requireID(), tokenHash: Secrets.digest("version-token"), csrfToken: "c", createdAt: Date(),
        clientAddress: "127.0.0.1", userAgent: "test")
      try await session.create(on: app.db)
      let today = CivilDate(year: 2026, month: 4, day: 1)!
      let chain = AuditEvent.chain(tenant.organisationID)
      // Emptied first, so that the empty chain's text is covered too ("0:").
      try await AuditEntry.query(on: app.db).filter(\.$chain == chain).delete()
      var versions: [String] = []
      for index in 0..<3 {
        let row = try #require(try await SignedInRow.load(tokenHash: Secrets.digest("version-token"), on: app.db))
        let tail = try #require(row.chainTail)
        let read = try await TenantVersion.read(organisationID: tenant.organisationID, today: today, on: app.db)
        #expect(TenantVersion.version(today: today, tail: tail) == read)
        versions.append(read)
        try await AuditTrail.append(
          AuditEvent(chain: chain, action: "department.create", recordType: "department", recordID: "v\(index)"),
          by: AuditActor(label: "officer@acme.example", id: tenant.officer.id, clientAddress: "192.0.2.1"), now: Date(),
          on: app.db)
      }
      #expect(versions.first == "2026-04-01#0:")
      #expect(Set(versions).count == 3)
    }
  }

  @Test("the audit trail's rows decoded by column are the records Fluent reads")
  func auditRecords() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let chain = AuditEvent.chain(tenant.organisationID)
      for (index, after) in [nil, "{\"name\":\"設計部\"}", "{\"x\":\"'\\\"\"}"].enumerated() {
        try await AuditTrail.append(
          AuditEvent(chain: chain, action: "department.create", recordType: "department", recordID: "d\(index)", after: after),
          by: AuditActor(label: "officer@acme.example", id: tenant.officer.id, clientAddress: "192.0.2.1"), now: Date(),
          on: app.db)
      }
      let byFluent = try await AuditEntry.query(on: app.db).filter(\.$chain == chain).sort(\.$seq).all().map(\.record)
      #expect(!byFluent.isEmpty)
      #expect(try await AuditTrail.entries(chain: chain, on: app.db) == byFluent)
      let tail = try #require(try await AuditTrail.tail(chain: chain, on: app.db))
      #expect(tail.seq == byFluent.last?.seq && tail.hash == byFluent.last?.hash)
    }
  }

  @Test("findings are computed once per version of the register: reused while nothing changes, current after a change")
  func findingsFollowTheRegister() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let first = try await app.send(.GET, "/findings", as: officer)
      #expect(first.status == .ok)
      #expect(!first.text.contains("A-900"))
      let computed = app.mamori.findings.computed
      _ = try await app.send(.GET, "/", as: officer)
      _ = try await app.send(.GET, "/findings", as: officer)
      #expect(app.mamori.findings.computed == computed, "nothing changed, so nothing is computed again")

      // An asset without an owner is a finding as soon as it is saved.
      let added = try await app.send(
        .POST, "/assets", as: officer,
        form: ["code": "A-900", "name": "金型図面", "level": "secret", "form": "electronic", "location": "/x/", "group": "G"])
      #expect(added.status == .seeOther)
      let after = try await app.send(.GET, "/findings", as: officer)
      #expect(after.text.contains("A-900"))
      #expect(app.mamori.findings.computed == computed + 1)
    }
  }

  @Test("list page bodies are built once per tenant version, query and language: reused while nothing changes, current after a change")
  func listBodiesFollowTheRegister() async throws {
    let options = TestOptions()
    try await withApp(options) { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      for path in ["/", "/people", "/assets", "/findings", "/organisation/audit-trail"] {
        #expect(try await app.send(.GET, path, as: officer).status == .ok, "\(path)")
      }
      let lists = app.mamori.listBodies.computed
      let trails = app.mamori.auditTrailBodies.computed
      let homes = app.mamori.homeBodies.computed
      let homeBefore = try await app.send(.GET, "/", as: officer).text
      for path in ["/", "/people", "/assets", "/findings", "/organisation/audit-trail"] {
        _ = try await app.send(.GET, path, as: officer)
      }
      #expect(app.mamori.listBodies.computed == lists, "nothing changed: the bodies are reused")
      #expect(app.mamori.auditTrailBodies.computed == trails)
      #expect(app.mamori.homeBodies.computed == homes)
      // Another account of the same organisation has its own home.
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      _ = try await app.send(.GET, "/", as: admin)
      #expect(app.mamori.homeBodies.computed == homes + 1)

      // Another query is another body; the same query again is the kept one.
      _ = try await app.send(.GET, "/people?q=zzz", as: officer)
      _ = try await app.send(.GET, "/people?q=zzz", as: officer)
      #expect(app.mamori.listBodies.computed == lists + 1)

      // A change shows at once, on every list.
      let trailBefore = try await app.send(.GET, "/organisation/audit-trail", as: officer).text
      #expect(!(try await app.send(.GET, "/people", as: officer).text.contains("E-900")))
      let added = try await app.send(
        .POST, "/people", as: officer,
        form: [
          "code": "E-900", "login_name": "tanaka900", "family_name": "田中", "given_name": "九百", "employment_type": "employee",
          "training_language": "ja",
        ])
      #expect(added.status == .seeOther)
      #expect(try await app.send(.GET, "/people", as: officer).text.contains("E-900"))
      #expect(try await app.send(.GET, "/organisation/audit-trail", as: officer).text != trailBefore)
      #expect(try await app.send(.GET, "/", as: officer).text != homeBefore, "the home page's head count moved")

      // In English, the English page: the language is part of the key.
      let japanese = try await app.send(.GET, "/people", as: officer).text
      _ = try await app.send(.POST, "/language", as: officer, form: ["lang": "en", "back": "/people"])
      let english = try await app.send(.GET, "/people", as: officer).text
      #expect(japanese.contains("正社員"))
      #expect(!english.contains("正社員") && english.contains("Employee"))

      // The audit trail's body is not kept longer than its chain's verdict, even without a change.
      _ = try await app.send(.GET, "/organisation/audit-trail", as: officer)
      let before = app.mamori.auditTrailBodies.computed
      _ = try await app.send(.GET, "/organisation/audit-trail", as: officer)
      #expect(app.mamori.auditTrailBodies.computed == before)
      options.clock.advance(by: AuditVerdictCache.lifetime + 1)
      _ = try await app.send(.GET, "/organisation/audit-trail", as: officer)
      #expect(app.mamori.auditTrailBodies.computed == before + 1)
    }
  }

  @Test("the assets list counts the grants in force today as Grant.isExpired does: an expiry of today counts, yesterday's and revoked ones do not")
  func assetGrantCounts() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let added = try await app.send(
        .POST, "/assets", as: officer,
        form: ["code": "A-777", "name": "治具図面", "level": "secret", "form": "electronic", "location": "/x/", "group": "G"])
      #expect(added.status == .seeOther)
      let asset = try #require(try await Asset.query(on: app.db).filter(\.$code == "A-777").first())
      // The test clock's day in the organisation's zone (Asia/Tokyo).
      let today = CivilDate(app.mamori.clock.now(), in: TimeZone(identifier: "Asia/Tokyo")!)
      let cases: [(expires: CivilDate?, revoked: CivilDate?)] = [
        (nil, nil), (today, nil), (today.adding(days: -1), nil), (nil, today.adding(days: -2)), (today.adding(days: 30), nil),
      ]
      for (expires, revoked) in cases {
        let grant = Grant()
        grant.$asset.id = try asset.requireID()
        grant.$organisation.id = tenant.organisationID
        grant.$person.id = try tenant.person.requireID()
        grant.grantedOn = today.adding(days: -100)
        grant.expiresOn = expires
        grant.revokedOn = revoked
        grant.reason = ""
        try await grant.create(on: app.db)
      }
      let byModel = try await Grant.query(on: app.db).all().filter { !$0.isRevoked && !$0.isExpired(on: today) }.count
      #expect(byModel == 3)
      let page = try await app.send(.GET, "/assets?q=A-777", as: officer)
      #expect(page.text.contains("<td>\(byModel)</td></tr>"), "the list shows the grants in force")
    }
  }
}
