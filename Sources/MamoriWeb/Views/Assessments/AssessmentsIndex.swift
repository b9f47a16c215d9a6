import Fluent
import Foundation
import MamoriCore
import Vapor

/// The history of rounds per catalog, starting a round (blank or from an earlier one), renaming and
/// deleting one.
extension AssessmentsController {
  @Sendable static func index(req: Request) async throws -> Response {
    try await renderIndex(req, values: [:], errors: [:])
  }

  static func renderIndex(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
    async throws -> Response
  {
    let tenant = try await req.tenant()
    let model = try await IndexModel.load(req)
    return try await req.renderPage(
      "assessments", title: req.t("assessments.title"), body: try indexView(req, model: model, tenant: tenant, values: values, errors: errors),
      status: status)
  }

  static func indexView(_ req: Request, model: IndexModel, tenant: TenantContext, values: [String: String], errors: [String: String])
    throws -> IndexView
  {
    let language = req.language
    var groups: [IndexView.Group] = []
    for catalog in model.catalogs {
      let own = model.assessments.filter { $0.catalogID == catalog.id }
      guard !own.isEmpty else { continue }
      let rows = try own.map { assessment -> IndexView.Row in
        let id = try assessment.requireID()
        // Scored with the version it was made with.
        let report = Scoring.score(model.madeWith[id] ?? catalog, answers: (model.entries[id] ?? [:]).compactMapValues(\.answerID))
        return IndexView.Row(
          title: assessment.title, href: SiteRoute.assessment(id).path, status: statusLabel(assessment, req),
          isComplete: assessment.isComplete, started: req.display(assessment.startedOn) ?? assessment.startedOn.iso,
          completed: assessment.completedAt.map { req.display(CivilDate($0, in: tenant.timeZone)) ?? "" },
          overall: percent(report.overall, req), completeness: Scoring.format(report.completeness) + "%")
      }
      groups.append(.init(catalogName: catalog.name.text(language), catalogID: catalog.id, rows: rows))
    }
    let selected = values["catalog"] ?? model.catalogs.first { $0.id == "tics-selfcheck-mamori" }?.id ?? model.catalogs.first?.id
    // A new round starts from the latest completed one of the chosen catalog unless the officer says
    // otherwise (a round still open is being answered, not a record to start from).
    let from =
      values["from"]
      ?? model.assessments.first { $0.catalogID == selected && $0.isComplete }.flatMap { $0.id?.uuidString.lowercased() } ?? ""
    var formValues = values
    if formValues["title"] == nil {
      let base = req.t("assessments.default_title", ["date": req.display(tenant.today) ?? ""])
      formValues["title"] = Assessments.distinctTitle(
        base, taken: Set(model.assessments.filter { $0.catalogID == selected }.map(\.title)))
    }
    return IndexView(
      catalogs: model.catalogs.map {
        .init(
          id: $0.id, name: $0.name.text(language), items: $0.items.count, selected: $0.id == selected,
          purpose: $0.description?.text(language))
      },
      previous: try model.assessments.map { assessment in
        let id = try assessment.requireID().uuidString.lowercased()
        let catalogName = model.catalogs.first { $0.id == assessment.catalogID }?.name.text(language) ?? assessment.catalogID
        return .init(
          id: id, label: req.t("assessments.from_option", ["title": assessment.title, "catalog": catalogName]),
          catalogID: assessment.catalogID, selected: id == from)
      }.nonEmpty,
      groups: groups.nonEmpty, values: formValues, errors: FieldErrors(errors))
  }

  @Sendable static func start(req: Request) async throws -> Response {
    let form = try req.content.decode(StartForm.self)
    let values = ["catalog": form.catalog ?? "", "title": form.title ?? "", "from": form.from ?? ""]
    guard let catalog = Assessments.catalog(form.catalog ?? "", in: try await catalogs(req)) else {
      return try await renderIndex(req, values: values, errors: ["catalog": req.t("validation.choice")], status: .unprocessableEntity)
    }
    let tenant = try await req.tenant()
    var previous: Assessment?
    if let from = form.from, !from.isEmpty {
      guard let id = UUID(uuidString: from),
        let found = try await Assessment.query(in: tenant.organisationID, on: req.db).filter(\.$id == id).first()
      else {
        return try await renderIndex(req, values: values, errors: ["from": req.t("validation.choice")], status: .unprocessableEntity)
      }
      previous = found
    }
    do {
      let assessment = try await Assessments.start(
        catalog: catalog, title: form.title ?? "", from: previous, organisationID: tenant.organisationID, actor: req.auditActor,
        today: tenant.today, now: req.now, files: req.mamori.files, on: req.db)
      return req.redirect(to: SiteRoute.assessment(try assessment.requireID()), flash: previous == nil ? .assessmentStarted : .assessmentCarriedOver)
    } catch let invalid as ValidationFailure {
      return try await renderIndex(req, values: values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func rename(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let form = try req.content.decode(RenameForm.self)
    do {
      try await Assessments.rename(assessment, title: form.title ?? "", actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.assessment(try assessment.requireID()), flash: .assessmentRenamed)
    } catch let invalid as ValidationFailure {
      var errors = req.messages(invalid.issues)
      if let title = errors.removeValue(forKey: "title") { errors["rename"] = title }
      return try await renderShow(req, assessment: assessment, errors: errors, status: .unprocessableEntity)
    }
  }

  @Sendable static func delete(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    do {
      try await Assessments.delete(assessment, actor: req.auditActor, now: req.now, files: req.mamori.files, on: req.db)
      return req.redirect(to: SiteRoute.assessments, flash: .assessmentDeleted)
    } catch let invalid as ValidationFailure {
      return try await renderShow(req, assessment: assessment, errors: req.messages(invalid.issues), status: .conflict)
    }
  }
}
