import Crypto
import Fluent
import Foundation
import MamoriCore
import Vapor

/// Evidence files of self-check items: checked by type and content, stored in the file store under a
/// key of Mamori's choosing, recorded with an audit entry; removed with theirs.
enum Evidence {
  static func attach(
    _ data: Data, fileName: String, to assessment: Assessment, itemID: String, actor: AuditActor, now: Date, files: any FileStore,
    on database: any Database
  ) async throws -> Result<AssessmentEvidence, EvidenceFile.Problem> {
    let kind: EvidenceFile.Kind
    switch EvidenceFile.check(name: fileName, data: data) {
    case .failure(let problem): return .failure(problem)
    case .success(let checked): kind = checked
    }
    let key = UUID().uuidString.lowercased()
    try await files.put(data, key: key)
    let digest = Hex.encode(SHA256.hash(data: data))
    let evidence = AssessmentEvidence(
      assessmentID: try assessment.requireID(), organisationID: assessment.$organisation.id, itemID: itemID, fileName: EvidenceFile.displayName(fileName),
      contentType: kind.contentType, size: data.count, sha256: digest, storageKey: key, uploadedBy: actor.id)
    do {
      try await database.transaction { database in
        try await evidence.create(on: database)
        try await AuditTrail.append(
          AuditEvent(
            chain: AuditEvent.chain(assessment.$organisation.id), action: "evidence.add", recordType: "evidence",
            recordID: try evidence.requireID().uuidString.lowercased(), after: AuditChain.json(EvidenceSnapshot(evidence))),
          by: actor, now: now, on: database)
      }
    } catch {
      // No record, no file: a failed insert must not leave an orphan in the store.
      try? await files.delete(key: key)
      throw error
    }
    return .success(evidence)
  }

  static func remove(_ evidence: AssessmentEvidence, actor: AuditActor, now: Date, files: any FileStore, on database: any Database)
    async throws
  {
    let assessment = try await Assessment.find(evidence.$assessment.id, on: database)
    try await database.transaction { database in
      try await evidence.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(assessment?.$organisation.id), action: "evidence.delete", recordType: "evidence",
          recordID: try evidence.requireID().uuidString.lowercased(), before: AuditChain.json(EvidenceSnapshot(evidence))),
        by: actor, now: now, on: database)
    }
    try await files.delete(key: evidence.storageKey)
  }
}

/// Evidence as the audit trail records it: what was attached, never where it is stored.
struct EvidenceSnapshot: Encodable {
  var assessment: String
  var item: String
  var file_name: String
  var size: Int
  var sha256: String

  init(_ evidence: AssessmentEvidence) {
    assessment = evidence.$assessment.id.uuidString.lowercased()
    item = evidence.itemID
    file_name = evidence.fileName
    size = evidence.size
    sha256 = evidence.sha256
  }
}
