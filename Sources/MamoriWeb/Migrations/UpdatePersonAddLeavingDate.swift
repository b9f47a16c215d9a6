import Fluent
import SQLKit

/// The register of issue 9: the leaving date (退職日) beside the last working day (`exit_date`), the
/// language a person is trained in, and the key-person flag.
struct UpdatePersonAddLeavingDate: AsyncMigration {
  var name: String { "MamoriWeb.UpdatePersonAddLeavingDate" }

  func prepare(on database: any Database) async throws {
    try await database.schema("people")
      .field("leaving_date", .string)
      .update()
    try await database.schema("people")
      .field("training_language", .string, .required, .sql(.default("ja")))
      .update()
    try await database.schema("people")
      .field("key_person", .bool, .required, .sql(.default(false)))
      .update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("people").deleteField("key_person").update()
    try await database.schema("people").deleteField("training_language").update()
    try await database.schema("people").deleteField("leaving_date").update()
  }
}
