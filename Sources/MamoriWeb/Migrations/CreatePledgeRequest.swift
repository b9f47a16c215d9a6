import Fluent
import SQLKit

/// Pledges requested of people and acknowledged by them in Mamori (issue 9).
struct CreatePledgeRequest: AsyncMigration {
  var name: String { "MamoriWeb.CreatePledgeRequest" }

  func prepare(on database: any Database) async throws {
    try await database.schema("pledge_requests")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
      .field("requested_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("acknowledged_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("pledge_id", .uuid, .references("pledges", "id", onDelete: .setNull))
      .field("kind", .string, .required)
      .field("scope", .string, .required)
      .field("asset_group", .string, .required)
      .field("wording", .string, .required)
      .field("due_on", .string, .required)
      .field("acknowledged_at", .datetime)
      .field("created_at", .datetime)
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    for column in ["organisation_id", "person_id", "requested_by_id", "acknowledged_by_id", "pledge_id"] {
      try await sql.create(index: "pledge_requests_\(column)").on("pledge_requests").column(column).run()
    }
  }

  func revert(on database: any Database) async throws {
    if let sql = database as? any SQLDatabase {
      for column in ["pledge_id", "acknowledged_by_id", "requested_by_id", "person_id", "organisation_id"] {
        try await sql.drop(index: "pledge_requests_\(column)").run()
      }
    }
    try await database.schema("pledge_requests").delete()
  }
}
