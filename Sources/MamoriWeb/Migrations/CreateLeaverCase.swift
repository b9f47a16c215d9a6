import Fluent
import SQLKit

/// Leaver cases, one per person (issue 9): the unique index is what makes opening idempotent even when
/// two saves of the same person race.
struct CreateLeaverCase: AsyncMigration {
  var name: String { "MamoriWeb.CreateLeaverCase" }

  func prepare(on database: any Database) async throws {
    try await database.schema("leaver_cases")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
      .field("opened_on", .string, .required)
      .field("status", .string, .required)
      .field("created_at", .datetime)
      .unique(on: "person_id", name: "leaver_cases_person_id")
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    try await sql.create(index: "leaver_cases_organisation_id").on("leaver_cases").column("organisation_id").run()
  }

  func revert(on database: any Database) async throws {
    if let sql = database as? any SQLDatabase { try await sql.drop(index: "leaver_cases_organisation_id").run() }
    try await database.schema("leaver_cases").delete()
  }
}
