import Fluent

struct CreateCertificationBody: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateCertificationBody" }

  func prepare(on database: any Database) async throws {
    try await database.schema("certification_bodies")
      .id()
      .field("slug", .string, .required)
      .field("name", .string, .required)
      .field("scope", .string, .required)
      .field("contact", .string, .required)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .unique(on: "slug")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("certification_bodies").delete()
  }
}
