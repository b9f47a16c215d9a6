import Fluent
import Foundation
import MamoriCore
import Vapor

/// The summary of one round: scores, chart, sections, its actions; rename, delete, complete.
extension AssessmentsController {
  /// A round's summary is the same for every reader until the organisation's data changes
  /// (decision 95): it is kept encoded for its template with the round's title, by organisation, round
  /// and language (decision 198), so that a visit reads nothing but the session. The round itself is
  /// looked up (and a round of another organisation refused with 404) only when the summary is built.
  @Sendable static func show(req: Request) async throws -> Response {
    guard let id = req.parameters.get("assessmentID", as: UUID.self) else { throw Abort(.notFound) }
    let tenant = try await req.tenant()
    let summary = try await req.mamori.roundSummaries.value(
      for: "\(tenant.organisationID.uuidString)|\(id.uuidString)|\(req.language.rawValue)", version: try await req.tenantVersion()
    ) {
      let assessment = try await req.find(Assessment.self, "assessmentID")
      return RoundSummary(title: assessment.title, body: try TemplateEncoder.encode(try await loadShowView(req, assessment: assessment, errors: [:])))
    }
    return try await req.renderPage("assessment", title: summary.title, body: summary.body)
  }

  struct RoundSummary: Sendable {
    var title: String
    var body: TemplateValue
  }

  static func loadShowView(_ req: Request, assessment: Assessment, errors: [String: String]) async throws -> ShowView {
    let id = try assessment.requireID()
    let catalog = try await catalog(for: assessment, req)
    let entries = try await Assessments.entries(of: assessment, on: req.db)
    let tenant = try await req.tenant()
    let others = try await Assessment.query(in: tenant.organisationID, on: req.db)
      .filter(\.$catalogID == assessment.catalogID).filter(\.$id != id).sort(\.$startedOn, .descending).all()
    return try showView(
      req, catalog: catalog, assessment: assessment, entries: entries, others: others, today: tenant.today,
      timeZone: tenant.timeZone, errors: errors)
  }

  static func renderShow(_ req: Request, assessment: Assessment, errors: [String: String], status: HTTPResponseStatus = .ok)
    async throws -> Response
  {
    // Drawn afresh: the page after a refused change shows its errors (and the change's caller has the
    // round already).
    let view = try await loadShowView(req, assessment: assessment, errors: errors)
    return try await req.renderPage("assessment", title: assessment.title, body: view, status: status)
  }

  /// The summary of an assessment: scores, chart, sections, actions (no database).
  static func showView(
    _ req: Request, catalog: Catalog, assessment: Assessment, entries: [String: MetiSheet.Entry], others: [Assessment],
    today: CivilDate, timeZone: TimeZone, errors: [String: String]
  ) throws -> ShowView {
    let language = req.language
    let id = try assessment.requireID()
    let report = Scoring.score(catalog, answers: entries.compactMapValues(\.answerID))
    let sections = sectionLinks(catalog, entries: entries, assessmentID: id, language: language)
    let actions = try actionRows(catalog: catalog, entries: entries, assessment: assessment, today: today, req: req, showAssessment: false)
    let labels = exportLabels(req, catalog: catalog, assessment: "")
    return ShowView(
      title: assessment.title, catalogName: catalog.name.text(language), catalogVersion: assessment.catalogVersion,
      notice: catalog.notice?.text(language), status: statusLabel(assessment, req), isComplete: assessment.isComplete,
      started: req.display(assessment.startedOn) ?? assessment.startedOn.iso,
      completed: assessment.completedAt.map { req.display(CivilDate($0, in: timeZone)) ?? "" },
      overall: percent(report.overall, req), completeness: Scoring.format(report.completeness) + "%",
      answered: report.answered, total: report.total, unanswered: report.total - report.answered,
      unconfirmed: catalog.items.filter { entries[$0.id]?.carriedOver == true }.count,
      fields: report.fields.map { .init(name: $0.name.text(language), score: percent($0.score, req), counted: $0.counted, items: $0.items) },
      fieldSources: catalog.fields.map {
        MetiSheet.fieldProvenance($0, catalog: catalog, language: language, labels: labels)
      },
      svg: chart(catalog: catalog, language: language, series: [(assessment.title, report)], title: assessment.title, req: req),
      sections: sections, actions: actions.nonEmpty,
      others: try others.map { .init(id: try $0.requireID().uuidString.lowercased(), name: $0.title, items: 0, selected: false) }.nonEmpty,
      completeAction: SiteRoute.assessmentComplete(id).path, importAction: SiteRoute.assessmentImport(id).path,
      radarHref: SiteRoute.assessmentRadar(id).path, exportHref: SiteRoute.assessmentExport(id).path,
      compareAction: SiteRoute.assessmentCompare(id).path, renameAction: SiteRoute.assessmentRename(id).path,
      deleteAction: assessment.isComplete ? nil : SiteRoute.assessmentDelete(id).path,
      firstSectionHref: (sections.first { !$0.done } ?? sections.first)?.href,
      firstOpenItemHref: assessment.isComplete ? nil : firstOpenItem(catalog, entries: entries, assessmentID: id),
      notStarted: !assessment.isComplete && entries.values.allSatisfy { $0.answerID == nil }, errors: FieldErrors(errors))
  }

  @Sendable static func complete(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    do {
      try await Assessments.complete(assessment, catalog: catalog, actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.assessment(try assessment.requireID()), flash: .assessmentCompleted)
    } catch let invalid as ValidationFailure {
      return try await renderShow(req, assessment: assessment, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }
}
