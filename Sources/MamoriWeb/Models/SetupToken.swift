import Fluent
import Foundation

/// The one-time link printed on the console while no account exists. Every token is deleted as soon as
/// the first organisation and its administrator are created.
public final class SetupToken: Model, @unchecked Sendable {
  public static let schema = "setup_tokens"

  @ID(key: .id) public var id: UUID?
  @Field(key: "created_at") public var createdAt: Date
  @Field(key: "token_hash") public var tokenHash: String

  public init() {}

  public init(id: UUID? = nil, tokenHash: String, createdAt: Date) {
    self.id = id
    self.tokenHash = tokenHash
    self.createdAt = createdAt
  }
}
