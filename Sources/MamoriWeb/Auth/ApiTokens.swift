import Fluent
import Foundation
import MamoriCore
import Vapor

/// Personal API tokens: `mamori_` and 43 random characters, shown once, stored as SHA-256.
enum ApiTokens {
  static let prefix = "mamori_"
  static let touchInterval: TimeInterval = 300

  struct Issued {
    var token: ApiToken
    /// The secret itself: returned to the user once and never again.
    var secret: String
  }

  static func issue(
    name: String, for userID: UUID, expiresAt: Date?, scope: ApiTokenScope = .write, actor: AuditActor = .system,
    chain: String? = nil, on db: any Database, now: Date
  ) async throws -> Issued {
    let secret = prefix + Secrets.token()
    let token = ApiToken(
      userID: userID, name: name, prefix: String(secret.prefix(prefix.count + 6)), tokenHash: Secrets.digest(secret),
      createdAt: now, expiresAt: expiresAt, scope: scope)
    try await db.transaction { db in
      try await token.create(on: db)
      if let chain {
        try await AuditTrail.append(
          AuditEvent(
            chain: chain, action: "token.create", recordType: "api_token", recordID: try token.requireID().uuidString.lowercased(),
            after: AuditChain.json(TokenSnapshot(token))),
          by: actor, now: now, on: db)
      }
    }
    return Issued(token: token, secret: secret)
  }

  static func revoke(_ token: ApiToken, actor: AuditActor, now: Date, on db: any Database) async throws {
    guard token.revokedAt == nil else { return }
    token.revokedAt = now
    let owner = try await User.find(token.$user.id, on: db)
    try await db.transaction { db in
      try await token.save(on: db)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(owner?.$organisation.id), action: "token.revoke", recordType: "api_token",
          recordID: try token.requireID().uuidString.lowercased(), after: AuditChain.json(TokenSnapshot(token))),
        by: actor, now: now, on: db)
    }
  }

  static func authenticate(_ secret: String, on request: Request) async throws -> CurrentUser? {
    guard secret.hasPrefix(prefix) else { return nil }
    let now = request.now
    guard
      let token = try await ApiToken.query(on: request.db)
        .filter(\.$tokenHash == Secrets.digest(secret))
        .filter(\.$revokedAt == nil)
        .with(\.$user)
        .first(),
      token.user.status == .active
    else { return nil }
    if let expiry = token.expiresAt, expiry <= now { return nil }
    if token.lastUsedAt.map({ now.timeIntervalSince($0) > touchInterval }) ?? true {
      token.lastUsedAt = now
      try await token.update(on: request.db)
    }
    return try CurrentUser(
      user: token.user, credential: .apiToken(id: token.requireID(), scope: token.scope, expiresAt: token.expiresAt))
  }
}

/// A token as the audit trail records it: never its secret or hash.
struct TokenSnapshot: Encodable {
  var name: String
  var prefix: String
  var scope: String
  var expires_at: Date?
  var revoked_at: Date?

  init(_ token: ApiToken) {
    name = token.name
    prefix = token.prefix
    scope = token.scope.rawValue
    expires_at = token.expiresAt
    revoked_at = token.revokedAt
  }
}
