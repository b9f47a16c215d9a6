import Fluent
import Foundation
import MamoriTestSupport
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("First start, invitations and one-time links", .timeLimit(.minutes(5)))
struct OnboardingTests {
  func visitorHeaders(_ app: Application, path: String) async throws -> (HTTPHeaders, String, TestingHTTPResponse) {
    let page = try await app.send(.GET, path)
    var headers = HTTPHeaders()
    if let cookie = page.cookie(CSRFMiddleware.cookieName) {
      headers.add(name: .cookie, value: "\(CSRFMiddleware.cookieName)=\(cookie)")
    }
    let token = page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.1) } ?? ""
    return (headers, token, page)
  }

  @Test("with no account, a setup link creates the first organisation and its administrator, once")
  func setupLink() async throws {
    try await withApp { app, _ in
      let link = try #require(try await SetupLinks.issueIfNeeded(on: app, baseURL: "http://127.0.0.1:8080"))
      #expect(link.hasPrefix("http://127.0.0.1:8080/setup/"))
      let path = String(link.dropFirst("http://127.0.0.1:8080".count))
      #expect(try await app.send(.GET, "/setup/not-the-token").status == .notFound)

      let (headers, token, page) = try await visitorHeaders(app, path: path)
      #expect(page.status == .ok)
      #expect(page.text.contains("初期設定"))
      var form = [
        "_csrf": token, "organisation_name": "あおば精密工業株式会社", "organisation_slug": "aoba",
        "display_name": "山下 麻衣", "email": "yamashita@aoba.example", "password": "short",
        "password_confirmation": "short",
      ]
      let invalid = try await app.send(.POST, path, form: form, headers: headers)
      #expect(invalid.status == .unprocessableEntity)
      #expect(invalid.text.contains("パスワードは12文字以上にしてください。"))
      #expect(try await Organisation.query(on: app.db).count() == 0)

      form["password"] = "the first administrator passphrase"
      form["password_confirmation"] = form["password"]
      let done = try await app.send(.POST, path, form: form, headers: headers)
      #expect(done.status == .seeOther)
      #expect(done.location == "/")
      #expect(done.cookie(SessionAuthenticator.cookieName) != nil)
      let admin = try #require(try await User.query(on: app.db).first())
      #expect(admin.role == .admin)
      #expect(admin.isOperator)
      #expect(admin.status == .active)
      #expect(try await Organisation.query(on: app.db).first()?.slug == "aoba")

      // The link is spent, and no new one is issued once an account exists.
      #expect(try await app.send(.GET, path).status == .notFound)
      #expect(try await SetupLinks.issueIfNeeded(on: app, baseURL: "http://x") == nil)
      #expect(try await SetupToken.query(on: app.db).count() == 0)
    }
  }

  @Test("an invitation link lets the person set a password once, and is e-mailed when SMTP is configured")
  func invitation() async throws {
    let mailer = RecordingMailer()
    try await withApp(TestOptions(mailer: mailer)) { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let invited = try await app.send(
        .POST, "/organisation/users", as: admin,
        form: ["email": "Suzuki@Acme.example", "display_name": "鈴木 一郎", "role": "officer"])
      #expect(invited.status == .ok)
      let link = try #require(invited.text.firstMatch(of: /<code class="secret" id="issued-link">([^<]+)<\/code>/)?.1)
      #expect(invited.text.contains("同じリンクをメールで送信しました。"))
      let mail = try #require(mailer.messages.first)
      #expect(mail.to == "suzuki@acme.example")
      #expect(mail.subject == "Mamori への招待")
      #expect(mail.body.contains(String(link)))
      let user = try #require(try await User.query(on: app.db).filter(\.$email == "suzuki@acme.example").first())
      #expect(user.status == .invited)
      #expect(user.passwordHash == nil)

      let path = String(try #require(String(link).firstMatch(of: /https?:\/\/[^\/]+(\/.+)/)?.1))
      let (headers, token, page) = try await visitorHeaders(app, path: path)
      #expect(page.status == .ok)
      #expect(page.text.contains("Mamori へようこそ"))
      let mismatch = try await app.send(
        .POST, path,
        form: ["_csrf": token, "display_name": "鈴木 一郎", "password": "tea in the tokyo rain", "password_confirmation": "different", "lang": "en"],
        headers: headers)
      #expect(mismatch.status == .unprocessableEntity)
      let done = try await app.send(
        .POST, path,
        form: ["_csrf": token, "display_name": "鈴木 一郎", "password": "tea in the tokyo rain", "password_confirmation": "tea in the tokyo rain", "lang": "en"],
        headers: headers)
      #expect(done.status == .seeOther)
      #expect(done.cookie(SessionAuthenticator.cookieName) != nil)
      let active = try #require(try await User.find(user.id, on: app.db))
      #expect(active.status == .active)
      #expect(active.language == .en)
      #expect(try await app.send(.GET, path).status == .notFound)
      _ = options
    }
  }

  @Test("an invitation link expires after seven days, and a new link replaces the old one")
  func linkExpiry() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let invitation = try await Accounts.invite(
        email: "late@acme.example", displayName: "遅刻 さん", role: .member, organisationID: tenant.organisationID,
        bodyID: nil, invitedBy: tenant.admin.id, actor: .system, on: app.db, context: app.mamori, baseURL: "http://x")
      #expect(!invitation.emailed)
      let path = String(invitation.link.dropFirst("http://x".count))
      options.clock.advance(by: 7 * 24 * 3600 + 1)
      let expired = try await app.send(.GET, path)
      #expect(expired.status == .notFound)
      #expect(expired.text.contains("有効期限が切れているか"))

      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let reissued = try await app.send(.POST, "/organisation/users/\(invitation.user.id!.uuidString)/password-link", as: admin, form: [:])
      let link = try #require(reissued.text.firstMatch(of: /id="issued-link">http:\/\/[^\/]+(\/[^<]+)</)?.1)
      #expect(try await app.send(.GET, String(link)).status == .ok)
      let again = try await app.send(.POST, "/organisation/users/\(invitation.user.id!.uuidString)/password-link", as: admin, form: [:])
      #expect(again.status == .ok)
      #expect(try await app.send(.GET, String(link)).status == .notFound)
    }
  }

  @Test("an e-mail address can hold only one account")
  func duplicateEmail() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let response = try await app.send(
        .POST, "/organisation/users", as: admin, form: ["email": "member@acme.example", "display_name": "x", "role": "member"])
      #expect(response.status == .unprocessableEntity)
      #expect(response.text.contains("このメールアドレスのアカウントはすでに存在します。"))
    }
  }

  @Test("disabling an account ends its sessions and stops its API tokens; an admin cannot disable themself")
  func disableAccount() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let admin = try await Fixture.signIn(tenant.admin, on: app)
      let member = try await Fixture.signIn(tenant.member, on: app)
      let token = try await ApiTokens.issue(name: "script", for: tenant.member.id!, expiresAt: nil, on: app.db, now: options.clock.now())
      #expect(try await app.api(.GET, "/api/v1/me", token: token.secret).status == .ok)
      let response = try await app.send(
        .POST, "/organisation/users/\(tenant.member.id!.uuidString)", as: admin, form: ["role": "member", "status": "disabled"])
      #expect(response.status == .seeOther)
      #expect(try await app.send(.GET, "/", as: member).status == .seeOther)
      #expect(try await app.api(.GET, "/api/v1/me", token: token.secret).status == .unauthorized)

      let own = try await app.send(
        .POST, "/organisation/users/\(tenant.admin.id!.uuidString)", as: admin, form: ["role": "member", "status": "active"])
      #expect(own.status == .unprocessableEntity)
      #expect(try await User.find(tenant.admin.id, on: app.db)?.role == .admin)
    }
  }
}
