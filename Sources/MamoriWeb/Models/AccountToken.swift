import Fluent
import Foundation

/// A one-time link that lets a person set their password: an invitation, a reset issued by an
/// administrator, or the link `mamori user create` prints. Only the token's SHA-256 is stored.
public final class AccountToken: Model, @unchecked Sendable {
  public static let schema = "account_tokens"

  // managed fields
  @ID(key: .id) public var id: UUID?
  @Field(key: "created_at") public var createdAt: Date

  // reference fields
  @OptionalParent(key: "created_by_id") public var createdBy: User?
  @Parent(key: "user_id") public var user: User

  // data fields
  @Field(key: "expires_at") public var expiresAt: Date
  @Enum(key: "purpose") public var purpose: Purpose
  @Field(key: "token_hash") public var tokenHash: String
  @OptionalField(key: "used_at") public var usedAt: Date?

  public init() {}

  public init(
    id: UUID? = nil, userID: UUID, purpose: Purpose, tokenHash: String, createdAt: Date, expiresAt: Date,
    createdByID: UUID?
  ) {
    self.id = id
    self.$user.id = userID
    self.purpose = purpose
    self.tokenHash = tokenHash
    self.createdAt = createdAt
    self.expiresAt = expiresAt
    self.$createdBy.id = createdByID
  }
}

extension AccountToken {
  public enum Purpose: String, Sendable, Codable {
    case invitation
    case reset
  }
}
