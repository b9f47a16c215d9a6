import Fluent
import Foundation
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

  static func issue(name: String, for userID: UUID, expiresAt: Date?, on db: any Database, now: Date) async throws
    -> Issued
  {
    let secret = prefix + Secrets.token()
    let token = ApiToken(
      userID: userID, name: name, prefix: String(secret.prefix(prefix.count + 6)), tokenHash: Secrets.digest(secret),
      createdAt: now, expiresAt: expiresAt)
    try await token.create(on: db)
    return Issued(token: token, secret: secret)
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
      token.user.accountStatus == .active
    else { return nil }
    if let expiry = token.expiresAt, expiry <= now { return nil }
    if token.lastUsedAt.map({ now.timeIntervalSince($0) > touchInterval }) ?? true {
      token.lastUsedAt = now
      try await token.update(on: request.db)
    }
    return try CurrentUser(user: token.user, credential: .apiToken(id: token.requireID()))
  }
}
