import Fluent
import Foundation
import MamoriCore
import Vapor

/// Self-checks against the checklists: history per catalog, one page per section with autosave, scores
/// and the radar chart, completion and lock, comparison, the action list, and the workbook. The pages'
/// data and the helpers they share are here; the view models in Assessments+View; the handlers in the
/// other files of this folder.
enum AssessmentsController {
  static func catalog(for assessment: Assessment, _ req: Request) async throws -> Catalog {
    guard let catalog = try await Assessments.catalog(for: assessment, builtIn: req.mamori.checklists, cache: req.mamori.catalogCache, on: req.db) else {
      throw Abort(.notFound)
    }
    return catalog
  }

  /// The catalogs the signed-in user's organisation can assess against.
  static func catalogs(_ req: Request) async throws -> [Catalog] {
    try await Assessments.catalogs(
      builtIn: req.mamori.checklists, organisationID: try await req.tenant().organisationID, cache: req.mamori.catalogCache, on: req.db)
  }

  /// The data of the history page: every round with the catalog it was made with and its answers, in
  /// three queries whatever the number of rounds.
  struct IndexModel {
    var catalogs: [Catalog]
    var assessments: [Assessment]
    var madeWith: [UUID: Catalog]
    var entries: [UUID: [String: MetiSheet.Entry]]

    static func load(_ req: Request) async throws -> IndexModel {
      let tenant = try await req.tenant()
      let catalogs = try await AssessmentsController.catalogs(req)
      let assessments = try await Assessment.query(in: tenant.organisationID, on: req.db).sort(\.$startedOn, .descending)
        .sort(\.$createdAt, .descending).all()
      // Every version of the organisation's own catalogs at once (at most `maximumOrganisationCatalogs`).
      let own = try await OrganisationCatalog.query(on: req.db).filter(\.$organisation.$id == tenant.organisationID).all()
      var madeWith: [UUID: Catalog] = [:]
      for assessment in assessments {
        let id = try assessment.requireID()
        if let builtIn = Assessments.catalog(assessment.catalogID, in: req.mamori.checklists) {
          madeWith[id] = builtIn
        } else if let row = own.first(where: { $0.catalogID == assessment.catalogID && $0.version == assessment.catalogVersion }),
          let catalog = req.mamori.catalogCache.catalog(yaml: row.yaml, file: row.fileName)
        {
          madeWith[id] = catalog
        }
      }
      return IndexModel(
        catalogs: catalogs, assessments: assessments, madeWith: madeWith,
        entries: try await Assessments.entries(of: assessments, on: req.db))
    }
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
        total: items.count, done: answered == items.count, sectionID: section.id)
    }
  }

  /// The first item still to answer, or else to confirm after a carry-over, as a link into its section.
  static func firstOpenItem(_ catalog: Catalog, entries: [String: MetiSheet.Entry], assessmentID: UUID) -> String? {
    let open =
      catalog.items.first { entries[$0.id]?.answerID == nil }
      ?? catalog.items.first { entries[$0.id]?.carriedOver == true }
    return open.map { SiteRoute.assessmentSection(assessmentID, $0.sectionID).path + "#item-\($0.id)" }
  }

  /// An item's number qualified by its section, as the comparison page and the action list show it: I-2.
  static func qualifiedNumber(_ item: Catalog.Item, catalog: Catalog, language: Language) -> String {
    [item.sectionID.flatMap { catalog.section($0) }.flatMap { RadarLabel.short($0.title.text(language)) }, item.number]
      .compactMap { $0 }.joined(separator: "-")
  }

  static func statusLabel(_ assessment: Assessment, _ req: Request) -> String {
    req.t(assessment.isComplete ? "assessments.status_complete" : "assessments.status_in_progress")
  }

  static func percent(_ value: Double?, _ req: Request) -> String {
    value.map { Scoring.format($0) + "%" } ?? req.t("checklist.no_score")
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
        number: qualifiedNumber(item, catalog: catalog, language: language), text: item.text.text(language), symbol: answer.symbol,
        label: answer.label.text(language), owner: entry.owner, due: due.flatMap { req.display($0) } ?? "",
        overdue: due.map { $0 < today } ?? false, href: SiteRoute.assessmentSection(id, item.sectionID).path + "#item-\(item.id)")
    }
  }

  static func signed(_ value: Double) -> String {
    let text = Scoring.format(abs(value))
    return value > 0.05 ? "+" + text : (value < -0.05 ? "−" + text : "±0.0")
  }

  static func attachment(_ name: String) -> String {
    "attachment; filename=\"\(name.filter { $0.isASCII && $0 != "\"" && $0 != "\\" })\""
  }
}

/// The label of a heading for compact references: "I" of 「I 共通項目」.
enum RadarLabel {
  static func short(_ heading: String) -> String? {
    heading.split(separator: " ", maxSplits: 1).first.map(String.init)
  }
}
