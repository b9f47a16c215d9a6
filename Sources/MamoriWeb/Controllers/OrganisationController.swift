import Fluent
import Foundation
import MamoriCore
import Vapor

/// The organisation's profile (事業者情報): administrators edit it, officers read it.
enum OrganisationController {
  struct View: Encodable, Sendable {
    var canEdit: Bool
    var values: [String: String]
    var fields: [FormField]
    var errors: FieldErrors
    var action = SiteRoute.organisation.path
    var usersHref: String
    var auditAccessHref: String?
  }

  struct Form: Content {
    var name: String?
    var name_en: String?
    var industry: String?
    var capital_yen: String?
    var employee_count: String?
    var time_zone: String?
    var key_person_percent: String?
  }

  static let timeZones = Organisations.timeZones

  @Sendable static func show(req: Request) async throws -> Response {
    let organisation = try await req.requireOrganisation()
    return try await render(req, values: values(of: organisation), errors: [:])
  }

  static func values(of organisation: Organisation) -> [String: String] {
    [
      "slug": organisation.slug, "name": organisation.name, "name_en": organisation.nameEnglish,
      "industry": organisation.industry, "capital_yen": organisation.capitalYen.map { "\($0)" } ?? "",
      "employee_count": organisation.employeeCount.map { "\($0)" } ?? "", "time_zone": organisation.timeZone,
      "key_person_percent": "\(organisation.keyPersonPercent)",
    ]
  }

  static func render(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
    async throws -> Response
  {
    let isAdmin = Policy.can(try req.requireUser().principal, .administerOrganisation)
    let errors = FieldErrors(errors)
    func number(_ name: String) -> FormField {
      FormField(
        name: name, label: req.t("organisation.field.\(name)"), value: values[name] ?? "", inputMode: "numeric",
        error: errors.messages[name])
    }
    let fields: [FormField] = [
      .text(Organisations.name, label: req.t("organisation.field.name"), value: values["name"], errors: errors),
      .text(Organisations.nameEnglish, label: req.t("organisation.field.name_en"), value: values["name_en"], errors: errors),
      .text(
        Organisations.industry, label: req.t("organisation.field.industry"), value: values["industry"], errors: errors,
        hint: req.t("organisation.industry_hint")),
      number("capital_yen"),
      number("employee_count"),
      .select(
        "time_zone", label: req.t("organisation.field.time_zone"),
        options: timeZones.map { .init(value: $0, label: $0, selected: $0 == values["time_zone"]) }, errors: errors),
      FormField(
        name: "key_person_percent", label: req.t("organisation.field.key_person_percent"), type: "number",
        value: values["key_person_percent"] ?? "", min: Findings.keyPersonPercentRange.lowerBound,
        max: Findings.keyPersonPercentRange.upperBound, hint: req.t("organisation.key_person_percent_hint"),
        error: errors.messages["key_person_percent"]),
    ]
    return try await req.renderPage(
      "organisation", title: req.t("organisation.title"),
      body: View(
        canEdit: isAdmin, values: values, fields: fields, errors: errors,
        usersHref: SiteRoute.organisationUsers.path, auditAccessHref: isAdmin ? SiteRoute.auditAccess.path : nil),
      status: status)
  }

  @Sendable static func update(req: Request) async throws -> Response {
    let organisation = try await req.requireOrganisation()
    let form = try req.content.decode(Form.self)
    var values = values(of: organisation)
    func trimmed(_ value: String?) -> String { (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    values["name"] = trimmed(form.name)
    values["name_en"] = trimmed(form.name_en)
    values["industry"] = trimmed(form.industry)
    values["capital_yen"] = trimmed(form.capital_yen).replacingOccurrences(of: ",", with: "")
    values["employee_count"] = trimmed(form.employee_count).replacingOccurrences(of: ",", with: "")
    values["time_zone"] = trimmed(form.time_zone)
    if form.key_person_percent != nil { values["key_person_percent"] = trimmed(form.key_person_percent) }
    // Numbers are read here (the form sends text); every other rule is the update's own.
    var errors: [String: String] = [:]
    let capital = values["capital_yen"]!.isEmpty ? nil : Int(values["capital_yen"]!)
    if !values["capital_yen"]!.isEmpty, capital == nil { errors["capital_yen"] = req.t("validation.number") }
    let employees = values["employee_count"]!.isEmpty ? nil : Int(values["employee_count"]!)
    if !values["employee_count"]!.isEmpty, employees == nil { errors["employee_count"] = req.t("validation.number") }
    let percent = Int(values["key_person_percent"] ?? "")
    if percent == nil { errors["key_person_percent"] = req.t("validation.number") }
    guard errors.isEmpty else { return try await render(req, values: values, errors: errors, status: .unprocessableEntity) }
    do {
      try await Organisations.update(
        organisation,
        .init(
          name: values["name"], nameEnglish: values["name_en"], industry: values["industry"], capitalYen: .some(capital),
          employeeCount: .some(employees), timeZone: values["time_zone"], keyPersonPercent: percent),
        actor: req.auditActor, now: req.now, on: req.db)
    } catch let invalid as ValidationFailure {
      return try await render(req, values: values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
    return req.redirect(to: SiteRoute.organisation, flash: .saved)
  }
}
