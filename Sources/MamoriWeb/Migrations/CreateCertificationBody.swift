import Fluent

struct CreateCertificationBody: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(CertificationBody.schema)
      .id()
      .field("slug", .string, .required)
      .field("name", .string, .required)
      .field("scope", .string, .required)
      .field("contact", .string, .required)
      .field("created_at", .datetime)
      .field("updated_at", .datetime)
      .unique(on: "slug")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema(CertificationBody.schema).delete()
  }
}
