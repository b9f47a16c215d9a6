import Fluent
import SQLKit

/// Who completed which course on which day (issue 9).
struct CreateTrainingCompletion: AsyncMigration {
  var name: String { "MamoriWeb.CreateTrainingCompletion" }

  func prepare(on database: any Database) async throws {
    try await database.schema("training_completions")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("course_id", .uuid, .required, .references("training_courses", "id", onDelete: .cascade))
      .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
      .field("recorded_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("completed_on", .string, .required)
      .field("score", .int)
      .field("self_recorded", .bool, .required)
      .field("created_at", .datetime)
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    for column in ["organisation_id", "course_id", "person_id", "recorded_by_id"] {
      try await sql.create(index: "training_completions_\(column)").on("training_completions").column(column).run()
    }
  }

  func revert(on database: any Database) async throws {
    try await database.schema("training_completions").delete()
  }
}
