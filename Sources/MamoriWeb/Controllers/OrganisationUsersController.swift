import Fluent
import Foundation
import MamoriCore
import Vapor

/// The organisation's accounts: invitations, roles, disabling, password links.
enum OrganisationUsersController {
  struct IndexView: Encodable, Sendable {
    var displayNameLimit = Accounts.displayName.maximum
    struct Row: Encodable, Sendable {
      var name: String
      var email: String
      var role: String
      var status: String
      var statusCode: String
      var lastLogin: String
      var href: String?
    }

    var rows: [Row]
    var canInvite: Bool
    var roles: [Option]
    var values: [String: String]
    var errors: FieldErrors
    var invitation: IssuedLink?
    var action = SiteRoute.organisationUsers.path
  }

  struct Option: Encodable, Sendable {
    var value: String
    var label: String
    var selected: Bool
  }

  /// A one-time link shown to the administrator after it is made.
  struct IssuedLink: Encodable, Sendable {
    var email: String
    var link: String
    var emailed: Bool
    /// SMTP is configured but the mail could not be sent: the link must be passed on by hand.
    var mailFailed: Bool
    var expires: String
  }

  @Sendable static func index(req: Request) async throws -> Response {
    try await renderIndex(req, values: ["role": Role.member.rawValue], errors: [:])
  }

  static func renderIndex(
    _ req: Request, values: [String: String], errors: [String: String], invitation: IssuedLink? = nil,
    status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let user = try req.requireUser()
    let organisation = try await req.requireOrganisation()
    let isAdmin = Policy.can(user.principal, .administerOrganisation)
    let users = try await User.query(in: try organisation.requireID(), on: req.db).sort(\.$displayName).all()
    let zone = Organisations.timeZone(organisation)
    let rows = users.map { account in
      IndexView.Row(
        name: account.displayName, email: account.email, role: account.role.map { req.t($0.labelKey) } ?? "",
        status: req.t(account.status.labelKey), statusCode: account.status.rawValue,
        lastLogin: req.display(account.lastLoginAt, timeZone: zone) ?? "—",
        href: isAdmin ? account.id.map { SiteRoute.organisationUser($0).path } : nil)
    }
    return try await req.renderPage(
      "organisation-users", title: req.t("users.title"),
      body: IndexView(
        rows: rows, canInvite: isAdmin, roles: roleOptions(req, selected: values["role"]), values: values,
        errors: FieldErrors(errors), invitation: invitation),
      status: status)
  }

  static func roleOptions(_ req: Request, selected: String?) -> [Option] {
    Role.organisationRoles.map { Option(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == selected) }
  }

  struct InviteForm: Content {
    var email: String?
    var display_name: String?
    var role: String?
  }

  @Sendable static func invite(req: Request) async throws -> Response {
    let current = try req.requireUser()
    let organisationID = try req.requireOrganisationID()
    let form = try req.content.decode(InviteForm.self)
    let values = [
      "email": form.email ?? "", "display_name": form.display_name ?? "", "role": form.role ?? "",
    ]
    guard let role = Role(rawValue: values["role"]!), role.tenant == .organisation else {
      return try await renderIndex(
        req, values: values, errors: ["role": req.t("validation.choice")], status: .unprocessableEntity)
    }
    do {
      let invitation = try await Accounts.invite(
        email: values["email"]!, displayName: values["display_name"]!, role: role, organisationID: organisationID,
        bodyID: nil, invitedBy: current.id, language: req.language, actor: req.auditActor, on: req.db, context: req.mamori,
        baseURL: req.baseURL)
      let issued = IssuedLink(
          email: invitation.user.email, link: invitation.link, emailed: invitation.emailed,
          mailFailed: !invitation.emailed && req.mamori.services.mailer != nil,
        expires: req.display(req.now + Accounts.invitationLifetime) ?? "")
      return try await renderIndex(req, values: ["role": Role.member.rawValue], errors: [:], invitation: issued)
    } catch let failure as ValidationFailure {
      return try await renderIndex(req, values: values, errors: req.messages(failure.issues), status: .unprocessableEntity)
    }
  }

  // MARK: - One account

  struct ShowView: Encodable, Sendable {
    var id: String
    var name: String
    var email: String
    var status: String
    var statusCode: String
    var roles: [Option]
    var people: [Option]
    var isSelf: Bool
    var action: String
    var passwordLinkAction: String
    var invitation: IssuedLink?
    var errors: FieldErrors
    var errorList: [String]
    var canIssueLink: Bool
    /// False on an operator's account for an administrator who is not an operator: shown, not editable.
    var canManage: Bool
    var backHref = SiteRoute.organisationUsers.path
  }

  @Sendable static func show(req: Request) async throws -> Response {
    let user = try await req.find(User.self, "userID")
    return try await renderShow(req, user: user, errors: [:])
  }

  static func renderShow(
    _ req: Request, user: User, errors: [String: String], link: IssuedLink? = nil, status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let id = try user.requireID()
    let people = try await Person.query(in: try req.requireOrganisationID(), on: req.db).sort(\.$code).all()
    var personOptions = [Option(value: "", label: req.t("users.no_person"), selected: user.$person.id == nil)]
    personOptions += people.map {
      Option(value: $0.id!.uuidString.lowercased(), label: "\($0.code) \($0.fullName)", selected: $0.id == user.$person.id)
    }
    return try await req.renderPage(
      "organisation-user", title: user.displayName,
      body: ShowView(
        id: id.uuidString, name: user.displayName, email: user.email, status: req.t(user.status.labelKey),
        statusCode: user.status.rawValue, roles: roleOptions(req, selected: user.role?.rawValue), people: personOptions,
        isSelf: id == (try req.requireUser().id), action: SiteRoute.organisationUser(id).path,
        passwordLinkAction: SiteRoute.organisationUserPasswordLink(id).path, invitation: link, errors: FieldErrors(errors),
        errorList: errors.keys.sorted().compactMap { errors[$0] }, canIssueLink: user.status != .disabled,
        canManage: AccountPolicy.mayManage(
          actor: try req.requireUser().principal, target: Principal(role: user.role, isOperator: user.isOperator))),
      status: status)
  }

  struct UpdateForm: Content {
    var role: String?
    var status: String?
    var person_id: String?
  }

  @Sendable static func update(req: Request) async throws -> Response {
    let current = try req.requireUser()
    let user = try await req.find(User.self, "userID")
    let organisationID = try req.requireOrganisationID()
    let form = try req.content.decode(UpdateForm.self)
    var personID: UUID??
    if let raw = form.person_id {
      if raw.isEmpty {
        personID = .some(nil)
      } else if let id = UUID(uuidString: raw) {
        personID = .some(id)
      } else {
        return try await renderShow(req, user: user, errors: ["person_id": req.t("validation.choice")], status: .unprocessableEntity)
      }
    }
    do {
      try await Accounts.update(
        user, .init(role: form.role ?? "", status: form.status, personID: personID), by: current, actor: req.auditActor, organisationID: organisationID,
        now: req.now, context: req.mamori, on: req.db)
    } catch let invalid as ValidationFailure {
      return try await renderShow(req, user: user, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
    return req.redirect(to: SiteRoute.organisationUser(try user.requireID()), flash: .saved)
  }

  @Sendable static func passwordLink(req: Request) async throws -> Response {
    let current = try req.requireUser()
    let user = try await req.find(User.self, "userID")
    try Accounts.authorise(current, toManage: user)
    guard user.status != .disabled else {
      return try await renderShow(req, user: user, errors: ["status": req.t("users.disabled_no_link")], status: .unprocessableEntity)
    }
    let purpose: AccountToken.Purpose = user.status == .invited ? .invitation : .reset
    let (link, token) = try await Accounts.issueLink(
      for: user, purpose: purpose, createdBy: current.id, actor: req.auditActor, on: req.db, context: req.mamori, baseURL: req.baseURL)
    let emailed = await Accounts.send(purpose, link: link, to: user, context: req.mamori, on: req.db)
    await Accounts.notifyOwner(user, changedBy: current, context: req.mamori, on: req.db)
    return try await renderShow(
      req, user: user, errors: [:],
      link: IssuedLink(
          email: user.email, link: link, emailed: emailed,
          mailFailed: !emailed && req.mamori.services.mailer != nil, expires: req.display(token.expiresAt) ?? ""))
  }
}
