import Crypto
import Fluent
import Foundation
import MamoriCore
import SQLKit
import Vapor

/// Pledges (誓約書): recorded on a person's page with an optional scanned file, which is checked and
/// stored exactly like a self-check's evidence (`EvidenceFile`, the file store).
enum Pledges {
  /// A scanned file as received, still unchecked.
  struct Scan: Sendable {
    var data: Data
    var fileName: String
  }

  static func record(
    _ draft: PledgeDraft, scan: Scan?, person: Person, recordedBy: UUID?, organisationID: UUID, today: CivilDate, actor: AuditActor,
    now: Date, files: any FileStore, on database: any Database
  ) async throws -> Pledge {
    let draft = draft.normalised
    var issues = draft.validate(today: today)
    var kind: EvidenceFile.Kind?
    if let scan {
      switch EvidenceFile.check(name: scan.fileName, data: scan.data) {
      case .success(let checked): kind = checked
      case .failure(let problem): issues.append(ValidationIssue(field: "file", key: "flash.error_evidence_\(problem.rawValue)"))
      }
    }
    guard person.$organisation.id == organisationID else { throw Abort(.notFound) }
    guard issues.isEmpty, let pledgeKind = draft.pledgeKind, let signedOn = draft.signedDay else {
      throw ValidationFailure(issues: issues)
    }
    let pledge = Pledge()
    pledge.$organisation.id = organisationID
    pledge.$person.id = try person.requireID()
    pledge.$recordedBy.id = recordedBy
    pledge.kind = pledgeKind
    pledge.signedOn = signedOn
    pledge.scope = draft.scope
    pledge.assetGroup = draft.assetGroup
    var key: String?
    if let scan, let kind {
      let storageKey = UUID.random().uuidString.lowercased()
      try await files.put(scan.data, key: storageKey)
      key = storageKey
      pledge.fileName = EvidenceFile.displayName(scan.fileName)
      pledge.contentType = kind.contentType
      pledge.size = scan.data.count
      pledge.sha256 = Hex.encode(SHA256.hash(data: scan.data))
      pledge.storageKey = storageKey
    }
    do {
      try await database.transaction { database in
        try await pledge.create(on: database)
        try await AuditTrail.append(
          AuditEvent(
            chain: AuditEvent.chain(organisationID), action: "pledge.record", recordType: "pledge",
            recordID: try pledge.requireID().uuidString.lowercased(), after: AuditChain.json(PledgeSnapshot(pledge))),
          by: actor, now: now, on: database)
      }
    } catch {
      // No record, no file: a failed insert must not leave an orphan in the store.
      if let key { try? await files.delete(key: key) }
      throw error
    }
    return pledge
  }

  /// Every pledge of the organisation as plain columns, for the findings (one query, no models).
  struct Row: Sendable {
    var personID: UUID
    var kind: PledgeKind
    var signedOn: CivilDate
  }

  static func rows(organisationID: UUID, on database: any Database) async throws -> [Row] {
    try await database.sql().select().columns("person_id", "kind", "signed_on").from("pledges")
      .where("organisation_id", .equal, organisationID).all().compactMap { row in
        guard let kind = PledgeKind(rawValue: try row.decode(column: "kind", as: String.self)),
          let signed = CivilDate(iso: try row.decode(column: "signed_on", as: String.self))
        else { return nil }
        return Row(personID: try row.decode(column: "person_id", as: UUID.self), kind: kind, signedOn: signed)
      }
  }

  /// Removes a pledge recorded by mistake, with its file; the audit entry keeps what it was.
  static func delete(_ pledge: Pledge, actor: AuditActor, now: Date, files: any FileStore, on database: any Database) async throws {
    let before = AuditChain.json(PledgeSnapshot(pledge))
    try await database.transaction { database in
      try await pledge.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(pledge.$organisation.id), action: "pledge.delete", recordType: "pledge",
          recordID: try pledge.requireID().uuidString.lowercased(), before: before),
        by: actor, now: now, on: database)
    }
    if let key = pledge.storageKey { try await files.delete(key: key) }
  }
}

extension Pledge: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Pledge> {
    Pledge.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}
