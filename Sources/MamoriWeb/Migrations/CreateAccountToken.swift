import Fluent

struct CreateAccountToken: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateAccountToken" }

  func prepare(on database: any Database) async throws {
    try await database.schema("account_tokens")
      .id()
      .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
      .field("created_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("purpose", .string, .required)
      .field("token_hash", .string, .required)
      .field("created_at", .datetime, .required)
      .field("expires_at", .datetime, .required)
      .field("used_at", .datetime)
      .unique(on: "token_hash")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("account_tokens").delete()
  }
}
