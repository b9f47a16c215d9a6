import Fluent
import Foundation
import MamoriTestSupport
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("Tenant context", .timeLimit(.minutes(5)))
struct TenantContextTests {
  @Test("today is the organisation's day, also when UTC's date differs at the same instant")
  func todayIsTheOrganisations() async throws {
    // 2026-11-18 20:00 UTC is already 19 November in Tokyo.
    let clock = FixedClock(Date(timeIntervalSince1970: 1_795_032_000))
    #expect(CivilDate(clock.now(), in: TimeZone(identifier: "UTC")!).iso == "2026-11-18")
    try await withApp(TestOptions(clock: clock)) { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let page = try await app.send(.GET, "/assessments", as: officer)
      #expect(page.text.contains("2026年11月19日"), "the default title carries the organisation's date")
      tenant.organisation.timeZone = "UTC"
      try await tenant.organisation.save(on: app.db)
      let utc = try await app.send(.GET, "/assessments", as: officer)
      #expect(utc.text.contains("2026年11月18日"))
      #expect(!utc.text.contains("2026年11月19日"))
    }
  }

  @Test("the organisation is loaded once per request, however many parts of the page ask")
  func loadedOnce() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let request = Request(application: app, on: app.eventLoopGroup.next())
      request.currentUser = try CurrentUser(user: tenant.officer, credential: .session(id: UUID(), csrfToken: "x"))
      let first = try await request.tenant()
      tenant.organisation.name = "changed meanwhile"
      try await tenant.organisation.save(on: app.db)
      let second = try await request.tenant()
      #expect(first.organisation === second.organisation)
      #expect(second.organisation.name == "acme 株式会社")
    }
  }
}
