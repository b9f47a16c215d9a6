import Fluent
import Foundation
import MamoriCore
import Vapor

/// Creating accounts and the one-time links that let people set their passwords. The web pages, the
/// JSON API and the command line all come here, so an invitation is the same whichever way it is made.
enum Accounts {
  static let invitationLifetime: TimeInterval = 7 * 24 * 3600
  static let resetLifetime: TimeInterval = 24 * 3600

  enum Failure: Error, Equatable {
    case emailTaken
    case invalid(ValidationIssue)
  }

  struct Invitation {
    var user: User
    var link: String
    var emailed: Bool
  }

  /// Creates an account that is waiting for its password, and its one-time link.
  static func invite(
    email rawEmail: String, displayName: String, role: Role?, organisationID: UUID?, bodyID: UUID?,
    isOperator: Bool = false, invitedBy: UUID?, language: Language = .ja, personID: UUID? = nil,
    on database: any Database, context: MamoriContext, baseURL: String
  ) async throws -> Invitation {
    let email = EmailAddress.normalise(rawEmail)
    if let issue = EmailAddress.check(email) { throw Failure.invalid(issue) }
    let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
    if let issue = TextField.check(name, field: "display_name", maximum: 100) { throw Failure.invalid(issue) }
    if try await User.query(on: database).filter(\.$email == email).first() != nil { throw Failure.emailTaken }

    let user = User(
      email: email, displayName: name, role: role, organisationID: organisationID, bodyID: bodyID,
      isOperator: isOperator, language: language, status: .invited, personID: personID)
    let (link, _) = try await database.transaction { database in
      try await user.create(on: database)
      return try await issueLink(for: user, purpose: .invitation, createdBy: invitedBy, on: database, context: context,
        baseURL: baseURL)
    }
    let emailed = await send(.invitation, link: link, to: user, context: context, on: database)
    return Invitation(user: user, link: link, emailed: emailed)
  }

  /// A new one-time link for an existing account; earlier unused links of the account stop working.
  static func issueLink(
    for user: User, purpose: AccountToken.Purpose, createdBy: UUID?, on database: any Database,
    context: MamoriContext, baseURL: String
  ) async throws -> (link: String, token: AccountToken) {
    let now = context.clock.now()
    let userID = try user.requireID()
    try await AccountToken.query(on: database)
      .filter(\.$user.$id == userID)
      .filter(\.$usedAt == nil)
      .set(\.$expiresAt, to: now)
      .update()
    let secret = Secrets.token()
    let lifetime = purpose == .invitation ? invitationLifetime : resetLifetime
    let token = AccountToken(
      userID: userID, purpose: purpose, tokenHash: Secrets.digest(secret), createdAt: now,
      expiresAt: now + lifetime, createdByID: createdBy)
    try await token.create(on: database)
    return (link(baseURL: baseURL, path: SiteRoute.setPassword(secret).path), token)
  }

  /// E-mails a link when SMTP is configured. A failure to send is logged, not thrown: the administrator
  /// still sees the link on screen and can pass it on.
  static func send(
    _ purpose: AccountToken.Purpose, link: String, to user: User, context: MamoriContext, on database: any Database
  ) async -> Bool {
    guard let mailer = context.services.mailer else { return false }
    let language = user.preferredLanguage
    let catalog = context.catalog
    let prefix = purpose == .invitation ? "mail.invitation" : "mail.reset"
    let arguments = ["name": user.displayName, "link": link]
    let message = MailMessage(
      to: user.email, subject: catalog.text("\(prefix).subject", language, arguments),
      body: catalog.text("\(prefix).body", language, arguments))
    do {
      try await mailer.send(message)
      return true
    } catch {
      database.logger.warning("could not e-mail the \(purpose.rawValue) link", metadata: ["error": "\(error)"])
      return false
    }
  }

  static func link(baseURL: String, path: String) -> String {
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    return base + path
  }

  /// The valid, unused token of a one-time link, with its account.
  static func redeemable(_ secret: String, on database: any Database, now: Date) async throws -> AccountToken? {
    guard
      let token = try await AccountToken.query(on: database)
        .filter(\.$tokenHash == Secrets.digest(secret))
        .filter(\.$usedAt == nil)
        .with(\.$user)
        .first(),
      token.expiresAt > now, token.user.accountStatus != .disabled
    else { return nil }
    return token
  }

  /// Ends every session of an account: after a password change elsewhere, a reset, or disabling it.
  static func endSessions(of userID: UUID, except keep: UUID? = nil, on database: any Database) async throws {
    var query = UserSession.query(on: database).filter(\.$user.$id == userID)
    if let keep { query = query.filter(\.$id != keep) }
    try await query.delete()
  }
}

extension Request {
  /// The address links are built on: the configured public URL, else the address this request came to.
  var baseURL: String {
    if let publicURL = mamori.settings.publicURL, !publicURL.isEmpty { return publicURL }
    let scheme = isSecureConnection ? "https" : "http"
    let host =
      (mamori.settings.trustProxy ? headers.first(name: "X-Forwarded-Host") : nil) ?? headers.first(name: .host)
      ?? "127.0.0.1"
    return "\(scheme)://\(host)"
  }
}
