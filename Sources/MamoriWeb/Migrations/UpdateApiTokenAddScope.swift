import Fluent
import SQLKit

/// API tokens get a scope (issue 7): `write` (what every earlier token could do) or `read`.
struct UpdateApiTokenAddScope: AsyncMigration {
  var name: String { "MamoriWeb.UpdateApiTokenAddScope" }

  func prepare(on database: any Database) async throws {
    try await database.schema("api_tokens")
      .field("scope", .string, .required, .sql(.default("write")))
      .update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("api_tokens").deleteField("scope").update()
  }
}
