import Foundation
import MamoriCore
import Vapor

/// `/register/import`: people, assets or grants from a CSV file or an `.xlsx` workbook. The file is read
/// by the sandboxed child (`mamori sandbox-parse`); the server only checks and writes the rows it
/// returns, through the same operation as `mamori import` (`RegisterImport.apply`), all or nothing.
enum RegisterImportPage {
  struct View: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
      var value: String
      var label: String
      var selected: Bool
    }

    var files: [Choice]
    var action = SiteRoute.registerImport.path
    var backHref: String
    var backLabel: String
    var maximum: String
    /// What was written, one line each; nil before an import.
    var report: [String]?
    /// Why nothing was written: a summary, then every problem as `FILE:LINE: column: reason`.
    var failure: String?
    var problems: String?
  }

  static func view(
    file: RegisterFile, report: [String]? = nil, failure: String? = nil, problems: [String] = [], req: Request
  ) -> View {
    let back: SiteRoute = file == .people ? .people : .assets
    return View(
      files: RegisterFile.allCases.map {
        View.Choice(value: $0.rawValue, label: req.t("register_import_page.file.\($0.rawValue)"), selected: $0 == file)
      },
      backHref: back.path, backLabel: req.t(file == .people ? "people.title" : "assets.title"),
      maximum: req.t("register_import_page.maximum", ["mib": "\(UploadParser.maximumBytes >> 20)"]), report: report,
      failure: failure, problems: problems.isEmpty ? nil : problems.joined(separator: "\n"))
  }

  static func render(
    _ req: Request, file: RegisterFile, report: [String]? = nil, failure: String? = nil, problems: [String] = [],
    status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    try await req.renderPage(
      "register-import", title: req.t("register_import_page.title"),
      body: view(file: file, report: report, failure: failure, problems: problems, req: req), status: status)
  }

  @Sendable static func show(req: Request) async throws -> Response {
    let file = req.query[String.self, at: "file"].flatMap(RegisterFile.init(rawValue:)) ?? .people
    return try await render(req, file: file)
  }

  @Sendable static func upload(req: Request) async throws -> Response {
    let upload = try await req.receiveUpload()
    defer { upload.file?.remove() }
    guard let file = upload.fields["kind"].flatMap(RegisterFile.init(rawValue:)) else { throw Abort(.badRequest) }
    guard let received = upload.file, received.size > 0 else {
      return try await render(req, file: file, failure: req.t("register_import_page.no_file"), status: .unprocessableEntity)
    }
    let name = received.fileName.isEmpty ? "\(file.rawValue).csv" : received.fileName
    let tenant = try await req.tenant()
    let rows: RegisterCSV.Rows
    // Read in the sandbox child: a hostile workbook or CSV costs one refused upload, never the server.
    switch await req.mamori.uploads.parse(UploadRequest(kind: .register, fileName: name, registerFile: file), file: received.url) {
    case .registerRows(let parsed):
      rows = parsed.registerRows
    case .registerRefused(let problems):
      return try await refuse(req, file: file, name: name, problems: problems)
    case .refused(let lines, let total):
      return try await render(
        req, file: file, failure: req.t("register_import_page.failed", ["count": "\(total)"]), problems: lines,
        status: .unprocessableEntity)
    case .unsupported, .answers, .entries, .catalog:
      return try await render(req, file: file, failure: req.t("register_import_page.type"), status: .unprocessableEntity)
    }
    do {
      let report = try await RegisterImport.apply(
        file, rows: rows, organisationID: tenant.organisationID, today: tenant.today, actor: req.auditActor, now: req.now,
        on: req.db)
      var lines = [
        req.t(
          "register_import_page.result",
          ["file": name, "created": "\(report.created)", "updated": "\(report.updated)", "unchanged": "\(report.unchanged)"])
      ]
      if !report.createdDepartments.isEmpty {
        lines.append(req.t("register_import_page.departments", ["names": report.createdDepartments.joined(separator: ", ")]))
      }
      if !rows.unknownColumns.isEmpty {
        lines.append(req.t("register_import_page.ignored", ["names": rows.unknownColumns.joined(separator: ", ")]))
      }
      return try await render(req, file: file, report: lines)
    } catch let failure as ImportFailure {
      return try await refuse(req, file: file, name: name, problems: failure.problems)
    }
  }

  static func refuse(_ req: Request, file: RegisterFile, name: String, problems: [ImportProblem]) async throws -> Response {
    let lines = problems.map { RegisterCommands.problem(name, $0, catalog: req.mamori.catalog, language: req.language) }
    return try await render(
      req, file: file, failure: req.t("register_import_page.failed", ["count": "\(lines.count)"]), problems: lines,
      status: .unprocessableEntity)
  }
}
