import Crypto
import Fluent
import Foundation
import MamoriCore
import Vapor

/// Evidence files of self-check items and of actions: checked by type and content, stored in the file
/// store under a key of Mamori's choosing, recorded with an audit entry; removed with theirs. Both kinds
/// go through `store` and `record`, so a file is checked and stored one way only.
enum Evidence {
  /// A checked file put in the store: what both kinds of evidence record about it.
  struct Stored: Sendable {
    var fileName: String
    var contentType: String
    var size: Int
    var sha256: String
    var key: String
  }

  /// Checks a file's name and first bytes and puts it in the store under a new key.
  static func store(_ data: Data, fileName: String, files: any FileStore) async throws -> Result<Stored, EvidenceFile.Problem> {
    let kind: EvidenceFile.Kind
    switch EvidenceFile.check(name: fileName, data: data) {
    case .failure(let problem): return .failure(problem)
    case .success(let checked): kind = checked
    }
    let key = UUID.random().uuidString.lowercased()
    try await files.put(data, key: key)
    return .success(
      Stored(
        fileName: EvidenceFile.displayName(fileName), contentType: kind.contentType, size: data.count,
        sha256: Hex.encode(SHA256.hash(data: data)), key: key))
  }

  /// Writes a stored file's record and audit entry in one transaction; when that fails, the file goes too.
  static func record(_ stored: Stored, files: any FileStore, on database: any Database, _ write: @escaping @Sendable (any Database) async throws -> Void)
    async throws
  {
    do {
      try await database.transaction { database in try await write(database) }
    } catch {
      // No record, no file: a failed insert must not leave an orphan in the store.
      try? await files.delete(key: stored.key)
      throw error
    }
  }

  static func attach(
    _ data: Data, fileName: String, to assessment: Assessment, itemID: String, actor: AuditActor, now: Date, files: any FileStore,
    on database: any Database
  ) async throws -> Result<AssessmentEvidence, EvidenceFile.Problem> {
    let stored: Stored
    switch try await store(data, fileName: fileName, files: files) {
    case .failure(let problem): return .failure(problem)
    case .success(let file): stored = file
    }
    let evidence = AssessmentEvidence(
      assessmentID: try assessment.requireID(), organisationID: assessment.$organisation.id, itemID: itemID, fileName: stored.fileName,
      contentType: stored.contentType, size: stored.size, sha256: stored.sha256, storageKey: stored.key, uploadedBy: actor.id)
    try await record(stored, files: files, on: database) { database in
      try await evidence.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(assessment.$organisation.id), action: "evidence.add", recordType: "evidence",
          recordID: try evidence.requireID().uuidString.lowercased(), after: AuditChain.json(EvidenceSnapshot(evidence))),
        by: actor, now: now, on: database)
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

  /// Attaches a file to an action: allowed whatever the action's status and whether the round that raised
  /// it is completed, since the action is worked on after the round (decision 77).
  static func attach(
    _ data: Data, fileName: String, to action: AssessmentAction, actor: AuditActor, now: Date, files: any FileStore,
    on database: any Database
  ) async throws -> Result<AssessmentActionEvidence, EvidenceFile.Problem> {
    let stored: Stored
    switch try await store(data, fileName: fileName, files: files) {
    case .failure(let problem): return .failure(problem)
    case .success(let file): stored = file
    }
    let evidence = AssessmentActionEvidence(
      actionID: try action.requireID(), organisationID: action.$organisation.id, fileName: stored.fileName,
      contentType: stored.contentType, size: stored.size, sha256: stored.sha256, storageKey: stored.key, uploadedBy: actor.id)
    try await record(stored, files: files, on: database) { database in
      try await evidence.create(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(action.$organisation.id), action: "action_evidence.add", recordType: "action_evidence",
          recordID: try evidence.requireID().uuidString.lowercased(), after: AuditChain.json(ActionEvidenceSnapshot(evidence, action: action))),
        by: actor, now: now, on: database)
    }
    return .success(evidence)
  }

  static func remove(
    _ evidence: AssessmentActionEvidence, of action: AssessmentAction, actor: AuditActor, now: Date, files: any FileStore,
    on database: any Database
  ) async throws {
    try await database.transaction { database in
      try await evidence.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(action.$organisation.id), action: "action_evidence.delete", recordType: "action_evidence",
          recordID: try evidence.requireID().uuidString.lowercased(), before: AuditChain.json(ActionEvidenceSnapshot(evidence, action: action))),
        by: actor, now: now, on: database)
    }
    // Files after the records: a failure here leaves a file without a record, never the reverse.
    try await files.delete(key: evidence.storageKey)
  }

  /// An action's files, oldest first.
  static func files(of actionIDs: [UUID], organisationID: UUID, on database: any Database) async throws -> [UUID: [AssessmentActionEvidence]] {
    guard !actionIDs.isEmpty else { return [:] }
    let rows = try await AssessmentActionEvidence.query(in: organisationID, on: database).filter(\.$action.$id ~~ actionIDs)
      .sort(\.$createdAt).all()
    return Dictionary(grouping: rows, by: { $0.$action.id })
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

/// An action's evidence as the audit trail records it.
struct ActionEvidenceSnapshot: Encodable {
  var action: String
  var catalog: String
  var item: String
  var file_name: String
  var size: Int
  var sha256: String

  init(_ evidence: AssessmentActionEvidence, action: AssessmentAction) {
    self.action = evidence.$action.id.uuidString.lowercased()
    catalog = action.catalogID
    item = action.itemID
    file_name = evidence.fileName
    size = evidence.size
    sha256 = evidence.sha256
  }
}

extension AssessmentActionEvidence: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<AssessmentActionEvidence> {
    AssessmentActionEvidence.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}
