import Fluent

struct CreateOrganisation: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateOrganisation" }

  func prepare(on database: any Database) async throws {
    try await database.schema("organisations")
      .id()
      .field("slug", .string, .required)
      .field("name", .string, .required)
      .field("name_en", .string, .required)
      .field("industry", .string, .required)
      .field("capital_yen", .int64)
      .field("employee_count", .int)
      .field("time_zone", .string, .required)
      .field("is_demo", .bool, .required)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .unique(on: "slug")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("organisations").delete()
  }
}
