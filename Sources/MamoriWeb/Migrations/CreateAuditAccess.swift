import Fluent

struct CreateAuditAccess: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateAuditAccess" }

  func prepare(on database: any Database) async throws {
    try await database.schema("audit_accesses")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("body_id", .uuid, .required, .references("certification_bodies", "id", onDelete: .cascade))
      .field("granted_by_id", .uuid, .references("users", "id", onDelete: .setNull))
      .field("starts_on", .string, .required)
      .field("ends_on", .string, .required)
      .field("purpose", .string, .required)
      .field("revoked_at", .datetime)
      .field("created_at", .datetime)
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("audit_accesses").delete()
  }
}
