import Fluent
import SQLKit

struct CreateLoginFailure: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema(LoginFailure.schema)
      .id()
      .field("email", .string, .required)
      .field("client_address", .string, .required)
      .field("at", .datetime, .required)
      .create()
    // The throttle counts recent failures by address and by account on every sign-in attempt.
    if let sql = database as? any SQLDatabase {
      try await sql.create(index: "login_failures_email_at").on(LoginFailure.schema).column("email").column("at").run()
      try await sql.create(index: "login_failures_address_at").on(LoginFailure.schema).column("client_address")
        .column("at").run()
    }
  }

  func revert(on database: any Database) async throws {
    try await database.schema(LoginFailure.schema).delete()
  }
}
