import Fluent
import Foundation
import MamoriCore
import Vapor

/// The first-start link: while no account exists, each start of `mamori serve` prints a fresh
/// one-time link whose page creates the first organisation and its administrator.
public enum SetupLinks {
  /// A setup link works for a day; a later start prints a new one.
  public static let lifetime: TimeInterval = 24 * 3600

  /// A new setup link, or nil when accounts already exist. Only the newest link works: every start
  /// replaces the earlier ones, so the table never holds more than one.
  public static func issueIfNeeded(on application: Application, baseURL: String) async throws -> String? {
    let database = application.db
    guard try await User.query(on: database).count() == 0 else {
      try await SetupToken.query(on: database).delete()
      return nil
    }
    let secret = Secrets.token()
    try await database.transaction { database in
      try await SetupToken.query(on: database).delete()
      try await SetupToken(tokenHash: Secrets.digest(secret), createdAt: application.mamori.clock.now()).create(on: database)
    }
    return Accounts.link(baseURL: baseURL, path: SiteRoute.setup(secret).path)
  }

  static func isValid(_ secret: String, now: Date, on database: any Database) async throws -> Bool {
    guard try await User.query(on: database).count() == 0 else { return false }
    return try await SetupToken.query(on: database).filter(\.$tokenHash == Secrets.digest(secret))
      .filter(\.$createdAt > now - lifetime).first() != nil
  }

  struct FirstAccount: Sendable {
    var organisationSlug: String
    var organisationName: String
    var organisationNameEnglish: String
    var adminEmail: String
    var adminName: String
    var passwordHash: String
    var language: Language
  }

  /// Creates the first organisation (through the same operation as `mamori org create`) and its
  /// administrator, who is also the platform's operator, and retires the setup link; once only.
  static func complete(
    _ first: FirstAccount, clientAddress: String, now: Date, context: MamoriContext, baseURL: String, on database: any Database
  ) async throws -> User {
    try await database.transaction { database -> User in
      // A second browser may have finished setup meanwhile; the unique constraints and this check keep
      // the instance to one first administrator.
      guard try await User.query(on: database).count() == 0 else { throw Abort(.conflict) }
      let actor = AuditActor(label: first.adminEmail, id: nil, clientAddress: clientAddress)
      let organisation = try await Tenants.createOrganisation(
        slug: first.organisationSlug, name: first.organisationName, nameEnglish: first.organisationNameEnglish, admin: nil,
        invitedBy: nil, actor: actor, on: database, context: context, baseURL: baseURL, language: first.language
      ).organisation
      let admin = User(
        email: first.adminEmail, displayName: first.adminName, role: .admin, organisationID: try organisation.requireID(),
        isOperator: true, language: first.language, status: .active, passwordHash: first.passwordHash)
      admin.passwordChangedAt = now
      admin.lastLoginAt = now
      try await admin.create(on: database)
      try await SetupToken.query(on: database).delete()
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(try organisation.requireID()), action: "user.create_first_admin", recordType: "user",
          recordID: try admin.requireID().uuidString.lowercased(), after: AuditChain.json(UserSnapshot(admin))),
        by: actor, now: now, on: database)
      return admin
    }
  }
}
