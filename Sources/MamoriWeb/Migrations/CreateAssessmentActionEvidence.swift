import Fluent
import Foundation
import SQLKit

/// Evidence files of actions (issue 12): the action's own, kept with it across rounds.
struct CreateAssessmentActionEvidence: AsyncMigration {
  var name: String { "MamoriWeb.CreateAssessmentActionEvidence" }

  func prepare(on database: any Database) async throws {
    try await database.schema("assessment_action_evidence")
      .id()
      .field("action_id", .uuid, .required, .references("assessment_actions", "id", onDelete: .cascade))
      .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
      .field("uploaded_by", .uuid, .references("users", "id", onDelete: .setNull))
      .field("file_name", .string, .required)
      .field("content_type", .string, .required)
      .field("size", .int, .required)
      .field("sha256", .string, .required)
      .field("storage_key", .string, .required)
      .field("created_at", .datetime)
      .create()
    guard let sql = database as? any SQLDatabase else { return }
    try await sql.create(index: "assessment_action_evidence_action_id").on("assessment_action_evidence").column("action_id").run()
    try await sql.create(index: "assessment_action_evidence_organisation_id").on("assessment_action_evidence").column("organisation_id").run()
    try await sql.create(index: "assessment_action_evidence_uploaded_by").on("assessment_action_evidence").column("uploaded_by").run()
  }

  func revert(on database: any Database) async throws {
    if let sql = database as? any SQLDatabase {
      for name in [
        "assessment_action_evidence_uploaded_by", "assessment_action_evidence_organisation_id", "assessment_action_evidence_action_id",
      ] {
        try await sql.drop(index: name).run()
      }
    }
    try await database.schema("assessment_action_evidence").delete()
  }
}
