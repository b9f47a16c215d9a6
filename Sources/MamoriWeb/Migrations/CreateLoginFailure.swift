import Fluent
import SQLKit

struct CreateLoginFailure: AsyncMigration {
  /// The name Fluent recorded for this migration when it was first released; never change it.
  var name: String { "MamoriWeb.CreateLoginFailure" }

  func prepare(on database: any Database) async throws {
    try await database.schema("login_failures")
      .id()
      .field("email", .string, .required)
      .field("client_address", .string, .required)
      .field("at", .datetime, .required)
      .create()
    // The throttle counts recent failures by address and by account on every sign-in attempt.
    if let sql = database as? any SQLDatabase {
      try await sql.create(index: "login_failures_email_at").on("login_failures").column("email").column("at").run()
      try await sql.create(index: "login_failures_address_at").on("login_failures").column("client_address")
        .column("at").run()
    }
  }

  func revert(on database: any Database) async throws {
    try await database.schema("login_failures").delete()
  }
}
