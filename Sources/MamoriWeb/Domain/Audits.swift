import Fluent
import Foundation
import MamoriCore
import Vapor

/// What an auditor may see: an organisation's records only while it grants the auditor's body an audit.
enum Audits {
  struct Grant {
    var grant: AuditAccess
    var organisation: Organisation
  }

  /// The body's grants that are in force today (in each organisation's own time zone).
  static func activeGrants(bodyID: UUID, on database: any Database, now: Date) async throws -> [Grant] {
    try await AuditAccess.query(on: database)
      .filter(\.$body.$id == bodyID)
      .filter(\.$revokedAt == nil)
      .with(\.$organisation)
      .all()
      .filter { $0.state(on: Organisations.today($0.organisation, now: now)) == .active }
      .map { Grant(grant: $0, organisation: $0.organisation) }
  }

  /// Every grant the body has had, for the auditor's list.
  static func allGrants(bodyID: UUID, on database: any Database) async throws -> [Grant] {
    try await AuditAccess.query(on: database)
      .filter(\.$body.$id == bodyID)
      .with(\.$organisation)
      .sort(\.$startsOn, .descending)
      .all()
      .map { Grant(grant: $0, organisation: $0.organisation) }
  }
}

extension Request {
  /// The grant named by `:accessID` if it is the signed-in auditor's body's and in force; else 404.
  func requireActiveAuditGrant() async throws -> Audits.Grant {
    guard let bodyID = try requireUser().bodyID, let id = parameters.get("accessID", as: UUID.self) else {
      throw Abort(.notFound)
    }
    guard
      let grant = try await AuditAccess.query(on: db)
        .filter(\.$id == id)
        .filter(\.$body.$id == bodyID)
        .with(\.$organisation)
        .first(),
      grant.state(on: today(for: grant.organisation)) == .active
    else { throw Abort(.notFound) }
    // Every read by an auditor is recorded on the organisation's chain (page or API, with the route),
    // so that the organisation sees what its auditors looked at.
    try await audit(
      "audit.read", "audit_access", id: try grant.requireID().uuidString.lowercased(),
      after: AuditChain.json(["route": route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? url.path]),
      chain: AuditEvent.chain(grant.$organisation.id))
    return Audits.Grant(grant: grant, organisation: grant.organisation)
  }
}
