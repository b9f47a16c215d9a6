import Fluent
import SQLKit

/// Who must take which course from when (issue 9).
struct CreateTrainingAssignment: AsyncMigration {
  var name: String { "MamoriWeb.CreateTrainingAssignment" }

  func prepare(on database: any Database) async throws {
    try await database.schema("training_assignments")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("course_id", .uuid, .required, .references("training_courses", "id", onDelete: .cascade))
      .field("department_id", .uuid, .references("departments", "id", onDelete: .cascade))
      .field("assigned_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("scope", .string, .required)
      .field("employment_type", .string)
      .field("assigned_on", .string, .required)
      .field("created_at", .datetime)
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    for column in ["organisation_id", "course_id", "department_id", "assigned_by_id"] {
      try await sql.create(index: "training_assignments_\(column)").on("training_assignments").column(column).run()
    }
  }

  func revert(on database: any Database) async throws {
    try await database.schema("training_assignments").delete()
  }
}
