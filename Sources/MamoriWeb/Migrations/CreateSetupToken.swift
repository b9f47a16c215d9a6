import Fluent

struct CreateSetupToken: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(SetupToken.schema)
      .id()
      .field("token_hash", .string, .required)
      .field("created_at", .datetime, .required)
      .unique(on: "token_hash")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema(SetupToken.schema).delete()
  }
}
