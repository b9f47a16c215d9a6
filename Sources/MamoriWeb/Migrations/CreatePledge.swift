import Fluent
import SQLKit

/// Pledges (誓約書) of people, with their scanned files (issue 9).
struct CreatePledge: AsyncMigration {
  var name: String { "MamoriWeb.CreatePledge" }

  func prepare(on database: any Database) async throws {
    try await database.schema("pledges")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
      .field("recorded_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("kind", .string, .required)
      .field("signed_on", .string, .required)
      .field("scope", .string, .required)
      .field("asset_group", .string, .required)
      .field("file_name", .string)
      .field("content_type", .string)
      .field("size", .int)
      .field("sha256", .string)
      .field("storage_key", .string)
      .field("created_at", .datetime)
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    for column in ["organisation_id", "person_id", "recorded_by_id"] {
      try await sql.create(index: "pledges_\(column)").on("pledges").column(column).run()
    }
  }

  func revert(on database: any Database) async throws {
    if let sql = database as? any SQLDatabase {
      for column in ["recorded_by_id", "person_id", "organisation_id"] { try await sql.drop(index: "pledges_\(column)").run() }
    }
    try await database.schema("pledges").delete()
  }
}
