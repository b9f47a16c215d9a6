import Fluent
import Foundation
import MamoriCore
import Vapor

/// Two rounds of one catalog side by side.
extension AssessmentsController {
  @Sendable static func compare(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    let language = req.language
    guard let otherID = req.query[UUID.self, at: "with"],
      let other = try await Assessment.query(in: try await req.tenant().organisationID, on: req.db).filter(\.$id == otherID)
        .filter(\.$catalogID == assessment.catalogID).first()
    else { throw Abort(.notFound) }
    let id = try assessment.requireID()
    let entries = try await Assessments.entries(of: assessment, on: req.db)
    let otherEntries = try await Assessments.entries(of: other, on: req.db)
    let report = Scoring.score(catalog, answers: entries.compactMapValues(\.answerID))
    let otherReport = Scoring.score(catalog, answers: otherEntries.compactMapValues(\.answerID))
    func symbol(_ entry: MetiSheet.Entry?) -> String {
      guard let answer = entry?.answerID.flatMap({ id in catalog.scale.first { $0.id == id } }) else { return req.t("assessments.unanswered_mark") }
      return "\(answer.symbol) \(answer.label.text(language))"
    }
    let changes = Assessments.changes(catalog: catalog, from: otherEntries, to: entries, newIsOpen: !assessment.isComplete).map { item in
      CompareView.Change(
        number: qualifiedNumber(item, catalog: catalog, language: language), text: item.text.text(language),
        before: symbol(otherEntries[item.id]), after: symbol(entries[item.id]),
        href: SiteRoute.assessmentSection(id, item.sectionID).path + "#item-\(item.id)")
    }
    let fields = zip(report.fields, otherReport.fields).map { now, before in
      FieldRow(
        name: now.name.text(language), score: percent(now.score, req), counted: now.counted, items: now.items,
        other: percent(before.score, req),
        change: (now.score != nil && before.score != nil) ? signed(now.score! - before.score!) : "—")
    }
    return try await req.renderPage(
      "assessment-compare", title: req.t("assessments.compare_title", ["a": assessment.title, "b": other.title]),
      body: CompareView(
        title: assessment.title, otherTitle: other.title, backHref: SiteRoute.assessment(id).path,
        svg: chart(catalog: catalog, language: language, series: [(assessment.title, report), (other.title, otherReport)],
          title: req.t("assessments.compare_title", ["a": assessment.title, "b": other.title]), req: req),
        fields: fields, overall: percent(report.overall, req), otherOverall: percent(otherReport.overall, req), changes: changes.nonEmpty,
        radarHref: SiteRoute.assessmentRadar(id).path(query: [("with", otherID.uuidString.lowercased())])))
  }
}
