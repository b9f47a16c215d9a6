import Fluent
import Foundation
import MamoriCore
import Vapor

/// What people do with their own account: sign in and out, set a password through a one-time link,
/// change their profile, language and password. Each writes its change and its audit entry together.
enum OwnAccount {
  /// Records a successful sign-in; a session the browser still held (another account, or the same
  /// one) ends, so that signing in never leaves two sessions behind one cookie.
  static func signedIn(_ user: User, previousSession: UUID?, actor: AuditActor, now: Date, on database: any Database) async throws {
    user.lastLoginAt = now
    try await database.transaction { database in
      if let previousSession { try await UserSession.query(on: database).filter(\.$id == previousSession).delete() }
      try await user.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(user.$organisation.id), action: "auth.sign_in", recordType: "user",
          recordID: try user.requireID().uuidString.lowercased()),
        by: actor, now: now, on: database)
    }
  }

  /// A failed sign-in is recorded on the chain of the account the typed address belongs to, else on
  /// the platform's, with the typed address as the actor.
  static func signInFailed(email: String, user: User?, address: String, now: Date, on database: any Database) async throws {
    try await AuditTrail.append(
      AuditEvent(
        chain: AuditEvent.chain(user?.$organisation.id), action: "auth.sign_in_failed", recordType: "user",
        recordID: user?.id?.uuidString.lowercased() ?? "unknown"),
      by: AuditActor(label: email, id: nil, clientAddress: address), now: now, on: database)
  }

  static func signOut(session: UUID, userID: UUID, organisationID: UUID?, actor: AuditActor, now: Date, on database: any Database)
    async throws
  {
    try await database.transaction { database in
      try await UserSession.query(on: database).filter(\.$id == session).delete()
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "auth.sign_out", recordType: "user", recordID: userID.uuidString.lowercased()),
        by: actor, now: now, on: database)
    }
  }

  struct LinkAlreadyUsed: Error {}

  /// Sets the password (and name and language) through a one-time link. The link is consumed in the
  /// same transaction, so of two simultaneous uses one wins; every session and API token of the
  /// account ends with the old password.
  static func setPassword(
    through token: AccountToken, name: String, hash: String, language: Language, previousSession: UUID?, actor: AuditActor,
    now: Date, on database: any Database
  ) async throws {
    let user = token.user
    let userID = try user.requireID()
    try await database.transaction { database in
      guard try await Accounts.consume(token, now: now, on: database) else { throw LinkAlreadyUsed() }
      user.displayName = name
      user.passwordHash = hash
      user.passwordChangedAt = now
      user.status = .active
      user.language = language
      try await user.save(on: database)
      try await Accounts.endSessions(of: userID, on: database)
      try await Accounts.revokeTokens(of: userID, now: now, on: database)
      if let previousSession { try await UserSession.query(on: database).filter(\.$id == previousSession).delete() }
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(user.$organisation.id), action: "user.set_password_\(token.purpose.rawValue)",
          recordType: "user", recordID: userID.uuidString.lowercased()),
        by: actor, now: now, on: database)
    }
  }

  static func setLanguage(_ language: Language, of userID: UUID, actor: AuditActor, now: Date, on database: any Database)
    async throws
  {
    guard let user = try await User.find(userID, on: database) else { throw Abort(.notFound) }
    guard user.language != language else { return }
    let before = user.language.rawValue
    user.language = language
    try await database.transaction { database in
      try await user.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(user.$organisation.id), action: "user.language", recordType: "user",
          recordID: userID.uuidString.lowercased(), before: AuditChain.json(["language": before]),
          after: AuditChain.json(["language": language.rawValue])),
        by: actor, now: now, on: database)
    }
  }

  static func updateProfile(
    of userID: UUID, displayName: String, language: Language?, actor: AuditActor, now: Date, on database: any Database
  ) async throws {
    let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
    if let issue = Accounts.displayName.check(name) { throw ValidationFailure(issues: [issue]) }
    guard let user = try await User.find(userID, on: database) else { throw Abort(.notFound) }
    let before = AuditChain.json(UserSnapshot(user))
    user.displayName = name
    if let language { user.language = language }
    try await database.transaction { database in
      try await user.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(user.$organisation.id), action: "user.update_profile", recordType: "user",
          recordID: userID.uuidString.lowercased(), before: before, after: AuditChain.json(UserSnapshot(user))),
        by: actor, now: now, on: database)
    }
  }

  /// A new password chosen on the account page: every other session ends; this one stays.
  static func changePassword(
    of user: User, hash: String, keepSession: UUID?, actor: AuditActor, now: Date, on database: any Database
  ) async throws {
    let userID = try user.requireID()
    user.passwordHash = hash
    user.passwordChangedAt = now
    try await database.transaction { database in
      try await user.save(on: database)
      try await Accounts.endSessions(of: userID, except: keepSession, on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(user.$organisation.id), action: "user.change_password", recordType: "user",
          recordID: userID.uuidString.lowercased()),
        by: actor, now: now, on: database)
    }
  }
}
