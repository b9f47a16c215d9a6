import Fluent

/// The organisation's handling rule for each level of information (issue 9).
struct CreateHandlingRule: AsyncMigration {
  var name: String { "MamoriWeb.CreateHandlingRule" }

  func prepare(on database: any Database) async throws {
    // The unique constraint leads with organisation_id, which is the foreign key's index.
    try await database.schema("handling_rules")
      .id()
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("level", .string, .required)
      .field("marking", .string, .required)
      .field("copying", .string, .required)
      .field("printing", .string, .required)
      .field("taking_out", .string, .required)
      .field("sending", .string, .required)
      .field("storage", .string, .required)
      .field("disposal", .string, .required)
      .field("updated_at", .datetime)
      .unique(on: "organisation_id", "level")
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("handling_rules").delete()
  }
}
