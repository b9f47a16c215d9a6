import Fluent
import Foundation
import MamoriCore
import Vapor

/// The organisation's audit trail for its officers and administrators: read, filter, export.
enum AuditTrailController {
  @Sendable static func index(req: Request) async throws -> Response {
    let body = try await req.listBody("audit-trail", in: req.mamori.auditTrailBodies) {
      AuditTrailPage.view(try await AuditTrailPage.load(req, filter: AuditTrailPage.Filter(query: req.query)), req)
    }
    return try await req.renderPage("audit-trail", title: req.t("audit_trail.title"), body: body)
  }

  /// The filtered trail as CSV or JSON lines (the columns of `mamori audit export`); the export itself
  /// is an entry of the trail.
  @Sendable static func export(req: Request) async throws -> Response {
    let format = AuditCommands.Format(rawValue: (try? req.query.get(String.self, at: "format")) ?? "csv") ?? .csv
    let filter = AuditTrailPage.Filter(query: req.query)
    let organisation = try await req.requireOrganisation()
    let chain = AuditEvent.chain(try organisation.requireID())
    let records = try await AuditTrail.records(
      where: filter.condition(chain: chain, timeZone: Organisations.timeZone(organisation)), on: req.db)
    try await req.audit(
      "audit.export", "audit_trail", id: chain,
      after: AuditChain.json(["format": format.rawValue, "entries": String(records.count)]))
    let text = AuditCommands.lines(records, format: format).map { $0 + "\n" }.joined()
    let response = Response(status: .ok, body: .init(string: (format == .csv ? "\u{FEFF}" : "") + text))
    response.headers.contentType =
      format == .csv
      ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
      : HTTPMediaType(type: "application", subType: "x-ndjson", parameters: ["charset": "utf-8"])
    let day = req.today(for: organisation).iso
    response.headers.replaceOrAdd(
      name: .contentDisposition, value: "attachment; filename=\"audit-trail-\(organisation.slug)-\(day).\(format.rawValue)\"")
    return response
  }
}
