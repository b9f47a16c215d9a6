import Fluent
import Foundation
import MamoriCore
import Vapor

/// The answering page of one section: autosave per item, or the whole section as a form without
/// JavaScript.
extension AssessmentsController {
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
    let files = try await AssessmentEvidence.query(on: req.db).filter(\.$organisation.$id == assessment.$organisation.id)
      .filter(\.$assessment.$id == assessment.requireID()).sort(\.$createdAt).all()
    let actions = try await AssessmentActions.latest(organisationID: assessment.$organisation.id, catalogID: catalog.id, on: req.db)
    let view = try sectionView(
      req, catalog: catalog, assessment: assessment, sectionID: sectionID, entries: entries,
      evidence: Dictionary(grouping: files, by: \.itemID), actions: actions, overrides: overrides, errors: errors)
    return try await req.renderPage(
      "assessment-section", title: view.sectionTitle + " — " + assessment.title, body: view, status: status)
  }

  /// The answering page of one section, from the catalog and what has been filled in (no database).
  static func sectionView(
    _ req: Request, catalog: Catalog, assessment: Assessment, sectionID: String, entries: [String: MetiSheet.Entry],
    evidence: [String: [AssessmentEvidence]], actions: [String: AssessmentAction] = [:], overrides: [String: AnswerForm],
    errors: [String: String]
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
      // A quoted item shown in another language is our translation of the quote, not the quote itself.
      let translated = item.provenance == .verbatim && language != .ja
      let provenance = req.t(translated ? "provenance.verbatim_translated" : item.provenance.labelKey)
      let source = catalog.source(item.source).map { citation($0, req) }
      let note = form?.note ?? entry?.note ?? ""
      let files = evidence[item.id] ?? []
      let needsAction = Assessments.needsAction(chosen, catalog)
      return ItemView(
        id: item.id, anchor: "item-\(item.id)", number: item.number ?? "", text: item.text.text(language),
        guidance: item.guidance?.text(language), provenance: provenance, provenanceKind: translated ? "translated" : item.provenance.rawValue, source: source,
        fields: item.fields.compactMap { catalog.field($0)?.name.text(language) }.joined(separator: language == .ja ? "・" : ", "),
        choices: catalog.scale.filter { $0.counts || item.allowNotApplicable }.map { answer in
          .init(
            value: answer.id, symbol: answer.symbol, label: answer.label.text(language), checked: chosen == answer.id,
            id: "answer-\(item.id)-\(answer.id)", definition: catalog.answerGuide?.definition(answer.id)?.text(language))
        },
        note: note, owner: form?.owner ?? entry?.owner ?? "", due: form?.due ?? entry?.due ?? "",
        needsAction: needsAction, carriedOver: form == nil && entry?.carriedOver == true,
        actionStatus: actions[item.id].map { req.t("actions.item_status", ["status": req.t($0.status.labelKey)]) },
        actionStatusCode: actions[item.id]?.status.rawValue, actionHref: actions[item.id]?.id.map { SiteRoute.assessmentAction($0).path },
        openDetails: needsAction || !note.isEmpty || !files.isEmpty || errors[item.id] != nil, error: errors[item.id],
        evidence: files.compactMap { file -> EvidenceRow? in
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
      position: position + 1, count: pages.count,
      noticeHref: catalog.notice == nil ? nil : SiteRoute.assessment(id).path + "#catalog-notice", guide: guideView(catalog, req),
      locked: assessment.isComplete,
      items: items, action: SiteRoute.assessmentSection(id, section.id).path, autosaveAction: SiteRoute.assessmentAutosave(id).path,
      previousHref: position > 0 ? links[position - 1].href : nil,
      nextHref: position + 1 < pages.count ? links[position + 1].href : nil, sections: links, hasErrors: !errors.isEmpty,
      evidenceForms: assessment.isComplete ? [] : forms,
      accept: EvidenceFile.acceptedExtensions.map { "." + $0 }.joined(separator: ","), sectionID: section.id)
  }

  /// The whole section at once: the form's fallback without JavaScript, and its "save and next" button.
  /// Saving the section confirms every item on it that was carried over: the officer has seen them.
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

  /// One item, saved as soon as it changes (JSON back: the new totals and the section's count, for the
  /// page's status line and navigation).
  @Sendable static func autosave(req: Request) async throws -> Response {
    let assessment = try await req.find(Assessment.self, "assessmentID")
    let catalog = try await catalog(for: assessment, req)
    let form = try req.content.decode(AnswerForm.self)
    do {
      let entry = try await Assessments.save(
        assessment, catalog: catalog, itemID: form.item ?? "", answer: form.answer, note: form.note ?? "", owner: form.owner ?? "",
        due: form.due ?? "", actor: req.auditActor, now: req.now, on: req.db)
      let entries = try await Assessments.entries(of: assessment, on: req.db)
      let report = Scoring.score(catalog, answers: entries.compactMapValues(\.answerID))
      let sectionID = catalog.item(form.item ?? "")?.sectionID
      let sectionItems = catalog.items.filter { $0.sectionID == sectionID }
      let result = AutosaveResult(
        saved: true, item: form.item ?? "", needsAction: Assessments.needsAction(entry.answerID, catalog), answered: report.answered,
        total: report.total, overall: percent(report.overall, req), completeness: Scoring.format(report.completeness) + "%",
        message: req.t("assessments.autosaved"), section: sectionID,
        sectionAnswered: sectionItems.filter { entries[$0.id]?.answerID != nil }.count, sectionTotal: sectionItems.count)
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
}
