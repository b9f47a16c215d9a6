import Fluent

struct CreateOrganisationCatalog: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(OrganisationCatalog.schema)
      .id()
      .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id", onDelete: .cascade))
      .field("uploaded_by", .uuid, .references(User.schema, "id", onDelete: .setNull))
      .field("catalog_id", .string, .required)
      .field("version", .int, .required)
      .field("file_name", .string, .required)
      .field("yaml", .string, .required)
      .field("created_at", .datetime)
      .unique(on: "organisation_id", "catalog_id", "version")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema(OrganisationCatalog.schema).delete()
  }
}
