import Fluent
import Foundation
import MamoriCore
import Vapor

/// The checklists an organisation can assess against: the built-in ones, with their sources and the
/// provenance of their texts, and the organisation's own, uploaded as YAML (docs/catalogs.md).
enum CatalogsController {
  struct IndexView: Encodable, Sendable {
    struct SourceRow: Encodable, Sendable {
      var text: String
      var href: String?
      var note: String?
    }

    struct Row: Encodable, Sendable {
      var id: String
      var name: String
      var description: String?
      var notice: String?
      var version: Int
      var items: Int
      var fields: String
      var provenance: String
      var verbatim: Int
      var paraphrase: Int
      var ours: Int
      var sources: [SourceRow]
      var fieldSources: [String]
      var fieldDefinitions: [String]?
      var officialHref: String?
      var builtIn: Bool
    }

    var rows: [Row]
    var action = SiteRoute.catalogs.path
    var startHref = SiteRoute.assessments.path
    var error: String?
  }

  @Sendable static func index(req: Request) async throws -> Response {
    try await render(req, error: nil)
  }

  static func render(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
    let view = indexView(
      req, catalogs: try await AssessmentsController.catalogs(req), builtIn: Set(req.mamori.checklists.map(\.id)), error: error)
    return try await req.renderPage("catalogs", title: req.t("catalogs.title"), body: view, status: status)
  }

  /// The page from the catalogs (no database).
  static func indexView(_ req: Request, catalogs: [Catalog], builtIn: Set<String>, error: String?) -> IndexView {
    let language = req.language
    func labels(_ catalog: Catalog) -> MetiSheet.Labels { AssessmentsController.exportLabels(req, catalog: catalog, assessment: "") }
    /// 「特定（…）：リスクの所在・大きさ等を理解・把握する（出典：…（原文引用））」
    func definitions(_ catalog: Catalog) -> [String] {
      var lines: [String] = []
      for field in catalog.fields {
        guard let definition = field.definition else { continue }
        var line = MetiSheet.labelled(field.name.text(language), definition.text(language), language)
        if let source = catalog.source(field.definitionSource) {
          let cited = req.t(
            "checklist.answer_guide_source",
            ["source": AssessmentsController.citation(source, req), "provenance": req.t(Provenance.verbatim.labelKey)])
          line += MetiSheet.parenthesised(cited, language)
        }
        lines.append(line)
      }
      return lines
    }
    func row(_ catalog: Catalog) -> IndexView.Row {
      let sources: [IndexView.SourceRow] = catalog.sources.map {
        IndexView.SourceRow(text: AssessmentsController.citation($0, req), href: $0.url, note: $0.note?.text(language))
      }
      let fieldLabels = labels(catalog)
      let fieldSources: [String] = catalog.fields.map {
        MetiSheet.fieldProvenance($0, catalog: catalog, language: language, labels: fieldLabels)
      }
      return IndexView.Row(
        id: catalog.id, name: catalog.name.text(language), description: catalog.description?.text(language),
        notice: catalog.notice?.text(language), version: catalog.version, items: catalog.items.count,
        fields: catalog.fields.map { $0.name.text(language) }.joined(separator: language == .ja ? "・" : ", "), provenance: req.t(catalog.provenance.labelKey),
        verbatim: catalog.items.filter { $0.provenance == .verbatim }.count,
        paraphrase: catalog.items.filter { $0.provenance == .paraphrase }.count,
        ours: catalog.items.filter { $0.provenance == .ours }.count,
        sources: sources, fieldSources: fieldSources, fieldDefinitions: definitions(catalog).nonEmpty,
        officialHref: catalog.officialURL, builtIn: builtIn.contains(catalog.id))
    }
    let rows = catalogs.map(row)
    return IndexView(rows: rows, error: error)
  }

  @Sendable static func upload(req: Request) async throws -> Response {
    let upload = try await req.receiveUpload()
    guard let file = upload.file else {
      return try await render(req, error: req.t("catalogs.no_file"), status: .unprocessableEntity)
    }
    defer { file.remove() }
    let name = file.fileName.isEmpty ? "catalog.yaml" : file.fileName
    guard ["yaml", "yml"].contains((name as NSString).pathExtension.lowercased()) else {
      return try await render(req, error: req.t("catalogs.type"), status: .unprocessableEntity)
    }
    // Read and checked in the sandbox first; only a catalog it accepted is parsed by the server.
    switch await req.mamori.uploads.parse(UploadRequest(kind: .catalog, fileName: name), file: file.url) {
    case .catalog:
      break
    case .refused(let lines, _):
      return try await render(req, error: req.t("catalogs.invalid") + "\n" + lines.joined(separator: "\n"), status: .unprocessableEntity)
    case .answers, .entries, .unsupported, .registerRows, .registerRefused:
      return try await render(req, error: req.t("catalogs.type"), status: .unprocessableEntity)
    }
    guard let yaml = String(data: try file.data(), encoding: .utf8) else {
      return try await render(req, error: req.t("catalogs.not_utf8"), status: .unprocessableEntity)
    }
    do {
      _ = try await Assessments.upload(
        yaml: yaml, fileName: name, builtIn: req.mamori.checklists, organisationID: try req.requireOrganisationID(),
        actor: req.auditActor, now: req.now, cache: req.mamori.catalogCache, on: req.db)
      return req.redirect(to: SiteRoute.catalogs, flash: .catalogUploaded)
    } catch let error as CatalogError {
      return try await render(req, error: req.t("catalogs.invalid") + "\n" + error.description, status: .unprocessableEntity)
    }
  }
}
