import Crypto
import Fluent
import SQLKit
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

  /// What a title must be: present, not too long, and not the title of another round of the same
  /// catalog (the comparison page and the history tell rounds apart by it).
  static func titleProblems(_ title: String, taken: Set<String>) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if title.isEmpty { issues.append(ValidationIssue(field: "title", key: "validation.required")) }
    if title.count > maximumTitle {
      issues.append(ValidationIssue(field: "title", key: "validation.too_long", arguments: ["max": String(maximumTitle)]))
    }
    if taken.contains(title) { issues.append(ValidationIssue(field: "title", key: "validation.taken")) }
    return issues
  }

  /// A default title not yet used: 「自己チェック 2026年11月30日」, then 「… (2)」, 「… (3)」.
  static func distinctTitle(_ base: String, taken: Set<String>) -> String {
    guard taken.contains(base) else { return base }
    var number = 2
    while taken.contains("\(base) (\(number))") { number += 1 }
    return "\(base) (\(number))"
  }

  /// The titles of an organisation's rounds of one catalog, except `excluding`.
  static func titles(catalogID: String, organisationID: UUID, excluding: UUID? = nil, on database: any Database) async throws
    -> Set<String>
  {
    var query = Assessment.query(in: organisationID, on: database).filter(\.$catalogID == catalogID)
    if let excluding { query = query.filter(\.$id != excluding) }
    return Set(try await query.all(\.$title))
  }

  /// Starts a round. With `previous` (an earlier round of the same catalog), its answers, notes,
  /// owners, due dates and evidence files are copied and marked "carried over" until confirmed, so the
  /// officer reviews changes instead of answering every item again. Items or answers the catalog no
  /// longer has are left out.
  static func start(
    catalog: Catalog, title: String, from previous: Assessment? = nil, organisationID: UUID, actor: AuditActor, today: CivilDate,
    now: Date, files: (any FileStore)? = nil, on database: any Database
  ) async throws -> Assessment {
    let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
    var issues = titleProblems(title, taken: try await titles(catalogID: catalog.id, organisationID: organisationID, on: database))
    if let previous, previous.$organisation.id != organisationID || previous.catalogID != catalog.id {
      issues.append(ValidationIssue(field: "previous", key: "validation.choice"))
    }
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    let assessment = Assessment(
      organisationID: organisationID, catalogID: catalog.id, catalogVersion: catalog.version, title: title,
      startedOn: today, startedBy: actor.id)
    let assessmentID = UUID.random()
    assessment.id = assessmentID
    var answers: [AssessmentAnswer] = []
    var evidence: [AssessmentEvidence] = []
    if let previous {
      // Owners and due dates as the action list has them now, which may be newer than the last round.
      let actions = try await AssessmentActions.active(organisationID: organisationID, catalogID: catalog.id, on: database)
      for (itemID, entry) in try await entries(of: previous, on: database).sorted(by: { $0.key < $1.key }) {
        guard let item = catalog.item(itemID) else { continue }
        let answerID = entry.answerID.flatMap { catalog.answer(matching: $0) }
          .flatMap { $0.counts || item.allowNotApplicable ? $0.id : nil }
        let needsAction = needsAction(answerID, catalog)
        let row = AssessmentAnswer(assessmentID: assessmentID, organisationID: organisationID, itemID: itemID)
        row.answer = answerID
        row.note = entry.note
        let action = actions[itemID]
        row.owner = needsAction ? action?.owner ?? entry.owner : ""
        row.dueOn = needsAction ? action.map(\.dueOn) ?? entry.due.flatMap { CivilDate(iso: $0) } : nil
        row.carriedOver = true
        row.$updatedBy.id = actor.id
        answers.append(row)
      }
      if let files {
        let previousFiles = try await AssessmentEvidence.query(on: database).filter(\.$organisation.$id == organisationID)
          .filter(\.$assessment.$id == previous.requireID()).sort(\.$createdAt).all()
        for file in previousFiles where catalog.item(file.itemID) != nil {
          // A copy under a key of its own: deleting it from one round never takes it from the other.
          guard let data = try await files.get(key: file.storageKey) else { continue }
          let key = UUID.random().uuidString.lowercased()
          try await files.put(data, key: key)
          evidence.append(
            AssessmentEvidence(
              assessmentID: assessmentID, organisationID: organisationID, itemID: file.itemID, fileName: file.fileName,
              contentType: file.contentType, size: file.size, sha256: file.sha256, storageKey: key, uploadedBy: actor.id))
        }
      }
    }
    struct Started: Encodable {
      var assessment: Assessment
      var carried_from: String?
      var carried_answers: Int
      var carried_evidence: Int
    }
    let copiedAnswers = answers
    let copiedEvidence = evidence
    do {
      try await database.transaction { database in
        try await assessment.create(on: database)
        for row in copiedAnswers { try await row.create(on: database) }
        for file in copiedEvidence { try await file.create(on: database) }
        try await AuditTrail.append(
          AuditEvent(
            chain: AuditEvent.chain(organisationID), action: "assessment.start", recordType: "assessment",
            recordID: assessmentID.uuidString.lowercased(),
            after: AuditChain.json(
              Started(
                assessment: assessment, carried_from: try previous?.requireID().uuidString.lowercased(), carried_answers: copiedAnswers.count,
                carried_evidence: copiedEvidence.count))),
          by: actor, now: now, on: database)
      }
    } catch {
      for file in evidence { try? await files?.delete(key: file.storageKey) }
      throw error
    }
    return assessment
  }

  /// Gives a round another title (a default name, or one started by mistake).
  static func rename(_ assessment: Assessment, title: String, actor: AuditActor, now: Date, on database: any Database) async throws {
    let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
    let issues = titleProblems(
      title,
      taken: try await titles(
        catalogID: assessment.catalogID, organisationID: assessment.$organisation.id, excluding: try assessment.requireID(), on: database))
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    guard title != assessment.title else { return }
    let before = AuditChain.json(assessment)
    assessment.title = title
    try await database.transaction { database in
      try await assessment.save(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(assessment.$organisation.id), action: "assessment.rename", recordType: "assessment",
          recordID: try assessment.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(assessment)),
        by: actor, now: now, on: database)
    }
  }

  /// Deletes a round that is still in progress (started by mistake) with its answers and files. A
  /// completed round is a record of what was assessed and stays.
  static func delete(_ assessment: Assessment, actor: AuditActor, now: Date, files: any FileStore, on database: any Database)
    async throws
  {
    guard !assessment.isComplete else {
      throw ValidationFailure(issues: [ValidationIssue(field: "delete", key: "assessments.delete_complete")])
    }
    let id = try assessment.requireID()
    let stored = try await AssessmentEvidence.query(on: database).filter(\.$organisation.$id == assessment.$organisation.id)
      .filter(\.$assessment.$id == id).all()
    let answered = try await AssessmentAnswer.query(on: database).filter(\.$organisation.$id == assessment.$organisation.id)
      .filter(\.$assessment.$id == id).count()
    // Files of the actions this round raised go with those actions.
    let raised = try await AssessmentAction.query(in: assessment.$organisation.id, on: database).filter(\.$assessment.$id == id).all()
    let actionFiles = try await Evidence.files(of: raised.compactMap(\.id), organisationID: assessment.$organisation.id, on: database)
      .values.flatMap { $0 }
    struct Deleted: Encodable {
      var assessment: Assessment
      var answers: Int
      var evidence: [String]
    }
    try await database.transaction { database in
      // Actions this round raised go with it; those it only updated or closed stay.
      let organisationID = assessment.$organisation.id
      try await AssessmentActionEvidence.query(in: organisationID, on: database).filter(\.$id ~~ actionFiles.compactMap(\.id)).delete()
      try await AssessmentAction.query(in: organisationID, on: database).filter(\.$assessment.$id == id).delete()
      try await AssessmentEvidence.query(in: organisationID, on: database).filter(\.$assessment.$id == id).delete()
      try await AssessmentAnswer.query(in: organisationID, on: database).filter(\.$assessment.$id == id).delete()
      try await assessment.delete(on: database)
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(assessment.$organisation.id), action: "assessment.delete", recordType: "assessment",
          recordID: id.uuidString.lowercased(),
          before: AuditChain.json(Deleted(assessment: assessment, answers: answered, evidence: (stored.map { "\($0.fileName) \($0.sha256)" } + actionFiles.map { "\($0.fileName) \($0.sha256)" })))),
        by: actor, now: now, on: database)
    }
    // Files after the records: a failure here leaves a file without a record, never the reverse.
    for file in stored { try? await files.delete(key: file.storageKey) }
    for file in actionFiles { try? await files.delete(key: file.storageKey) }
  }

  /// The round a workbook compares `assessment` with: the latest completed round of the same catalog
  /// started before it (the same day: created before it). The comparison page offers the same round
  /// first; nil for a first round.
  static func previousCompleted(_ assessment: Assessment, on database: any Database) async throws -> Assessment? {
    let id = try assessment.requireID()
    let candidates = try await Assessment.query(in: assessment.$organisation.id, on: database)
      .filter(\.$catalogID == assessment.catalogID).filter(\.$id != id).filter(\.$status == .complete)
      .sort(\.$startedOn, .descending).sort(\.$createdAt, .descending).all()
    return candidates.first { candidate in
      candidate.startedOn < assessment.startedOn
        || (candidate.startedOn == assessment.startedOn
          && (candidate.createdAt ?? .distantPast) < (assessment.createdAt ?? .distantFuture))
    }
  }

  /// What has been filled in, by item id.
  static func entries(of assessment: Assessment, on database: any Database) async throws -> [String: MetiSheet.Entry] {
    try await entries(of: [assessment], on: database)[try assessment.requireID()] ?? [:]
  }

  /// What has been filled in for several assessments of one organisation, in one query.
  static func entries(of assessments: [Assessment], on database: any Database) async throws -> [UUID: [String: MetiSheet.Entry]] {
    guard let organisationID = assessments.first?.$organisation.id else { return [:] }
    let ids = try assessments.map { try $0.requireID() }
    let sql = try database.sql()
    // Decoded by column (decision 46): every self-check page and the home page read a round's answers.
    let rows = try await sql.select()
      .columns("assessment_id", "item_id", "answer", "note", "owner", "due_on", "carried_over")
      .from("assessment_answers").where("organisation_id", .equal, organisationID).where("assessment_id", .in, ids).all()
    var entries: [UUID: [String: MetiSheet.Entry]] = Dictionary(uniqueKeysWithValues: ids.map { ($0, [:]) })
    for row in rows {
      entries[try row.decode(column: "assessment_id", as: UUID.self), default: [:]][try row.decode(column: "item_id", as: String.self)] =
        MetiSheet.Entry(
          answerID: try row.decode(column: "answer", as: String?.self), note: try row.decode(column: "note", as: String.self),
          owner: try row.decode(column: "owner", as: String.self), due: try row.decode(column: "due_on", as: String?.self),
          carriedOver: try row.decode(column: "carried_over", as: Bool.self))
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
    let row = try await AssessmentAnswer.query(on: database).filter(\.$organisation.$id == assessment.$organisation.id)
      .filter(\.$assessment.$id == id).filter(\.$itemID == itemID).first()
      ?? AssessmentAnswer(assessmentID: id, organisationID: assessment.$organisation.id, itemID: itemID)
    let before = row.id == nil ? nil : AuditChain.json(AnswerSnapshot(row))
    row.answer = answerID
    row.note = note
    row.owner = needsAction ? owner : ""
    row.dueOn = needsAction ? CivilDate(iso: due) : nil
    // Saving an item, even unchanged, is the officer confirming what was carried over.
    row.carriedOver = false
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
        try await AssessmentActions.follow(row, assessment: assessment, catalog: catalog, actor: actor, now: now, on: database)
      }
    }
    return MetiSheet.Entry(answerID: row.answer, note: row.note, owner: row.owner, due: row.dueOn?.iso, carriedOver: row.carriedOver)
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

  /// Answers read from a file, all or nothing. Where the file has no note, owner or due date (METI's
  /// sheet, a CSV or YAML file), the item keeps its own; where it has them (Mamori's export), they are
  /// taken, so a workbook exported, filled in and imported again loses nothing.
  static func importAnswers(
    _ answers: [String: MetiSheet.ImportedAnswer], file: String, to assessment: Assessment, catalog: Catalog, actor: AuditActor,
    now: Date, on database: any Database
  ) async throws {
    let entries = try await entries(of: assessment, on: database)
    try await saveAll(
      answers.sorted { $0.key < $1.key }.map { itemID, imported in
        let entry = entries[itemID]
        return AnswerInput(
          itemID: itemID, answer: imported.answer, note: imported.note ?? entry?.note ?? "", owner: imported.owner ?? entry?.owner ?? "",
          due: imported.due ?? entry?.due ?? "")
      }, to: assessment, catalog: catalog,
      summary: AuditEvent(
        chain: AuditEvent.chain(assessment.$organisation.id), action: "assessment.import", recordType: "assessment",
        recordID: try assessment.requireID().uuidString.lowercased(),
        after: AuditChain.json(["file": file, "answers": String(answers.count)])),
      actor: actor, now: now, on: database)
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
    let unconfirmed = catalog.items.filter { entries[$0.id]?.carriedOver == true }.count
    guard unconfirmed == 0 else {
      throw ValidationFailure(
        issues: [ValidationIssue(field: "complete", key: "assessments.unconfirmed", arguments: ["count": String(unconfirmed)])])
    }
    let before = AuditChain.json(assessment)
    assessment.status = .complete
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

  /// Items whose answers differ between two assessments of one catalog, in catalog order. While the
  /// newer round is open, an item it has not answered yet has not changed: it is still to be answered.
  static func changes(
    catalog: Catalog, from old: [String: MetiSheet.Entry], to new: [String: MetiSheet.Entry], newIsOpen: Bool = false
  ) -> [Catalog.Item] {
    catalog.items.filter { item in
      let after = new[item.id]?.answerID
      if newIsOpen, after == nil { return false }
      return old[item.id]?.answerID != after
    }
  }
}

/// An answer as the audit trail records it.
struct AnswerSnapshot: Encodable {
  var item: String
  var answer: String?
  var note: String
  var owner: String
  var due: String?
  var carried_over: Bool

  init(_ row: AssessmentAnswer) {
    item = row.itemID
    answer = row.answer
    note = row.note
    owner = row.owner
    due = row.dueOn?.iso
    carried_over = row.carriedOver
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
