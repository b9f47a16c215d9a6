import Fluent
import Foundation
import MamoriCore
import Vapor

/// The self-check's card on the home page: the latest round with its score, its open actions and the way
/// to start or continue. Kept apart from the rest of the home page, which other sections share.
extension Dashboard {
  struct SelfCheckCard: Encodable, Sendable {
    var title: String?
    var href: String?
    var catalogName: String?
    var status: String?
    var overall: String?
    var openActions: Int
    var overdueActions: Int
    var actionsHref = SiteRoute.assessmentActions.path
    /// Where to start a round (the history page's form) or continue the open one.
    var startHref: String
    var startLabel: String
  }

  static func selfCheckCard(_ req: Request) async throws -> SelfCheckCard? {
    let user = try req.requireUser()
    guard let organisationID = user.organisationID, Policy.can(user.principal, .manageRegister) else { return nil }
    let key = "\(organisationID.uuidString)#\(req.language.rawValue)"
    return try await req.mamori.selfCheckCards.value(for: key, version: try await req.tenantVersion()) {
      try await loadSelfCheckCard(req)
    }
  }

  private static func loadSelfCheckCard(_ req: Request) async throws -> SelfCheckCard? {
    let tenant = try await req.tenant()
    guard
      let latest = try await Assessment.query(in: tenant.organisationID, on: req.db).sort(\.$startedOn, .descending)
        .sort(\.$createdAt, .descending).first(),
      let catalog = try await Assessments.catalog(
        for: latest, builtIn: req.mamori.checklists, cache: req.mamori.catalogCache, on: req.db)
    else {
      return SelfCheckCard(
        openActions: 0, overdueActions: 0, startHref: SiteRoute.assessments.path + "#start-heading",
        startLabel: req.t("dashboard.selfcheck_start"))
    }
    let id = try latest.requireID()
    let actions = try await AssessmentActions.openCounts(organisationID: tenant.organisationID, today: tenant.today, on: req.db)
    let report = Scoring.score(catalog, answers: try await Assessments.entries(of: latest, on: req.db).compactMapValues(\.answerID))
    return SelfCheckCard(
      title: latest.title, href: SiteRoute.assessment(id).path, catalogName: catalog.name.text(req.language),
      status: AssessmentsController.statusLabel(latest, req), overall: AssessmentsController.percent(report.overall, req),
      openActions: actions.open, overdueActions: actions.overdue,
      startHref: latest.isComplete ? SiteRoute.assessments.path + "#start-heading" : SiteRoute.assessment(id).path,
      startLabel: req.t(latest.isComplete ? "dashboard.selfcheck_next" : "dashboard.selfcheck_continue"))
  }
}
