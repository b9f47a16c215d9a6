import Fluent
import SQLKit

/// How a pledge came in: recorded from paper by an officer, or acknowledged by the person in Mamori
/// (issue 9). Every pledge before this was recorded.
struct UpdatePledgeAddMethod: AsyncMigration {
  var name: String { "MamoriWeb.UpdatePledgeAddMethod" }

  func prepare(on database: any Database) async throws {
    try await database.schema("pledges")
      .field("method", .string, .required, .sql(.default("recorded")))
      .update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("pledges").deleteField("method").update()
  }
}
