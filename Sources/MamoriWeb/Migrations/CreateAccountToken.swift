import Fluent

struct CreateAccountToken: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(AccountToken.schema)
      .id()
      .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
      .field("created_by_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
      .field("purpose", .string, .required)
      .field("token_hash", .string, .required)
      .field("created_at", .datetime, .required)
      .field("expires_at", .datetime, .required)
      .field("used_at", .datetime)
      .unique(on: "token_hash")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema(AccountToken.schema).delete()
  }
}
