import Fluent

struct CreateApiToken: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateApiToken" }

  func prepare(on database: any Database) async throws {
    try await database.schema("api_tokens")
      .id()
      .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
      .field("name", .string, .required)
      .field("prefix", .string, .required)
      .field("token_hash", .string, .required)
      .field("created_at", .datetime, .required)
      .field("expires_at", .datetime)
      .field("last_used_at", .datetime)
      .field("revoked_at", .datetime)
      .unique(on: "token_hash")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("api_tokens").delete()
  }
}
