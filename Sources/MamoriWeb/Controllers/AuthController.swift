import Fluent
import Foundation
import MamoriCore
import Vapor

/// Signing in and out, the first-start setup link, one-time password links and the language switch.
enum AuthController {
  // MARK: - Sign in

  struct LoginForm: Content {
    var email: String?
    var password: String?
    var next: String?
  }

  struct LoginView: Encodable, Sendable {
    var email: String
    var next: String
    var error: String?
    var notice: String?
  }

  @Sendable static func loginPage(req: Request) async throws -> Response {
    if req.currentUser != nil { return req.redirect(to: SiteRoute.dashboard.path) }
    let next = safeNext(try? req.query.get(String.self, at: "next"))
    let expired = (try? req.query.get(String.self, at: "expired")) == "1"
    return try await req.renderPage(
      "login", title: req.t("login.title"),
      body: LoginView(email: "", next: next, error: nil, notice: expired ? req.t("login.expired") : nil))
  }

  @Sendable static func login(req: Request) async throws -> Response {
    let form = try req.content.decode(LoginForm.self)
    let email = EmailAddress.normalise(form.email ?? "")
    let password = form.password ?? ""
    let next = safeNext(form.next)
    let settings = req.mamori.settings
    let address = req.clientAddress

    func failure(_ message: String, status: HTTPResponseStatus) async throws -> Response {
      try await req.renderPage(
        "login", title: req.t("login.title"), body: LoginView(email: email, next: next, error: message, notice: nil),
        status: status)
    }

    let reservation: UUID
    switch try await LoginThrottle.reserve(email: email, address: address, policy: settings.throttle, now: req.now, on: req.db) {
    case .allowed(let id):
      reservation = id
    case .locked(let minutes):
      req.logger.notice("sign-in refused by throttle", metadata: ["email": .string(email), "address": .string(address)])
      return try await failure(req.t("login.locked", ["minutes": "\(minutes)"]), status: .tooManyRequests)
    case .busy:
      req.logger.notice("sign-in refused: attempts in flight", metadata: ["email": .string(email), "address": .string(address)])
      return try await failure(req.t("login.busy"), status: .tooManyRequests)
    }
    let user = try await User.query(on: req.db).filter(\.$email == email).first()
    let matches = try await Passwords.verify(password, hash: user?.passwordHash, on: req.application)
    guard let user, matches, user.status == .active else {
      try await LoginThrottle.finish(reservation, email: email, succeeded: false, policy: settings.throttle, now: req.now, on: req.db)
      try await OwnAccount.signInFailed(email: email, user: user, address: address, now: req.now, on: req.db)
      req.logger.info("sign-in failed", metadata: ["email": .string(email), "address": .string(address)])
      return try await failure(req.t("login.failed"), status: .unauthorized)
    }
    try await LoginThrottle.finish(reservation, email: email, succeeded: true, policy: settings.throttle, now: req.now, on: req.db)
    try await OwnAccount.signedIn(
      user, previousSession: req.sessionID, actor: AuditActor(label: user.email, id: user.id, clientAddress: address), now: req.now,
      on: req.db)
    let cookie = try await SessionAuthenticator.startSession(for: user, on: req)
    req.logger.info(
      "signed in", metadata: ["user": .string(user.id?.uuidString ?? ""), "email": .string(email), "address": .string(address)])
    let response = req.redirect(to: next)
    response.cookies[SessionAuthenticator.cookieName] = cookie
    return response
  }

  @Sendable static func logout(req: Request) async throws -> Response {
    if let session = req.sessionID, let current = req.currentUser {
      try await OwnAccount.signOut(
        session: session, userID: current.id, organisationID: current.organisationID, actor: req.auditActor, now: req.now,
        on: req.db)
    }
    let response = req.redirect(to: SiteRoute.login.path, flash: .signedOut)
    response.cookies[SessionAuthenticator.cookieName] = SessionAuthenticator.expiredCookie(for: req)
    return response
  }

  /// Only a path on this site may follow sign-in; anything else (another host, `//evil`) goes home.
  static func safeNext(_ next: String?) -> String {
    guard let next = SafeRedirect.path(next), !next.hasPrefix(SiteRoute.login.path), !next.hasPrefix(SiteRoute.logout.path)
    else { return SiteRoute.dashboard.path }
    return next
  }

  // MARK: - Language

  struct LanguageForm: Content {
    var lang: String
    var back: String?
  }

  @Sendable static func setLanguage(req: Request) async throws -> Response {
    let form = try req.content.decode(LanguageForm.self)
    guard let language = Language(rawValue: form.lang) else { throw Abort(.badRequest) }
    let response = req.redirect(to: safeNext(form.back))
    if let current = req.currentUser {
      try await OwnAccount.setLanguage(language, of: current.id, actor: req.auditActor, now: req.now, on: req.db)
    }
    response.cookies[Request.languageCookie] = HTTPCookies.Value(
      string: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", isSecure: req.isSecureConnection,
      isHTTPOnly: true, sameSite: .lax)
    return response
  }

  // MARK: - One-time password links (invitations, resets, `mamori user create`)

  struct SetPasswordForm: Content {
    var display_name: String?
    var password: String?
    var password_confirmation: String?
    var lang: String?
  }

  struct SetPasswordView: Encodable, Sendable {
    var valid: Bool
    var isInvitation: Bool
    var email: String
    var lang: String
    var action: String
    var errors: FieldErrors
    var nameFields: [FormField]
    var passwordFields: [FormField]

    init(
      valid: Bool, isInvitation: Bool, email: String, displayName: String, lang: String, action: String, errors: FieldErrors,
      req: Request
    ) {
      self.valid = valid
      self.isInvitation = isInvitation
      self.email = email
      self.lang = lang
      self.action = action
      self.errors = errors
      nameFields = [
        .text(Accounts.displayName, label: req.t("field.display_name"), value: displayName, errors: errors, autocomplete: "name")
      ]
      passwordFields = [
        .newPassword("password", label: req.t("field.new_password"), hint: req.t("field.password_hint"), errors: errors),
        .newPassword("password_confirmation", label: req.t("field.password_confirmation"), hint: nil, errors: errors),
      ]
    }
  }

  @Sendable static func setPasswordPage(req: Request) async throws -> Response {
    let secret = req.parameters.get("accountToken") ?? ""
    guard let token = try await Accounts.redeemable(secret, on: req.db, now: req.now) else {
      return try await invalidLink(req)
    }
    return try await req.renderPage(
      "set-password", title: req.t(token.purpose == .invitation ? "set_password.title_invitation" : "set_password.title"),
      body: SetPasswordView(
        valid: true, isInvitation: token.purpose == .invitation, email: token.user.email,
        displayName: token.user.displayName, lang: token.user.language.rawValue, action: SiteRoute.setPassword(secret).path,
        errors: [:], req: req))
  }

  @Sendable static func setPassword(req: Request) async throws -> Response {
    let secret = req.parameters.get("accountToken") ?? ""
    guard let token = try await Accounts.redeemable(secret, on: req.db, now: req.now) else {
      return try await invalidLink(req)
    }
    let form = try req.content.decode(SetPasswordForm.self)
    let user = token.user
    let name = (form.display_name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    let password = form.password ?? ""
    var errors: [String: String] = [:]
    if let issue = Accounts.displayName.check(name) {
      errors[issue.field] = req.t(issue.key, issue.arguments)
    }
    if let issue = PasswordPolicy.checkNew(password, confirmation: form.password_confirmation, email: user.email) {
      errors[issue.field] = req.t(issue.key, issue.arguments)
    }
    let language = Language(rawValue: form.lang ?? "") ?? user.language
    guard errors.isEmpty else {
      return try await req.renderPage(
        "set-password", title: req.t("set_password.title"),
        body: SetPasswordView(
          valid: true, isInvitation: token.purpose == .invitation, email: user.email,
          displayName: name.isEmpty ? user.displayName : name, lang: language.rawValue,
          action: SiteRoute.setPassword(secret).path, errors: FieldErrors(errors), req: req),
        status: .unprocessableEntity)
    }
    let hash = try await Passwords.hash(password, on: req.application)
    do {
      try await OwnAccount.setPassword(
        through: token, name: name, hash: hash, language: language, previousSession: req.sessionID,
        actor: AuditActor(label: user.email, id: user.id, clientAddress: req.clientAddress), now: req.now, on: req.db)
    } catch is OwnAccount.LinkAlreadyUsed {
      return try await invalidLink(req)
    }
    let cookie = try await SessionAuthenticator.startSession(for: user, on: req)
    let response = req.redirect(to: SiteRoute.dashboard.path, flash: .passwordSet)
    response.cookies[SessionAuthenticator.cookieName] = cookie
    return response
  }

  static func invalidLink(_ req: Request) async throws -> Response {
    try await req.renderPage(
      "set-password", title: req.t("set_password.invalid_title"),
      body: SetPasswordView(
        valid: false, isInvitation: false, email: "", displayName: "", lang: req.language.rawValue, action: "",
        errors: [:], req: req),
      status: .notFound)
  }
}
