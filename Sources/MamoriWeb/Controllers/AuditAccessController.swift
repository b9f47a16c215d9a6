import Fluent
import Foundation
import MamoriCore
import Vapor

/// The organisation decides which certification body may read its records, and for how long.
enum AuditAccessController {
  struct View: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var body: String
      var period: String
      var purpose: String
      var state: String
      var stateCode: String
      var revokeAction: String?
    }

    var rows: [Row]?
    var fields: [FormField]
    var errors: FieldErrors
    var hasBodies: Bool
    var action = SiteRoute.auditAccess.path
  }


  static func fields(_ req: Request, bodies: [CertificationBody], values: [String: String], errors: FieldErrors) -> [FormField] {
    func day(_ name: String) -> FormField {
      FormField(
        name: name, label: req.t("audit_access.\(name)"), type: "date", value: values[name] ?? "", required: true,
        error: errors.messages[name])
    }
    return [
      .select(
        "body_id", label: req.t("audit_access.body"),
        options: bodies.compactMap { body in
          body.id.map { .init(value: $0.uuidString.lowercased(), label: body.name, selected: $0.uuidString.lowercased() == values["body_id"]) }
        }, errors: errors, required: true),
      .text(
        AuditAccesses.purpose, label: req.t("audit_access.purpose"), value: values["purpose"], errors: errors,
        hint: req.t("audit_access.purpose_hint")),
      day("starts_on"),
      day("ends_on"),
    ]
  }

  @Sendable static func index(req: Request) async throws -> Response {
    let organisation = try await req.requireOrganisation()
    let today = req.today(for: organisation)
    return try await render(
      req, values: ["starts_on": today.iso, "ends_on": today.adding(days: 30).iso], errors: [:])
  }

  static func render(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
    async throws -> Response
  {
    let organisation = try await req.requireOrganisation()
    let today = req.today(for: organisation)
    let grants = try await AuditAccess.query(in: try organisation.requireID(), on: req.db)
      .with(\.$body).sort(\.$startsOn, .descending).all()
    let bodies = try await CertificationBody.query(on: req.db).sort(\.$name).all()
    let rows = grants.map { grant in
      let state = grant.state(on: today)
      return View.Row(
        body: grant.body.name,
        period: req.t(
          "audit_access.period",
          ["from": req.display(grant.startsOn) ?? "", "to": req.display(grant.endsOn) ?? ""]),
        purpose: grant.purpose, state: req.t(state.labelKey), stateCode: state.rawValue,
        revokeAction: (state == .active || state == .scheduled) ? grant.id.map { SiteRoute.auditAccessRevoke($0).path } : nil)
    }
    return try await req.renderPage(
      "audit-access", title: req.t("audit_access.title"),
      body: View(
        rows: rows.nonEmpty,
        fields: fields(req, bodies: bodies, values: values, errors: FieldErrors(errors)), errors: FieldErrors(errors),
        hasBodies: !bodies.isEmpty),
      status: status)
  }

  struct Form: Content {
    var body_id: String?
    var starts_on: String?
    var ends_on: String?
    var purpose: String?
  }

  @Sendable static func grant(req: Request) async throws -> Response {
    let organisationID = try req.requireOrganisationID()
    let form = try req.content.decode(Form.self)
    let values = [
      "body_id": (form.body_id ?? "").lowercased(), "starts_on": form.starts_on ?? "", "ends_on": form.ends_on ?? "",
      "purpose": (form.purpose ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
    ]
    do {
      _ = try await AuditAccesses.grant(
        .init(bodyID: values["body_id"]!, startsOn: values["starts_on"]!, endsOn: values["ends_on"]!, purpose: values["purpose"]!),
        organisationID: organisationID, actor: req.auditActor, now: req.now, on: req.db)
    } catch let invalid as ValidationFailure {
      return try await render(req, values: values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
    return req.redirect(to: SiteRoute.auditAccess, flash: .auditGranted)
  }

  @Sendable static func revoke(req: Request) async throws -> Response {
    let grant = try await req.find(AuditAccess.self, "accessID")
    try await AuditAccesses.revoke(grant, actor: req.auditActor, now: req.now, on: req.db)
    return req.redirect(to: SiteRoute.auditAccess, flash: .auditRevoked)
  }
}
