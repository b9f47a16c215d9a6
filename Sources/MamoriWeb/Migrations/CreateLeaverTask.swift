import Fluent
import SQLKit

/// The items of leaver cases (issue 9).
struct CreateLeaverTask: AsyncMigration {
  var name: String { "MamoriWeb.CreateLeaverTask" }

  func prepare(on database: any Database) async throws {
    try await database.schema("leaver_tasks")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("case_id", .uuid, .required, .references("leaver_cases", "id", onDelete: .cascade))
      .field("owner_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("done_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("kind", .string, .required)
      .field("due_on", .string)
      .field("done_on", .string)
      .field("note", .string, .required)
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    for column in ["organisation_id", "case_id", "owner_id", "done_by_id"] {
      try await sql.create(index: "leaver_tasks_\(column)").on("leaver_tasks").column(column).run()
    }
  }

  func revert(on database: any Database) async throws {
    if let sql = database as? any SQLDatabase {
      for column in ["done_by_id", "owner_id", "case_id", "organisation_id"] { try await sql.drop(index: "leaver_tasks_\(column)").run() }
    }
    try await database.schema("leaver_tasks").delete()
  }
}
