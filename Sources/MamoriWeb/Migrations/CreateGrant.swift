import Fluent
import SQLKit

/// Who may access which asset (issue 9).
struct CreateGrant: AsyncMigration {
  var name: String { "MamoriWeb.CreateGrant" }

  func prepare(on database: any Database) async throws {
    try await database.schema("grants")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
      .field("asset_id", .uuid, .required, .references("assets", "id", onDelete: .cascade))
      .field("granted_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("revoked_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("reason", .string, .required)
      .field("granted_on", .string, .required)
      .field("expires_on", .string)
      .field("revoked_on", .string)
      .field("created_at", .datetime)
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    for column in ["organisation_id", "person_id", "asset_id", "granted_by_id", "revoked_by_id"] {
      try await sql.create(index: "grants_\(column)").on("grants").column(column).run()
    }
  }

  func revert(on database: any Database) async throws {
    try await database.schema("grants").delete()
  }
}
