import Fluent
import Foundation
import MamoriCore
import Vapor

/// The platform operator's pages: organisations and certification bodies, and their first accounts.
enum AdminController {
  typealias IssuedLink = OrganisationUsersController.IssuedLink
  typealias Option = OrganisationUsersController.Option

  struct ListView: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var slug: String
      var name: String
      var detail: String
      var href: String
    }

    var rows: [Row]?
    var errors: FieldErrors
    /// The creation form's fields, with the limits of the rules that check them.
    var fields: [FormField]
    var invitation: IssuedLink?
    var action: String
  }

  // MARK: - Organisations

  @Sendable static func organisations(req: Request) async throws -> Response {
    try await renderOrganisations(req, values: [:], errors: [:])
  }

  static func renderOrganisations(
    _ req: Request, values: [String: String], errors: [String: String], invitation: IssuedLink? = nil,
    status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let organisations = try await Organisation.query(on: req.db).sort(\.$slug).all()
    var rows: [ListView.Row] = []
    for organisation in organisations {
      guard let id = organisation.id else { continue }
      let users = try await User.query(in: id, on: req.db).count()
      rows.append(
        .init(
          slug: organisation.slug, name: organisation.name, detail: req.t("admin.user_count", ["count": "\(users)"]),
          href: SiteRoute.adminOrganisation(id).path))
    }
    return try await req.renderPage(
      "admin-organisations", title: req.t("admin.organisations_title"),
      body: ListView(
        rows: rows.nonEmpty, errors: FieldErrors(errors),
        fields: [
          .text(Organisations.name, label: req.t("organisation.field.name"), value: values["name"], errors: FieldErrors(errors)),
          .slug(label: req.t("organisation.field.slug"), hint: req.t("organisation.slug_hint"), value: values["slug"], errors: FieldErrors(errors)),
          .text(
            Accounts.displayName.named("admin_name"), label: req.t("admin.admin_name"), value: values["admin_name"],
            errors: FieldErrors(errors)),
          .email("admin_email", label: req.t("admin.admin_email"), value: values["admin_email"], errors: FieldErrors(errors), autocomplete: nil),
        ],
        invitation: invitation, action: SiteRoute.adminOrganisations.path),
      status: status)
  }

  struct OrganisationForm: Content {
    var slug: String?
    var name: String?
    var admin_email: String?
    var admin_name: String?
  }

  @Sendable static func createOrganisation(req: Request) async throws -> Response {
    let current = try req.requireUser()
    let form = try req.content.decode(OrganisationForm.self)
    let values = [
      "slug": (form.slug ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
      "name": (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines), "admin_email": form.admin_email ?? "",
      "admin_name": form.admin_name ?? "",
    ]
    var errors: [String: String] = [:]
    do {
      let result = try await Tenants.createOrganisation(
        slug: values["slug"]!, name: values["name"]!,
        admin: (email: values["admin_email"]!, name: values["admin_name"]!), invitedBy: current.id, actor: req.auditActor, on: req.db,
        context: req.mamori, baseURL: req.baseURL, language: req.language)
      let issued = result.invitation.map {
        IssuedLink(
          email: $0.user.email, link: $0.link, emailed: $0.emailed,
          mailFailed: !$0.emailed && req.mamori.services.mailer != nil,
          expires: req.display(req.now + Accounts.invitationLifetime) ?? "")
      }
      return try await renderOrganisations(req, values: [:], errors: [:], invitation: issued)
    } catch let invalid as ValidationFailure {
      // The first administrator's invitation names its fields email and display_name; this form calls
      // them admin_email and admin_name.
      errors = req.messages(invalid.issues)
      if let email = errors.removeValue(forKey: "email") { errors["admin_email"] = email }
      if let name = errors.removeValue(forKey: "display_name") { errors["admin_name"] = name }
    }
    return try await renderOrganisations(req, values: values, errors: errors, status: .unprocessableEntity)
  }

  struct TenantView: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var name: String
      var email: String
      var role: String
      var status: String
    }

    var name: String
    var facts: [AuditsController.ShowView.Fact]
    var users: [Row]?
    var inviteAction: String
    var inviteHeading: String
    var displayNameLimit = Accounts.displayName.maximum
    var roles: [Option]?
    var values: [String: String]
    var errors: FieldErrors
    var invitation: IssuedLink?
    var backHref: String
    var backLabel: String
  }

  @Sendable static func organisation(req: Request) async throws -> Response {
    try await renderOrganisation(req, values: ["role": Role.admin.rawValue], errors: [:])
  }

  static func renderOrganisation(
    _ req: Request, values: [String: String], errors: [String: String], invitation: IssuedLink? = nil,
    status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    guard let id = req.parameters.get("organisationID", as: UUID.self),
      let organisation = try await Organisation.find(id, on: req.db)
    else { throw Abort(.notFound) }
    let users = try await User.query(in: id, on: req.db).sort(\.$displayName).all()
    let people = try await Person.query(in: id, on: req.db).count()
    return try await req.renderPage(
      "admin-tenant", title: organisation.name,
      body: TenantView(
        name: organisation.name,
        facts: [
          .init(label: req.t("organisation.field.slug"), value: organisation.slug),
          .init(label: req.t("admin.people_count"), value: "\(people)"),
          .init(label: req.t("admin.created"), value: req.display(organisation.createdAt) ?? "—"),
        ],
        users: users.map {
          .init(
            name: $0.displayName, email: $0.email, role: $0.role.map { req.t($0.labelKey) } ?? "",
            status: req.t($0.status.labelKey))
        }.nonEmpty,
        inviteAction: SiteRoute.adminOrganisationInvite(id).path, inviteHeading: req.t("admin.invite_user"),
        roles: OrganisationUsersController.roleOptions(req, selected: values["role"]), values: values, errors: FieldErrors(errors),
        invitation: invitation, backHref: SiteRoute.adminOrganisations.path, backLabel: req.t("admin.organisations_title")),
      status: status)
  }

  struct InviteForm: Content {
    var email: String?
    var display_name: String?
    var role: String?
  }

  @Sendable static func inviteOrganisationUser(req: Request) async throws -> Response {
    guard let id = req.parameters.get("organisationID", as: UUID.self), try await Organisation.find(id, on: req.db) != nil
    else { throw Abort(.notFound) }
    let form = try req.content.decode(InviteForm.self)
    let values = ["email": form.email ?? "", "display_name": form.display_name ?? "", "role": form.role ?? ""]
    guard let role = Role(rawValue: values["role"]!), role.tenant == .organisation else {
      return try await renderOrganisation(
        req, values: values, errors: ["role": req.t("validation.choice")], status: .unprocessableEntity)
    }
    do {
      let invitation = try await Accounts.invite(
        email: values["email"]!, displayName: values["display_name"]!, role: role, organisationID: id, bodyID: nil,
        revealClash: true, invitedBy: try req.requireUser().id, language: req.language, actor: req.auditActor, on: req.db, context: req.mamori,
        baseURL: req.baseURL)
      return try await renderOrganisation(
        req, values: ["role": Role.admin.rawValue], errors: [:],
        invitation: IssuedLink(
          email: invitation.user.email, link: invitation.link, emailed: invitation.emailed,
          mailFailed: !invitation.emailed && req.mamori.services.mailer != nil,
          expires: req.display(req.now + Accounts.invitationLifetime) ?? ""))
    } catch let failure as ValidationFailure {
      return try await renderOrganisation(req, values: values, errors: req.messages(failure.issues), status: .unprocessableEntity)
    }
  }

  // MARK: - Certification bodies

  @Sendable static func bodies(req: Request) async throws -> Response {
    try await renderBodies(req, values: [:], errors: [:])
  }

  static func renderBodies(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
    async throws -> Response
  {
    let bodies = try await CertificationBody.query(on: req.db).sort(\.$slug).all()
    let rows = bodies.compactMap { body -> ListView.Row? in
      guard let id = body.id else { return nil }
      return .init(slug: body.slug, name: body.name, detail: body.scope, href: SiteRoute.adminBody(id).path)
    }
    return try await req.renderPage(
      "admin-bodies", title: req.t("admin.bodies_title"),
      body: ListView(
        rows: rows.nonEmpty, errors: FieldErrors(errors),
        fields: [
          .text(Tenants.bodyName, label: req.t("admin.body_name"), value: values["name"], errors: FieldErrors(errors)),
          .slug(label: req.t("organisation.field.slug"), hint: req.t("organisation.slug_hint"), value: values["slug"], errors: FieldErrors(errors)),
          .text(Tenants.bodyScope, label: req.t("admin.scope"), value: values["scope"], errors: FieldErrors(errors)),
          .text(Tenants.bodyContact, label: req.t("admin.contact"), value: values["contact"], errors: FieldErrors(errors)),
        ],
        invitation: nil, action: SiteRoute.adminBodies.path),
      status: status)
  }

  struct BodyForm: Content {
    var slug: String?
    var name: String?
    var scope: String?
    var contact: String?
  }

  @Sendable static func createBody(req: Request) async throws -> Response {
    let form = try req.content.decode(BodyForm.self)
    let values = [
      "slug": (form.slug ?? "").trimmingCharacters(in: .whitespaces).lowercased(), "name": form.name ?? "",
      "scope": form.scope ?? "", "contact": form.contact ?? "",
    ]
    do {
      let body = try await Tenants.createBody(
        slug: values["slug"]!, name: values["name"]!, scope: values["scope"]!, contact: values["contact"]!, actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.adminBody(try body.requireID()), flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await renderBodies(req, values: values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func body(req: Request) async throws -> Response {
    try await renderBody(req, values: [:], errors: [:])
  }

  static func renderBody(
    _ req: Request, values: [String: String], errors: [String: String], invitation: IssuedLink? = nil,
    status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    guard let id = req.parameters.get("bodyID", as: UUID.self), let body = try await CertificationBody.find(id, on: req.db)
    else { throw Abort(.notFound) }
    let users = try await User.query(on: req.db).filter(\.$body.$id == id).sort(\.$displayName).all()
    return try await req.renderPage(
      "admin-tenant", title: body.name,
      body: TenantView(
        name: body.name,
        facts: [
          .init(label: req.t("organisation.field.slug"), value: body.slug),
          .init(label: req.t("admin.scope"), value: body.scope.isEmpty ? "—" : body.scope),
          .init(label: req.t("admin.contact"), value: body.contact.isEmpty ? "—" : body.contact),
        ],
        users: users.map {
          .init(name: $0.displayName, email: $0.email, role: req.t(Role.auditor.labelKey), status: req.t($0.status.labelKey))
        }.nonEmpty,
        inviteAction: SiteRoute.adminBodyInvite(id).path, inviteHeading: req.t("admin.invite_auditor"), roles: nil,
        values: values, errors: FieldErrors(errors), invitation: invitation, backHref: SiteRoute.adminBodies.path,
        backLabel: req.t("admin.bodies_title")),
      status: status)
  }

  @Sendable static func inviteAuditor(req: Request) async throws -> Response {
    guard let id = req.parameters.get("bodyID", as: UUID.self), try await CertificationBody.find(id, on: req.db) != nil
    else { throw Abort(.notFound) }
    let form = try req.content.decode(InviteForm.self)
    let values = ["email": form.email ?? "", "display_name": form.display_name ?? ""]
    do {
      let invitation = try await Accounts.invite(
        email: values["email"]!, displayName: values["display_name"]!, role: .auditor, organisationID: nil, bodyID: id,
        revealClash: true, invitedBy: try req.requireUser().id, language: req.language, actor: req.auditActor, on: req.db, context: req.mamori,
        baseURL: req.baseURL)
      return try await renderBody(
        req, values: [:], errors: [:],
        invitation: IssuedLink(
          email: invitation.user.email, link: invitation.link, emailed: invitation.emailed,
          mailFailed: !invitation.emailed && req.mamori.services.mailer != nil,
          expires: req.display(req.now + Accounts.invitationLifetime) ?? ""))
    } catch let failure as ValidationFailure {
      return try await renderBody(req, values: values, errors: req.messages(failure.issues), status: .unprocessableEntity)
    }
  }
}
