import Fluent
import SQLKit

/// An answer copied from the previous round is marked until the officer confirms it (issue 12).
struct UpdateAssessmentAnswerAddCarriedOver: AsyncMigration {
  var name: String { "MamoriWeb.UpdateAssessmentAnswerAddCarriedOver" }

  func prepare(on database: any Database) async throws {
    try await database.schema("assessment_answers")
      .field("carried_over", .bool, .required, .sql(.default(false)))
      .update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("assessment_answers").deleteField("carried_over").update()
  }
}
