import Fluent

struct CreateAssessmentAnswer: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateAssessmentAnswer" }

  func prepare(on database: any Database) async throws {
    try await database.schema("assessment_answers")
      .id()
      .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
      .field("updated_by", .uuid, .references("users", "id", onDelete: .setNull))
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
    try await database.schema("assessment_answers").delete()
  }
}
