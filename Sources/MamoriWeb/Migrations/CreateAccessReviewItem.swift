import Fluent
import SQLKit

/// The grants of an access review campaign and the owners' decisions (issue 9).
struct CreateAccessReviewItem: AsyncMigration {
  var name: String { "MamoriWeb.CreateAccessReviewItem" }

  func prepare(on database: any Database) async throws {
    try await database.schema("access_review_items")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("review_id", .uuid, .required, .references("access_reviews", "id", onDelete: .cascade))
      .field("grant_id", .uuid, .required, .references("grants", "id", onDelete: .cascade))
      .field("asset_id", .uuid, .required, .references("assets", "id", onDelete: .cascade))
      .field("owner_id", .uuid, .references("people", "id", onDelete: .setNull))
      .field("decided_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("decision", .string)
      .field("comment", .string, .required)
      .field("on_behalf", .bool, .required)
      .field("decided_at", .datetime)
      .field("created_at", .datetime)
      .unique(on: "review_id", "grant_id")
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    for column in ["organisation_id", "review_id", "grant_id", "asset_id", "owner_id", "decided_by_id"] {
      try await sql.create(index: "access_review_items_\(column)").on("access_review_items").column(column).run()
    }
  }

  func revert(on database: any Database) async throws {
    try await database.schema("access_review_items").delete()
  }
}
