import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// Creating accounts and the one-time links that let people set their passwords. The web pages, the
/// JSON API and the command line all come here, so an invitation is the same whichever way it is made.
enum Accounts {
  static let invitationLifetime: TimeInterval = 7 * 24 * 3600
  static let resetLifetime: TimeInterval = 24 * 3600

  struct Invitation {
    var user: User
    var link: String
    var emailed: Bool
  }

  /// The name a user is shown by, wherever it is set (invitation, setup, own profile).
  static let displayName = TextRule(field: "display_name", maximum: 100)

  /// Creates an account that is waiting for its password, and its one-time link.
  static func invite(
    email rawEmail: String, displayName: String, role: Role?, organisationID: UUID?, bodyID: UUID?,
    isOperator: Bool = false, revealClash: Bool = false, invitedBy: UUID?, language: Language = .ja,
    personID: UUID? = nil, actor: AuditActor, on database: any Database, context: MamoriContext, baseURL: String
  ) async throws -> Invitation {
    let email = EmailAddress.normalise(rawEmail)
    if let issue = EmailAddress.check(email) { throw ValidationFailure(issue) }
    let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
    if let issue = Self.displayName.check(name) { throw ValidationFailure(issue) }
    if let existing = try await User.query(on: database).filter(\.$email == email).first() {
      // An organisation's administrator may learn only about its own accounts. An address that has an
      // account elsewhere gets the same answer as a new one; the link made for it leads nowhere, and its
      // owner is told by mail (when SMTP is configured) that the invitation was not made.
      let sameTenant = organisationID != nil && existing.$organisation.id == organisationID
      guard !revealClash, !sameTenant, organisationID != nil else { throw ValidationFailure(ValidationIssue(field: "email", key: "validation.email_taken")) }
      return await quietInvitation(
        email: email, displayName: name, role: role, organisationID: organisationID, language: language,
        context: context, on: database, baseURL: baseURL)
    }

    let user = User(
      email: email, displayName: name, role: role, organisationID: organisationID, bodyID: bodyID,
      isOperator: isOperator, language: language, status: .invited, personID: personID)
    let (link, _) = try await database.transaction { database in
      try await user.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "user.invite", recordType: "user",
          recordID: try user.requireID().uuidString.lowercased(), after: AuditChain.json(UserSnapshot(user))),
        by: actor, now: context.clock.now(), on: database)
      return try await issueLink(
        for: user, purpose: .invitation, createdBy: invitedBy, actor: actor, on: database, context: context, baseURL: baseURL)
    }
    let emailed = await send(.invitation, link: link, to: user, context: context, on: database)
    return Invitation(user: user, link: link, emailed: emailed)
  }

  /// What an invitation of an address that already has an account elsewhere answers: an invitation
  /// like any other to look at, whose account is never saved and whose link is never stored.
  static func quietInvitation(
    email: String, displayName: String, role: Role?, organisationID: UUID?, language: Language, context: MamoriContext,
    on database: any Database, baseURL: String
  ) async -> Invitation {
    let decoy = User(
      email: email, displayName: displayName, role: role, organisationID: organisationID, bodyID: nil, isOperator: false,
      language: language, status: .invited, personID: nil)
    decoy.id = UUID.random()
    let link = link(baseURL: baseURL, path: SiteRoute.setPassword(Secrets.token()).path)
    guard let mailer = context.services.mailer else { return Invitation(user: decoy, link: link, emailed: false) }
    let message = MailMessage(
      to: email, subject: context.catalog.text("mail.existing_account.subject", language, [:]),
      body: context.catalog.text("mail.existing_account.body", language, [:]))
    do {
      try await mailer.send(message)
      return Invitation(user: decoy, link: link, emailed: true)
    } catch {
      database.logger.warning("could not e-mail the existing-account notice", metadata: ["error": "\(error)"])
      return Invitation(user: decoy, link: link, emailed: false)
    }
  }

  /// A new one-time link for an existing account; earlier unused links of the account stop working.
  static func issueLink(
    for user: User, purpose: AccountToken.Purpose, createdBy: UUID?, actor: AuditActor, on database: any Database,
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
    try await database.transaction { database in
      try await token.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(user.$organisation.id), action: "user.password_link_\(purpose.rawValue)",
          recordType: "user", recordID: userID.uuidString.lowercased(),
          after: AuditChain.json(["expires_at": MamoriLogHandler.timestamp(token.expiresAt)])),
        by: actor, now: now, on: database)
    }
    return (link(baseURL: baseURL, path: SiteRoute.setPassword(secret).path), token)
  }

  /// E-mails a link when SMTP is configured. A failure to send is logged, not thrown: the administrator
  /// still sees the link on screen and can pass it on.
  static func send(
    _ purpose: AccountToken.Purpose, link: String, to user: User, context: MamoriContext, on database: any Database
  ) async -> Bool {
    guard let mailer = context.services.mailer else { return false }
    let language = user.language
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
      token.expiresAt > now, token.user.status != .disabled
    else { return nil }
    return token
  }

  /// A change to an organisation account's role, status or linked person. nil leaves a value as it is.
  struct AccountChanges: Sendable {
    var role: String?
    var status: String?
    /// `.some(nil)` unlinks the person.
    var personID: UUID??
  }

  /// Changes an account of the actor's organisation: one set of rules for page and API (the operator
  /// rule, no self-demotion, an invited account stays invited, a person of the same organisation),
  /// sessions and tokens stopped when disabled, the owner told, an audit entry.
  static func update(
    _ user: User, _ changes: AccountChanges, by current: CurrentUser, actor: AuditActor, organisationID: UUID, now: Date,
    context: MamoriContext, on database: any Database
  ) async throws {
    try authorise(current, toManage: user)
    var issues: [ValidationIssue] = []
    let role = changes.role.map { Role(rawValue: $0) } ?? user.role
    if role == nil || role?.tenant != .organisation { issues.append(ValidationIssue(field: "role", key: "validation.choice")) }
    let status = changes.status.map { User.Status(rawValue: $0) } ?? user.status
    if status == nil || (status == .invited && user.status != .invited) {
      issues.append(ValidationIssue(field: "status", key: "validation.choice"))
    }
    if user.id == current.id, role != .admin || status == .disabled {
      issues.append(ValidationIssue(field: "role", key: "users.cannot_demote_self"))
    }
    if case .some(.some(let personID)) = changes.personID,
      try await Person.query(in: organisationID, on: database).filter(\.$id == personID).first() == nil
    {
      issues.append(ValidationIssue(field: "person_id", key: "validation.choice"))
    }
    guard issues.isEmpty, let role, let status else { throw ValidationFailure(issues: issues) }
    try authorise(current, toGrant: role)
    let before = AuditChain.json(UserSnapshot(user))
    user.role = role
    // An invited account stays invited until its owner sets a password; only active/disabled toggle.
    if user.status != .invited || status == .disabled { user.status = status }
    if let personID = changes.personID { user.$person.id = personID }
    let after = AuditChain.json(UserSnapshot(user))
    guard before != after else { return }
    let userID = try user.requireID()
    try await database.transaction { database in
      try await user.save(on: database)
      if status == .disabled {
        try await endSessions(of: userID, on: database)
        try await revokeTokens(of: userID, now: now, on: database)
      }
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "user.update", recordType: "user", recordID: userID.uuidString.lowercased(),
          before: before, after: after),
        by: actor, now: now, on: database)
    }
    await notifyOwner(user, changedBy: current, context: context, on: database)
  }

  /// Refuses (403) an action on `target` that ``AccountPolicy`` does not allow `actor`: pages and API
  /// both ask here before changing an account or issuing its password link.
  static func authorise(_ actor: CurrentUser, toManage target: User) throws {
    guard AccountPolicy.mayManage(actor: actor.principal, target: Principal(role: target.role, isOperator: target.isOperator))
    else { throw Abort(.forbidden) }
  }

  static func authorise(_ actor: CurrentUser, toGrant role: Role?, isOperator: Bool = false) throws {
    guard AccountPolicy.mayGrant(actor: actor.principal, role: role, isOperator: isOperator) else { throw Abort(.forbidden) }
  }

  /// Tells the owner of an account, by mail when SMTP is configured, that someone else changed it or
  /// issued a password link for it, so that a takeover does not go unnoticed.
  static func notifyOwner(_ user: User, changedBy actor: CurrentUser, context: MamoriContext, on database: any Database) async {
    guard let mailer = context.services.mailer, user.id != actor.id else { return }
    let language = user.language
    let arguments = ["name": user.displayName, "actor": actor.displayName, "actor_email": actor.email]
    let message = MailMessage(
      to: user.email, subject: context.catalog.text("mail.account_changed.subject", language, arguments),
      body: context.catalog.text("mail.account_changed.body", language, arguments))
    do {
      try await mailer.send(message)
    } catch {
      database.logger.warning("could not e-mail the account-change notice", metadata: ["error": "\(error)"])
    }
  }

  /// Marks a one-time link used if, and only if, nobody used it first: of two simultaneous uses,
  /// exactly one gets true.
  static func consume(_ token: AccountToken, now: Date, on database: any Database) async throws -> Bool {
    let sql = try database.sql()
    let rows = try await sql.update(AccountToken.schema)
      .set("used_at", to: now)
      .where("id", .equal, try token.requireID())
      .where("used_at", .is, SQLLiteral.null)
      .returning("id")
      .all()
    return rows.count == 1
  }

  /// Stops every API token of an account: a password set through a reset link must leave nothing of
  /// the old credentials working.
  static func revokeTokens(of userID: UUID, now: Date, on database: any Database) async throws {
    try await ApiToken.query(on: database).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
      .set(\.$revokedAt, to: now).update()
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

/// An account as the audit trail records it: never its password hash.
struct UserSnapshot: Encodable {
  var email: String
  var display_name: String
  var role: String?
  var status: String
  var is_operator: Bool
  var organisation_id: UUID?
  var body_id: UUID?
  var person_id: UUID?

  init(_ user: User) {
    email = user.email
    display_name = user.displayName
    role = user.role?.rawValue
    status = user.status.rawValue
    is_operator = user.isOperator
    organisation_id = user.$organisation.id
    body_id = user.$body.id
    person_id = user.$person.id
  }
}
