import Fluent
import Foundation
import MamoriCore
import Testing
import Vapor
import VaporTesting

@testable import MamoriWeb

@Suite("Sign-in, sessions and CSRF", .timeLimit(.minutes(5)))
struct AuthTests {
  /// GET the sign-in page as a visitor and return its CSRF cookie and token.
  func visitorToken(_ app: Application) async throws -> (cookie: String, token: String) {
    let page = try await app.send(.GET, "/login")
    let cookie = try #require(page.cookie(CSRFMiddleware.cookieName))
    let token = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1)
    #expect(String(token) == cookie)
    return (cookie, String(token))
  }

  func signIn(_ app: Application, email: String, password: String, address: String = "192.0.2.1") async throws
    -> TestingHTTPResponse
  {
    let (cookie, token) = try await visitorToken(app)
    var headers = HTTPHeaders()
    headers.add(name: .cookie, value: "\(CSRFMiddleware.cookieName)=\(cookie)")
    headers.add(name: "X-Forwarded-For", value: address)
    return try await app.send(
      .POST, "/login", form: ["_csrf": token, "email": email, "password": password, "next": "/people"], headers: headers)
  }

  @Test("a correct password signs in with a database session and an HttpOnly, SameSite=Lax cookie")
  func signInWorks() async throws {
    try await withApp(TestOptions(configure: { $0.trustProxy = true })) { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let response = try await signIn(app, email: "ADMIN@acme.example ", password: testPassword)
      #expect(response.status == .seeOther)
      #expect(response.location == "/people")
      let header = try #require(response.setCookieHeader(SessionAuthenticator.cookieName))
      #expect(header.contains("HttpOnly"))
      #expect(header.contains("SameSite=Lax"))
      #expect(!header.contains("Secure"))
      let sessions = try await UserSession.query(on: app.db).filter(\.$user.$id == tenant.admin.id!).all()
      #expect(sessions.count == 1)
      // Only the digest is stored, never the cookie's value.
      let cookie = try #require(response.cookie(SessionAuthenticator.cookieName))
      #expect(sessions[0].tokenHash != cookie)
      #expect(sessions[0].clientAddress == "192.0.2.1")
      var headers = HTTPHeaders()
      headers.add(name: .cookie, value: "\(SessionAuthenticator.cookieName)=\(cookie)")
      let people = try await app.send(.GET, "/people", headers: headers)
      #expect(people.status == .ok)
      #expect(people.text.contains("田中 健太"))
    }
  }

  @Test("the cookie is Secure behind a proxy that says the browser used HTTPS")
  func secureCookieBehindProxy() async throws {
    try await withApp(TestOptions(configure: { $0.trustProxy = true })) { app, _ in
      _ = try await Fixture.tenant("acme", on: app)
      let (cookie, token) = try await visitorToken(app)
      var headers = HTTPHeaders()
      headers.add(name: .cookie, value: "\(CSRFMiddleware.cookieName)=\(cookie)")
      headers.add(name: "X-Forwarded-Proto", value: "https")
      let response = try await app.send(
        .POST, "/login", form: ["_csrf": token, "email": "admin@acme.example", "password": testPassword], headers: headers)
      #expect(response.setCookieHeader(SessionAuthenticator.cookieName)?.contains("Secure") == true)
      #expect(response.headers.first(name: "Strict-Transport-Security") != nil)
    }
  }

  @Test("a wrong password, an unknown address and a disabled account all fail the same way")
  func failuresLookAlike() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      tenant.member.status = .disabled
      try await tenant.member.save(on: app.db)
      for (email, password) in [
        ("admin@acme.example", "wrong password 123"), ("nobody@acme.example", testPassword),
        ("member@acme.example", testPassword),
      ] {
        let response = try await signIn(app, email: email, password: password)
        #expect(response.status == .unauthorized)
        #expect(response.text.contains("メールアドレス又はパスワードが正しくありません。"))
        #expect(response.cookie(SessionAuthenticator.cookieName) == nil)
      }
      #expect(try await LoginFailure.query(on: app.db).count() == 3)
    }
  }

  @Test("five failures for one account lock it, even with the right password, until the window passes")
  func throttlePerAccount() async throws {
    try await withApp(TestOptions(configure: { $0.trustProxy = true })) { app, options in
      _ = try await Fixture.tenant("acme", on: app)
      for attempt in 0..<5 {
        let response = try await signIn(app, email: "admin@acme.example", password: "wrong-\(attempt)-password", address: "198.51.100.\(attempt)")
        #expect(response.status == .unauthorized)
      }
      let locked = try await signIn(app, email: "admin@acme.example", password: testPassword, address: "198.51.100.9")
      #expect(locked.status == .tooManyRequests)
      #expect(locked.text.contains("15分ほど"))
      options.clock.advance(by: 15 * 60 + 1)
      let later = try await signIn(app, email: "admin@acme.example", password: testPassword, address: "198.51.100.9")
      #expect(later.status == .seeOther)
    }
  }

  @Test("twenty failures from one address lock that address for every account")
  func throttlePerAddress() async throws {
    try await withApp(TestOptions(configure: { $0.trustProxy = true })) { app, _ in
      _ = try await Fixture.tenant("acme", on: app)
      // Failures recorded directly: the rule is about counting, and twenty bcrypt checks add nothing.
      for index in 0..<20 {
        try await LoginFailure(email: "guess\(index)@acme.example", clientAddress: "203.0.113.7", at: app.mamori.clock.now())
          .create(on: app.db)
      }
      let locked = try await signIn(app, email: "admin@acme.example", password: testPassword, address: "203.0.113.7")
      #expect(locked.status == .tooManyRequests)
      let elsewhere = try await signIn(app, email: "admin@acme.example", password: testPassword, address: "203.0.113.8")
      #expect(elsewhere.status == .seeOther)
    }
  }

  @Test("only the last X-Forwarded-For entry counts, and only when the proxy is trusted")
  func clientAddress() async throws {
    try await withApp(TestOptions(configure: { $0.trustProxy = true })) { app, _ in
      let request = Request(application: app, on: app.eventLoopGroup.next())
      request.headers.add(name: "X-Forwarded-For", value: "10.0.0.1, 192.0.2.44")
      #expect(request.clientAddress == "192.0.2.44")
    }
    try await withApp { app, _ in
      let request = Request(application: app, on: app.eventLoopGroup.next())
      request.headers.add(name: "X-Forwarded-For", value: "192.0.2.44")
      #expect(request.clientAddress != "192.0.2.44")
    }
  }

  @Test("a session ends after the idle timeout and after the absolute timeout")
  func sessionTimeouts() async throws {
    try await withApp { app, options in
      let tenant = try await Fixture.tenant("acme", on: app)
      let browser = try await Fixture.signIn(tenant.admin, on: app)
      #expect(try await app.send(.GET, "/", as: browser).status == .ok)
      options.clock.advance(by: 2 * 3600 + 1)
      let idle = try await app.send(.GET, "/people", as: browser)
      #expect(idle.status == .seeOther)
      #expect(idle.location == "/login?next=/people&expired=1")
      #expect(try await UserSession.query(on: app.db).count() == 0)

      // Active all along, yet signed out 12 hours after sign-in.
      let second = try await Fixture.signIn(tenant.admin, on: app)
      for _ in 0..<12 {
        options.clock.advance(by: 3600 - 1)
        if try await app.send(.GET, "/", as: second).status != .ok { break }
      }
      options.clock.advance(by: 60)
      #expect(try await app.send(.GET, "/", as: second).status == .seeOther)
    }
  }

  @Test("signing out deletes the session")
  func signOut() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let browser = try await Fixture.signIn(tenant.member, on: app)
      let response = try await app.send(.POST, "/logout", as: browser, form: [:])
      #expect(response.status == .seeOther)
      #expect(response.location == "/login")
      #expect(try await UserSession.query(on: app.db).count() == 0)
      #expect(try await app.send(.GET, "/", as: browser).status == .seeOther)
    }
  }

  @Test("a state-changing form without the CSRF token, with a wrong one, or from another site is refused")
  func csrf() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let browser = try await Fixture.signIn(tenant.admin, on: app)
      let form = ["code": "qa", "name": "品質保証部"]
      let missing = try await app.send(.POST, "/departments", as: browser, form: form, csrf: false)
      #expect(missing.status == .forbidden)
      #expect(missing.text.contains("ページの有効期限が切れました"))
      var wrong = form
      wrong["_csrf"] = Secrets.token()
      #expect(try await app.send(.POST, "/departments", as: browser, form: wrong).status == .forbidden)
      var crossSite = HTTPHeaders()
      crossSite.add(name: "Sec-Fetch-Site", value: "cross-site")
      #expect(try await app.send(.POST, "/departments", as: browser, form: form, headers: crossSite).status == .forbidden)
      var otherOrigin = HTTPHeaders()
      otherOrigin.add(name: .origin, value: "https://evil.example")
      otherOrigin.add(name: .host, value: "mamori.example.co.jp")
      #expect(try await app.send(.POST, "/departments", as: browser, form: form, headers: otherOrigin).status == .forbidden)
      #expect(try await Department.query(on: app.db).filter(\.$code == "qa").count() == 0)

      var sameOrigin = HTTPHeaders()
      sameOrigin.add(name: .origin, value: "https://mamori.example.co.jp")
      sameOrigin.add(name: .host, value: "mamori.example.co.jp")
      let accepted = try await app.send(.POST, "/departments", as: browser, form: form, headers: sameOrigin)
      #expect(accepted.status == .seeOther)
      #expect(try await Department.query(on: app.db).filter(\.$code == "qa").count() == 1)
    }
  }

  @Test("every response carries the security headers, with a CSP that allows no inline script")
  func securityHeaders() async throws {
    try await withApp { app, _ in
      for path in ["/login", "/does-not-exist", "/healthz", "/static/css/mamori.css"] {
        let response = try await app.send(.GET, path)
        let csp = try #require(response.headers.first(name: "Content-Security-Policy"))
        #expect(csp.contains("script-src 'self'"))
        #expect(!csp.contains("unsafe-inline"))
        #expect(csp.contains("frame-ancestors 'none'"))
        #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
        #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
        #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
      }
      #expect(try await app.send(.GET, "/login").headers.first(name: .cacheControl) == "no-store")
      #expect(try await app.send(.GET, "/static/css/mamori.css").headers.first(name: .cacheControl) == "public, max-age=86400")
    }
  }

  @Test("no template has an inline script, style or event handler, which the CSP would block")
  func templatesAreCSPClean() throws {
    let views = Repository.resources.appendingPathComponent("Views")
    let files = try FileManager.default.subpathsOfDirectory(atPath: views.path).filter { $0.hasSuffix(".leaf") }
    #expect(files.count > 15)
    for file in files {
      let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
      #expect(text.firstMatch(of: /<script(?![^>]*\bsrc=)/) == nil, "\(file) has an inline script")
      #expect(!text.contains("<style"), "\(file) has a style element")
      #expect(text.firstMatch(of: /\sstyle="/) == nil, "\(file) has a style attribute")
      #expect(text.firstMatch(of: /\son[a-z]+="/) == nil, "\(file) has an inline event handler")
    }
  }

  @Test("every state-changing form in the templates carries the CSRF token")
  func everyFormHasCSRF() throws {
    let views = Repository.resources.appendingPathComponent("Views")
    var forms = 0
    for file in try FileManager.default.subpathsOfDirectory(atPath: views.path) where file.hasSuffix(".leaf") {
      let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
      for match in text.matches(of: /<form\b[^>]*method="post"[^>]*>(?s:.*?)<\/form>/) {
        forms += 1
        #expect(match.output.contains("name=\"_csrf\" value=\"#(chrome.csrf)\""), "\(file): a POST form without _csrf")
      }
      #expect(text.firstMatch(of: /<form\b(?![^>]*method=)[^>]*>/) == nil, "\(file): a form without an explicit method")
    }
    #expect(forms >= 23)
  }

  @Test("a password change needs the current one, keeps this session and ends the others")
  func passwordChange() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let here = try await Fixture.signIn(tenant.member, on: app)
      let elsewhere = try await Fixture.signIn(tenant.member, on: app)
      let wrong = try await app.send(
        .POST, "/account/password", as: here,
        form: ["current_password": "not it at all", "password": "a much better passphrase", "password_confirmation": "a much better passphrase"])
      #expect(wrong.status == .unprocessableEntity)
      #expect(wrong.text.contains("現在のパスワードが正しくありません。"))
      let short = try await app.send(
        .POST, "/account/password", as: here,
        form: ["current_password": testPassword, "password": "short", "password_confirmation": "short"])
      #expect(short.text.contains("12文字以上"))
      let done = try await app.send(
        .POST, "/account/password", as: here,
        form: ["current_password": testPassword, "password": "a much better passphrase", "password_confirmation": "a much better passphrase"])
      #expect(done.status == .seeOther)
      #expect(try await app.send(.GET, "/", as: here).status == .ok)
      #expect(try await app.send(.GET, "/", as: elsewhere).status == .seeOther)
      let user = try #require(try await User.find(tenant.member.id, on: app.db))
      // bcrypt with cost 12.
      #expect(user.passwordHash?.hasPrefix("$2b$12$") == true)
      #expect(try Bcrypt.verify("a much better passphrase", created: user.passwordHash!))
    }
  }

  @Test("sign-in never redirects to another site")
  func safeNext() {
    #expect(AuthController.safeNext("/people?type=dispatched") == "/people?type=dispatched")
    #expect(AuthController.safeNext("https://evil.example/") == "/")
    #expect(AuthController.safeNext("//evil.example/") == "/")
    #expect(AuthController.safeNext("/\\evil.example") == "/")
    #expect(AuthController.safeNext(nil) == "/")
    #expect(AuthController.safeNext("/logout") == "/")
  }

  @Test("the language choice is kept per user, and a visitor's in a cookie")
  func languageChoice() async throws {
    try await withApp { app, _ in
      let tenant = try await Fixture.tenant("acme", on: app)
      let browser = try await Fixture.signIn(tenant.officer, on: app)
      #expect(try await app.send(.GET, "/people", as: browser).text.contains("<html lang=\"ja\">"))
      let switched = try await app.send(.POST, "/language", as: browser, form: ["lang": "en", "back": "/people"])
      #expect(switched.location == "/people")
      let page = try await app.send(.GET, "/people", as: browser)
      #expect(page.text.contains("<html lang=\"en\">"))
      #expect(page.text.contains("People"))
      #expect(try await User.find(tenant.officer.id, on: app.db)?.language == .en)
      // A new session of the same user starts in English.
      let later = try await Fixture.signIn(tenant.officer, on: app)
      #expect(try await app.send(.GET, "/", as: later).text.contains("<html lang=\"en\">"))

      let (cookie, token) = try await visitorToken(app)
      var headers = HTTPHeaders()
      headers.add(name: .cookie, value: "\(CSRFMiddleware.cookieName)=\(cookie)")
      let visitor = try await app.send(.POST, "/language", form: ["_csrf": token, "lang": "en", "back": "/login"], headers: headers)
      let languageCookie = try #require(visitor.cookie(Request.languageCookie))
      #expect(languageCookie == "en")
      headers.add(name: .cookie, value: "\(Request.languageCookie)=en")
      #expect(try await app.send(.GET, "/login", headers: headers).text.contains("Sign in with your Mamori account."))
    }
  }
}
