import Fluent

struct CreateAssessmentEvidence: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(AssessmentEvidence.schema)
      .id()
      .field("assessment_id", .uuid, .required, .references(Assessment.schema, "id", onDelete: .cascade))
      .field("uploaded_by", .uuid, .references(User.schema, "id", onDelete: .setNull))
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
    try await database.schema(AssessmentEvidence.schema).delete()
  }
}
