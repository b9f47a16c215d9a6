import Fluent
import Foundation
import MamoriCore
import Vapor

/// The page behind the first-start link: the first organisation and its administrator, who also runs
/// the instance (platform operator), since on a self-hosted Mamori they are usually the same person.
enum SetupController {
  struct Form: Content {
    var organisation_name: String?
    var organisation_name_en: String?
    var organisation_slug: String?
    var display_name: String?
    var email: String?
    var password: String?
    var password_confirmation: String?
  }

  struct View: Encodable, Sendable {
    var valid: Bool
    var action: String
    var organisationFields: [FormField]
    var administratorFields: [FormField]
    var errors: FieldErrors

    init(valid: Bool, action: String, values: [String: String], errors: FieldErrors, req: Request) {
      self.valid = valid
      self.action = action
      self.errors = errors
      organisationFields = [
        .text(
          Organisations.name.named("organisation_name"), label: req.t("organisation.field.name"),
          value: values["organisation_name"], errors: errors),
        .text(
          Organisations.nameEnglish.named("organisation_name_en"), label: req.t("organisation.field.name_en"),
          value: values["organisation_name_en"], errors: errors),
        .slug(
          "organisation_slug", label: req.t("organisation.field.slug"), hint: req.t("organisation.slug_hint"),
          value: values["organisation_slug"], errors: errors),
      ]
      administratorFields = [
        .text(
          Accounts.displayName, label: req.t("field.display_name"), value: values["display_name"], errors: errors,
          autocomplete: "name"),
        .email(label: req.t("field.email"), value: values["email"], errors: errors, autocomplete: "username"),
        .newPassword("password", label: req.t("field.new_password"), hint: req.t("field.password_hint"), errors: errors),
        .newPassword("password_confirmation", label: req.t("field.password_confirmation"), hint: nil, errors: errors),
      ]
    }
  }

  @Sendable static func page(req: Request) async throws -> Response {
    let secret = req.parameters.get("setupToken") ?? ""
    guard try await SetupLinks.isValid(secret, now: req.now, on: req.db) else { return try await invalid(req) }
    return try await req.renderPage(
      "setup", title: req.t("setup.title"),
      body: View(valid: true, action: SiteRoute.setup(secret).path, values: [:], errors: [:], req: req))
  }

  @Sendable static func submit(req: Request) async throws -> Response {
    let secret = req.parameters.get("setupToken") ?? ""
    guard try await SetupLinks.isValid(secret, now: req.now, on: req.db) else { return try await invalid(req) }
    let form = try req.content.decode(Form.self)
    let values: [String: String] = [
      "organisation_name": (form.organisation_name ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
      "organisation_name_en": (form.organisation_name_en ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
      "organisation_slug": (form.organisation_slug ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased(),
      "display_name": (form.display_name ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
      "email": EmailAddress.normalise(form.email ?? ""),
    ]
    var issues: [ValidationIssue] = []
    issues += [Organisations.name.named("organisation_name").check(values["organisation_name"]!)].compactMap { $0 }
    issues += [Organisations.nameEnglish.named("organisation_name_en").check(values["organisation_name_en"]!)].compactMap { $0 }
    issues += [Slug.check(values["organisation_slug"]!, field: "organisation_slug")].compactMap { $0 }
    issues += [Accounts.displayName.check(values["display_name"]!)].compactMap { $0 }
    issues += [EmailAddress.check(values["email"]!)].compactMap { $0 }
    let password = form.password ?? ""
    if let issue = PasswordPolicy.checkNew(password, confirmation: form.password_confirmation, email: values["email"]) {
      issues.append(issue)
    }
    guard issues.isEmpty else {
      var errors: [String: String] = [:]
      for issue in issues where errors[issue.field] == nil { errors[issue.field] = req.t(issue.key, issue.arguments) }
      return try await req.renderPage(
        "setup", title: req.t("setup.title"),
        body: View(valid: true, action: SiteRoute.setup(secret).path, values: values, errors: FieldErrors(errors), req: req),
        status: .unprocessableEntity)
    }
    let hash = try await Passwords.hash(password, on: req.application)
    let admin = try await SetupLinks.complete(
      .init(
        organisationSlug: values["organisation_slug"]!, organisationName: values["organisation_name"]!,
        organisationNameEnglish: values["organisation_name_en"]!, adminEmail: values["email"]!, adminName: values["display_name"]!,
        passwordHash: hash, language: req.language),
      clientAddress: req.clientAddress, now: req.now, context: req.mamori, baseURL: req.baseURL, on: req.db)
    req.logger.notice("first organisation and administrator created", metadata: ["email": .string(admin.email)])
    let cookie = try await SessionAuthenticator.startSession(for: admin, on: req)
    let response = req.redirect(to: SiteRoute.dashboard.path, flash: .setupDone)
    response.cookies[SessionAuthenticator.cookieName] = cookie
    return response
  }

  static func invalid(_ req: Request) async throws -> Response {
    try await req.renderPage(
      "setup", title: req.t("setup.invalid_title"), body: View(valid: false, action: "", values: [:], errors: [:], req: req),
      status: .notFound)
  }
}
