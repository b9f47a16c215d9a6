import Fluent
import Foundation
import Vapor

/// The first-start link: while no account exists, each start of `mamori serve` prints a fresh
/// one-time link whose page creates the first organisation and its administrator.
public enum SetupLinks {
  /// A new setup link, or nil when accounts already exist.
  public static func issueIfNeeded(on application: Application, baseURL: String) async throws -> String? {
    let database = application.db
    guard try await User.query(on: database).count() == 0 else {
      try await SetupToken.query(on: database).delete()
      return nil
    }
    let secret = Secrets.token()
    try await SetupToken(tokenHash: Secrets.digest(secret), createdAt: application.mamori.clock.now()).create(on: database)
    return Accounts.link(baseURL: baseURL, path: SiteRoute.setup(secret).path)
  }

  static func isValid(_ secret: String, on database: any Database) async throws -> Bool {
    guard try await User.query(on: database).count() == 0 else { return false }
    return try await SetupToken.query(on: database).filter(\.$tokenHash == Secrets.digest(secret)).first() != nil
  }
}
