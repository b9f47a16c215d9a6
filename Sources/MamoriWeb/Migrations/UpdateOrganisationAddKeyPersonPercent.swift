import Fluent
import SQLKit

/// The share of a group's assets at which one person becomes a `key-person` finding (issue 9).
struct UpdateOrganisationAddKeyPersonPercent: AsyncMigration {
  var name: String { "MamoriWeb.UpdateOrganisationAddKeyPersonPercent" }

  func prepare(on database: any Database) async throws {
    try await database.schema("organisations")
      .field("key_person_percent", .int, .required, .sql(.default(80)))
      .update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("organisations").deleteField("key_person_percent").update()
  }
}
