import Fluent
import Foundation
import MamoriCore
import Vapor

/// The JSON API: the same resources as the pages, with the same rules, through the same domain code.
enum API {
  // MARK: - Account

  @Sendable static func me(req: Request) async throws -> Response {
    let user = try req.requireUser()
    return try req.json(
      MeDTO(
        id: user.id, email: user.email, displayName: user.displayName, role: user.role?.rawValue,
        isOperator: user.isOperator, organisationId: user.organisationID, bodyId: user.bodyID,
        language: user.language.rawValue))
  }

  @Sendable static func tokens(req: Request) async throws -> Response {
    let user = try req.requireUser()
    let tokens = try await ApiToken.query(on: req.db).filter(\.$user.$id == user.id).filter(\.$revokedAt == nil)
      .sort(\.$createdAt, .descending).all()
    return try req.json(try tokens.map(TokenDTO.init))
  }

  @Sendable static func createToken(req: Request) async throws -> Response {
    let user = try req.requireUser()
    let input = try req.decodeJSON(TokenCreate.self)
    let days = input.expiresInDays ?? ApiTokenRules.defaultLifetime
    guard let scope = ApiTokenScope(rawValue: input.scope ?? ApiTokenScope.write.rawValue) else {
      return try APIErrors.invalid([ValidationIssue(field: "scope", key: "validation.choice")], req: req)
    }
    let creator: ApiTokenRules.Creator
    switch user.credential {
    case .session: creator = .session
    case .apiToken(_, let parentScope, let parentExpiry): creator = .token(expiresAt: parentExpiry, scope: parentScope)
    }
    let issues = ApiTokenRules.check(name: input.name, lifetimeDays: days, scope: scope, creator: creator, now: req.now)
    guard issues.isEmpty else { return try APIErrors.invalid(issues, req: req) }
    let issued = try await ApiTokens.issue(
      name: input.name.trimmingCharacters(in: .whitespacesAndNewlines), for: user.id,
      expiresAt: ApiTokenRules.expiresAt(lifetimeDays: days, now: req.now), scope: scope, actor: req.auditActor,
      chain: AuditEvent.chain(user.organisationID), on: req.db, now: req.now)
    return try req.json(IssuedTokenDTO(token: try TokenDTO(issued.token), secret: issued.secret), status: .created)
  }

  @Sendable static func revokeToken(req: Request) async throws -> Response {
    let user = try req.requireUser()
    guard let id = req.parameters.get("tokenID", as: UUID.self),
      let token = try await ApiToken.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.id).first()
    else { throw Abort(.notFound) }
    // Revoking an already revoked token succeeds, as on the account page.
    try await ApiTokens.revoke(token, actor: req.auditActor, now: req.now, on: req.db)
    return Response(status: .noContent)
  }

  // MARK: - Organisation

  @Sendable static func organisation(req: Request) async throws -> Response {
    try req.json(try OrganisationDTO(try await req.requireOrganisation()))
  }

  @Sendable static func updateOrganisation(req: Request) async throws -> Response {
    let organisation = try await req.requireOrganisation()
    let patch = try req.decodeJSON(OrganisationPatch.self)
    do {
      try await Organisations.update(
        organisation,
        .init(
          name: patch.name, nameEnglish: patch.nameEn, industry: patch.industry, capitalYen: patch.capitalYen.map { .some($0) },
          employeeCount: patch.employeeCount.map { .some($0) }, timeZone: patch.timeZone),
        actor: req.auditActor, now: req.now, on: req.db)
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
    return try req.json(try OrganisationDTO(organisation))
  }

  // MARK: - Accounts of the organisation

  @Sendable static func users(req: Request) async throws -> Response {
    let users = try await User.query(in: try req.requireOrganisationID(), on: req.db).sort(\.$email).all()
    return try req.json(try users.map(UserDTO.init))
  }

  @Sendable static func user(req: Request) async throws -> Response {
    try req.json(try UserDTO(try await req.find(User.self, "userID")))
  }

  @Sendable static func inviteUser(req: Request) async throws -> Response {
    let input = try req.decodeJSON(InviteRequest.self)
    guard let role = Role(rawValue: input.role ?? Role.member.rawValue), role.tenant == .organisation else {
      return try APIErrors.invalid([ValidationIssue(field: "role", key: "validation.choice")], req: req)
    }
    return try await invite(
      req, input: input, role: role, organisationID: try req.requireOrganisationID(), bodyID: nil)
  }

  static func invite(_ req: Request, input: InviteRequest, role: Role, organisationID: UUID?, bodyID: UUID?)
    async throws -> Response
  {
    do {
      // Operators see every tenant, so a clash is no secret to them; an organisation's admin is not told.
      let invitation = try await Accounts.invite(
        email: input.email, displayName: input.displayName, role: role, organisationID: organisationID, bodyID: bodyID,
        revealClash: req.route?.accessRule == .platformOperator, invitedBy: try req.requireUser().id, actor: req.auditActor, on: req.db,
        context: req.mamori, baseURL: req.baseURL)
      return try req.json(invitationDTO(invitation, now: req.now), status: .created)
    } catch let failure as ValidationFailure {
      return try APIErrors.invalid(failure.issues, req: req)
    }
  }

  static func invitationDTO(_ invitation: Accounts.Invitation, now: Date) throws -> InvitationDTO {
    InvitationDTO(
      user: try UserDTO(invitation.user), link: invitation.link, emailed: invitation.emailed,
      expiresAt: now + Accounts.invitationLifetime)
  }

  @Sendable static func updateUser(req: Request) async throws -> Response {
    let current = try req.requireUser()
    let user = try await req.find(User.self, "userID")
    let patch = try req.decodeJSON(UserPatch.self)
    var personID: UUID??
    if patch.clearPerson == true { personID = .some(nil) }
    if let id = patch.personId { personID = .some(id) }
    do {
      try await Accounts.update(
        user, .init(role: patch.role, status: patch.status, personID: personID), by: current, actor: req.auditActor,
        organisationID: try req.requireOrganisationID(), now: req.now, context: req.mamori, on: req.db)
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
    return try req.json(try UserDTO(user))
  }

  struct PasswordLinkDTO: Content {
    var link: String
    var emailed: Bool
    var expiresAt: Date
  }

  @Sendable static func userPasswordLink(req: Request) async throws -> Response {
    let current = try req.requireUser()
    let user = try await req.find(User.self, "userID")
    try Accounts.authorise(current, toManage: user)
    guard user.status != .disabled else {
      return try APIErrors.invalid([ValidationIssue(field: "status", key: "users.disabled_no_link")], req: req)
    }
    let purpose: AccountToken.Purpose = user.status == .invited ? .invitation : .reset
    let (link, token) = try await Accounts.issueLink(
      for: user, purpose: purpose, createdBy: current.id, actor: req.auditActor, on: req.db, context: req.mamori,
      baseURL: req.baseURL)
    let emailed = await Accounts.send(purpose, link: link, to: user, context: req.mamori, on: req.db)
    await Accounts.notifyOwner(user, changedBy: current, context: req.mamori, on: req.db)
    return try req.json(PasswordLinkDTO(link: link, emailed: emailed, expiresAt: token.expiresAt), status: .created)
  }

  // MARK: - Departments

  @Sendable static func departments(req: Request) async throws -> Response {
    let departments = try await Department.query(in: try req.requireOrganisationID(), on: req.db).sort(\.$code).all()
    return try req.json(try departments.map(DepartmentDTO.init))
  }

  @Sendable static func department(req: Request) async throws -> Response {
    try req.json(try DepartmentDTO(try await req.find(Department.self, "departmentID")))
  }

  @Sendable static func createDepartment(req: Request) async throws -> Response {
    let input = try req.decodeJSON(DepartmentInput.self)
    do {
      let department = try await Register.saveDepartment(
        code: input.code ?? "", name: input.name ?? "", into: nil, organisationID: try req.requireOrganisationID(),
        actor: req.auditActor, now: req.now, on: req.db)
      return try req.json(try DepartmentDTO(department), status: .created)
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
  }

  @Sendable static func updateDepartment(req: Request) async throws -> Response {
    let department = try await req.find(Department.self, "departmentID")
    let input = try req.decodeJSON(DepartmentInput.self)
    do {
      let saved = try await Register.saveDepartment(
        code: input.code ?? department.code, name: input.name ?? department.name, into: department,
        organisationID: try req.requireOrganisationID(), actor: req.auditActor, now: req.now, on: req.db)
      return try req.json(try DepartmentDTO(saved))
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
  }

  @Sendable static func deleteDepartment(req: Request) async throws -> Response {
    let department = try await req.find(Department.self, "departmentID")
    guard try await Register.deleteDepartment(department, actor: req.auditActor, now: req.now, on: req.db) else {
      throw Abort(.conflict, reason: "the department still has people; move them first")
    }
    return Response(status: .noContent)
  }

  // MARK: - People

  @Sendable static func people(req: Request) async throws -> Response {
    let organisation = try await req.requireOrganisation()
    let today = req.today(for: organisation)
    var filter = PeopleIndex.Filter(query: req.query)
    filter.page = 1
    // Filtered by the database with the page's own condition, not by loading everyone.
    let people = try await PeopleIndex.query(filter, organisationID: try organisation.requireID(), today: today, on: req.db)
      .sort(\.$code).all()
    return try req.json(try people.map { try PersonDTO($0, today: today) })
  }

  @Sendable static func person(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    return try req.json(try PersonDTO(person, today: req.today(for: try await req.requireOrganisation())))
  }

  @Sendable static func createPerson(req: Request) async throws -> Response {
    let input = try req.decodeJSON(PersonInput.self)
    return try await savePerson(req, input: input, into: nil, status: .created)
  }

  @Sendable static func updatePerson(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    let input = try req.decodeJSON(PersonInput.self)
    return try await savePerson(req, input: input, into: person, status: .ok)
  }

  static func savePerson(_ req: Request, input: PersonInput, into person: Person?, status: HTTPResponseStatus)
    async throws -> Response
  {
    let organisation = try await req.requireOrganisation()
    let base = person.map(PersonDraft.init) ?? PersonDraft(employmentType: "")
    var departmentID = person?.$department.id
    if let id = input.departmentId { departmentID = id }
    if input.clearDepartment == true { departmentID = nil }
    do {
      let saved = try await Register.savePerson(
        input.draft(over: base), departmentID: departmentID, into: person, organisationID: try organisation.requireID(),
        actor: req.auditActor, now: req.now, on: req.db)
      return try req.json(try PersonDTO(saved, today: req.today(for: organisation)), status: status)
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
  }

  @Sendable static func deletePerson(req: Request) async throws -> Response {
    try await Register.deletePerson(
      try await req.find(Person.self, "personID"), actor: req.auditActor, now: req.now, files: req.mamori.files, on: req.db)
    return Response(status: .noContent)
  }

  // MARK: - Audit access granted by the organisation

  @Sendable static func auditAccesses(req: Request) async throws -> Response {
    let organisation = try await req.requireOrganisation()
    let today = req.today(for: organisation)
    let grants = try await AuditAccess.query(in: try organisation.requireID(), on: req.db).sort(\.$startsOn, .descending).all()
    return try req.json(try grants.map { try AuditAccessDTO($0, today: today) })
  }

  @Sendable static func grantAuditAccess(req: Request) async throws -> Response {
    let organisation = try await req.requireOrganisation()
    let input = try req.decodeJSON(AuditAccessInput.self)
    do {
      let grant = try await AuditAccesses.grant(
        .init(bodyID: input.bodyId.uuidString, startsOn: input.startsOn, endsOn: input.endsOn, purpose: input.purpose),
        organisationID: try organisation.requireID(), actor: req.auditActor, now: req.now, on: req.db)
      return try req.json(try AuditAccessDTO(grant, today: req.today(for: organisation)), status: .created)
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
  }

  @Sendable static func revokeAuditAccess(req: Request) async throws -> Response {
    let grant = try await req.find(AuditAccess.self, "accessID")
    try await AuditAccesses.revoke(grant, actor: req.auditActor, now: req.now, on: req.db)
    return Response(status: .noContent)
  }

  // MARK: - Auditors

  @Sendable static func audits(req: Request) async throws -> Response {
    guard let bodyID = try req.requireUser().bodyID else { throw Abort(.notFound) }
    let grants = try await Audits.activeGrants(bodyID: bodyID, on: req.db, now: req.now)
    return try req.json(
      try grants.map {
        AuditDTO(
          access: try AuditAccessDTO($0.grant, today: req.today(for: $0.organisation)),
          organisation: try OrganisationDTO($0.organisation))
      })
  }

  @Sendable static func audit(req: Request) async throws -> Response {
    let item = try await req.requireActiveAuditGrant()
    return try req.json(
      AuditDTO(
        access: try AuditAccessDTO(item.grant, today: req.today(for: item.organisation)),
        organisation: try OrganisationDTO(item.organisation)))
  }

  @Sendable static func auditPeople(req: Request) async throws -> Response {
    let item = try await req.requireActiveAuditGrant()
    let today = req.today(for: item.organisation)
    let people = try await Person.query(in: try item.organisation.requireID(), on: req.db).sort(\.$code).all()
    return try req.json(try people.map { try PersonDTO($0, today: today) })
  }

  // MARK: - Platform operator

  @Sendable static func organisations(req: Request) async throws -> Response {
    try req.json(try await Organisation.query(on: req.db).sort(\.$slug).all().map(OrganisationDTO.init))
  }

  @Sendable static func adminOrganisation(req: Request) async throws -> Response {
    guard let id = req.parameters.get("organisationID", as: UUID.self),
      let organisation = try await Organisation.find(id, on: req.db)
    else { throw Abort(.notFound) }
    return try req.json(try OrganisationDTO(organisation))
  }

  @Sendable static func createOrganisation(req: Request) async throws -> Response {
    let input = try req.decodeJSON(OrganisationCreate.self)
    let admin = input.adminEmail.map { (email: $0, name: input.adminName ?? "") }
    do {
      let created = try await Tenants.createOrganisation(
        slug: input.slug, name: input.name, admin: admin, invitedBy: try req.requireUser().id, actor: req.auditActor, on: req.db,
        context: req.mamori, baseURL: req.baseURL)
      return try req.json(
        CreatedOrganisationDTO(
          organisation: try OrganisationDTO(created.organisation),
          invitation: try created.invitation.map { try invitationDTO($0, now: req.now) }),
        status: .created)
    } catch let invalid as ValidationFailure {
      // The administrator's invitation reports its own field names; this request calls them admin_*.
      return try APIErrors.invalid(
        invalid.issues.map { issue in
          var issue = issue
          if issue.field == "email" { issue.field = "admin_email" }
          if issue.field == "display_name" { issue.field = "admin_name" }
          return issue
        }, req: req)
    }
  }

  @Sendable static func inviteOrganisationUser(req: Request) async throws -> Response {
    guard let id = req.parameters.get("organisationID", as: UUID.self), try await Organisation.find(id, on: req.db) != nil
    else { throw Abort(.notFound) }
    let input = try req.decodeJSON(InviteRequest.self)
    guard let role = Role(rawValue: input.role ?? Role.admin.rawValue), role.tenant == .organisation else {
      return try APIErrors.invalid([ValidationIssue(field: "role", key: "validation.choice")], req: req)
    }
    return try await invite(req, input: input, role: role, organisationID: id, bodyID: nil)
  }

  @Sendable static func bodies(req: Request) async throws -> Response {
    try req.json(try await CertificationBody.query(on: req.db).sort(\.$slug).all().map(BodyDTO.init))
  }

  @Sendable static func body(req: Request) async throws -> Response {
    guard let id = req.parameters.get("bodyID", as: UUID.self), let body = try await CertificationBody.find(id, on: req.db)
    else { throw Abort(.notFound) }
    return try req.json(try BodyDTO(body))
  }

  @Sendable static func createBody(req: Request) async throws -> Response {
    let input = try req.decodeJSON(BodyCreate.self)
    do {
      let body = try await Tenants.createBody(
        slug: input.slug, name: input.name, scope: input.scope ?? "", contact: input.contact ?? "", actor: req.auditActor, now: req.now, on: req.db)
      return try req.json(try BodyDTO(body), status: .created)
    } catch let invalid as ValidationFailure {
      return try APIErrors.invalid(invalid.issues, req: req)
    }
  }

  @Sendable static func inviteAuditor(req: Request) async throws -> Response {
    guard let id = req.parameters.get("bodyID", as: UUID.self), try await CertificationBody.find(id, on: req.db) != nil
    else { throw Abort(.notFound) }
    let input = try req.decodeJSON(InviteRequest.self)
    return try await invite(req, input: input, role: .auditor, organisationID: nil, bodyID: id)
  }

  // MARK: - OpenAPI

  @Sendable static func openAPI(req: Request) async throws -> Response {
    let path = URL(fileURLWithPath: req.mamori.settings.resourcesDirectory).appendingPathComponent("OpenAPI/openapi.yaml").path
    let response = try await req.fileio.asyncStreamFile(at: path)
    response.headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
    return response
  }
}

func apiRoutes(_ app: Application) throws {
  app.on(.GET, APIRoute.openAPI, access: .everyone, use: API.openAPI)
  app.on(.GET, APIRoute.me, access: .signedIn, use: API.me)
  app.on(.GET, APIRoute.tokens, access: .signedIn, use: API.tokens)
  app.on(.POST, APIRoute.tokens, access: .signedIn, use: API.createToken)
  app.on(.DELETE, APIRoute.token(nil), access: .signedIn, use: API.revokeToken)

  app.on(.GET, APIRoute.organisation, access: .can(.readOrganisation), use: API.organisation)
  app.on(.PATCH, APIRoute.organisation, access: .admins, use: API.updateOrganisation)
  app.on(.GET, APIRoute.users, access: .can(.readOrganisation), use: API.users)
  app.on(.POST, APIRoute.users, access: .admins, use: API.inviteUser)
  app.on(.GET, APIRoute.user(nil), access: .admins, use: API.user)
  app.on(.PATCH, APIRoute.user(nil), access: .admins, use: API.updateUser)
  app.on(.POST, APIRoute.userPasswordLink(nil), access: .admins, use: API.userPasswordLink)
  app.on(.GET, APIRoute.auditAccesses, access: .admins, use: API.auditAccesses)
  app.on(.POST, APIRoute.auditAccesses, access: .admins, use: API.grantAuditAccess)
  app.on(.DELETE, APIRoute.auditAccess(nil), access: .admins, use: API.revokeAuditAccess)

  app.on(.GET, APIRoute.departments, access: .managers, use: API.departments)
  app.on(.POST, APIRoute.departments, access: .managers, use: API.createDepartment)
  app.on(.GET, APIRoute.department(nil), access: .managers, use: API.department)
  app.on(.PATCH, APIRoute.department(nil), access: .managers, use: API.updateDepartment)
  app.on(.DELETE, APIRoute.department(nil), access: .managers, use: API.deleteDepartment)
  app.on(.GET, APIRoute.people, access: .managers, use: API.people)
  app.on(.POST, APIRoute.people, access: .managers, use: API.createPerson)
  app.on(.GET, APIRoute.person(nil), access: .managers, use: API.person)
  app.on(.PATCH, APIRoute.person(nil), access: .managers, use: API.updatePerson)
  app.on(.DELETE, APIRoute.person(nil), access: .managers, use: API.deletePerson)

  app.on(.GET, APIRoute.audits, access: .auditors, use: API.audits)
  app.on(.GET, APIRoute.audit(nil), access: .auditors, use: API.audit)
  app.on(.GET, APIRoute.auditPeople(nil), access: .auditors, use: API.auditPeople)

  app.on(.GET, APIRoute.organisations, access: .platformOperator, use: API.organisations)
  app.on(.POST, APIRoute.organisations, access: .platformOperator, use: API.createOrganisation)
  app.on(.GET, APIRoute.adminOrganisation(nil), access: .platformOperator, use: API.adminOrganisation)
  app.on(.POST, APIRoute.adminOrganisationUsers(nil), access: .platformOperator, use: API.inviteOrganisationUser)
  app.on(.GET, APIRoute.bodies, access: .platformOperator, use: API.bodies)
  app.on(.POST, APIRoute.bodies, access: .platformOperator, use: API.createBody)
  app.on(.GET, APIRoute.body(nil), access: .platformOperator, use: API.body)
  app.on(.POST, APIRoute.bodyUsers(nil), access: .platformOperator, use: API.inviteAuditor)

  // The register's assets and grants: the pages' rule (officers and administrators).
  app.on(.GET, APIRoute.assets, access: .can(.manageRegister), use: API.assets)
  app.on(.POST, APIRoute.assets, access: .can(.manageRegister), use: API.createAsset)
  app.on(.GET, APIRoute.asset(nil), access: .can(.manageRegister), use: API.asset)
  app.on(.PATCH, APIRoute.asset(nil), access: .can(.manageRegister), use: API.updateAsset)
  app.on(.GET, APIRoute.assetGrants(nil), access: .can(.manageRegister), use: API.assetGrants)
  app.on(.POST, APIRoute.assetGrants(nil), access: .can(.manageRegister), use: API.createGrant)
  app.on(.GET, APIRoute.personGrants(nil), access: .can(.manageRegister), use: API.personGrants)
  app.on(.DELETE, APIRoute.grant(nil), access: .can(.manageRegister), use: API.revokeGrant)

  // Pledges and leavers' checklists: the pages' rule (officers and administrators).
  app.on(.GET, APIRoute.pledges, access: .can(.manageRegister), use: API.pledges)
  app.on(.POST, APIRoute.pledges, access: .can(.manageRegister), use: API.createPledge)
  app.on(.GET, APIRoute.pledge(nil), access: .can(.manageRegister), use: API.pledge)
  app.on(.PATCH, APIRoute.pledge(nil), access: .can(.manageRegister), use: API.updatePledge)
  app.on(.GET, APIRoute.leavers, access: .can(.manageRegister), use: API.leavers)
  app.on(.GET, APIRoute.leaver(nil), access: .can(.manageRegister), use: API.leaver)
  app.on(.PATCH, APIRoute.leaverItem(nil, nil), access: .can(.manageRegister), use: API.updateLeaverItem)
}
