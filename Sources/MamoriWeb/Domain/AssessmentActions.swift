import Fluent
import SQLKit
import Foundation
import MamoriCore

/// The actions a self-check raises: created and kept up to date by the answers (△ and × raise one, a
/// later ○ or N/A closes it), and worked on from the action list, also after the round is completed.
enum AssessmentActions {
  static let maximumNote = 2000

  /// An organisation's actions, every status.
  static func all(organisationID: UUID, on database: any Database) async throws -> [AssessmentAction] {
    try await AssessmentAction.query(in: organisationID, on: database).sort(\.$createdAt).all()
  }

  /// How many actions are not done, and how many of those are past their due date, counted by the
  /// database for the home page.
  static func openCounts(organisationID: UUID, today: CivilDate, on database: any Database) async throws
    -> (open: Int, overdue: Int)
  {
    let sql = try database.sql()
    let row = try await sql.raw("""
      SELECT count(*) AS open_count, count(CASE WHEN due_on IS NOT NULL AND due_on < \(bind: today.iso) THEN 1 END) AS overdue_count
      FROM assessment_actions WHERE organisation_id = \(bind: organisationID) AND status <> \(bind: ActionStatus.done.rawValue)
      """).first()
    return (try row?.decode(column: "open_count", as: Int.self) ?? 0, try row?.decode(column: "overdue_count", as: Int.self) ?? 0)
  }

  /// The action still to do of each item of one catalog.
  static func active(organisationID: UUID, catalogID: String, on database: any Database) async throws -> [String: AssessmentAction] {
    let rows = try await AssessmentAction.query(in: organisationID, on: database).filter(\.$catalogID == catalogID)
      .filter(\.$status != .done).sort(\.$createdAt).all()
    return Dictionary(rows.map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The latest action of each item of one catalog, whatever its status: what a round shows beside an item.
  static func latest(organisationID: UUID, catalogID: String, on database: any Database) async throws -> [String: AssessmentAction] {
    let rows = try await AssessmentAction.query(in: organisationID, on: database).filter(\.$catalogID == catalogID)
      .sort(\.$createdAt).all()
    return Dictionary(rows.map { ($0.itemID, $0) }, uniquingKeysWith: { _, later in later })
  }

  /// Follows a saved answer, inside its transaction: a △ or × opens an action (or gives the open one the
  /// answer's owner and due date); an answer that leaves nothing to do closes the open one.
  static func follow(
    _ row: AssessmentAnswer, assessment: Assessment, catalog: Catalog, actor: AuditActor, now: Date, on database: any Database
  ) async throws {
    guard row.answer != nil else { return }
    let organisationID = assessment.$organisation.id
    let existing = try await AssessmentAction.query(in: organisationID, on: database).filter(\.$catalogID == catalog.id)
      .filter(\.$itemID == row.itemID).filter(\.$status != .done).first()
    let due = row.dueOn
    if Assessments.needsAction(row.answer, catalog) {
      if let existing {
        guard existing.owner != row.owner || existing.dueOn != due else { return }
        let before = AuditChain.json(ActionSnapshot(existing))
        existing.owner = row.owner
        existing.dueOn = due
        existing.$updatedBy.id = actor.id
        try await existing.save(on: database)
        try await audit("assessment_action.update", existing, before: before, actor: actor, now: now, on: database)
      } else {
        let action = AssessmentAction(
          organisationID: organisationID, assessmentID: try assessment.requireID(), catalogID: catalog.id, itemID: row.itemID,
          owner: row.owner, dueOn: due)
        action.$updatedBy.id = actor.id
        try await action.create(on: database)
        try await audit("assessment_action.create", action, before: nil, actor: actor, now: now, on: database)
      }
    } else if let existing {
      let before = AuditChain.json(ActionSnapshot(existing))
      existing.status = .done
      existing.$updatedBy.id = actor.id
      try await existing.save(on: database)
      try await audit("assessment_action.update", existing, before: before, actor: actor, now: now, on: database)
    }
  }

  /// What the action list's form sends.
  struct Input: Sendable {
    var status: String
    var owner: String
    var due: String
    var note: String
  }

  static func problems(_ input: Input) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if ActionStatus(rawValue: input.status) == nil { issues.append(ValidationIssue(field: "status", key: "validation.choice")) }
    if input.owner.trimmingCharacters(in: .whitespacesAndNewlines).count > Assessments.maximumOwner {
      issues.append(ValidationIssue(field: "owner", key: "validation.too_long", arguments: ["max": String(Assessments.maximumOwner)]))
    }
    let due = input.due.trimmingCharacters(in: .whitespaces)
    if !due.isEmpty, CivilDate(iso: due) == nil { issues.append(ValidationIssue(field: "due", key: "validation.date")) }
    if input.note.trimmingCharacters(in: .whitespacesAndNewlines).count > maximumNote {
      issues.append(ValidationIssue(field: "note", key: "validation.too_long", arguments: ["max": String(maximumNote)]))
    }
    return issues
  }

  /// Changes an action's status, owner, due date or note; also after its round is completed.
  static func update(_ action: AssessmentAction, _ input: Input, actor: AuditActor, now: Date, on database: any Database) async throws {
    let issues = problems(input)
    guard issues.isEmpty, let status = ActionStatus(rawValue: input.status) else { throw ValidationFailure(issues: issues) }
    let before = AuditChain.json(ActionSnapshot(action))
    action.status = status
    action.owner = input.owner.trimmingCharacters(in: .whitespacesAndNewlines)
    let due = input.due.trimmingCharacters(in: .whitespaces)
    action.dueOn = due.isEmpty ? nil : CivilDate(iso: due)
    action.note = input.note.trimmingCharacters(in: .whitespacesAndNewlines)
    guard AuditChain.json(ActionSnapshot(action)) != before else { return }
    action.$updatedBy.id = actor.id
    try await database.transaction { database in
      try await action.save(on: database)
      try await audit("assessment_action.update", action, before: before, actor: actor, now: now, on: database)
    }
  }

  /// E-mails the officers and administrators of every organisation with overdue actions (open or in
  /// progress, due before the organisation's today) the list of them, in each reader's language, with a
  /// link to the action list; one audit entry per organisation. Meant to run once a day (`mamori actions
  /// remind` from a timer); nil when no SMTP server is configured, so nothing can be sent.
  static func remindOverdue(context: MamoriContext, baseURL: String, actor: AuditActor, on database: any Database) async throws
    -> OverdueReminderReport?
  {
    guard let mailer = context.services.mailer else { return nil }
    let now = context.clock.now()
    let open = try await AssessmentAction.query(on: database).filter(\.$status != .done).all()
    let organisations = try await Organisation.query(on: database).filter(\.$id ~~ Set(open.map(\.$organisation.id))).all()
    var report = OverdueReminderReport(organisations: 0, sent: 0, failed: 0)
    for organisation in organisations.sorted(by: { $0.name < $1.name }) {
      let organisationID = try organisation.requireID()
      let today = Organisations.today(organisation, now: now)
      let overdue = open.filter { $0.$organisation.id == organisationID && ($0.dueOn.map { $0 < today } ?? false) }
        .sorted { ($0.dueOn!, $0.itemID) < ($1.dueOn!, $1.itemID) }
      guard !overdue.isEmpty else { continue }
      report.organisations += 1
      let catalogs = try await Assessments.catalogs(
        builtIn: context.checklists, organisationID: organisationID, cache: context.catalogCache, on: database)
      let readers = try await User.query(in: organisationID, on: database).filter(\.$status == .active).all()
        .filter { Policy.can(Principal(role: $0.role, isOperator: $0.isOperator), .manageRegister) }
      var sent = 0
      for reader in readers {
        let language = reader.language
        let lines = overdue.map { action -> String in
          let catalog = catalogs.first { $0.id == action.catalogID }
          let item = catalog?.item(action.itemID)
          let number = item.flatMap { item in catalog.map { AssessmentsController.qualifiedNumber(item, catalog: $0, language: language) } }
          return context.catalog.text(
            "mail.actions_overdue.line", language,
            [
              "number": number ?? action.itemID, "item": item?.text.text(language) ?? action.itemID,
              "owner": action.owner.isEmpty ? "—" : action.owner, "due": action.dueOn.map { DateDisplay.date($0, language) } ?? "",
            ])
        }
        let message = MailMessage(
          to: reader.email,
          subject: context.catalog.text("mail.actions_overdue.subject", language, ["count": String(overdue.count)]),
          body: context.catalog.text(
            "mail.actions_overdue.body", language,
            [
              "name": reader.displayName, "organisation": organisation.name, "count": String(overdue.count),
              "lines": lines.joined(separator: "\n"),
              "link": Accounts.link(baseURL: baseURL, path: SiteRoute.assessmentActions.path(query: [("sort", "due")])),
            ]))
        do {
          try await mailer.send(message)
          sent += 1
        } catch {
          database.logger.warning("could not e-mail the overdue actions", metadata: ["error": "\(error)"])
          report.failed += 1
        }
      }
      report.sent += sent
      try await AuditTrail.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "assessment_action.remind", recordType: "organisation",
          recordID: organisationID.uuidString.lowercased(),
          after: AuditChain.json(["overdue": String(overdue.count), "sent": String(sent), "readers": String(readers.count)])),
        by: actor, now: now, on: database)
    }
    return report
  }

  private static func audit(
    _ name: String, _ action: AssessmentAction, before: String?, actor: AuditActor, now: Date, on database: any Database
  ) async throws {
    try await AuditTrail.append(
      AuditEvent(
        chain: AuditEvent.chain(action.$organisation.id), action: name, recordType: "assessment_action",
        recordID: try action.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(ActionSnapshot(action))),
      by: actor, now: now, on: database)
  }
}

/// What one run of the overdue reminder did.
public struct OverdueReminderReport: Sendable, Equatable {
  /// Organisations with overdue actions.
  public var organisations: Int
  public var sent: Int
  public var failed: Int
}

/// An action as the audit trail records it.
struct ActionSnapshot: Encodable {
  var catalog: String
  var item: String
  var raised_in: String
  var owner: String
  var due: String?
  var status: String
  var note: String

  init(_ action: AssessmentAction) {
    catalog = action.catalogID
    item = action.itemID
    raised_in = action.$assessment.id.uuidString.lowercased()
    owner = action.owner
    due = action.dueOn?.iso
    status = action.status.rawValue
    note = action.note
  }
}

extension AssessmentAction: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<AssessmentAction> {
    AssessmentAction.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}
