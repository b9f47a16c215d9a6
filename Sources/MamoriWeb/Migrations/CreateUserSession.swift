import Fluent

struct CreateUserSession: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateUserSession" }

  func prepare(on database: any Database) async throws {
    try await database.schema("user_sessions")
      .id()
      .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
      .field("token_hash", .string, .required)
      .field("csrf_token", .string, .required)
      .field("created_at", .datetime, .required)
      .field("last_seen_at", .datetime, .required)
      .field("client_address", .string, .required)
      .field("user_agent", .string, .required)
      .unique(on: "token_hash")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("user_sessions").delete()
  }
}
