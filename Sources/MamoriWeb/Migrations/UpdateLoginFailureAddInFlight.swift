import Fluent
import SQLKit

/// Sign-in attempts are reserved before bcrypt runs (issue 7): a row is written `in_flight` first and
/// becomes a failure, or is removed, once the password has been checked.
struct UpdateLoginFailureAddInFlight: AsyncMigration {
  var name: String { "MamoriWeb.UpdateLoginFailureAddInFlight" }

  func prepare(on database: any Database) async throws {
    try await database.schema("login_failures")
      .field("in_flight", .bool, .required, .sql(.default(false)))
      .update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("login_failures").deleteField("in_flight").update()
  }
}
