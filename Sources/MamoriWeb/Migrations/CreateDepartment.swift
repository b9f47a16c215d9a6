import Fluent

struct CreateDepartment: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateDepartment" }

  func prepare(on database: any Database) async throws {
    try await database.schema("departments")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("code", .string, .required)
      .field("name", .string, .required)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .unique(on: "organisation_id", "code")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("departments").delete()
  }
}
