import Fluent

struct CreateOrganisationCatalog: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateOrganisationCatalog" }

  func prepare(on database: any Database) async throws {
    try await database.schema("organisation_catalogs")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("uploaded_by", .uuid, .references("users", "id", onDelete: .setNull))
      .field("catalog_id", .string, .required)
      .field("version", .int, .required)
      .field("file_name", .string, .required)
      .field("yaml", .string, .required)
      .field("created_at", .datetime)
      .unique(on: "organisation_id", "catalog_id", "version")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("organisation_catalogs").delete()
  }
}
