import Fluent

struct CreateAssessmentAnswer: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(AssessmentAnswer.schema)
      .id()
      .field("assessment_id", .uuid, .required, .references(Assessment.schema, "id", onDelete: .cascade))
      .field("updated_by", .uuid, .references(User.schema, "id", onDelete: .setNull))
      .field("item_id", .string, .required)
      .field("answer", .string)
      .field("note", .string, .required)
      .field("owner", .string, .required)
      .field("due_on", .string)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .unique(on: "assessment_id", "item_id")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema(AssessmentAnswer.schema).delete()
  }
}
