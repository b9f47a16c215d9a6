import Foundation
import MamoriCore
import Vapor

extension PersonShow {
  struct TrainingRow: Encodable, Sendable {
    var course: String
    var href: String
    var state: String
    var stateCode: String
    var dueOn: String
    var lastCompleted: String
  }

  /// The person's assigned courses with their state, from the same report as the training page.
  static func training(of person: Person, tenant: TenantContext, req: Request) async throws -> [TrainingRow]? {
    let report = try await Training.report(
      organisationID: tenant.organisationID, today: tenant.today, personID: try person.requireID(), on: req.db)
    return report.entries.map { entry in
      TrainingRow(
        course: TrainingOverview.title(of: entry.course, builtIn: req.mamori.courses, language: req.language),
        href: SiteRoute.trainingCourse(entry.course.id).path, state: req.t(entry.status.state.labelKey),
        stateCode: entry.status.state.rawValue, dueOn: req.display(entry.status.dueOn) ?? "—",
        lastCompleted: req.display(entry.status.lastCompleted) ?? "—")
    }.nonEmpty
  }
}
