import Fluent
import Foundation
import MamoriTestSupport
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

/// Issue 7: each hole found by attacking the demo, shown closed. Every test here failed on the code
/// before the fix; docs/security.md names them in its threat table.
@Suite("Hardening", .timeLimit(.minutes(3)))
struct HardeningTests {
  // MARK: - Helpers

  func visitorToken(_ app: Application) async throws -> (cookie: String, token: String) {
    let page = try await app.send(.GET, "/login")
    let cookie = try #require(page.cookie(CSRFMiddleware.cookieName))
    let token = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
    return (cookie, String(token))
  }

  func signIn(
    _ app: Application, email: String, password: String, next: String = "/people", address: String = "192.0.2.1",
    extraCookie: String? = nil, csrf: String? = nil
  ) async throws -> TestingHTTPResponse {
    var (cookie, token) = try await visitorToken(app)
    if let csrf { token = csrf }
    var headers = HTTPHeaders()
    headers.add(name: .cookie, value: "\(CSRFMiddleware.cookieName)=\(cookie)" + (extraCookie.map { "; \($0)" } ?? ""))
    headers.add(name: "X-Forwarded-For", value: address)
    return try await app.send(
      .POST, "/login", form: ["_csrf": token, "email": email, "password": password, "next": next], headers: headers)
  }

  /// An organisation admin who is also the platform operator, as the setup page creates one.
  func makeOperatorAdmin(_ tenant: TenantFixture, on app: Application) async throws -> User {
    let user = User(
      email: "owner@\(tenant.organisation.slug).example", displayName: "owner", role: .admin,
      organisationID: tenant.organisationID, isOperator: true, status: .active, passwordHash: testPasswordHash)
    try await user.create(on: app.db)
    return user
  }

  static func fixture(_ path: String) throws -> Data {
    try Data(contentsOf: Repository.fixtures.appendingPathComponent(path))
  }

  // MARK: - 1, 2, 12: uploads are parsed in a bounded child process

  @Test("a zip bomb, a YAML alias bomb and the crashing workbooks are refused while the server keeps serving")
  func hostileUploads() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let officer = try await Fixture.signIn(tenant.officer, on: app)
      let start = try await app.send(.POST, "/assessments", as: officer, form: ["catalog": "tics-selfcheck-mamori", "title": "R1"])
      let assessmentPath = try #require(start.location)
      let workbooks = try FileManager.default.contentsOfDirectory(
        at: Repository.fixtures.appendingPathComponent("fuzz-crashes/xlsx"), includingPropertiesForKeys: nil
      ).filter { $0.pathExtension == "xlsx" }
      #expect(workbooks.count >= 3)
      for url in workbooks + [Repository.fixtures.appendingPathComponent("uploads/zip-bomb.xlsx")] {
        let response = try await app.upload(
          assessmentPath + "/import", as: officer, file: (url.lastPathComponent, try Data(contentsOf: url)))
        #expect(response.status == .unprocessableEntity, "\(url.lastPathComponent)")
        #expect(response.text.contains(url.lastPathComponent), "the refusal names the file")
        // The child is killed after 15 s whatever happens (a hang would pass the suite's time limit).
        #expect(try await app.send(.GET, "/healthz").status == .ok)
      }
      let bomb = try Self.fixture("uploads/alias-bomb.yaml")
      let refused = try await app.upload("/assessments/catalogs", as: officer, file: ("alias-bomb.yaml", bomb))
      #expect(refused.status == .unprocessableEntity)
      #expect(try await OrganisationCatalog.query(on: app.db).count() == 0)
    }
  }

  @Test("a child that hangs or dies costs one refused upload with a clear message")
  func sandboxFailures() async throws {
    // The real child, killed by its wall clock: `sleep` stands in for a parser stuck without using CPU.
    var limits = SandboxLimits()
    limits.wallClock = .milliseconds(300)
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-test-hang-\(UUID().uuidString).sh")
    try Data("#!/bin/sh\nexec sleep 600\n".utf8).write(to: script)
    try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
    defer { try? FileManager.default.removeItem(at: script) }
    let sleeper = ChildProcessUploadParser(executable: script, limits: limits)
    let outcome = await sleeper.parse(UploadRequest(kind: .catalog, fileName: "slow.yaml"), file: URL(fileURLWithPath: "/dev/null"))
    // `sleep` would take 600 s (past the suite's time limit); the wall-clock refusal shows the kill. No
    // duration is asserted: a loaded test machine says nothing about the server's timer.
    guard case .refused(let lines, _) = outcome else {
      Issue.record("expected a refusal, got \(outcome)")
      return
    }
    #expect(lines.first?.hasPrefix("slow.yaml: ") == true)
    #expect(lines.first?.contains("could not be read within") == true, "\(lines)")
    let crasher = ChildProcessUploadParser(executable: URL(fileURLWithPath: "/bin/false"))
    guard case .refused = await crasher.parse(UploadRequest(kind: .catalog, fileName: "x.yaml"), file: URL(fileURLWithPath: "/dev/null"))
    else {
      Issue.record("a child that fails must refuse the upload")
      return
    }
  }

  // MARK: - 3: operator accounts

  @Test("an organisation admin cannot reset, disable or change an operator account, by page or API")
  func operatorTakeover() async throws {
    let mailer = RecordingMailer()
    try await withApp(TestOptions(mailer: mailer)) { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let owner = try await makeOperatorAdmin(tenant, on: app)
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let ownerID = try owner.requireID()
      let link = try await app.send(.POST, "/organisation/users/\(ownerID)/password-link", as: admin, form: [:])
      #expect(link.status == .forbidden)
      let disable = try await app.send(
        .POST, "/organisation/users/\(ownerID)", as: admin, form: ["role": "member", "status": "disabled"])
      #expect(disable.status == .forbidden)
      let page = try await app.send(.GET, "/organisation/users/\(ownerID)", as: admin)
      #expect(page.status == .ok)
      #expect(!page.text.contains("/password-link\""))
      #expect(try await AccountToken.query(on: app.db).count() == 0)
      let reloaded = try #require(try await User.find(ownerID, on: app.db))
      #expect(reloaded.role == .admin && reloaded.status == .active)

      let token = try await ApiTokens.issue(name: "t", for: try tenant.admin.requireID(), expiresAt: nil, on: app.db, now: Date())
      #expect(try await app.api(.POST, "/api/v1/users/\(ownerID)/password-link", token: token.secret).status == .forbidden)
      #expect(try await app.api(.PATCH, "/api/v1/users/\(ownerID)", token: token.secret, json: ["status": "disabled"]).status == .forbidden)

      // Another operator may, and the owner is told.
      let operatorSession = try await Fixture.signIn(try await Fixture.operatorUser(on: app), on: app)
      _ = operatorSession
      let member = tenant.member
      let changed = try await app.send(
        .POST, "/organisation/users/\(try member.requireID())", as: admin, form: ["role": "officer", "status": "active"])
      #expect(changed.status == .seeOther)
      #expect(mailer.messages.contains { $0.to == member.email && $0.subject.contains("変更") })
    }
  }

  // MARK: - 4 and the link race

  @Test("setting a password through a reset link revokes API tokens and ends sessions; a link works once even when used twice at once")
  func resetRevokesTokens() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let memberID = try tenant.member.requireID()
      let token = try await ApiTokens.issue(name: "old", for: memberID, expiresAt: nil, on: app.db, now: app.mamori.clock.now())
      #expect(try await app.api(.GET, "/api/v1/me", token: token.secret).status == .ok)
      let (link, _) = try await Accounts.issueLink(
        for: tenant.member, purpose: .reset, createdBy: nil, actor: .system, on: app.db, context: app.mamori, baseURL: "http://x")
      let path = String(link.dropFirst("http://x".count))
      let form = ["display_name": "member", "password": "a new long passphrase", "password_confirmation": "a new long passphrase"]
      let (cookie, csrf) = try await visitorToken(app)
      var headers = HTTPHeaders()
      headers.add(name: .cookie, value: "\(CSRFMiddleware.cookieName)=\(cookie)")
      async let first = app.send(.POST, path, form: form.merging(["_csrf": csrf]) { $1 }, headers: headers)
      async let second = app.send(.POST, path, form: form.merging(["_csrf": csrf]) { $1 }, headers: headers)
      let statuses = [try await first.status, try await second.status]
      #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
      #expect(statuses.filter { $0 == .notFound }.count == 1, "\(statuses)")
      #expect(try await app.api(.GET, "/api/v1/me", token: token.secret).status == .unauthorized)
    }
  }

  // MARK: - 5: throttle under concurrency

  @Test("forty parallel guesses at one account: at most five passwords are checked")
  func throttleRace() async throws {
    try await withApp(TestOptions(configure: { $0.trustProxy = true })) { app, _ in
      _ = try await Fixture.tenant("acme", on: app)
      let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
        for attempt in 0..<40 {
          group.addTask {
            try await signIn(app, email: "admin@acme.example", password: "wrong guess \(attempt)", address: "198.51.100.\(attempt)").status
          }
        }
        var all: [HTTPResponseStatus] = []
        for try await status in group { all.append(status) }
        return all
      }
      let checked = statuses.filter { $0 == .unauthorized }.count
      #expect(checked <= 5, "\(checked) passwords were checked")
      #expect(statuses.filter { $0 == .tooManyRequests }.count == 40 - checked)
      // Every checked attempt counts, so the account is now locked for the right password too.
      if checked == 5 {
        #expect(try await signIn(app, email: "admin@acme.example", password: testPassword).status == .tooManyRequests)
      }
      #expect(try await LoginFailure.query(on: app.db).filter(\.$inFlight == true).count() == 0)
    }
  }

  // MARK: - 6: bodies

  @Test("forms have small body limits; unknown routes and signed-out posts are refused before any body is read")
  func bodyLimits() async throws {
    try await withApp { app, _ in
      /// A form post of `bytes` over a real socket, so that the body arrives as a stream.
      func post(_ path: String, bytes: Int) async throws -> HTTPResponseStatus {
        var status: HTTPResponseStatus = .ok
        try await app.testing(method: .running(port: 0)).test(
          .POST, path,
          beforeRequest: { request in
            request.headers.contentType = .urlEncodedForm
            request.body = ByteBuffer(repeating: UInt8(ascii: "a"), count: bytes)
          },
          afterResponse: { status = $0.status })
        return status
      }
      #expect(try await post("/login", bytes: 1 << 20) == .payloadTooLarge)
      #expect(try await post("/no-such-route", bytes: 4 << 20) == .notFound)
      // Sent to the sign-in page (the test client follows the redirect), the body never read.
      let signedOut = try await post("/people", bytes: 4 << 20)
      #expect(signedOut != .payloadTooLarge && signedOut != .forbidden)
    }
    #expect(BodyLimit.form.bytes <= 64 << 10)
  }

  @Test("every route declares a body limit; only the upload routes stream")
  func uploadRoutesStream() async throws {
    try await withApp { app, _ in
      let uploads = app.routes.all.filter { $0.bodyLimit == .upload }.map { "\($0.method) \($0.path.string)" }.sorted()
      #expect(
        uploads == [
          "POST assessments/:assessmentID/evidence", "POST assessments/:assessmentID/import", "POST assessments/actions/:actionID/evidence",
          "POST assessments/catalogs", "POST people/:personID/pledges", "POST register/import",
        ])
    }
  }

  @Test("a streamed upload without the form's CSRF token is refused and leaves nothing behind")
  func uploadCSRF() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      var officer = try await Fixture.signIn(tenant.officer, on: app)
      officer.csrf = "wrong-token-wrong-token-wrong-token"
      let response = try await app.upload("/assessments/catalogs", as: officer, file: ("c.yaml", Data("id: x\n".utf8)))
      #expect(response.status == .forbidden)
    }
  }

  // MARK: - 7: redirects

  @Test("sign-in and the language switch redirect only to paths on this site", arguments: [
    "/%09/evil.example/phish", "/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
    "/%5Cevil.example", "/ /evil", "/%2F/evil.example",
  ])
  func openRedirect(next: String) async throws {
    try await withApp { app, _ in
      _ = try await Fixture.tenant("acme", on: app)
      let response = try await signIn(app, email: "admin@acme.example", password: testPassword, next: next)
      #expect(response.location == "/")
      let (cookie, token) = try await visitorToken(app)
      var headers = HTTPHeaders()
      headers.add(name: .cookie, value: "\(CSRFMiddleware.cookieName)=\(cookie)")
      let language = try await app.send(.POST, "/language", form: ["_csrf": token, "lang": "en", "back": next], headers: headers)
      #expect(language.location == "/")
    }
    #expect(SafeRedirect.path(next) == nil || SafeRedirect.path(next) == "/%2F/evil.example")
  }

  // MARK: - 8: logs

  @Test("request log lines name the route pattern, never a one-time token")
  func logsRoutePattern() async throws {
    try await withApp { app, _ in
      let route = try #require(app.routes.all.first { $0.method == .GET && $0.path.string.hasPrefix("set-password") })
      let request = Request(application: app, method: .GET, url: "/set-password/SECRET-TOKEN", on: app.eventLoopGroup.next())
      request.route = route
      #expect(RequestLogMiddleware.pattern(of: request) == "/set-password/:accountToken")
      let unmatched = Request(application: app, method: .GET, url: "/setup/SECRET", on: app.eventLoopGroup.next())
      #expect(RequestLogMiddleware.pattern(of: unmatched) == "unmatched")
    }
  }

  // MARK: - 9: tokens

  @Test("a token cannot mint a longer-lived token; read-only tokens change nothing; choices match the page")
  func tokenRules() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let now = app.mamori.clock.now()
      let short = try await ApiTokens.issue(name: "30d", for: try tenant.admin.requireID(), expiresAt: now + 30 * 86_400, on: app.db, now: now)
      let forever = try await app.api(.POST, "/api/v1/tokens", token: short.secret, json: ["name": "forever", "expires_in_days": 0])
      #expect(forever.status == .unprocessableEntity)
      let longer = try await app.api(.POST, "/api/v1/tokens", token: short.secret, json: ["name": "year", "expires_in_days": 365])
      #expect(longer.status == .unprocessableEntity)
      let odd = try await app.api(.POST, "/api/v1/tokens", token: short.secret, json: ["name": "odd", "expires_in_days": 17])
      #expect(odd.status == .unprocessableEntity)
      let shorter = try await app.api(.POST, "/api/v1/tokens", token: short.secret, json: ["name": "ro", "expires_in_days": 30, "scope": "read"])
      #expect(shorter.status == .created)
      let secret = try #require((try shorter.json() as? [String: Any])?["secret"] as? String)
      #expect(try await app.api(.GET, "/api/v1/people", token: secret).status == .ok)
      #expect(try await app.api(.POST, "/api/v1/departments", token: secret, json: ["code": "x", "name": "X"]).status == .forbidden)
      #expect(try await app.api(.POST, "/api/v1/tokens", token: secret, json: ["name": "again", "expires_in_days": 30]).status == .forbidden)
      let browser = try await Fixture.signIn(tenant.admin, on: app)
      let page = try await app.send(.GET, "/account", as: browser)
      for days in ApiTokenRules.lifetimeChoices { #expect(page.text.contains("<option value=\"\(days)\"")) }
      #expect(page.text.contains("name=\"scope\""))
    }
  }

  // MARK: - 11: enumeration

  @Test("inviting an address that has an account in another organisation answers as for a new one")
  func noEnumeration() async throws {
    let mailer = RecordingMailer()
    try await withApp(TestOptions(mailer: mailer)) { app, _ in
      let acme = try await Fixture.tenant("acme", on: app)
      _ = try await Fixture.tenant("beta", on: app)
      let admin = try await Fixture.signIn(acme.admin, on: app)
      let taken = try await app.send(
        .POST, "/organisation/users", as: admin, form: ["email": "officer@beta.example", "display_name": "x", "role": "member"])
      let fresh = try await app.send(
        .POST, "/organisation/users", as: admin, form: ["email": "new@acme.example", "display_name": "y", "role": "member"])
      #expect(taken.status == fresh.status)
      #expect(taken.status == .ok)
      #expect(!taken.text.contains("すでに"))
      #expect(try await User.query(on: app.db).filter(\.$email == "officer@beta.example").count() == 1)
      #expect(mailer.messages.contains { $0.to == "officer@beta.example" })
      let token = try await ApiTokens.issue(name: "t", for: try acme.admin.requireID(), expiresAt: nil, on: app.db, now: Date())
      let api = try await app.api(.POST, "/api/v1/users", token: token.secret, json: ["email": "admin@beta.example", "display_name": "z"])
      #expect(api.status == .created)
    }
  }

  // MARK: - Also fixed

  @Test("signing in while signed in ends the earlier session")
  func signInEndsOldSession() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let old = try await Fixture.signIn(tenant.member, on: app)
      let response = try await signIn(
        app, email: "admin@acme.example", password: testPassword, extraCookie: "\(SessionAuthenticator.cookieName)=\(old.cookie)",
        csrf: old.csrf)
      #expect(response.status == .seeOther)
      #expect(try await UserSession.query(on: app.db).filter(\.$user.$id == old.userID).count() == 0)
    }
  }

  @Test("a setup link expires after 24 hours and only the newest one works")
  func setupLinks() async throws {
    try await withApp { app, options in
      let first = try #require(try await SetupLinks.issueIfNeeded(on: app, baseURL: ""))
      let second = try #require(try await SetupLinks.issueIfNeeded(on: app, baseURL: ""))
      #expect(try await SetupToken.query(on: app.db).count() == 1)
      #expect(try await app.send(.GET, first).status == .notFound)
      #expect(try await app.send(.GET, second).status == .ok)
      options.clock.advance(by: 24 * 3600 + 1)
      #expect(try await app.send(.GET, second).status == .notFound)
    }
  }

  @Test("an organisation may keep a bounded number of catalogs; parsed catalogs are cached by content")
  func catalogCap() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let yaml = try String(contentsOf: Repository.fixtures.appendingPathComponent("catalogs/sample.yaml"), encoding: .utf8)
      for version in 1...Assessments.maximumOrganisationCatalogs {
        try await OrganisationCatalog(
          organisationID: tenant.organisationID, catalogID: "own-\(version)", version: 1, fileName: "c.yaml", yaml: yaml,
          uploadedBy: nil
        ).create(on: app.db)
      }
      await #expect(throws: CatalogError.self) {
        _ = try await Assessments.upload(
          yaml: yaml.replacingOccurrences(of: "version: 2", with: "version: 99"), fileName: "c.yaml", builtIn: [],
          organisationID: tenant.organisationID, actor: .system, now: Date(), cache: app.mamori.catalogCache, on: app.db)
      }
      let cache = CatalogCache()
      let a = cache.catalog(yaml: yaml, file: "c.yaml")
      let b = cache.catalog(yaml: yaml, file: "c.yaml")
      #expect(a != nil && a?.id == b?.id)
    }
  }
}
