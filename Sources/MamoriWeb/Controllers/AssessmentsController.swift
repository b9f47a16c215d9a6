import Fluent
import Foundation
import MamoriCore
import Vapor

/// Self-assessments against the checklists: history per catalog, one page per section with autosave,
/// scores and the radar chart, completion and lock, comparison, the action list, and the workbook.
enum AssessmentsController {
  // MARK: View models

  struct IndexView: Encodable, Sendable {
    struct CatalogOption: Encodable, Sendable {
      var id: String
      var name: String
      var items: Int
      var selected: Bool
    }

    struct Row: Encodable, Sendable {
      var title: String
      var href: String
      var status: String
      var isComplete: Bool
      var started: String
      var completed: String?
      var overall: String
      var completeness: String
    }

    struct Group: Encodable, Sendable {
      var catalogName: String
      var catalogID: String
      var rows: [Row]
    }

    var catalogs: [CatalogOption]
    var groups: [Group]?
    var values: [String: String]
    var errors: FieldErrors
    var action = SiteRoute.assessments.path
    var actionsHref = SiteRoute.assessmentActions.path
    var catalogsHref = SiteRoute.catalogs.path
  }

  struct FieldRow: Encodable, Sendable {
    var name: String
    var score: String
    var counted: Int
    var items: Int
    var other: String?
    var change: String?
  }

  struct SectionLink: Encodable, Sendable {
    var title: String
    var href: String
    var answered: Int
    var total: Int
    var done: Bool
  }

  struct ActionRow: Encodable, Sendable {
    var assessment: String?
    var assessmentHref: String?
    var number: String
    var text: String
    var symbol: String
    var label: String
    var owner: String
    var due: String
    var overdue: Bool
    var href: String
  }

  struct ShowView: Encodable, Sendable {
    var title: String
    var catalogName: String
    var catalogVersion: Int
    var notice: String?
    var status: String
    var isComplete: Bool
    var started: String
    var completed: String?
    var overall: String
    var completeness: String
    var answered: Int
    var total: Int
    var unanswered: Int
    var fields: [FieldRow]
    var fieldSources: [String]
    var svg: String
    var sections: [SectionLink]
    var actions: [ActionRow]?
    var others: [IndexView.CatalogOption]?
    var completeAction: String
    var importAction: String
    var radarHref: String
    var exportHref: String
    var compareAction: String
    var firstSectionHref: String?
    var errors: FieldErrors
  }

  /// How to choose an answer, quoted with its source beside the choices.
  struct GuideView: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var symbol: String
      var label: String
      var definition: String
    }

    var rows: [Row]
    var notes: [String]?
    var source: String?
  }

  struct ItemView: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
      var value: String
      var symbol: String
      var label: String
      var checked: Bool
      var id: String
      var definition: String?
    }

    var id: String
    var anchor: String
    var number: String
    var text: String
    var guidance: String?
    var provenance: String
    var provenanceKind: String
    var source: String?
    var fields: String
    var choices: [Choice]
    var note: String
    var owner: String
    var due: String
    var needsAction: Bool
    var error: String?
    var evidence: [EvidenceRow]?
    var evidenceForm: String
  }

  struct EvidenceRow: Encodable, Sendable {
    var name: String
    var size: String
    var href: String
    var deleteForm: String
  }

  struct EvidenceForm: Encodable, Sendable {
    var id: String
    var item: String?
    var action: String
  }

  struct SectionView: Encodable, Sendable {
    var assessmentTitle: String
    var assessmentHref: String
    var sectionTitle: String
    var position: Int
    var count: Int
    var notice: String?
    var guide: GuideView?
    var locked: Bool
    var items: [ItemView]
    var action: String
    var autosaveAction: String
    var previousHref: String?
    var nextHref: String?
    var sections: [SectionLink]
    var hasErrors: Bool
    var evidenceForms: [EvidenceForm]
    var accept: String
  }

  struct CompareView: Encodable, Sendable {
    struct Change: Encodable, Sendable {
      var number: String
      var text: String
      var before: String
      var after: String
      var href: String
    }

    var title: String
    var otherTitle: String
    var backHref: String
    var svg: String
    var fields: [FieldRow]
    var overall: String
    var otherOverall: String
    var changes: [Change]?
    var radarHref: String
  }

  struct StartForm: Content {
    var catalog: String?
    var title: String?
  }

  struct AnswerForm: Content {
    var item: String?
    var answer: String?
    var note: String?
    var owner: String?
    var due: String?
  }

  // MARK: Helpers

  static func catalog(for assessment: Assessment, _ req: Request) async throws -> Catalog {
    guard let catalog = try await Assessments.catalog(for: assessment, builtIn: req.mamori.checklists, cache: req.mamori.catalogCache, on: req.db) else {
      throw Abort(.notFound)
    }
    return catalog
  }

  /// The catalogs the signed-in user's organisation can assess against.
  static func catalogs(_ req: Request) async throws -> [Catalog] {
    try await Assessments.catalogs(
      builtIn: req.mamori.checklists, organisationID: try req.requireOrganisationID(), cache: req.mamori.catalogCache, on: req.db)
  }

  /// The sections that hold items directly: one answering page each.
  static func pages(_ catalog: Catalog) -> [Catalog.Section] {
    catalog.sections.filter { section in catalog.items.contains { $0.sectionID == section.id } }
  }

  /// Every answering page with how many of its items are answered.
  static func sectionLinks(_ catalog: Catalog, entries: [String: MetiSheet.Entry], assessmentID: UUID, language: Language)
    -> [SectionLink]
  {
    pages(catalog).map { section in
      let items = catalog.items.filter { $0.sectionID == section.id }
      let answered = items.filter { entries[$0.id]?.answerID != nil }.count
      return SectionLink(
        title: section.title.text(language), href: SiteRoute.assessmentSection(assessmentID, section.id).path, answered: answered,
        total: items.count, done: answered == items.count)
    }
  }

  static func statusLabel(_ assessment: Assessment, _ req: Request) -> String {
    req.t(assessment.isComplete ? "assessments.status_complete" : "assessments.status_in_progress")
  }

  static func percent(_ value: Double?, _ req: Request) -> String {
    value.map { Scoring.format($0) + "%" } ?? req.t("checklist.no_score")
  }

  static func day(_ iso: String?, _ req: Request) -> String? {
    iso.flatMap { CivilDate(iso: $0) }.flatMap { req.display($0) }
  }

  /// A source as users see it: 経済産業省 …「…」（2025年11月）, marked when it is secondary.
  static func citation(_ source: Catalog.Source, _ req: Request) -> String {
    source.citation(req.language) + (source.kind == .secondary ? MetiSheet.parenthesised(req.t("checklist.secondary"), req.language) : "")
  }

  static func guideView(_ catalog: Catalog, _ req: Request) -> GuideView? {
    guard let guide = catalog.answerGuide else { return nil }
    let language = req.language
    return GuideView(
      rows: guide.definitions.compactMap { definition in
        catalog.scale.first { $0.id == definition.answerID }.map {
          .init(symbol: $0.symbol, label: $0.label.text(language), definition: definition.text.text(language))
        }
      },
      notes: guide.notes.map { $0.text(language) }.nonEmpty,
      source: catalog.source(guide.source).map {
        req.t("checklist.answer_guide_source", ["source": citation($0, req), "provenance": req.t(guide.provenance.labelKey)])
      })
  }

  /// The texts an export prints around the checklist, in the request's language.
  static func exportLabels(_ req: Request, catalog: Catalog, assessment: String) -> MetiSheet.Labels {
    MetiSheet.Labels(
      title: req.t("checklist.sheet_title", ["catalog": catalog.name.text(req.language), "version": String(catalog.version)]),
      assessment: assessment, guideHeading: req.t("checklist.answer_guide"),
      guideSource: guideView(catalog, req)?.source, fieldSources: req.t("assessments.fields_provenance"),
      provenance: Dictionary(uniqueKeysWithValues: Provenance.allCases.map { ($0, req.t($0.labelKey)) }),
      secondary: req.t("checklist.secondary"))
  }

  /// The caption of a downloaded chart: the checklist, the self-check, the day it was made, and that it
  /// is the Mamori edition, not METI's sheet.
  static func chartCaption(_ req: Request, catalog: Catalog, title: String, today: CivilDate) -> [String] {
    [
      req.t("checklist.chart_caption", ["catalog": catalog.name.text(req.language), "title": title, "date": req.display(today) ?? today.iso]),
      req.t("checklist.chart_caption_notice"),
    ]
  }

  static func chart(
    catalog: Catalog, language: Language, series: [(String, ScoreReport)], title: String, req: Request, caption: [String] = []
  ) -> String {
    RadarChart.svg(
      axes: catalog.fields.map { $0.name.text(language) },
      series: series.enumerated().map { index, entry in
        .init(name: entry.0, values: entry.1.fields.map(\.score), cssClass: index == 0 ? "current" : "previous")
      },
      title: title,
      description: series.map { name, report in
        name + ": " + RadarChart.describe(report.fields.map { ($0.name.text(language), $0.score) }, noScore: req.t("checklist.no_score"))
      }.joined(separator: " / "),
      emptyLabel: req.t("checklist.no_score"), caption: caption)
  }


  static func actionRows(
    catalog: Catalog, entries: [String: MetiSheet.Entry], assessment: Assessment, today: CivilDate, req: Request,
    showAssessment: Bool
  ) throws -> [ActionRow] {
    let id = try assessment.requireID()
    let language = req.language
    return catalog.items.compactMap { item -> ActionRow? in
      guard let entry = entries[item.id], Assessments.needsAction(entry.answerID, catalog),
        let answer = catalog.scale.first(where: { $0.id == entry.answerID })
      else { return nil }
      let due = entry.due.flatMap { CivilDate(iso: $0) }
      return ActionRow(
        assessment: showAssessment ? assessment.title : nil, assessmentHref: showAssessment ? SiteRoute.assessment(id).path : nil,
        number: item.number ?? "", text: item.text.text(language), symbol: answer.symbol, label: answer.label.text(language),
        owner: entry.owner, due: due.flatMap { req.display($0) } ?? "", overdue: due.map { $0 < today } ?? false,
        href: SiteRoute.assessmentSection(id, item.sectionID).path + "#item-\(item.id)")
    }
  }

  // MARK: Handlers

  @Sendable static func index(req: Request) async throws -> Response {
    try await renderIndex(req, values: [:], errors: [:])
  }

  static func renderIndex(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
    async throws -> Response
  {
    let tenant = try await req.tenant()
    let organisationID = tenant.organisationID
    let language = req.language
    let catalogs = try await catalogs(req)
    let assessments = try await Assessment.query(in: organisationID, on: req.db).sort(\.$startedOn, .descending)
      .sort(\.$createdAt, .descending).all()
    var groups: [IndexView.Group] = []
    for catalog in catalogs {
      let own = assessments.filter { $0.catalogID == catalog.id }
      guard !own.isEmpty else { continue }
      var rows: [IndexView.Row] = []
      for assessment in own {
        // Scored with the version it was made with.
        let made = try await Assessments.catalog(for: assessment, builtIn: req.mamori.checklists, cache: req.mamori.catalogCache, on: req.db) ?? catalog
        let report = Scoring.score(made, answers: try await Assessments.entries(of: assessment, on: req.db).compactMapValues(\.answerID))
        rows.append(
          .init(
            title: assessment.title, href: SiteRoute.assessment(try assessment.requireID()).path,
            status: statusLabel(assessment, req), isComplete: assessment.isComplete,
            started: day(assessment.startedOn, req) ?? assessment.startedOn,
            completed: assessment.completedAt.map { req.display(CivilDate($0, in: tenant.timeZone)) ?? "" },
            overall: percent(report.overall, req), completeness: Scoring.format(report.completeness) + "%"))
      }
      groups.append(.init(catalogName: catalog.name.text(language), catalogID: catalog.id, rows: rows))
    }
    let selected = values["catalog"] ?? catalogs.first { $0.id == "tics-selfcheck-mamori" }?.id ?? catalogs.first?.id
    var formValues = values
    if formValues["title"] == nil {
      formValues["title"] = req.t("assessments.default_title", ["date": req.display(tenant.today) ?? ""])
    }
    return try await req.renderPage(
      "assessments", title: req.t("assessments.title"),
      body: IndexView(
        catalogs: catalogs.map { .init(id: $0.id, name: $0.name.text(language), items: $0.items.count, selected: $0.id == selected) },
        groups: groups.nonEmpty, values: formValues, errors: FieldErrors(errors)),
      status: status)
  }

  @Sendable static func start(req: Request) async throws -> Response {
    let form = try req.content.decode(StartForm.self)
    let values = ["catalog": form.catalog ?? "", "title": form.title ?? ""]
    guard let catalog = Assessments.catalog(form.catalog ?? "", in: try await catalogs(req)) else {
      return try await renderIndex(req, values: values, errors: ["catalog": req.t("validation.choice")], status: .unprocessableEntity)
    }
    do {
      let organisation = try await req.requireOrganisation()
      let assessment = try await Assessments.start(
        catalog: catalog, title: form.title ?? "", organisationID: try organisation.requireID(), actor: req.auditActor,
        today: req.today(for: organisation), now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.assessment(try assessment.requireID()), flash: .assessmentStarted)
    } catch let invalid as ValidationFailure {
      return try await renderIndex(req, values: values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func show(req: Request) async throws -> Response {
    try await renderShow(req, assessment: try await req.find(Assessment.self, "assessmentID"), errors: [:])
  }

  static func renderShow(_ req: Request, assessment: Assessment, errors: [String: String], status: HTTPResponseStatus = .ok)
    async throws -> Response
  {
    let catalog = try await catalog(for: assessment, req)
    let id = try assessment.requireID()
    let entries = try await Assessments.entries(of: assessment, on: req.db)
    let organisation = try await req.requireOrganisation()
    let others = try await Assessment.query(in: try req.requireOrganisationID(), on: req.db)
      .filter(\.$catalogID == assessment.catalogID).filter(\.$id != id).sort(\.$startedOn, .descending).all()
    let view = try showView(
      req, catalog: catalog, assessment: assessment, entries: entries, others: others, today: req.today(for: organisation),
      timeZone: Organisations.timeZone(organisation), errors: errors)
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
    return ShowView(
        title: assessment.title, catalogName: catalog.name.text(language), catalogVersion: assessment.catalogVersion,
        notice: catalog.notice?.text(language), status: statusLabel(assessment, req), isComplete: assessment.isComplete,
        started: day(assessment.startedOn, req) ?? assessment.startedOn,
        completed: assessment.completedAt.map { req.display(CivilDate($0, in: timeZone)) ?? "" },
        overall: percent(report.overall, req), completeness: Scoring.format(report.completeness) + "%",
        answered: report.answered, total: report.total, unanswered: report.total - report.answered,
        fields: report.fields.map { .init(name: $0.name.text(language), score: percent($0.score, req), counted: $0.counted, items: $0.items) },
        fieldSources: catalog.fields.map {
          MetiSheet.fieldProvenance($0, catalog: catalog, language: language, labels: exportLabels(req, catalog: catalog, assessment: ""))
        },
        svg: chart(catalog: catalog, language: language, series: [(assessment.title, report)], title: assessment.title, req: req),
        sections: sections, actions: actions.nonEmpty,
        others: try others.map { .init(id: try $0.requireID().uuidString.lowercased(), name: $0.title, items: 0, selected: false) }.nonEmpty,
        completeAction: SiteRoute.assessmentComplete(id).path, importAction: SiteRoute.assessmentImport(id).path,
        radarHref: SiteRoute.assessmentRadar(id).path, exportHref: SiteRoute.assessmentExport(id).path,
        compareAction: SiteRoute.assessmentCompare(id).path,
        firstSectionHref: (sections.first { !$0.done } ?? sections.first)?.href, errors: FieldErrors(errors))
  }

  @Sendable static func section(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    return try await renderSection(req, assessment: assessment, sectionID: req.parameters.get("sectionID") ?? "", overrides: [:], errors: [:])
  }

  static func renderSection(
    _ req: Request, assessment: Assessment, sectionID: String, overrides: [String: AnswerForm], errors: [String: String],
    status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let catalog = try await catalog(for: assessment, req)
    let entries = try await Assessments.entries(of: assessment, on: req.db)
    let files = try await AssessmentEvidence.query(on: req.db).filter(\.$assessment.$id == assessment.requireID()).sort(\.$createdAt).all()
    let view = try sectionView(
      req, catalog: catalog, assessment: assessment, sectionID: sectionID, entries: entries,
      evidence: Dictionary(grouping: files, by: \.itemID), overrides: overrides, errors: errors)
    return try await req.renderPage(
      "assessment-section", title: view.sectionTitle + " — " + assessment.title, body: view, status: status)
  }

  /// The answering page of one section, from the catalog and what has been filled in (no database).
  static func sectionView(
    _ req: Request, catalog: Catalog, assessment: Assessment, sectionID: String, entries: [String: MetiSheet.Entry],
    evidence: [String: [AssessmentEvidence]], overrides: [String: AnswerForm], errors: [String: String]
  ) throws -> SectionView {
    let pages = pages(catalog)
    guard let position = pages.firstIndex(where: { $0.id == sectionID }) else { throw Abort(.notFound) }
    let section = pages[position]
    let language = req.language
    let id = try assessment.requireID()
    let items = catalog.items.filter { $0.sectionID == section.id }.map { item -> ItemView in
      let entry = entries[item.id]
      let form = overrides[item.id]
      let chosen = form?.answer ?? entry?.answerID
      let provenance = req.t(item.provenance.labelKey)
      let source = catalog.source(item.source).map { citation($0, req) }
      return ItemView(
        id: item.id, anchor: "item-\(item.id)", number: item.number ?? "", text: item.text.text(language),
        guidance: item.guidance?.text(language), provenance: provenance, provenanceKind: item.provenance.rawValue, source: source,
        fields: item.fields.compactMap { catalog.field($0)?.name.text(language) }.joined(separator: language == .ja ? "・" : ", "),
        choices: catalog.scale.filter { $0.counts || item.allowNotApplicable }.map { answer in
          .init(
            value: answer.id, symbol: answer.symbol, label: answer.label.text(language), checked: chosen == answer.id,
            id: "answer-\(item.id)-\(answer.id)", definition: catalog.answerGuide?.definition(answer.id)?.text(language))
        },
        note: form?.note ?? entry?.note ?? "", owner: form?.owner ?? entry?.owner ?? "", due: form?.due ?? entry?.due ?? "",
        needsAction: Assessments.needsAction(chosen, catalog), error: errors[item.id],
        evidence: (evidence[item.id] ?? []).compactMap { file -> EvidenceRow? in
          guard let fileID = file.id else { return nil }
          return EvidenceRow(
            name: file.fileName, size: ByteCountFormatter.string(fromByteCount: Int64(file.size), countStyle: .file),
            href: SiteRoute.assessmentEvidenceFile(id, fileID).path, deleteForm: "evidence-delete-\(fileID.uuidString.lowercased())")
        }.nonEmpty,
        evidenceForm: "evidence-\(item.id)")
    }
    var forms = items.map { EvidenceForm(id: $0.evidenceForm, item: $0.id, action: SiteRoute.assessmentEvidence(id).path) }
    for item in items {
      for file in item.evidence ?? [] {
        forms.append(EvidenceForm(id: file.deleteForm, item: nil, action: file.href + "/delete"))
      }
    }
    let links = sectionLinks(catalog, entries: entries, assessmentID: id, language: language)
    return SectionView(
      assessmentTitle: assessment.title, assessmentHref: SiteRoute.assessment(id).path, sectionTitle: section.title.text(language),
      position: position + 1, count: pages.count, notice: catalog.notice?.text(language), guide: guideView(catalog, req),
      locked: assessment.isComplete,
      items: items, action: SiteRoute.assessmentSection(id, section.id).path, autosaveAction: SiteRoute.assessmentAutosave(id).path,
      previousHref: position > 0 ? links[position - 1].href : nil,
      nextHref: position + 1 < pages.count ? links[position + 1].href : nil, sections: links, hasErrors: !errors.isEmpty,
      evidenceForms: assessment.isComplete ? [] : forms,
      accept: EvidenceFile.acceptedExtensions.map { "." + $0 }.joined(separator: ","))
  }

  /// The whole section at once: the form's fallback without JavaScript, and its "save and next" button.
  @Sendable static func saveSection(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    let sectionID = req.parameters.get("sectionID") ?? ""
    let pages = pages(catalog)
    guard let position = pages.firstIndex(where: { $0.id == sectionID }) else { throw Abort(.notFound) }
    guard !assessment.isComplete else {
      return req.redirect(to: SiteRoute.assessment(try assessment.requireID()), flash: .errorAssessmentLocked)
    }
    let items = catalog.items.filter { $0.sectionID == sectionID }
    var forms: [String: AnswerForm] = [:]
    var errors: [String: String] = [:]
    for item in items {
      let form = AnswerForm(
        item: item.id, answer: try? req.content.get(String.self, at: "answer-\(item.id)"),
        note: try? req.content.get(String.self, at: "note-\(item.id)"), owner: try? req.content.get(String.self, at: "owner-\(item.id)"),
        due: try? req.content.get(String.self, at: "due-\(item.id)"))
      forms[item.id] = form
    }
    // Check every item first, so that a mistake saves nothing of the section.
    for item in items {
      let form = forms[item.id]!
      let issues = Assessments.problems(
        item: item, answer: form.answer, note: form.note ?? "", owner: form.owner ?? "", due: form.due ?? "", catalog: catalog)
      if let issue = issues.first { errors[item.id] = req.t(issue.key, issue.arguments) }
    }
    guard errors.isEmpty else {
      return try await renderSection(req, assessment: assessment, sectionID: sectionID, overrides: forms, errors: errors, status: .unprocessableEntity)
    }
    try await Assessments.saveAll(
      items.map { item in
        let form = forms[item.id]!
        return .init(itemID: item.id, answer: form.answer, note: form.note ?? "", owner: form.owner ?? "", due: form.due ?? "")
      }, to: assessment, catalog: catalog, actor: req.auditActor, now: req.now, on: req.db)
    let id = try assessment.requireID()
    if position + 1 < pages.count, (try? req.content.get(String.self, at: "next")) != nil {
      return req.redirect(to: SiteRoute.assessmentSection(id, pages[position + 1].id), flash: .saved)
    }
    return req.redirect(to: SiteRoute.assessmentSection(id, sectionID), flash: .saved)
  }

  struct AutosaveResult: Content {
    var saved: Bool
    var item: String
    var needsAction: Bool
    var answered: Int
    var total: Int
    var overall: String
    var completeness: String
    var message: String
  }

  /// One item, saved as soon as it changes (JSON back: the new totals, for the page's status line).
  @Sendable static func autosave(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    let form = try req.content.decode(AnswerForm.self)
    do {
      let entry = try await Assessments.save(
        assessment, catalog: catalog, itemID: form.item ?? "", answer: form.answer, note: form.note ?? "", owner: form.owner ?? "",
        due: form.due ?? "", actor: req.auditActor, now: req.now, on: req.db)
      let report = Scoring.score(catalog, answers: try await Assessments.entries(of: assessment, on: req.db).compactMapValues(\.answerID))
      let result = AutosaveResult(
        saved: true, item: form.item ?? "", needsAction: Assessments.needsAction(entry.answerID, catalog), answered: report.answered,
        total: report.total, overall: percent(report.overall, req), completeness: Scoring.format(report.completeness) + "%",
        message: req.t("assessments.autosaved"))
      return try await result.encodeResponse(for: req)
    } catch let invalid as ValidationFailure {
      let result = AutosaveResult(
        saved: false, item: form.item ?? "", needsAction: false, answered: 0, total: catalog.items.count, overall: "", completeness: "",
        message: req.messages(invalid.issues).values.first ?? req.t("form.has_errors"))
      let response = try await result.encodeResponse(for: req)
      response.status = .unprocessableEntity
      return response
    }
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
    let answers: [String: String]
    switch await req.mamori.uploads.parse(request, file: file.url) {
    case .answers(let parsed):
      answers = parsed
    case .refused(let lines, let total):
      return try await renderShow(
        req, assessment: assessment,
        errors: ["import": req.t("assessments.import_failed", ["count": String(total)]) + "\n" + lines.prefix(20).joined(separator: "\n")],
        status: .unprocessableEntity)
    case .unsupported, .catalog:
      return try await renderShow(req, assessment: assessment, errors: ["import": req.t("assessments.import_type")], status: .unprocessableEntity)
    }
    // An imported answer keeps the item's note, owner and due date.
    let entries = try await Assessments.entries(of: assessment, on: req.db)
    let assessmentID = try assessment.requireID().uuidString.lowercased()
    try await Assessments.saveAll(
      answers.sorted { $0.key < $1.key }.map { itemID, answer in
        let entry = entries[itemID]
        return .init(itemID: itemID, answer: answer, note: entry?.note ?? "", owner: entry?.owner ?? "", due: entry?.due ?? "")
      }, to: assessment, catalog: catalog,
      summary: AuditEvent(
        chain: AuditEvent.chain(assessment.$organisation.id), action: "assessment.import", recordType: "assessment", recordID: assessmentID,
        after: AuditChain.json(["file": name, "answers": String(answers.count)])),
      actor: req.auditActor, now: req.now, on: req.db)
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
    response.headers.replaceOrAdd(name: .contentDisposition, value: attachment("radar-\(assessment.catalogID)-\(assessment.startedOn).svg"))
    return response
  }

  @Sendable static func export(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    let organisation = try await req.requireOrganisation()
    let header = MetiSheet.Header(
      title: assessment.title, organisation: organisation.name, status: statusLabel(assessment, req), started: assessment.startedOn,
      completed: assessment.completedAt.map { CivilDate($0, in: Organisations.timeZone(organisation)).iso },
      labels: exportLabels(
        req, catalog: catalog,
        assessment: req.t(
          "checklist.sheet_assessment", ["title": assessment.title, "organisation": organisation.name, "status": statusLabel(assessment, req)])))
    let workbook = MetiSheet.workbook(
      catalog: catalog, entries: try await Assessments.entries(of: assessment, on: req.db), header: header, language: req.language)
    let data = try XLSXWriter.data(workbook)
    try await req.audit("assessment.export", "assessment", id: try assessment.requireID().uuidString.lowercased())
    let response = Response(status: .ok, body: .init(data: data))
    response.headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers.replaceOrAdd(name: .contentDisposition, value: attachment("\(assessment.catalogID)-\(assessment.startedOn).xlsx"))
    return response
  }

  static func attachment(_ name: String) -> String {
    "attachment; filename=\"\(name.filter { $0.isASCII && $0 != "\"" && $0 != "\\" })\""
  }

  @Sendable static func compare(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    let language = req.language
    guard let otherID = req.query[UUID.self, at: "with"],
      let other = try await Assessment.query(in: try req.requireOrganisationID(), on: req.db).filter(\.$id == otherID)
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
    let changes = Assessments.changes(catalog: catalog, from: otherEntries, to: entries).map { item in
      CompareView.Change(
        number: [item.sectionID.flatMap { catalog.section($0) }.flatMap { RadarLabel.short($0.title.text(language)) }, item.number]
          .compactMap { $0 }.joined(separator: "-"),
        text: item.text.text(language), before: symbol(otherEntries[item.id]), after: symbol(entries[item.id]),
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

  static func signed(_ value: Double) -> String {
    let text = Scoring.format(abs(value))
    return value > 0.05 ? "+" + text : (value < -0.05 ? "−" + text : "±0.0")
  }

  /// Every open △ and × of the assessments in progress and the latest completed one per catalog, with owner and due date.
  @Sendable static func actions(req: Request) async throws -> Response {
    let organisation = try await req.requireOrganisation()
    let assessments = try await Assessment.query(in: try organisation.requireID(), on: req.db).sort(\.$startedOn, .descending)
      .sort(\.$createdAt, .descending).all()
    var rows: [ActionRow] = []
    var seenComplete: Set<String> = []
    for assessment in assessments {
      if assessment.isComplete {
        guard !seenComplete.contains(assessment.catalogID) else { continue }
        seenComplete.insert(assessment.catalogID)
      }
      guard let catalog = try await Assessments.catalog(for: assessment, builtIn: req.mamori.checklists, cache: req.mamori.catalogCache, on: req.db) else { continue }
      rows += try actionRows(
        catalog: catalog, entries: try await Assessments.entries(of: assessment, on: req.db), assessment: assessment,
        today: req.today(for: organisation), req: req, showAssessment: true)
    }
    struct ActionsView: Encodable, Sendable {
      var rows: [ActionRow]?
      var backHref = SiteRoute.assessments.path
    }
    return try await req.renderPage("assessment-actions", title: req.t("assessments.actions_title"), body: ActionsView(rows: rows.nonEmpty))
  }
}

/// The label of a heading for compact references: "I" of 「I 共通項目」.
enum RadarLabel {
  static func short(_ heading: String) -> String? {
    heading.split(separator: " ", maxSplits: 1).first.map(String.init)
  }
}
