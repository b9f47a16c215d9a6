import Fluent
import Foundation

/// A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a copy of the
/// database does not let anyone take over a session.
public final class UserSession: Model, @unchecked Sendable {
  public static let schema = "user_sessions"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Field(key: "created_at") public var createdAt: Date

  // reference fields
  @Parent(key: "user_id") public var user: User

  // data fields
  @Field(key: "client_address") public var clientAddress: String
  @Field(key: "csrf_token") public var csrfToken: String
  @Field(key: "last_seen_at") public var lastSeenAt: Date
  @Field(key: "token_hash") public var tokenHash: String
  @Field(key: "user_agent") public var userAgent: String

  public init() {}

  public init(
    id: UUID? = nil, userID: UUID, tokenHash: String, csrfToken: String, createdAt: Date, clientAddress: String,
    userAgent: String
  ) {
    self.id = id
    self.$user.id = userID
    self.tokenHash = tokenHash
    self.csrfToken = csrfToken
    self.createdAt = createdAt
    self.lastSeenAt = createdAt
    self.clientAddress = clientAddress
    self.userAgent = userAgent
  }
}
