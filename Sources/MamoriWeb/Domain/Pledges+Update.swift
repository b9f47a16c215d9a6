import Fluent
import Foundation
import MamoriCore
import Vapor

extension Pledges {
  /// Corrects what was recorded of a pledge (kind, signed day, scope, group) under the recording's
  /// rules; the scan and who recorded it stay. One transaction with its `pledge.update` entry.
  static func update(
    _ pledge: Pledge, _ draft: PledgeDraft, organisationID: UUID, today: CivilDate, actor: AuditActor, now: Date, on database: any Database
  ) async throws -> Pledge {
    guard pledge.$organisation.id == organisationID else { throw Abort(.notFound) }
    let draft = draft.normalised
    let issues = draft.validate(today: today)
    guard issues.isEmpty, let kind = draft.pledgeKind, let signedOn = draft.signedDay else { throw ValidationFailure(issues: issues) }
    let before = AuditChain.json(PledgeSnapshot(pledge))
    pledge.kind = kind
    pledge.signedOn = signedOn
    pledge.scope = draft.scope
    pledge.assetGroup = draft.assetGroup
    let after = AuditChain.json(PledgeSnapshot(pledge))
    guard after != before else { return pledge }
    try await database.transaction { database in
      try await pledge.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "pledge.update", recordType: "pledge",
          recordID: try pledge.requireID().uuidString.lowercased(), before: before, after: after),
        by: actor, now: now, on: database)
    }
    return pledge
  }
}
