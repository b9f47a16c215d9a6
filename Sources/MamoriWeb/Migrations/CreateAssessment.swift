import Fluent

struct CreateAssessment: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateAssessment" }

  func prepare(on database: any Database) async throws {
    try await database.schema("assessments")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("started_by", .uuid, .references("users", "id", onDelete: .setNull))
      .field("completed_by", .uuid, .references("users", "id", onDelete: .setNull))
      .field("catalog_id", .string, .required)
      .field("catalog_version", .int, .required)
      .field("title", .string, .required)
      .field("status", .string, .required)
      .field("started_on", .string, .required)
      .field("completed_at", .datetime)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("assessments").delete()
  }
}
