import Fluent
import SQLKit

/// Training courses of an organisation (issue 9).
struct CreateTrainingCourse: AsyncMigration {
  var name: String { "MamoriWeb.CreateTrainingCourse" }

  func prepare(on database: any Database) async throws {
    try await database.schema("training_courses")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("catalog_id", .string)
      .field("title", .string, .required)
      .field("description", .string, .required)
      .field("due_days", .int, .required)
      .field("due_on", .string)
      .field("recurrence_months", .int)
      .field("created_at", .datetime)
      .unique(on: "organisation_id", "catalog_id")
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    try await sql.create(index: "training_courses_organisation_id").on("training_courses").column("organisation_id").run()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("training_courses").delete()
  }
}
