import Fluent

struct CreateSetupToken: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateSetupToken" }

  func prepare(on database: any Database) async throws {
    try await database.schema("setup_tokens")
      .id()
      .field("token_hash", .string, .required)
      .field("created_at", .datetime, .required)
      .unique(on: "token_hash")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("setup_tokens").delete()
  }
}
