import Fluent

struct CreateUser: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateUser" }

  func prepare(on database: any Database) async throws {
    try await database.schema("users")
      .id()
      .field("organisation_id", .uuid, .references("organisations", "id", onDelete: .cascade))
      .field("body_id", .uuid, .references("certification_bodies", "id", onDelete: .cascade))
      .field("person_id", .uuid, .references("people", "id", onDelete: .setNull))
      .field("email", .string, .required)
      .field("display_name", .string, .required)
      .field("role", .string)
      .field("is_operator", .bool, .required)
      .field("language", .string, .required)
      .field("status", .string, .required)
      .field("password_hash", .string)
      .field("password_changed_at", .datetime)
      .field("last_login_at", .datetime)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .unique(on: "email")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("users").delete()
  }
}
