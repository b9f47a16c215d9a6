import Fluent
import Foundation
import MamoriCore
import Vapor

/// The round as files: answers imported from a workbook, CSV or YAML; the workbook and the chart
/// downloaded.
extension AssessmentsController {
  /// Answers from a workbook in METI's layout (or Mamori's export), a CSV or a YAML file: all or nothing.
  @Sendable static func importAnswers(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    guard !assessment.isComplete else {
      return try await renderShow(req, assessment: assessment, errors: ["import": req.t("assessments.locked")], status: .conflict)
    }
    let upload = try await req.receiveUpload()
    guard let file = upload.file else {
      return try await renderShow(req, assessment: assessment, errors: ["import": req.t("assessments.import_no_file")], status: .unprocessableEntity)
    }
    defer { file.remove() }
    let name = file.fileName.isEmpty ? "upload.xlsx" : file.fileName
    // Parsed in the sandbox child: a hostile workbook costs one refused upload, never the server.
    let request = UploadRequest(kind: .answers, fileName: name, catalogYAML: try await Assessments.catalogText(for: assessment, builtInTexts: req.mamori.checklistTexts, on: req.db))
    let answers: [String: MetiSheet.ImportedAnswer]
    switch await req.mamori.uploads.parse(request, file: file.url) {
    case .answers(let parsed):
      answers = parsed.mapValues { MetiSheet.ImportedAnswer(answer: $0) }
    case .entries(let parsed):
      answers = parsed
    case .refused(let lines, let total):
      return try await renderShow(
        req, assessment: assessment,
        errors: ["import": req.t("assessments.import_failed", ["count": String(total)]) + "\n" + lines.prefix(20).joined(separator: "\n")],
        status: .unprocessableEntity)
    case .unsupported, .catalog, .registerRows, .registerRefused:
      return try await renderShow(req, assessment: assessment, errors: ["import": req.t("assessments.import_type")], status: .unprocessableEntity)
    }
    do {
      try await Assessments.importAnswers(answers, file: name, to: assessment, catalog: catalog, actor: req.auditActor, now: req.now, on: req.db)
    } catch let invalid as ValidationFailure {
      return try await renderShow(
        req, assessment: assessment, errors: ["import": req.messages(invalid.issues).values.sorted().joined(separator: "\n")],
        status: .unprocessableEntity)
    }
    return req.redirect(to: SiteRoute.assessment(try assessment.requireID()), flash: .assessmentImported)
  }

  @Sendable static func radar(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    var series: [(String, ScoreReport)] = [
      (assessment.title, Scoring.score(catalog, answers: try await Assessments.entries(of: assessment, on: req.db).compactMapValues(\.answerID)))
    ]
    if let otherID = req.query[UUID.self, at: "with"] {
      guard let other = try await Assessment.query(in: try req.requireOrganisationID(), on: req.db).filter(\.$id == otherID)
        .filter(\.$catalogID == assessment.catalogID).first()
      else { throw Abort(.notFound) }
      series.append((other.title, Scoring.score(catalog, answers: try await Assessments.entries(of: other, on: req.db).compactMapValues(\.answerID))))
    }
    let organisation = try await req.requireOrganisation()
    let caption = chartCaption(req, catalog: catalog, title: assessment.title, today: req.today(for: organisation))
    let svg = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
      + chart(catalog: catalog, language: req.language, series: series, title: assessment.title, req: req, caption: caption)
    let response = Response(status: .ok, body: .init(string: svg))
    response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
    response.headers.replaceOrAdd(name: .contentDisposition, value: attachment("radar-\(assessment.catalogID)-\(assessment.startedOn.iso).svg"))
    return response
  }

  @Sendable static func export(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    let organisation = try await req.requireOrganisation()
    var previous: MetiSheet.Previous?
    if let earlier = try await Assessments.previousCompleted(assessment, on: req.db) {
      previous = .init(title: earlier.title, entries: try await Assessments.entries(of: earlier, on: req.db))
    }
    let header = MetiSheet.Header(
      title: assessment.title, organisation: organisation.name, status: statusLabel(assessment, req), started: assessment.startedOn.iso,
      completed: assessment.completedAt.map { CivilDate($0, in: Organisations.timeZone(organisation)).iso },
      labels: exportLabels(
        req, catalog: catalog,
        assessment: req.t(
          "checklist.sheet_assessment", ["title": assessment.title, "organisation": organisation.name, "status": statusLabel(assessment, req)])),
      previous: previous)
    var workbook = MetiSheet.workbook(
      catalog: catalog, entries: try await Assessments.entries(of: assessment, on: req.db), header: header, language: req.language)
    // The catalog's actions as they stand today, for reporting beside the answers.
    let lines = try await actionLines(req, filter: ActionFilter(status: "all")).lines.filter { $0.action.catalogID == assessment.catalogID }
    let today = try await req.tenant().today
    workbook.sheets.append(
      actionSheet(
        rows: try lines.map { try actionRow($0, today: today, req: req) }, lines: lines,
        title: req.t("actions.sheet_title", ["organisation": organisation.name]), req: req))
    let data = try XLSXWriter.data(workbook)
    try await req.audit("assessment.export", "assessment", id: try assessment.requireID().uuidString.lowercased())
    let response = Response(status: .ok, body: .init(data: data))
    response.headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers.replaceOrAdd(name: .contentDisposition, value: attachment("\(assessment.catalogID)-\(assessment.startedOn.iso).xlsx"))
    return response
  }
}
