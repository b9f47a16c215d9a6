import Fluent
import Foundation
import MamoriCore
import Vapor

/// The signed-in user's own account: name, language, password and personal API tokens.
enum AccountController {
  struct View: Encodable, Sendable {
    var displayNameLimit = Accounts.displayName.maximum
    var tokenNameLimit = ApiTokenRules.maximumNameLength
    struct Token: Encodable, Sendable {
      var name: String
      var prefix: String
      var created: String
      var lastUsed: String
      var expires: String
      var scope: String
      var revokeAction: String
    }

    struct Choice: Encodable, Sendable {
      var value: String
      var label: String
      var selected: Bool
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
    /// The lifetimes and scopes ``ApiTokenRules`` allows, the same choices the API accepts.
    var lifetimes: [Choice]
    var scopes: [Choice]
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
          scope: req.t(token.scope.labelKey), revokeAction: SiteRoute.accountTokenRevoke(id).path)
      }.nonEmpty,
      newToken: newToken?.secret, newTokenName: newToken?.token.name, errors: FieldErrors(errors), tokenName: tokenName,
      lifetimes: ApiTokenRules.lifetimeChoices.map { days in
        View.Choice(
          value: String(days), label: days == 0 ? req.t("account.token_no_expiry") : req.t("account.days", ["days": String(days)]),
          selected: days == ApiTokenRules.defaultLifetime)
      },
      scopes: ApiTokenScope.allCases.map { View.Choice(value: $0.rawValue, label: req.t($0.labelKey), selected: $0 == .write) })
    return try await req.renderPage("account", title: req.t("account.title"), body: view, status: status)
  }

  struct ProfileForm: Content {
    var display_name: String?
    var lang: String?
  }

  @Sendable static func updateProfile(req: Request) async throws -> Response {
    let current = try req.requireUser()
    let form = try req.content.decode(ProfileForm.self)
    do {
      try await OwnAccount.updateProfile(
        of: current.id, displayName: form.display_name ?? "", language: Language(rawValue: form.lang ?? ""), actor: req.auditActor,
        now: req.now, on: req.db)
    } catch let invalid as ValidationFailure {
      return try await render(req, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
    return req.redirect(to: SiteRoute.account, flash: .saved)
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
    if let issue = PasswordPolicy.checkNew(password, confirmation: form.password_confirmation, email: user.email) {
      errors[issue.field] = req.t(issue.key, issue.arguments)
    }
    guard errors.isEmpty else { return try await render(req, errors: errors, status: .unprocessableEntity) }
    // Anyone else signed in with the old password is signed out; this browser stays signed in.
    try await OwnAccount.changePassword(
      of: user, hash: try await Passwords.hash(password, on: req.application), keepSession: req.sessionID, actor: req.auditActor,
      now: req.now, on: req.db)
    return req.redirect(to: SiteRoute.account, flash: .passwordChanged)
  }

  struct TokenForm: Content {
    var name: String?
    var expires_in_days: Int?
    var scope: String?
  }

  @Sendable static func createToken(req: Request) async throws -> Response {
    let user = try req.requireUser()
    let form = try req.content.decode(TokenForm.self)
    let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    let days = form.expires_in_days ?? ApiTokenRules.defaultLifetime
    let scope = ApiTokenScope(rawValue: form.scope ?? "") ?? .write
    let issues = ApiTokenRules.check(name: name, lifetimeDays: days, scope: scope, creator: .session, now: req.now)
    guard issues.isEmpty else {
      var errors: [String: String] = [:]
      for issue in issues where errors[issue.field] == nil {
        errors[issue.field == "name" ? "token_name" : issue.field] = req.t(issue.key, issue.arguments)
      }
      return try await render(req, errors: errors, status: .unprocessableEntity)
    }
    let issued = try await ApiTokens.issue(
      name: name, for: user.id, expiresAt: ApiTokenRules.expiresAt(lifetimeDays: days, now: req.now), scope: scope,
      actor: req.auditActor, chain: AuditEvent.chain(user.organisationID), on: req.db, now: req.now)
    return try await render(req, newToken: issued)
  }

  @Sendable static func revokeToken(req: Request) async throws -> Response {
    let user = try req.requireUser()
    guard let id = req.parameters.get("tokenID", as: UUID.self),
      let token = try await ApiToken.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.id).first()
    else { throw Abort(.notFound) }
    try await ApiTokens.revoke(token, actor: req.auditActor, now: req.now, on: req.db)
    return req.redirect(to: SiteRoute.account, flash: .tokenRevoked)
  }
}
