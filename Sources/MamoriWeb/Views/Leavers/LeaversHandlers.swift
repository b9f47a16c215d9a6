import Fluent
import Foundation
import MamoriCore
import Vapor

/// Handlers of the leavers pages: decode, call `Leavers`, present.
extension LeaversPage {
  @Sendable static func index(req: Request) async throws -> Response {
    let status = req.query[String.self, at: "status"].flatMap(StatusFilter.init(rawValue:)) ?? .open
    let page = req.query[Int.self, at: "page"] ?? 1
    let model = try await loadList(req, status: status, page: page)
    return try await req.renderPage("leavers", title: req.t("leavers.title"), body: listView(model, req: req))
  }

  @Sendable static func show(req: Request) async throws -> Response {
    let leaverCase = try await req.find(LeaverCase.self, "caseID")
    let model = try await loadCase(req, leaverCase)
    return try await req.renderPage("leaver", title: model.person.fullName, body: caseView(model, req: req))
  }

  @Sendable static func save(req: Request) async throws -> Response {
    let leaverCase = try await req.find(LeaverCase.self, "caseID")
    let form = try req.content.decode([String: String].self)
    var inputs: [LeaverTaskKind: Leavers.TaskInput] = [:]
    for kind in LeaverTaskKind.allCases {
      inputs[kind] = Leavers.TaskInput(
        ownerID: form[Leavers.field("owner", kind)] ?? "", dueOn: form[Leavers.field("due", kind)] ?? "",
        note: form[Leavers.field("note", kind)] ?? "", done: form[Leavers.field("done", kind)] != nil)
    }
    let tenant = try await req.tenant()
    do {
      try await Leavers.saveChecklist(
        leaverCase, inputs, by: try req.requireUser().id, today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.leaver(try leaverCase.requireID()), flash: .saved)
    } catch let invalid as ValidationFailure {
      let model = try await loadCase(req, leaverCase)
      return try await req.renderPage(
        "leaver", title: model.person.fullName,
        body: caseView(model, values: form, errors: FieldErrors(req.messages(invalid.issues)), req: req), status: .unprocessableEntity)
    }
  }

  @Sendable static func revokeAll(req: Request) async throws -> Response {
    let leaverCase = try await req.find(LeaverCase.self, "caseID")
    let tenant = try await req.tenant()
    try await Leavers.revokeAll(
      leaverCase, by: try req.requireUser().id, today: tenant.today, actor: req.auditActor, now: req.now, on: req.db)
    return req.redirect(to: SiteRoute.leaver(try leaverCase.requireID()), flash: .grantsRevokedAll)
  }
}
