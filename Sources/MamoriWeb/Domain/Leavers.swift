import Fluent
import Foundation
import MamoriCore
import Vapor

/// Leaver cases (退職者・契約終了者): opened when a person's notice date, last working day or leaving date
/// is recorded, with one item per `LeaverTaskKind`; their items are done with who, when and a note.
enum Leavers {
  /// Opens the person's case, or updates the due days of its open items, in the caller's transaction
  /// (the person's save or the import). Opening twice never makes a second case; removing every date
  /// withdraws the case, keeping what was done.
  /// `hadDates` says whether the person had any of the dates before this save: someone who never had
  /// one costs no query (an import of thousands of people stays as fast as before).
  static func sync(person: Person, hadDates: Bool, actor: AuditActor, now: Date, on database: any Database) async throws {
    let organisationID = person.$organisation.id
    let personID = try person.requireID()
    let applies = hasDates(person)
    guard applies || hadDates else { return }
    let existing = try await LeaverCase.query(in: organisationID, on: database).filter(\.$person.$id == personID).first()
    guard applies || existing != nil else { return }
    let today = Organisations.today(try await Organisation.find(organisationID, on: database), now: now)
    // The items start with the user who recorded the dates as their owner; the officer reassigns them.
    let ownerID = actor.id
    let leaverCase = existing ?? LeaverCase()
    var tasks: [LeaverTask] = []
    var before: String?
    if let existing {
      tasks = try await LeaverTask.query(in: organisationID, on: database).filter(\.$leaverCase.$id == existing.requireID()).all()
      before = AuditChain.json(CaseSnapshot(existing, tasks: tasks))
    } else {
      leaverCase.$organisation.id = organisationID
      leaverCase.$person.id = personID
      leaverCase.openedOn = today
      leaverCase.status = .open
      try await leaverCase.create(on: database)
    }
    let caseID = try leaverCase.requireID()
    var changed = existing == nil
    for kind in LeaverTaskKind.allCases {
      let due = LeaverChecklist.dueDay(kind, notice: person.noticeDate, exit: person.exitDate, leaving: person.leavingDate)
      if let task = tasks.first(where: { $0.kind == kind }) {
        guard !task.isDone, task.dueOn != due, applies else { continue }
        task.dueOn = due
        try await task.save(on: database)
        changed = true
      } else {
        let task = LeaverTask()
        task.$organisation.id = organisationID
        task.$leaverCase.id = caseID
        task.$owner.id = ownerID
        task.kind = kind
        task.dueOn = due
        task.note = ""
        try await task.create(on: database)
        tasks.append(task)
        changed = true
      }
    }
    let status: LeaverCase.Status = !applies ? .withdrawn : tasks.allSatisfy(\.isDone) ? .closed : .open
    if leaverCase.status != status {
      leaverCase.status = status
      try await leaverCase.save(on: database)
      changed = true
    }
    guard changed else { return }
    try await AuditTrail.append(
      AuditEvent(
        chain: AuditEvent.chain(organisationID), action: existing == nil ? "leaver_case.open" : "leaver_case.update",
        recordType: "leaver_case", recordID: caseID.uuidString.lowercased(), before: before,
        after: AuditChain.json(CaseSnapshot(leaverCase, tasks: tasks))),
      by: actor, now: now, on: database)
  }

  /// Opens the cases of people just added to the register with leaving dates, as ``sync(person:hadDates:actor:now:on:)``
  /// opens each (the same items, owners, due days and `leaver_case.open` entry), with the cases and
  /// their items inserted many to a statement: an import of 10,000 people has hundreds of leavers
  /// (decision 164). Call it in the import's transaction, after the people are written.
  static func openAll(_ people: [Person], organisationID: UUID, actor: AuditActor, now: Date, on database: any Database)
    async throws
  {
    guard !people.isEmpty else { return }
    let today = Organisations.today(try await Organisation.find(organisationID, on: database), now: now)
    let cases = BulkInsert(
      table: "leaver_cases",
      columns: [
        .row("id", .uuid), .constant("organisation_id", .uuid(organisationID)), .row("person_id", .uuid),
        .constant("opened_on", .text(today.iso)), .constant("status", .text(LeaverCase.Status.open.rawValue)),
        .constant("created_at", .date(now)),
      ])
    let items = BulkInsert(
      table: "leaver_tasks",
      columns: [
        .row("id", .uuid), .constant("organisation_id", .uuid(organisationID)), .row("case_id", .uuid),
        .constant("owner_id", .uuid(actor.id)), .row("kind", .text), .row("due_on", .text), .constant("note", .text("")),
      ])
    var caseRows = BulkRows(capacity: people.count * cases.rowWidth)
    var itemRows = BulkRows(capacity: people.count * LeaverTaskKind.allCases.count * items.rowWidth)
    var events: [AuditEvent] = []
    for person in people {
      let personID = try person.requireID()
      let leaverCase = LeaverCase()
      leaverCase.id = UUID.random()
      leaverCase.$organisation.id = organisationID
      leaverCase.$person.id = personID
      leaverCase.openedOn = today
      leaverCase.status = .open
      let caseID = leaverCase.id!
      caseRows.append(.uuid(caseID), .uuid(personID))
      var tasks: [LeaverTask] = []
      for kind in LeaverTaskKind.allCases {
        let task = LeaverTask()
        task.$owner.id = actor.id
        task.kind = kind
        task.dueOn = LeaverChecklist.dueDay(kind, notice: person.noticeDate, exit: person.exitDate, leaving: person.leavingDate)
        task.note = ""
        tasks.append(task)
        itemRows.append(.uuid(UUID.random()), .uuid(caseID), .text(kind.rawValue), .text(task.dueOn?.iso))
      }
      events.append(
        AuditEvent(
          chain: AuditEvent.chain(organisationID), action: "leaver_case.open", recordType: "leaver_case",
          recordID: caseID.text(lowercase: true), after: AuditChain.json(CaseSnapshot(leaverCase, tasks: tasks))))
      if caseRows.count == cases.rowsPerStatement {
        try await cases.run(caseRows, on: database)
        try await items.run(itemRows, on: database)
        caseRows.removeAll()
        itemRows.removeAll()
      }
    }
    try await cases.run(caseRows, on: database)
    try await items.run(itemRows, on: database)
    try await AuditTrail.appendAll(events, by: actor, now: now, on: database)
  }

  static func hasDates(_ person: Person?) -> Bool {
    guard let person else { return false }
    return LeaverChecklist.applies(notice: person.noticeDate, exit: person.exitDate, leaving: person.leavingDate)
  }

  /// What an officer changes on an item: its owner, due day and note, and whether it is done.
  struct TaskInput: Sendable {
    var ownerID: String
    var dueOn: String
    var note: String
    var done: Bool
  }

  static let noteRule = TextRule(field: "note", maximum: 1000, required: false)

  /// The form's field of one item: `owner_return_items`, `due_return_items`…
  static func field(_ name: String, _ kind: LeaverTaskKind) -> String { "\(name)_\(kind.rawValue)" }

  /// Saves the checklist as the officer left it: owners, due days and notes of every item, and the
  /// items ticked done (recorded as done today by `userID`; unticking clears it). One transaction, one
  /// audit entry per item that changed.
  static func saveChecklist(
    _ leaverCase: LeaverCase, _ inputs: [LeaverTaskKind: TaskInput], by userID: UUID?, today: CivilDate, actor: AuditActor,
    now: Date, on database: any Database
  ) async throws {
    let organisationID = leaverCase.$organisation.id
    let caseID = try leaverCase.requireID()
    let tasks = try await LeaverTask.query(in: organisationID, on: database).filter(\.$leaverCase.$id == caseID).all()
    let users = Set(try await User.query(in: organisationID, on: database).all().compactMap(\.id))
    var issues: [ValidationIssue] = []
    var changes: [(LeaverTask, UUID?, CivilDate?, String)] = []
    for task in tasks {
      guard let input = inputs[task.kind] else { continue }
      if let issue = noteRule.named(field("note", task.kind)).check(input.note) { issues.append(issue) }
      let dueText = input.dueOn.trimmingCharacters(in: .whitespaces)
      let due = CivilDate(iso: dueText)
      if !dueText.isEmpty, due == nil { issues.append(ValidationIssue(field: field("due", task.kind), key: "validation.date")) }
      var ownerID: UUID?
      let ownerText = input.ownerID.trimmingCharacters(in: .whitespaces)
      if !ownerText.isEmpty {
        if let id = UUID(uuidString: ownerText), users.contains(id) {
          ownerID = id
        } else {
          issues.append(ValidationIssue(field: field("owner", task.kind), key: "validation.choice"))
        }
      }
      changes.append((task, ownerID, due, input.note.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
    guard issues.isEmpty else { throw ValidationFailure(issues: issues) }
    let planned = changes
    try await database.transaction { database in
      for (task, ownerID, due, note) in planned {
        let before = AuditChain.json(TaskSnapshot(task))
        task.$owner.id = ownerID
        task.dueOn = due
        task.note = note
        let done = inputs[task.kind]?.done ?? false
        if done, !task.isDone {
          task.doneOn = today
          task.$doneBy.id = userID
        } else if !done {
          task.doneOn = nil
          task.$doneBy.id = nil
        }
        guard AuditChain.json(TaskSnapshot(task)) != before else { continue }
        try await task.save(on: database)
        try await AuditTrail.append(
          AuditEvent(
            chain: AuditEvent.chain(organisationID), action: "leaver_task.update", recordType: "leaver_task",
            recordID: try task.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(TaskSnapshot(task))),
          by: actor, now: now, on: database)
      }
      try await closeIfDone(caseID: caseID, organisationID: organisationID, on: database)
    }
  }

  /// Revokes every grant the person still holds, through `AssetRegister.revoke` (each with its own
  /// audit entry), and marks the revocation item done, all in one transaction. Returns how many grants
  /// were revoked.
  @discardableResult
  static func revokeAll(
    _ leaverCase: LeaverCase, by userID: UUID?, today: CivilDate, actor: AuditActor, now: Date, on database: any Database
  ) async throws -> Int {
    let organisationID = leaverCase.$organisation.id
    let caseID = try leaverCase.requireID()
    return try await database.transaction { database in
      let grants = try await Grant.query(in: organisationID, on: database).filter(\.$person.$id == leaverCase.$person.id)
        .filter(\.$revokedOn == nil).all()
      for grant in grants {
        try await AssetRegister.revoke(grant, by: userID, today: today, actor: actor, now: now, on: database)
      }
      if let task = try await LeaverTask.query(in: organisationID, on: database).filter(\.$leaverCase.$id == caseID)
        .filter(\.$kind == .revokeAccess).first(), !task.isDone
      {
        let before = AuditChain.json(TaskSnapshot(task))
        task.doneOn = today
        task.$doneBy.id = userID
        try await task.save(on: database)
        try await closeIfDone(caseID: caseID, organisationID: organisationID, on: database)
        try await AuditTrail.append(
          AuditEvent(
            chain: AuditEvent.chain(organisationID), action: "leaver_task.update", recordType: "leaver_task",
            recordID: try task.requireID().uuidString.lowercased(), before: before, after: AuditChain.json(TaskSnapshot(task))),
          by: actor, now: now, on: database)
      }
      return grants.count
    }
  }

  /// A case whose items are all done is closed; one with an item undone again is open.
  static func closeIfDone(caseID: UUID, organisationID: UUID, on database: any Database) async throws {
    guard let leaverCase = try await LeaverCase.query(in: organisationID, on: database).filter(\.$id == caseID).first(),
      leaverCase.status != .withdrawn
    else { return }
    let open = try await LeaverTask.query(in: organisationID, on: database).filter(\.$leaverCase.$id == caseID)
      .filter(\.$doneOn == nil).count()
    let status: LeaverCase.Status = open == 0 ? .closed : .open
    guard leaverCase.status != status else { return }
    leaverCase.status = status
    try await leaverCase.save(on: database)
  }

  struct CaseSnapshot: Encodable {
    var person: String
    var opened_on: String
    var status: String
    var tasks: [TaskSnapshot]

    init(_ leaverCase: LeaverCase, tasks: [LeaverTask]) {
      person = leaverCase.$person.id.uuidString.lowercased()
      opened_on = leaverCase.openedOn.iso
      status = leaverCase.status.rawValue
      self.tasks = tasks.map(TaskSnapshot.init)
    }
  }

  struct TaskSnapshot: Encodable {
    var kind: String
    var owner: String?
    var due_on: String?
    var done_on: String?
    var done_by: String?
    var note: String

    init(_ task: LeaverTask) {
      kind = task.kind.rawValue
      owner = task.$owner.id?.uuidString.lowercased()
      due_on = task.dueOn?.iso
      done_on = task.doneOn?.iso
      done_by = task.$doneBy.id?.uuidString.lowercased()
      note = task.note
    }
  }
}

extension LeaverCase: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<LeaverCase> {
    LeaverCase.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}

extension LeaverTask: OrganisationScoped {
  static func query(in organisationID: UUID, on database: any Database) -> QueryBuilder<LeaverTask> {
    LeaverTask.query(on: database).filter(\.$organisation.$id == organisationID)
  }
}
