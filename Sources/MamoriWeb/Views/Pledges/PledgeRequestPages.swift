import Fluent
import Foundation
import MamoriCore
import Vapor

/// Pledges requested of people: the officer's request form (person page, pledges page, a finding),
/// the request's page where the person reads and acknowledges it, and withdrawal.
enum PledgeRequestPages {
  /// An open request as the person page and the pledges list show it.
  struct Row: Encodable, Sendable {
    var person: String?
    var personHref: String?
    var kind: String
    var kindCode: String
    var dueOn: String
    var state: String
    var stateCode: String
    var requestedBy: String
    var href: String
    var withdrawAction: String?
  }

  /// The open requests and the form that makes one (person page: for that person; pledges page: by
  /// login name).
  struct Section: Encodable, Sendable {
    /// Whether the rows name the person (the pledges page) or not (the person's own page).
    var withPerson: Bool
    var rows: [Row]?
    var action: String
    var fields: [FormField]
  }

  static func row(_ request: PledgeRequest, person: Person?, userNames: [UUID: String], today: CivilDate, req: Request) -> Row {
    let state = PledgeRequestState.of(dueOn: request.dueOn, acknowledged: request.isAcknowledged, today: today)
    return Row(
      person: person?.fullName, personHref: person.map { SiteRoute.person($0.id).path },
      kind: req.t(request.kind.labelKey), kindCode: request.kind.rawValue, dueOn: req.display(request.dueOn) ?? "",
      state: req.t(state.labelKey), stateCode: state.badge,
      requestedBy: request.$requestedBy.id.flatMap { userNames[$0] } ?? "—", href: SiteRoute.pledgeRequest(request.id).path,
      withdrawAction: request.isAcknowledged ? nil : SiteRoute.pledgeRequestWithdraw(request.id).path)
  }

  /// The request form's fields; `withLogin` adds the person's login name (pledges page).
  static func fields(
    kind defaultKind: PledgeKind, groups: [String], withLogin: Bool, today: CivilDate, values: [String: String], errors: FieldErrors,
    req: Request
  ) -> [FormField] {
    let kind = values["kind"] ?? defaultKind.rawValue
    let group = values["asset_group"] ?? ""
    var fields: [FormField] = []
    if withLogin {
      fields.append(
        .text(Self.loginRule, label: req.t("people.field.login_name"), value: values["user_id"], errors: errors,
          hint: req.t("pledge_request.login_hint")))
    }
    fields += [
      .select(
        "kind", label: req.t("pledges.field.kind"),
        options: PledgeKind.allCases.map { FormField.Option(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == kind) },
        errors: errors, required: true),
      FormField(
        name: "due_on", label: req.t("pledge_request.field.due_on"), type: "date",
        value: values["due_on"] ?? PledgeRequestDraft.defaultDueOn(today: today).iso, required: true, error: errors.messages["due_on"]),
      .text(PledgeRequestDraft.scopeRule, label: req.t("pledges.field.scope"), value: values["scope"], errors: errors,
        hint: req.t("pledges.scope_hint")),
      .select(
        "asset_group", label: req.t("pledges.field.asset_group"),
        options: [FormField.Option(value: "", label: req.t("pledges.whole_organisation"), selected: group.isEmpty)]
          + groups.map { FormField.Option(value: $0, label: $0, selected: $0 == group) },
        errors: errors),
      .text(PledgeRequestDraft.wordingRule, label: req.t("pledge_request.field.wording"), value: values["wording"], errors: errors,
        hint: req.t("pledge_request.wording_hint"), multiline: true),
    ]
    // The person page also has the form that records a pledge, with fields of the same names: the
    // request's are prefixed so that every id (and label) on the page is unique.
    return fields.map { field in
      var field = field
      field.name = fieldPrefix + field.name
      return field
    }
  }

  /// The prefix of the request form's field names (`request_kind`, `request_due_on`…).
  static let fieldPrefix = "request_"

  /// The login name typed on the pledges page (the register's rule for `user_id`).
  static let loginRule = PersonDraft.loginName.named("user_id")

  static func draft(_ fields: [String: String]) -> PledgeRequestDraft {
    PledgeRequestDraft(
      kind: fields["kind"] ?? "", scope: fields["scope"] ?? "", assetGroup: fields["asset_group"] ?? "", wording: fields["wording"] ?? "",
      dueOn: fields["due_on"] ?? "")
  }

  static func pledgeActor(_ req: Request) throws -> PledgeRequests.Actor {
    let user = try req.requireUser()
    return PledgeRequests.Actor(userID: user.id, principal: user.principal, personID: user.personID)
  }

  struct RequestForm: Content {
    var kind: String?
    var due_on: String?
    var scope: String?
    var asset_group: String?
    var wording: String?
    var user_id: String?
    /// `findings` when the one-click request of a `pledge-missing` finding sent it.
    var from: String?

    enum CodingKeys: String, CodingKey {
      case kind = "request_kind", due_on = "request_due_on", scope = "request_scope", asset_group = "request_asset_group"
      case wording = "request_wording", user_id = "request_user_id", from
    }

    var values: [String: String] {
      ["kind": kind, "due_on": due_on, "scope": scope, "asset_group": asset_group, "wording": wording, "user_id": user_id]
        .compactMapValues { $0 }
    }
  }

  /// `POST /people/:personID/pledge-requests`: from the person page, or one click on a finding.
  @Sendable static func requestForPerson(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    let form = try req.content.decode(RequestForm.self)
    let tenant = try await req.tenant()
    var values = form.values
    if form.from == "findings", values["due_on"] == nil { values["due_on"] = PledgeRequestDraft.defaultDueOn(today: tenant.today).iso }
    do {
      _ = try await PledgeRequests.request(
        draft(values), person: person, by: try pledgeActor(req), organisationID: tenant.organisationID, today: tenant.today,
        catalog: req.mamori.catalog, audit: req.auditActor, now: req.now, on: req.db)
    } catch let invalid as ValidationFailure {
      if form.from == "findings" { return req.redirect(to: SiteRoute.findings.path, flash: .errorPledgeRequestInvalid) }
      return try await PeopleController.renderShow(
        req, person: person, requestValues: values, requestErrors: FieldErrors(req.messages(invalid.issues)), status: .unprocessableEntity)
    }
    if form.from == "findings" {
      return req.redirect(to: SiteRoute.findings.path(query: [("kind", FindingKind.pledgeMissing.rawValue)]), flash: .pledgeRequested)
    }
    return req.redirect(to: SiteRoute.person(try person.requireID()).path + "#pledge-requests-heading", flash: .pledgeRequested)
  }

  /// `POST /pledge-requests`: from the pledges page, the person named by login name.
  @Sendable static func requestByLogin(req: Request) async throws -> Response {
    let form = try req.content.decode(RequestForm.self)
    let tenant = try await req.tenant()
    let login = (form.user_id ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    var issues: [ValidationIssue] = []
    var person: Person?
    if login.isEmpty {
      issues.append(ValidationIssue(field: "user_id", key: "validation.required"))
    } else {
      person = try await Person.query(in: tenant.organisationID, on: req.db).filter(\.$loginName == login).first()
      if person == nil { issues.append(ValidationIssue(field: "user_id", key: "validation.pledge_request_person")) }
    }
    do {
      guard let person else {
        throw ValidationFailure(issues: issues + draft(form.values).normalised.validate(today: tenant.today))
      }
      _ = try await PledgeRequests.request(
        draft(form.values), person: person, by: try pledgeActor(req), organisationID: tenant.organisationID, today: tenant.today,
        catalog: req.mamori.catalog, audit: req.auditActor, now: req.now, on: req.db)
    } catch let invalid as ValidationFailure {
      return try await PledgesPage.renderIndex(
        req, requestValues: form.values, requestErrors: FieldErrors(req.messages(invalid.issues)), status: .unprocessableEntity)
    }
    return req.redirect(to: SiteRoute.pledges.path + "#pledge-requests-heading", flash: .pledgeRequested)
  }

  /// `POST /pledge-requests/:pledgeRequestID/withdraw`: back to the person page.
  @Sendable static func withdraw(req: Request) async throws -> Response {
    let request = try await req.find(PledgeRequest.self, "pledgeRequestID")
    do {
      try await PledgeRequests.withdraw(request, by: try pledgeActor(req), audit: req.auditActor, now: req.now, on: req.db)
    } catch is ValidationFailure {
      return req.redirect(to: SiteRoute.pledgeRequest(request.id).path, flash: .errorPledgeRequestAcknowledged)
    }
    return req.redirect(to: SiteRoute.person(request.$person.id).path + "#pledge-requests-heading", flash: .pledgeRequestWithdrawn)
  }

  struct View: Encodable, Sendable {
    struct Fact: Encodable, Sendable {
      var label: String
      var value: String
    }

    var title: String
    var state: String
    var stateCode: String
    var facts: [Fact]
    var wording: String
    var acknowledged: String?
    var acknowledgeAction: String?
    var agreeError: String?
    var withdrawAction: String?
    var personHref: String?
  }

  /// `GET /pledge-requests/:pledgeRequestID`: the person reads the request; officers see it too.
  @Sendable static func show(req: Request) async throws -> Response {
    try await render(req, request: try await req.find(PledgeRequest.self, "pledgeRequestID"), agreeError: nil)
  }

  static func render(_ req: Request, request: PledgeRequest, agreeError: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
    let user = try req.requireUser()
    guard Policy.can(user.principal, personID: user.personID, seePledgeOf: request.$person.id) else { throw Abort(.notFound) }
    let tenant = try await req.tenant()
    let person = try await Person.query(in: tenant.organisationID, on: req.db).filter(\.$id == request.$person.id).first()
    let userIDs = [request.$requestedBy.id, request.$acknowledgedBy.id].compactMap { $0 }
    let users = userIDs.isEmpty ? [] : try await User.query(in: tenant.organisationID, on: req.db).filter(\.$id ~~ userIDs).all()
    let names = Dictionary(users.compactMap { user in user.id.map { ($0, user.displayName) } }, uniquingKeysWith: { first, _ in first })
    let view = view(request, person: person, userNames: names, today: tenant.today, user: user, agreeError: agreeError, req: req)
    return try await req.renderPage("pledge-request", title: view.title, body: view, status: status)
  }

  static func view(
    _ request: PledgeRequest, person: Person?, userNames names: [UUID: String], today: CivilDate, user: CurrentUser, agreeError: String?,
    req: Request
  ) -> View {
    let state = PledgeRequestState.of(dueOn: request.dueOn, acknowledged: request.isAcknowledged, today: today)
    let mayAcknowledge = Policy.can(user.principal, personID: user.personID, acknowledgePledgeOf: request.$person.id)
    let isOfficer = Policy.can(user.principal, .manageRegister)
    var acknowledged: String?
    if let at = request.acknowledgedAt {
      acknowledged = req.t(
        "pledge_request.acknowledged_note",
        ["name": request.$acknowledgedBy.id.flatMap { names[$0] } ?? "—", "time": req.display(at) ?? ""])
    }
    return View(
      title: req.t("pledge_request.title", ["kind": req.t(request.kind.labelKey)]), state: req.t(state.labelKey), stateCode: state.badge,
      facts: [
        .init(label: req.t("pledge_request.field.person"), value: person?.fullName ?? "—"),
        .init(label: req.t("pledges.field.kind"), value: req.t(request.kind.labelKey)),
        .init(label: req.t("pledges.field.scope"), value: request.scope.isEmpty ? "—" : request.scope),
        .init(
          label: req.t("pledges.field.asset_group"), value: request.assetGroup.isEmpty ? req.t("pledges.whole_organisation") : request.assetGroup),
        .init(label: req.t("pledge_request.field.due_on"), value: req.display(request.dueOn) ?? ""),
        .init(
          label: req.t("pledge_request.field.requested"),
          value: req.t(
            "pledge_request.requested_note",
            ["name": request.$requestedBy.id.flatMap { names[$0] } ?? "—", "time": req.display(request.createdAt) ?? ""])),
      ],
      wording: request.wording, acknowledged: acknowledged,
      acknowledgeAction: mayAcknowledge && !request.isAcknowledged ? SiteRoute.pledgeRequestAcknowledge(request.id).path : nil,
      agreeError: agreeError,
      withdrawAction: isOfficer && !request.isAcknowledged ? SiteRoute.pledgeRequestWithdraw(request.id).path : nil,
      personHref: isOfficer ? SiteRoute.person(request.$person.id).path : nil)
  }

  struct AcknowledgeForm: Content {
    var agree: String?
  }

  /// `POST /pledge-requests/:pledgeRequestID/acknowledge`: only with the box ticked that says the
  /// person has read the wording and agrees.
  @Sendable static func acknowledge(req: Request) async throws -> Response {
    let request = try await req.find(PledgeRequest.self, "pledgeRequestID")
    let who = try pledgeActor(req)
    guard Policy.can(who.principal, personID: who.personID, acknowledgePledgeOf: request.$person.id) else { throw Abort(.notFound) }
    let form = try req.content.decode(AcknowledgeForm.self)
    guard form.agree == "yes" else {
      return try await render(req, request: request, agreeError: req.t("validation.pledge_request_agree"), status: .unprocessableEntity)
    }
    let tenant = try await req.tenant()
    do {
      _ = try await PledgeRequests.acknowledge(request, by: who, today: tenant.today, audit: req.auditActor, now: req.now, on: req.db)
    } catch is ValidationFailure {
      return req.redirect(to: SiteRoute.pledgeRequest(request.id).path, flash: .errorPledgeRequestAcknowledged)
    }
    return req.redirect(to: SiteRoute.dashboard.path, flash: .pledgeAcknowledged)
  }
}
