import Fluent
import SQLKit

/// An index on every foreign key that no unique constraint already leads with (issue 8): lookups of a
/// record's children, and cascades on delete, must not scan a whole table as the register grows.
struct CreateForeignKeyIndexes: AsyncMigration {
  var name: String { "MamoriWeb.CreateForeignKeyIndexes" }

  /// (index name, table, column)
  static let indexes: [(String, String, String)] = [
    ("account_tokens_user_id", "account_tokens", "user_id"),
    ("account_tokens_created_by_id", "account_tokens", "created_by_id"),
    ("api_tokens_user_id", "api_tokens", "user_id"),
    ("assessments_organisation_id", "assessments", "organisation_id"),
    ("assessments_started_by", "assessments", "started_by"),
    ("assessments_completed_by", "assessments", "completed_by"),
    ("assessment_answers_updated_by", "assessment_answers", "updated_by"),
    ("assessment_evidence_assessment_id", "assessment_evidence", "assessment_id"),
    ("assessment_evidence_uploaded_by", "assessment_evidence", "uploaded_by"),
    ("audit_accesses_organisation_id", "audit_accesses", "organisation_id"),
    ("audit_accesses_body_id", "audit_accesses", "body_id"),
    ("audit_accesses_granted_by_id", "audit_accesses", "granted_by_id"),
    ("organisation_catalogs_uploaded_by", "organisation_catalogs", "uploaded_by"),
    ("people_department_id", "people", "department_id"),
    ("users_organisation_id", "users", "organisation_id"),
    ("users_body_id", "users", "body_id"),
    ("users_person_id", "users", "person_id"),
    ("user_sessions_user_id", "user_sessions", "user_id"),
  ]

  func prepare(on database: any Database) async throws {
    guard let sql = database as? any SQLDatabase else { return }
    for (name, table, column) in Self.indexes {
      try await sql.create(index: name).on(table).column(column).run()
    }
  }

  func revert(on database: any Database) async throws {
    guard let sql = database as? any SQLDatabase else { return }
    for (name, _, _) in Self.indexes.reversed() {
      try await sql.drop(index: name).run()
    }
  }
}
