import Fluent

struct CreatePerson: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreatePerson" }

  func prepare(on database: any Database) async throws {
    try await database.schema("people")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("department_id", .uuid, .references("departments", "id", onDelete: .setNull))
      .field("code", .string, .required)
      .field("login_name", .string, .required)
      .field("family_name", .string, .required)
      .field("given_name", .string, .required)
      .field("full_name", .string, .required)
      .field("email", .string)
      .field("employment_type", .string, .required)
      .field("job_title", .string, .required)
      .field("hire_date", .string)
      .field("notice_date", .string)
      .field("exit_date", .string)
      .field("notes", .string, .required)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .unique(on: "organisation_id", "code")
      .unique(on: "organisation_id", "login_name")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("people").delete()
  }
}
