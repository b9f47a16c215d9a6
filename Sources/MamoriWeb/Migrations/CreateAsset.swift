import Fluent
import SQLKit

/// The register of information to protect (issue 9).
struct CreateAsset: AsyncMigration {
  var name: String { "MamoriWeb.CreateAsset" }

  func prepare(on database: any Database) async throws {
    try await database.schema("assets")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("owner_id", .uuid, .references("people", "id", onDelete: .setNull))
      .field("code", .string, .required)
      .field("name", .string, .required)
      .field("description", .string, .required)
      .field("form", .string, .required)
      .field("location", .string, .required)
      .field("level", .string, .required)
      .field("asset_group", .string, .required)
      .field("retention", .string, .required)
      .field("disposal", .string, .required)
      .field("is_core", .bool, .required)
      .field("core_source", .string, .required)
      .field("core_superiority", .string, .required)
      .field("core_existence", .string, .required)
      .field("designated_technology", .string)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .unique(on: "organisation_id", "code")
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    try await sql.create(index: "assets_owner_id").on("assets").column("owner_id").run()
    // The list filters by level and group inside one organisation.
    try await sql.create(index: "assets_organisation_id_level").on("assets").column("organisation_id").column("level").run()
    try await sql.create(index: "assets_organisation_id_asset_group").on("assets").column("organisation_id").column("asset_group")
      .run()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("assets").delete()
  }
}
