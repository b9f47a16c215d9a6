import Crypto
import Fluent
import Foundation
import MamoriCore

/// Self-assessments: starting one from a catalog, answering, completing and locking. Handlers ask here;
/// the rules (what may be answered, when an assessment may be completed) live in one place.
enum Assessments {
  static let maximumNote = 2000
  static let maximumOwner = 100
  static let maximumTitle = 120

  static func catalog(_ id: String, in catalogs: [Catalog]) -> Catalog? { catalogs.first { $0.id == id } }

  /// How many catalog versions one organisation may keep: each is parsed and cached, so the count is bounded.
  static let maximumOrganisationCatalogs = 50

  /// What an organisation can assess against: the built-in catalogs and the latest version of each
  /// of its own, sorted built-in first.
  static func catalogs(
    builtIn: [Catalog], organisationID: UUID, cache: CatalogCache, on database: any Database
  ) async throws -> [Catalog] {
    let rows = try await OrganisationCatalog.query(on: database).filter(\.$organisation.$id == organisationID)
      .sort(\.$catalogID).sort(\.$version, .descending).all()
    var own: [Catalog] = []
    for row in rows where !own.contains(where: { $0.id == row.catalogID }) {
      // A stored catalog was checked on upload; one that no longer loads (a stricter loader) is left out.
      if let catalog = cache.catalog(yaml: row.yaml, file: row.fileName) { own.append(catalog) }
    }
    return builtIn + own
  }

  /// The catalog an assessment was made with: its organisation's own at the recorded version, or the
  /// built-in one of that id.
  static func catalog(
    for assessment: Assessment, builtIn: [Catalog], cache: CatalogCache, on database: any Database
  ) async throws -> Catalog? {
    if let catalog = catalog(assessment.catalogID, in: builtIn) { return catalog }
    guard let row = try await ownCatalog(of: assessment, on: database) else { return nil }
    return cache.catalog(yaml: row.yaml, file: row.fileName)
  }

  /// The YAML text of the catalog an assessment was made with, for the upload sandbox to match
  /// answers against.
  static func catalogText(for assessment: Assessment, builtInTexts: [String: String], on database: any Database) async throws
    -> String?
  {
    if let text = builtInTexts[assessment.catalogID] { return text }
    return try await ownCatalog(of: assessment, on: database)?.yaml
  }

  /// The organisation's own catalog at the version the assessment recorded.
  private static func ownCatalog(of assessment: Assessment, on database: any Database) async throws -> OrganisationCatalog? {
    try await OrganisationCatalog.query(in: assessment.$organisation.id, on: database)
      .filter(\.$catalogID == assessment.catalogID).filter(\.$version == assessment.catalogVersion).first()
  }

  /// Keeps an uploaded catalog that the upload sandbox has already read and checked (`vetted`). Its id
  /// may not be a built-in one, and a new version of one of the organisation's catalogs must carry a
  /// higher version number.
  static func upload(
    yaml: String, fileName: String, builtIn: [Catalog], organisationID: UUID, actor: AuditActor, now: Date, cache: CatalogCache,
    on database: any Database
  ) async throws -> Catalog {
    // The sandbox child parsed these very bytes within its limits, so parsing them here is safe.
    let catalog = try CatalogLoader.load(yaml: yaml, file: fileName)
    if builtIn.contains(where: { $0.id == catalog.id }) {
      throw CatalogError(file: fileName, line: 1, reason: "uses the id \(catalog.id) of a built-in catalog; choose another id")
    }
    let count = try await OrganisationCatalog.query(on: database).filter(\.$organisation.$id == organisationID).count()
    guard count < maximumOrganisationCatalogs else {
      throw CatalogError(
        file: fileName, line: nil,
        reason: "cannot be kept: an organisation may keep at most \(maximumOrganisationCatalogs) catalog versions")
    }
    if let latest = try await OrganisationCatalog.query(on: database).filter(\.$organisation.$id == organisationID)
      .filter(\.$catalogID == catalog.id).sort(\.$version, .descending).first(), latest.version >= catalog.version
    {
      throw CatalogError(
        file: fileName, line: nil,
        reason: "has version \(catalog.version), but version \(latest.version) of \(catalog.id) is already uploaded; raise the version")
    }
    let row = OrganisationCatalog(
      organisationID: organisationID, catalogID: catalog.id, version: catalog.version, fileName: fileName, yaml: yaml,
      uploadedBy: actor.id)
    try await database.transaction { database in
      try await row.create(on: database)
      struct Uploaded: Encodable {
        var catalog_id: String
        var version: Int
        var file_name: String
        var sha256: String
      }
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "catalog.upload", recordType: "organisation_catalog",
          recordID: try row.requireID().uuidString.lowercased(),
          after: AuditChain.json(
            Uploaded(catalog_id: catalog.id, version: catalog.version, file_name: fileName, sha256: CatalogCache.key(yaml: yaml, file: ""))
          )),
        by: actor, now: now, on: database)
    }
    cache.insert(catalog, yaml: yaml, file: fileName)
    return catalog
  }

  static func start(
    catalog: Catalog, title: String, organisationID: UUID, actor: AuditActor, today: CivilDate, now: Date,
    on database: any Database
  ) async throws -> Assessment {
    let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
    var issues: [ValidationIssue] = []
    if title.isEmpty { issues.append(ValidationIssue(field: "title", key: "validation.required")) }
    if title.count > maximumTitle {
      issues.append(ValidationIssue(field: "title", key: "validation.too_long", arguments: ["max": String(maximumTitle)]))
    }
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    let assessment = Assessment(
      organisationID: organisationID, catalogID: catalog.id, catalogVersion: catalog.version, title: title,
      startedOn: today.iso, startedBy: actor.id)
    try await database.transaction { database in
      try await assessment.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "assessment.start", recordType: "assessment",
          recordID: try assessment.requireID().uuidString.lowercased(), after: AuditChain.json(assessment)),
        by: actor, now: now, on: database)
    }
    return assessment
  }

  /// What has been filled in, by item id.
  static func entries(of assessment: Assessment, on database: any Database) async throws -> [String: MetiSheet.Entry] {
    let rows = try await AssessmentAnswer.query(on: database).filter(\.$assessment.$id == assessment.requireID()).all()
    var entries: [String: MetiSheet.Entry] = [:]
    for row in rows {
      entries[row.itemID] = MetiSheet.Entry(answerID: row.answer, note: row.note, owner: row.owner, due: row.dueOn)
    }
    return entries
  }

  /// One item's answer, note, owner and due date. An empty answer clears it; owner and due date are kept
  /// only for answers that leave something to do (△, ×), which is what the action list shows.
  static func save(
    _ assessment: Assessment, catalog: Catalog, itemID: String, answer: String?, note: String, owner: String, due: String,
    actor: AuditActor, now: Date, on database: any Database
  ) async throws -> MetiSheet.Entry {
    guard !assessment.isComplete else { throw ValidationFailure(issues: [ValidationIssue(field: "answer", key: "assessments.locked")]) }
    guard let item = catalog.item(itemID) else { throw ValidationFailure(issues: [ValidationIssue(field: "item", key: "assessments.unknown_item")]) }
    let issues = problems(item: item, answer: answer, note: note, owner: owner, due: due, catalog: catalog)
    let answerID = answer.flatMap { $0.isEmpty ? nil : catalog.answer(matching: $0)?.id }
    let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
    let owner = owner.trimmingCharacters(in: .whitespacesAndNewlines)
    let due = due.trimmingCharacters(in: .whitespaces)
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    let needsAction = needsAction(answerID, catalog)
    let id = try assessment.requireID()
    let row = try await AssessmentAnswer.query(on: database).filter(\.$assessment.$id == id).filter(\.$itemID == itemID).first()
      ?? AssessmentAnswer(assessmentID: id, itemID: itemID)
    let before = row.id == nil ? nil : AuditChain.json(AnswerSnapshot(row))
    row.answer = answerID
    row.note = note
    row.owner = needsAction ? owner : ""
    row.dueOn = needsAction && !due.isEmpty ? due : nil
    row.$updatedBy.id = actor.id
    let after = AuditChain.json(AnswerSnapshot(row))
    if before != after {
      try await database.transaction { database in
        try await row.save(on: database)
        try await AuditTrail.append(
          AuditEvent(
            chain: AuditEvent.chain(assessment.$organisation.id), action: "assessment.answer", recordType: "assessment_answer",
            recordID: "\(id.uuidString.lowercased())/\(itemID)", before: before, after: after),
          by: actor, now: now, on: database)
      }
    }
    return MetiSheet.Entry(answerID: row.answer, note: row.note, owner: row.owner, due: row.dueOn)
  }

  /// One item's answer as a form or a file gives it.
  struct AnswerInput: Sendable {
    var itemID: String
    var answer: String?
    var note: String
    var owner: String
    var due: String
  }

  /// Saves several items at once (a section page, an imported file): all or nothing, each answer with
  /// its own audit entry, and `summary` (an import's file and count) as one more.
  static func saveAll(
    _ inputs: [AnswerInput], to assessment: Assessment, catalog: Catalog, summary: AuditEvent? = nil, actor: AuditActor, now: Date,
    on database: any Database
  ) async throws {
    try await database.transaction { database in
      for input in inputs {
        _ = try await save(
          assessment, catalog: catalog, itemID: input.itemID, answer: input.answer, note: input.note, owner: input.owner,
          due: input.due, actor: actor, now: now, on: database)
      }
      if let summary { try await AuditTrail.append(summary, by: actor, now: now, on: database) }
    }
  }

  /// What is wrong with one item's answer, note, owner and due date (empty when nothing is).
  static func problems(item: Catalog.Item, answer: String?, note: String, owner: String, due: String, catalog: Catalog)
    -> [ValidationIssue]
  {
    var issues: [ValidationIssue] = []
    if let answer, !answer.isEmpty {
      if let found = catalog.answer(matching: answer) {
        if !found.counts, !item.allowNotApplicable {
          issues.append(ValidationIssue(field: "answer", key: "assessments.na_not_allowed"))
        }
      } else {
        issues.append(ValidationIssue(field: "answer", key: "assessments.unknown_answer"))
      }
    }
    if note.trimmingCharacters(in: .whitespacesAndNewlines).count > maximumNote {
      issues.append(ValidationIssue(field: "note", key: "validation.too_long", arguments: ["max": String(maximumNote)]))
    }
    if owner.trimmingCharacters(in: .whitespacesAndNewlines).count > maximumOwner {
      issues.append(ValidationIssue(field: "owner", key: "validation.too_long", arguments: ["max": String(maximumOwner)]))
    }
    let due = due.trimmingCharacters(in: .whitespaces)
    if !due.isEmpty, CivilDate(iso: due) == nil { issues.append(ValidationIssue(field: "due", key: "validation.date")) }
    return issues
  }

  /// An answer that counts but earns less than the most (△, ×) leaves something to do: it takes an
  /// owner and a due date and goes on the action list.
  static func needsAction(_ answerID: String?, _ catalog: Catalog) -> Bool {
    guard let answerID, let answer = catalog.scale.first(where: { $0.id == answerID }) else { return false }
    return answer.counts && answer.points < catalog.maximumPoints
  }

  /// Completes and locks an assessment; only when every item is answered.
  static func complete(_ assessment: Assessment, catalog: Catalog, actor: AuditActor, now: Date, on database: any Database)
    async throws
  {
    guard !assessment.isComplete else { return }
    let entries = try await entries(of: assessment, on: database)
    let unanswered = catalog.items.filter { entries[$0.id]?.answerID == nil }.count
    guard unanswered == 0 else {
      throw ValidationFailure(issues: [ValidationIssue(field: "complete", key: "assessments.unanswered", arguments: ["count": String(unanswered)])])
    }
    let before = AuditChain.json(assessment)
    assessment.status = Assessment.Status.complete.rawValue
    assessment.completedAt = now
    assessment.$completedBy.id = actor.id
    try await database.transaction { database in
      try await assessment.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(assessment.$organisation.id), action: "assessment.complete", recordType: "assessment",
          recordID: try assessment.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(assessment)),
        by: actor, now: now, on: database)
    }
  }

  /// Items whose answers differ between two assessments of one catalog, in catalog order.
  static func changes(catalog: Catalog, from old: [String: MetiSheet.Entry], to new: [String: MetiSheet.Entry]) -> [Catalog.Item] {
    catalog.items.filter { old[$0.id]?.answerID != new[$0.id]?.answerID }
  }
}

/// An answer as the audit trail records it.
struct AnswerSnapshot: Encodable {
  var item: String
  var answer: String?
  var note: String
  var owner: String
  var due: String?

  init(_ row: AssessmentAnswer) {
    item = row.itemID
    answer = row.answer
    note = row.note
    owner = row.owner
    due = row.dueOn
  }
}

extension Assessment: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Assessment> {
    Assessment.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

/// Parsed catalogs of organisations, by the SHA-256 of their text and file name: a page lists or uses
/// them on every request, and parsing YAML each time would cost more than the page.
final class CatalogCache: @unchecked Sendable {
  static let capacity = 256
  private let lock = NSLock()
  private var entries: [String: Catalog] = [:]
  private var order: [String] = []

  static func key(yaml: String, file: String) -> String {
    Hex.encode(SHA256.hash(data: Data((file + "\u{0}" + yaml).utf8)))
  }

  func catalog(yaml: String, file: String) -> Catalog? {
    let key = Self.key(yaml: yaml, file: file)
    if let hit = lock.withLock({ entries[key] }) { return hit }
    guard let catalog = try? CatalogLoader.load(yaml: yaml, file: file) else { return nil }
    insert(catalog, key: key)
    return catalog
  }

  func insert(_ catalog: Catalog, yaml: String, file: String) {
    insert(catalog, key: Self.key(yaml: yaml, file: file))
  }

  private func insert(_ catalog: Catalog, key: String) {
    lock.withLock {
      if entries.updateValue(catalog, forKey: key) == nil { order.append(key) }
      while order.count > Self.capacity { entries.removeValue(forKey: order.removeFirst()) }
    }
  }
}
