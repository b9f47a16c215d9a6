import Fluent
import Foundation
import MamoriCore
import Vapor

/// The signed-in user's own account: name, language, password and personal API tokens.
enum AccountController {
  struct View: Encodable, Sendable {
    struct Token: Encodable, Sendable {
      var name: String
      var prefix: String
      var created: String
      var lastUsed: String
      var expires: String
      var revokeAction: String
    }

    var email: String
    var displayName: String
    var role: String
    var lang: String
    var tokens: [Token]?
    var newToken: String?
    var newTokenName: String?
    var errors: FieldErrors
    var tokenName: String
    var routes = Routes()

    struct Routes: Encodable, Sendable {
      var profile = SiteRoute.account.path
      var password = SiteRoute.accountPassword.path
      var tokens = SiteRoute.accountTokens.path
    }
  }

  @Sendable static func show(req: Request) async throws -> Response {
    try await render(req)
  }

  static func render(
    _ req: Request, errors: [String: String] = [:], newToken: ApiTokens.Issued? = nil, status: HTTPResponseStatus = .ok,
    tokenName: String = ""
  ) async throws -> Response {
    let user = try req.requireUser()
    let now = req.now
    let tokens = try await ApiToken.query(on: req.db)
      .filter(\.$user.$id == user.id)
      .filter(\.$revokedAt == nil)
      .sort(\.$createdAt, .descending)
      .all()
      .filter { $0.expiresAt.map { $0 > now } ?? true }
    let view = View(
      email: user.email, displayName: user.displayName,
      role: user.role.map { req.t($0.labelKey) } ?? req.t("role.operator"),
      lang: user.language.rawValue,
      tokens: tokens.compactMap { token in
        guard let id = token.id else { return nil }
        return View.Token(
          name: token.name, prefix: token.prefix + "…", created: req.display(token.createdAt) ?? "",
          lastUsed: req.display(token.lastUsedAt) ?? req.t("account.token_never_used"),
          expires: req.display(token.expiresAt) ?? req.t("account.token_no_expiry"),
          revokeAction: SiteRoute.accountTokenRevoke(id).path)
      }.nonEmpty,
      newToken: newToken?.secret, newTokenName: newToken?.token.name, errors: FieldErrors(errors), tokenName: tokenName)
    return try await req.renderPage("account", title: req.t("account.title"), body: view, status: status)
  }

  struct ProfileForm: Content {
    var display_name: String?
    var lang: String?
  }

  @Sendable static func updateProfile(req: Request) async throws -> Response {
    let current = try req.requireUser()
    let form = try req.content.decode(ProfileForm.self)
    let name = (form.display_name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    if let issue = TextField.check(name, field: "display_name", maximum: 100) {
      return try await render(req, errors: [issue.field: req.t(issue.key, issue.arguments)], status: .unprocessableEntity)
    }
    guard let user = try await User.find(current.id, on: req.db) else { throw Abort(.notFound) }
    user.displayName = name
    if let language = Language(rawValue: form.lang ?? "") { user.language = language.rawValue }
    try await user.save(on: req.db)
    return req.redirect(to: SiteRoute.account, flash: "flash.saved")
  }

  struct PasswordForm: Content {
    var current_password: String?
    var password: String?
    var password_confirmation: String?
  }

  @Sendable static func changePassword(req: Request) async throws -> Response {
    let current = try req.requireUser()
    let form = try req.content.decode(PasswordForm.self)
    guard let user = try await User.find(current.id, on: req.db) else { throw Abort(.notFound) }
    var errors: [String: String] = [:]
    if !(try await Passwords.verify(form.current_password ?? "", hash: user.passwordHash, on: req.application)) {
      errors["current_password"] = req.t("validation.current_password_wrong")
    }
    let password = form.password ?? ""
    if let issue = PasswordPolicy.check(password, email: user.email) {
      errors["password"] = req.t(issue.key, issue.arguments)
    } else if password != form.password_confirmation {
      errors["password_confirmation"] = req.t("validation.password_mismatch")
    }
    guard errors.isEmpty else { return try await render(req, errors: errors, status: .unprocessableEntity) }
    user.passwordHash = try await Passwords.hash(password, on: req.application)
    user.passwordChangedAt = req.now
    try await user.save(on: req.db)
    // Anyone else signed in with the old password is signed out; this browser stays signed in.
    if case .session(let sessionID, _) = current.credential {
      try await Accounts.endSessions(of: current.id, except: sessionID, on: req.db)
    }
    return req.redirect(to: SiteRoute.account, flash: "flash.password_changed")
  }

  struct TokenForm: Content {
    var name: String?
    var expires_in_days: Int?
  }

  @Sendable static func createToken(req: Request) async throws -> Response {
    let user = try req.requireUser()
    let form = try req.content.decode(TokenForm.self)
    let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    if let issue = TextField.check(name, field: "token_name", maximum: 80) {
      return try await render(req, errors: [issue.field: req.t(issue.key, issue.arguments)], status: .unprocessableEntity)
    }
    let days = form.expires_in_days ?? 90
    guard [0, 30, 90, 365].contains(days) else { throw Abort(.badRequest, reason: "expires_in_days") }
    let expiry = days == 0 ? nil : req.now + TimeInterval(days) * 86_400
    let issued = try await ApiTokens.issue(name: name, for: user.id, expiresAt: expiry, on: req.db, now: req.now)
    return try await render(req, newToken: issued)
  }

  @Sendable static func revokeToken(req: Request) async throws -> Response {
    let user = try req.requireUser()
    guard let id = req.parameters.get("tokenID", as: UUID.self),
      let token = try await ApiToken.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.id).first()
    else { throw Abort(.notFound) }
    token.revokedAt = req.now
    try await token.save(on: req.db)
    return req.redirect(to: SiteRoute.account, flash: "flash.token_revoked")
  }
}
