import Fluent
import Foundation
import MamoriCore

/// Self-assessments: starting one from a catalog, answering, completing and locking. Handlers ask here;
/// the rules (what may be answered, when an assessment may be completed) live in one place.
enum Assessments {
  struct Invalid: Error {
    var issues: [ValidationIssue]
  }

  static let maximumNote = 2000
  static let maximumOwner = 100
  static let maximumTitle = 120

  static func catalog(_ id: String, in catalogs: [Catalog]) -> Catalog? { catalogs.first { $0.id == id } }

  /// What an organisation can assess against: the built-in catalogs and the latest version of each
  /// of its own, sorted built-in first.
  static func catalogs(builtIn: [Catalog], organisationID: UUID, on database: any Database) async throws -> [Catalog] {
    let rows = try await OrganisationCatalog.query(on: database).filter(\.$organisation.$id == organisationID)
      .sort(\.$catalogID).sort(\.$version, .descending).all()
    var own: [Catalog] = []
    for row in rows where !own.contains(where: { $0.id == row.catalogID }) {
      // A stored catalog was checked on upload; one that no longer loads (a stricter loader) is left out.
      if let catalog = try? CatalogLoader.load(yaml: row.yaml, file: row.fileName) { own.append(catalog) }
    }
    return builtIn + own
  }

  /// The catalog an assessment was made with: its organisation's own at the recorded version, or the
  /// built-in one of that id.
  static func catalog(
    for assessment: Assessment, builtIn: [Catalog], on database: any Database
  ) async throws -> Catalog? {
    if let catalog = catalog(assessment.catalogID, in: builtIn) { return catalog }
    guard
      let row = try await OrganisationCatalog.query(on: database).filter(\.$organisation.$id == assessment.$organisation.id)
        .filter(\.$catalogID == assessment.catalogID).filter(\.$version == assessment.catalogVersion).first()
    else { return nil }
    return try? CatalogLoader.load(yaml: row.yaml, file: row.fileName)
  }

  /// Checks an uploaded catalog and keeps it. Its id may not be a built-in one, and a new version of
  /// one of the organisation's catalogs must carry a higher version number.
  static func upload(
    yaml: String, fileName: String, builtIn: [Catalog], organisationID: UUID, userID: UUID?, on database: any Database
  ) async throws -> Catalog {
    let catalog = try CatalogLoader.load(yaml: yaml, file: fileName)
    if builtIn.contains(where: { $0.id == catalog.id }) {
      throw CatalogError(file: fileName, line: 1, reason: "uses the id \(catalog.id) of a built-in catalog; choose another id")
    }
    if let latest = try await OrganisationCatalog.query(on: database).filter(\.$organisation.$id == organisationID)
      .filter(\.$catalogID == catalog.id).sort(\.$version, .descending).first(), latest.version >= catalog.version
    {
      throw CatalogError(
        file: fileName, line: nil,
        reason: "has version \(catalog.version), but version \(latest.version) of \(catalog.id) is already uploaded; raise the version")
    }
    try await OrganisationCatalog(
      organisationID: organisationID, catalogID: catalog.id, version: catalog.version, fileName: fileName, yaml: yaml, uploadedBy: userID
    ).create(on: database)
    return catalog
  }

  static func start(
    catalog: Catalog, title: String, organisationID: UUID, userID: UUID?, today: CivilDate, on database: any Database
  ) async throws -> Assessment {
    let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
    var issues: [ValidationIssue] = []
    if title.isEmpty { issues.append(ValidationIssue(field: "title", key: "validation.required")) }
    if title.count > maximumTitle {
      issues.append(ValidationIssue(field: "title", key: "validation.too_long", arguments: ["max": String(maximumTitle)]))
    }
    guard issues.isEmpty else { throw Invalid(issues: issues) }
    let assessment = Assessment(
      organisationID: organisationID, catalogID: catalog.id, catalogVersion: catalog.version, title: title,
      startedOn: today.iso, startedBy: userID)
    try await assessment.save(on: database)
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
    userID: UUID?, on database: any Database
  ) async throws -> MetiSheet.Entry {
    guard !assessment.isComplete else { throw Invalid(issues: [ValidationIssue(field: "answer", key: "assessments.locked")]) }
    guard let item = catalog.item(itemID) else { throw Invalid(issues: [ValidationIssue(field: "item", key: "assessments.unknown_item")]) }
    let issues = problems(item: item, answer: answer, note: note, owner: owner, due: due, catalog: catalog)
    let answerID = answer.flatMap { $0.isEmpty ? nil : catalog.answer(matching: $0)?.id }
    let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
    let owner = owner.trimmingCharacters(in: .whitespacesAndNewlines)
    let due = due.trimmingCharacters(in: .whitespaces)
    guard issues.isEmpty else { throw Invalid(issues: issues) }
    let needsAction = needsAction(answerID, catalog)
    let id = try assessment.requireID()
    let row = try await AssessmentAnswer.query(on: database).filter(\.$assessment.$id == id).filter(\.$itemID == itemID).first()
      ?? AssessmentAnswer(assessmentID: id, itemID: itemID)
    row.answer = answerID
    row.note = note
    row.owner = needsAction ? owner : ""
    row.dueOn = needsAction && !due.isEmpty ? due : nil
    row.$updatedBy.id = userID
    try await row.save(on: database)
    return MetiSheet.Entry(answerID: row.answer, note: row.note, owner: row.owner, due: row.dueOn)
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
  static func complete(_ assessment: Assessment, catalog: Catalog, userID: UUID?, now: Date, on database: any Database)
    async throws
  {
    guard !assessment.isComplete else { return }
    let entries = try await entries(of: assessment, on: database)
    let unanswered = catalog.items.filter { entries[$0.id]?.answerID == nil }.count
    guard unanswered == 0 else {
      throw Invalid(issues: [ValidationIssue(field: "complete", key: "assessments.unanswered", arguments: ["count": String(unanswered)])])
    }
    assessment.status = Assessment.Status.complete.rawValue
    assessment.completedAt = now
    assessment.$completedBy.id = userID
    try await assessment.save(on: database)
  }

  /// Items whose answers differ between two assessments of one catalog, in catalog order.
  static func changes(catalog: Catalog, from old: [String: MetiSheet.Entry], to new: [String: MetiSheet.Entry]) -> [Catalog.Item] {
    catalog.items.filter { old[$0.id]?.answerID != new[$0.id]?.answerID }
  }
}

extension Assessment: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<Assessment> {
    Assessment.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}
