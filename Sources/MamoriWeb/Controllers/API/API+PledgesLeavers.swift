import Fluent
import Foundation
import MamoriCore
import Vapor

/// Pledges and leavers' checklists over the JSON API, through the pages' own operations (``Pledges``,
/// ``Leavers``), so the checks, the 422 and the audit entries are the page's.
extension API {
  /// Rows per page of `GET /pledges` unless `per_page` says (1…500).
  static let pledgePageSize = 100

  // MARK: - Pledges

  @Sendable static func pledges(req: Request) async throws -> Response {
    let tenant = try await req.tenant()
    var query = Pledge.query(in: tenant.organisationID, on: req.db)
    var issues: [ValidationIssue] = []
    if let text = try? req.query.get(String.self, at: "kind"), !text.isEmpty {
      if let kind = PledgeKind(rawValue: text) { query = query.filter(\.$kind == kind) } else {
        issues.append(ValidationIssue(field: "kind", key: "validation.choice"))
      }
    }
    if let text = try? req.query.get(String.self, at: "person_id"), !text.isEmpty {
      if let personID = UUID(uuidString: text) { query = query.filter(\.$person.$id == personID) } else {
        issues.append(ValidationIssue(field: "person_id", key: "validation.choice"))
      }
    }
    if let text = try? req.query.get(String.self, at: "signed_from"), !text.isEmpty {
      if let day = CivilDate(iso: text) { query = query.filter(\.$signedOn >= day) } else {
        issues.append(ValidationIssue(field: "signed_from", key: "validation.date"))
      }
    }
    if let text = try? req.query.get(String.self, at: "signed_to"), !text.isEmpty {
      if let day = CivilDate(iso: text) { query = query.filter(\.$signedOn <= day) } else {
        issues.append(ValidationIssue(field: "signed_to", key: "validation.date"))
      }
    }
    guard issues.isEmpty else { return try APIErrors.invalid(issues, req: req) }
    let perPage = max(1, min(500, (try? req.query.get(Int.self, at: "per_page")) ?? pledgePageSize))
    let page = max(1, (try? req.query.get(Int.self, at: "page")) ?? 1)
    let total = try await query.copy().count()
    let pledges = try await query.sort(\.$signedOn, .descending).sort(\.$id).range(lower: (page - 1) * perPage, upper: page * perPage).all()
    let response = try req.json(try pledges.map(PledgeDTO.init))
    response.headers.replaceOrAdd(name: "X-Total-Count", value: "\(total)")
    return response
  }

  @Sendable static func pledge(req: Request) async throws -> Response {
    try req.json(try PledgeDTO(try await req.find(Pledge.self, "pledgeID")))
  }

  /// Records a pledge without a scan (the scan is uploaded on the person's page).
  @Sendable static func createPledge(req: Request) async throws -> Response {
    let input = try req.decodeJSON(PledgeInput.self)
    let tenant = try await req.tenant()
    guard let personID = input.personId,
      let person = try await Person.query(in: tenant.organisationID, on: req.db).filter(\.$id == personID).first()
    else { return try APIErrors.invalid([ValidationIssue(field: "person_id", key: "validation.choice")], req: req) }
    do {
      let pledge = try await Pledges.record(
        input.draft(over: PledgeDraft(kind: "")), scan: nil, person: person, recordedBy: try req.requireUser().id,
        organisationID: tenant.organisationID, today: tenant.today, actor: req.auditActor, now: req.now, files: req.mamori.files,
        on: req.db)
      return try req.json(try PledgeDTO(pledge), status: .created)
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
  }

  @Sendable static func updatePledge(req: Request) async throws -> Response {
    let pledge = try await req.find(Pledge.self, "pledgeID")
    let input = try req.decodeJSON(PledgeInput.self)
    let tenant = try await req.tenant()
    let base = PledgeDraft(kind: pledge.kind.rawValue, signedOn: pledge.signedOn.iso, scope: pledge.scope, assetGroup: pledge.assetGroup)
    do {
      let saved = try await Pledges.update(
        pledge, input.draft(over: base), organisationID: tenant.organisationID, today: tenant.today, actor: req.auditActor, now: req.now,
        on: req.db)
      return try req.json(try PledgeDTO(saved))
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
  }

  // MARK: - Leavers

  /// Checklists by `status` (open by default, closed, withdrawn, all), fifty a page as on the leavers
  /// page, with the number matching in `X-Total-Count`.
  @Sendable static func leavers(req: Request) async throws -> Response {
    let text = (try? req.query.get(String.self, at: "status")) ?? "open"
    guard let status = LeaversPage.StatusFilter(rawValue: text) else {
      return try APIErrors.invalid([ValidationIssue(field: "status", key: "validation.choice")], req: req)
    }
    let model = try await LeaversPage.loadList(req, status: status, page: (try? req.query.get(Int.self, at: "page")) ?? 1)
    let response = try req.json(
      try model.rows.map { try LeaverCaseDTO($0.leaverCase, person: $0.person, tasks: $0.tasks, today: model.today, withItems: false) })
    response.headers.replaceOrAdd(name: "X-Total-Count", value: "\(model.matching)")
    return response
  }

  @Sendable static func leaver(req: Request) async throws -> Response {
    let leaverCase = try await req.find(LeaverCase.self, "caseID")
    let model = try await LeaversPage.loadCase(req, leaverCase)
    return try req.json(try LeaverCaseDTO(leaverCase, person: model.person, tasks: model.tasks, today: model.today, withItems: true))
  }

  /// Changes one item (status, owner, due day, note) through the checklist's own save: the other items
  /// are passed as they are, so only this one can change.
  @Sendable static func updateLeaverItem(req: Request) async throws -> Response {
    let leaverCase = try await req.find(LeaverCase.self, "caseID")
    let task = try await req.find(LeaverTask.self, "taskID")
    guard task.$leaverCase.id == leaverCase.id else { throw Abort(.notFound) }
    let input = try req.decodeJSON(LeaverItemInput.self)
    var issues: [ValidationIssue] = []
    var done = task.isDone
    if let status = input.status {
      switch status {
      case "done": done = true
      case "open": done = false
      default: issues.append(ValidationIssue(field: "status", key: "validation.choice"))
      }
    }
    guard issues.isEmpty else { return try APIErrors.invalid(issues, req: req) }
    var owner = task.$owner.id?.uuidString ?? ""
    if let ownerID = input.ownerId { owner = ownerID }
    if input.clearOwner == true { owner = "" }
    let tenant = try await req.tenant()
    do {
      try await Leavers.saveChecklist(
        leaverCase,
        [
          task.kind: Leavers.TaskInput(
            ownerID: owner, dueOn: input.dueOn ?? task.dueOn?.iso ?? "", note: input.note ?? task.note, done: done)
        ], by: try req.requireUser().id, today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
    } catch let invalid as ValidationFailure {
      // The checklist names fields per item (`owner_return_items`); one item's API says `owner_id`.
      let names = ["owner": "owner_id", "due": "due_on", "note": "note"]
      return try APIErrors.invalid(
        invalid.issues.map { issue in
          var renamed = issue
          let prefix = issue.field.hasSuffix("_" + task.kind.rawValue) ? String(issue.field.dropLast(task.kind.rawValue.count + 1)) : issue.field
          renamed.field = names[prefix] ?? issue.field
          return renamed
        }, req: req)
    }
    let saved = try await req.find(LeaverTask.self, "taskID")
    return try req.json(LeaverItemDTO(saved, today: tenant.today))
  }
}

struct PledgeDTO: Content {
  var id: UUID
  var personId: UUID
  var kind: String
  var signedOn: String
  var scope: String
  var assetGroup: String
  /// The scan's name when one was uploaded (downloaded on the pages, `/pledges/ID/file`).
  var fileName: String?
  var recordedById: UUID?

  init(_ pledge: Pledge) throws {
    id = try pledge.requireID()
    personId = pledge.$person.id
    kind = pledge.kind.rawValue
    signedOn = pledge.signedOn.iso
    scope = pledge.scope
    assetGroup = pledge.assetGroup
    fileName = pledge.fileName
    recordedById = pledge.$recordedBy.id
  }
}

/// A pledge as sent by a client: on POST `person_id`, `kind` and `signed_on` are required; on PATCH the
/// fields given replace the stored ones (the person cannot change: record a new pledge instead).
struct PledgeInput: Content {
  var personId: UUID?
  var kind: String?
  var signedOn: String?
  var scope: String?
  var assetGroup: String?

  func draft(over base: PledgeDraft) -> PledgeDraft {
    var draft = base
    if let kind { draft.kind = kind }
    if let signedOn { draft.signedOn = signedOn }
    if let scope { draft.scope = scope }
    if let assetGroup { draft.assetGroup = assetGroup }
    return draft
  }
}

struct LeaverItemDTO: Content {
  var id: UUID
  var kind: String
  /// open or done.
  var status: String
  var ownerId: UUID?
  var dueOn: String?
  var doneOn: String?
  var doneById: UUID?
  var note: String
  /// Not done and past its due day on the organisation's today.
  var overdue: Bool

  init(_ task: LeaverTask, today: CivilDate) throws {
    id = try task.requireID()
    kind = task.kind.rawValue
    status = task.isDone ? "done" : "open"
    ownerId = task.$owner.id
    dueOn = task.dueOn?.iso
    doneOn = task.doneOn?.iso
    doneById = task.$doneBy.id
    note = task.note
    overdue = !task.isDone && task.dueOn.map { $0 < today } == true
  }
}

struct LeaverCaseDTO: Content {
  var id: UUID
  var personId: UUID
  /// The person's login name (the detection contract's `user_id`) and full name.
  var loginName: String
  var name: String
  var status: String
  var openedOn: String
  var noticeDate: String?
  var lastWorkingDay: String?
  var leavingDate: String?
  var itemsDone: Int
  var itemsTotal: Int
  var itemsOverdue: Int
  /// Only when one case is asked for.
  var items: [LeaverItemDTO]?

  init(_ leaverCase: LeaverCase, person: Person, tasks: [LeaverTask], today: CivilDate, withItems: Bool) throws {
    id = try leaverCase.requireID()
    personId = try person.requireID()
    loginName = person.loginName
    name = person.fullName
    status = leaverCase.status.rawValue
    openedOn = leaverCase.openedOn.iso
    noticeDate = person.noticeDate?.iso
    lastWorkingDay = person.exitDate?.iso
    leavingDate = person.leavingDate?.iso
    let dtos = try tasks.map { try LeaverItemDTO($0, today: today) }
    itemsDone = dtos.filter { $0.status == "done" }.count
    itemsTotal = dtos.count
    itemsOverdue = dtos.filter(\.overdue).count
    items = withItems ? dtos : nil
  }
}

struct LeaverItemInput: Content {
  /// open or done.
  var status: String?
  var ownerId: String?
  var clearOwner: Bool?
  var dueOn: String?
  var note: String?
}
