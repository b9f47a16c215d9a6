import Fluent

struct CreateDepartment: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(Department.schema)
      .id()
      .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id", onDelete: .cascade))
      .field("code", .string, .required)
      .field("name", .string, .required)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .unique(on: "organisation_id", "code")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema(Department.schema).delete()
  }
}
