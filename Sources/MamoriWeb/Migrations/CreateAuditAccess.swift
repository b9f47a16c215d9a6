import Fluent

struct CreateAuditAccess: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(AuditAccess.schema)
      .id()
      .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id", onDelete: .cascade))
      .field("body_id", .uuid, .required, .references(CertificationBody.schema, "id", onDelete: .cascade))
      .field("granted_by_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
      .field("starts_on", .string, .required)
      .field("ends_on", .string, .required)
      .field("purpose", .string, .required)
      .field("revoked_at", .datetime)
      .field("created_at", .datetime)
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema(AuditAccess.schema).delete()
  }
}
