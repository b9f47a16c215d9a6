import Fluent
import SQLKit

/// The audit trail (issue 8): one hash chain per organisation and one for the platform.
struct CreateAuditEntry: AsyncMigration {
  var name: String { "MamoriWeb.CreateAuditEntry" }

  func prepare(on database: any Database) async throws {
    try await database.schema("audit_entries")
      .id()
      .field("chain", .string, .required)
      .field("seq", .int, .required)
      .field("at_ms", .int64, .required)
      .field("actor", .string, .required)
      .field("actor_id", .string)
      .field("client_address", .string, .required)
      .field("action", .string, .required)
      .field("record_type", .string, .required)
      .field("record_id", .string, .required)
      .field("before", .string)
      .field("after", .string)
      .field("prev_hash", .string, .required)
      .field("hash", .string, .required)
      // Two appenders that read the same tail cannot both write the next number: the chain never forks.
      .unique(on: "chain", "seq")
      .create()
    if let sql = database as? any SQLDatabase {
      try await sql.create(index: "audit_entries_chain_action").on("audit_entries").column("chain").column("action").run()
      try await sql.create(index: "audit_entries_chain_at").on("audit_entries").column("chain").column("at_ms").run()
    }
  }

  func revert(on database: any Database) async throws {
    try await database.schema("audit_entries").delete()
  }
}
