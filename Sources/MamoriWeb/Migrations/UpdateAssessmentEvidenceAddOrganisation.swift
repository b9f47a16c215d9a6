import Fluent
import SQLKit

/// Evidence files carry their organisation (issue 12), so that every query of them is scoped by the tenant
/// directly rather than only through their assessment. Existing rows take their assessment's.
///
/// The column has no foreign key: SQLite cannot drop a column that takes part in one, so a real revert
/// would need a rebuild of the table; the assessment's cascade deletes the rows anyway.
struct UpdateAssessmentEvidenceAddOrganisation: AsyncMigration {
  var name: String { "MamoriWeb.UpdateAssessmentEvidenceAddOrganisation" }

  func prepare(on database: any Database) async throws {
    try await database.schema("assessment_evidence").field("organisation_id", .uuid).update()
    guard let sql = database as? any SQLDatabase else { return }
    try await sql.raw(
      """
      UPDATE assessment_evidence SET organisation_id =
        (SELECT assessments.organisation_id FROM assessments WHERE assessments.id = assessment_evidence.assessment_id)
      """
    ).run()
    try await sql.create(index: "assessment_evidence_organisation_id").on("assessment_evidence").column("organisation_id").run()
  }

  func revert(on database: any Database) async throws {
    if let sql = database as? any SQLDatabase {
      try await sql.drop(index: "assessment_evidence_organisation_id").run()
    }
    try await database.schema("assessment_evidence").deleteField("organisation_id").update()
  }
}
