import Fluent

struct CreateUser: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(User.schema)
      .id()
      .field("organisation_id", .uuid, .references(Organisation.schema, "id", onDelete: .cascade))
      .field("body_id", .uuid, .references(CertificationBody.schema, "id", onDelete: .cascade))
      .field("person_id", .uuid, .references(Person.schema, "id", onDelete: .setNull))
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
    try await database.schema(User.schema).delete()
  }
}
