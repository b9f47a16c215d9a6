import Fluent
import SQLKit

/// Access review campaigns (issue 9).
struct CreateAccessReview: AsyncMigration {
  var name: String { "MamoriWeb.CreateAccessReview" }

  func prepare(on database: any Database) async throws {
    try await database.schema("access_reviews")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("created_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("closed_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("name", .string, .required)
      .field("starts_on", .string, .required)
      .field("due_on", .string, .required)
      .field("closed_on", .string)
      .field("created_at", .datetime)
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    for column in ["organisation_id", "created_by_id", "closed_by_id"] {
      try await sql.create(index: "access_reviews_\(column)").on("access_reviews").column(column).run()
    }
  }

  func revert(on database: any Database) async throws {
    try await database.schema("access_reviews").delete()
  }
}
