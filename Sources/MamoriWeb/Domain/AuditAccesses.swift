import Fluent
import Foundation
import MamoriCore
import Vapor

/// Granting and revoking a certification body's audit access: one operation for the page and the API,
/// with the same rules (a period of at most a year, the end not before the start) and an audit entry.
enum AuditAccesses {
  /// The longest audit period an organisation may grant at once.
  static let maximumDays = 366
  /// Why the body may read the records, as the grant form shows and the check applies it.
  static let purpose = TextRule(field: "purpose", maximum: 200)

  struct Input: Sendable {
    var bodyID: String
    var startsOn: String
    var endsOn: String
    var purpose: String
  }

  static func grant(_ input: Input, organisationID: UUID, actor: AuditActor, now: Date, on database: any Database)
    async throws -> AuditAccess
  {
    var issues: [ValidationIssue] = []
    var body: CertificationBody?
    if let id = UUID(uuidString: input.bodyID) { body = try await CertificationBody.find(id, on: database) }
    if body == nil { issues.append(ValidationIssue(field: "body_id", key: "validation.choice")) }
    let start = CivilDate(iso: input.startsOn.trimmingCharacters(in: .whitespaces))
    let end = CivilDate(iso: input.endsOn.trimmingCharacters(in: .whitespaces))
    if start == nil { issues.append(ValidationIssue(field: "starts_on", key: "validation.date")) }
    if end == nil { issues.append(ValidationIssue(field: "ends_on", key: "validation.date")) }
    if let start, let end {
      if end < start {
        issues.append(ValidationIssue(field: "ends_on", key: "validation.end_before_start"))
      } else if start.days(until: end) > maximumDays {
        issues.append(ValidationIssue(field: "ends_on", key: "validation.period_too_long", arguments: ["days": "\(maximumDays)"]))
      }
    }
    let purpose = input.purpose.trimmingCharacters(in: .whitespacesAndNewlines)
    if let issue = Self.purpose.check(purpose) { issues.append(issue) }
    guard issues.isEmpty, let body, let start, let end else { throw ValidationFailure(issues: issues) }
    let grant = AuditAccess(
      organisationID: organisationID, bodyID: try body.requireID(), grantedByID: actor.id, startsOn: start, endsOn: end,
      purpose: purpose)
    try await database.transaction { database in
      try await grant.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "audit_access.grant", recordType: "audit_access",
          recordID: try grant.requireID().uuidString.lowercased(), after: AuditChain.json(grant)),
        by: actor, now: now, on: database)
    }
    return grant
  }

  /// Revoking twice is harmless and leaves one entry.
  static func revoke(_ grant: AuditAccess, actor: AuditActor, now: Date, on database: any Database) async throws {
    guard grant.revokedAt == nil else { return }
    let before = AuditChain.json(grant)
    grant.revokedAt = now
    try await database.transaction { database in
      try await grant.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(grant.$organisation.id), action: "audit_access.revoke", recordType: "audit_access",
          recordID: try grant.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(grant)),
        by: actor, now: now, on: database)
    }
  }
}
