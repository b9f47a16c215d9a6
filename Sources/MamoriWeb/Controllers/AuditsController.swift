import Fluent
import Foundation
import MamoriCore
import Vapor

/// An auditor's view: the organisations that grant their body an audit, read-only, and only while the
/// grant is in force.
enum AuditsController {
  struct IndexView: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var organisation: String
      var period: String
      var purpose: String
      var state: String
      var stateCode: String
      var href: String?
    }

    var rows: [Row]?
  }

  @Sendable static func index(req: Request) async throws -> Response {
    guard let bodyID = try req.requireUser().bodyID else { throw Abort(.notFound) }
    let grants = try await Audits.allGrants(bodyID: bodyID, on: req.db)
    let rows = grants.map { item in
      let state = item.grant.state(on: req.today(for: item.organisation))
      return IndexView.Row(
        organisation: item.organisation.name,
        period: req.t(
          "audit_access.period",
          [
            "from": req.display(item.grant.startsOn) ?? "",
            "to": req.display(item.grant.endsOn) ?? "",
          ]),
        purpose: item.grant.purpose, state: req.t(state.labelKey), stateCode: state.rawValue,
        href: state == .active ? item.grant.id.map { SiteRoute.audit($0).path } : nil)
    }
    return try await req.renderPage("audits", title: req.t("audits.title"), body: IndexView(rows: rows.nonEmpty))
  }

  struct ShowView: Encodable, Sendable {
    struct Fact: Encodable, Sendable {
      var label: String
      var value: String
    }

    struct PersonRow: Encodable, Sendable {
      var code: String
      var name: String
      var department: String
      var employment: String
      var status: String
      var statusCode: String
    }

    var organisation: String
    var until: String
    var facts: [Fact]
    var departments: [String]?
    var people: [PersonRow]?
    var backHref = SiteRoute.audits.path
  }

  @Sendable static func show(req: Request) async throws -> Response {
    let item = try await req.requireActiveAuditGrant()
    let organisation = item.organisation
    let organisationID = try organisation.requireID()
    let today = req.today(for: organisation)
    let departments = try await Department.query(in: organisationID, on: req.db).sort(\.$code).all()
    let people = try await Person.query(in: organisationID, on: req.db).with(\.$department).sort(\.$code).all()
    let view = ShowView(
      organisation: organisation.name,
      until: req.t("audits.until", ["date": req.display(item.grant.endsOn) ?? ""]),
      facts: [
        .init(label: req.t("organisation.field.name_en"), value: organisation.nameEnglish.isEmpty ? "—" : organisation.nameEnglish),
        .init(label: req.t("organisation.field.industry"), value: organisation.industry.isEmpty ? "—" : organisation.industry),
        .init(label: req.t("organisation.field.employee_count"), value: organisation.employeeCount.map { "\($0)" } ?? "—"),
        .init(label: req.t("audits.purpose"), value: item.grant.purpose),
      ],
      departments: departments.map(\.name).nonEmpty,
      people: people.map { person in
        let status = person.status(on: today)
        return ShowView.PersonRow(
          code: person.code, name: person.fullName, department: person.department?.name ?? "—",
          employment: req.t(person.employment.labelKey), status: req.t(status.labelKey), statusCode: status.rawValue)
      }.nonEmpty)
    return try await req.renderPage("audit", title: organisation.name, body: view)
  }
}
