import Fluent
import MamoriCore
import Foundation

/// A personal API token: shown once when created, stored as its SHA-256, revocable. It acts with the
/// rights of its owner, so a disabled account's tokens stop working too.
public final class ApiToken: Model, @unchecked Sendable {
  public static let schema = "api_tokens"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Field(key: "created_at") public var createdAt: Date

  // reference fields
  @Parent(key: "user_id") public var user: User

  // data fields
  @OptionalField(key: "expires_at") public var expiresAt: Date?
  @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
  @Field(key: "name") public var name: String
  /// The first characters of the token, to tell tokens apart in lists.
  @Field(key: "prefix") public var prefix: String
  @OptionalField(key: "revoked_at") public var revokedAt: Date?
  @Field(key: "token_hash") public var tokenHash: String
  @Enum(key: "scope") public var scope: ApiTokenScope

  public init() {}

  public init(
    id: UUID? = nil, userID: UUID, name: String, prefix: String, tokenHash: String, createdAt: Date,
    expiresAt: Date?, scope: ApiTokenScope = .write
  ) {
    self.scope = scope
    self.id = id
    self.$user.id = userID
    self.name = name
    self.prefix = prefix
    self.tokenHash = tokenHash
    self.createdAt = createdAt
    self.expiresAt = expiresAt
  }
}
