import Fluent
import Foundation
import MamoriCore
import Vapor

/// The organisation's handling rules, one per level: a form for the officer and, printed, the rule
/// sheet on A4.
enum HandlingRulesPage {
  struct View: Encodable, Sendable {
    struct Field: Encodable, Sendable {
      var name: String
      var label: String
      var hint: String
      var value: String
      var error: String?
    }

    struct Level: Encodable, Sendable {
      var level: String
      var label: String
      var fields: [Field]
      var isEmpty: Bool
    }

    struct SheetRow: Encodable, Sendable {
      var label: String
      var cells: [String]
    }

    var levels: [Level]
    /// The rule sheet: one row per item, one column per level, as stored (not as being edited).
    var sheet: [SheetRow]
    var action = SiteRoute.handlingRules.path
    var organisation: String
    var updated: String
    var maximum: Int
  }

  struct Form: Content {
    var level: String?
    var marking: String?
    var copying: String?
    var printing: String?
    var taking_out: String?
    var sending: String?
    var storage: String?
    var disposal: String?

    var text: AssetRegister.RuleText {
      AssetRegister.RuleText(values: [
        "marking": marking ?? "", "copying": copying ?? "", "printing": printing ?? "", "taking_out": taking_out ?? "",
        "sending": sending ?? "", "storage": storage ?? "", "disposal": disposal ?? "",
      ])
    }
  }

  static func render(
    _ req: Request, submitted: (AssetLevel, [String: String], [String: String])? = nil, status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let tenant = try await req.tenant()
    let rules = try await HandlingRule.query(in: tenant.organisationID, on: req.db).all()
    return try await req.renderPage(
      "handling-rules", title: req.t("handling_rules.title"),
      body: view(rules: rules, organisation: tenant.organisation.name, today: tenant.today, submitted: submitted, req: req),
      status: status)
  }

  static func view(
    rules: [HandlingRule], organisation: String, today: CivilDate, submitted: (AssetLevel, [String: String], [String: String])?,
    req: Request
  ) -> View {
    func stored(_ level: AssetLevel) -> [String: String] {
      let rule = rules.first { $0.level == level }
      return [
        "marking": rule?.marking ?? "", "copying": rule?.copying ?? "", "printing": rule?.printing ?? "",
        "taking_out": rule?.takingOut ?? "", "sending": rule?.sending ?? "", "storage": rule?.storage ?? "",
        "disposal": rule?.disposal ?? "",
      ]
    }
    let sheet = AssetRegister.RuleText.fields.map { field in
      View.SheetRow(
        label: req.t("handling_rules.field.\(field)"),
        cells: AssetLevel.allCases.map { stored($0)[field].flatMap { $0.isEmpty ? nil : $0 } ?? "—" })
    }
    let levels = AssetLevel.allCases.map { level -> View.Level in
      let stored = stored(level)
      let values = submitted.flatMap { $0.0 == level ? $0.1 : nil } ?? stored
      let errors = submitted.flatMap { $0.0 == level ? $0.2 : nil } ?? [:]
      return View.Level(
        level: level.rawValue, label: req.t(level.labelKey),
        fields: AssetRegister.RuleText.fields.map {
          View.Field(
            name: $0, label: req.t("handling_rules.field.\($0)"), hint: req.t("handling_rules.hint.\($0)"),
            value: values[$0] ?? "", error: errors[$0])
        },
        isEmpty: stored.values.allSatisfy(\.isEmpty))
    }
    return View(
      levels: levels, sheet: sheet, organisation: organisation,
      updated: req.t("handling_rules.as_of", ["date": req.display(today) ?? ""]), maximum: AssetRegister.RuleText.maximum)
  }
}
