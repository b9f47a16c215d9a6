import Fluent

struct CreateAssessmentEvidence: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateAssessmentEvidence" }

  func prepare(on database: any Database) async throws {
    try await database.schema("assessment_evidence")
      .id()
      .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
      .field("uploaded_by", .uuid, .references("users", "id", onDelete: .setNull))
      .field("item_id", .string, .required)
      .field("file_name", .string, .required)
      .field("content_type", .string, .required)
      .field("size", .int, .required)
      .field("sha256", .string, .required)
      .field("storage_key", .string, .required)
      .field("created_at", .datetime)
      .unique(on: "storage_key")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("assessment_evidence").delete()
  }
}
