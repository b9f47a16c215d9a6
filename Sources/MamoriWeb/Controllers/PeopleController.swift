import Fluent
import Foundation
import MamoriCore
import Vapor

/// The register of people: list, record, add, edit, remove.
enum PeopleController {
  @Sendable static func index(req: Request) async throws -> Response {
    let body = try await req.listBody("people") {
      PeopleIndex.view(try await PeopleIndex.load(req, filter: PeopleIndex.Filter(query: req.query)), req: req)
    }
    return try await req.renderPage("people", title: req.t("people.title"), body: body)
  }

  @Sendable static func show(req: Request) async throws -> Response {
    try await renderShow(req, person: try await req.find(Person.self, "personID"))
  }

  /// The person's page; with the pledge form's values and errors when a pledge was refused.
  static func renderShow(
    _ req: Request, person: Person, pledgeValues: [String: String] = [:], pledgeErrors: FieldErrors = [:],
    requestValues: [String: String] = [:], requestErrors: FieldErrors = [:], status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    try await person.$department.load(on: req.db)
    let accounts = try await User.query(in: person.$organisation.id, on: req.db).filter(\.$person.$id == person.requireID()).all()
    let tenant = try await req.tenant()
    let grants = try await PersonShow.grants(of: person, organisationID: tenant.organisationID, on: req.db)
    let pledges = try await PledgesPage.loadForPerson(person, organisationID: tenant.organisationID, on: req.db)
    let section = PledgesPage.section(
      person: person, pledges: pledges.pledges, userNames: pledges.userNames, groups: pledges.groups, leaver: pledges.leaver,
      today: tenant.today, values: pledgeValues, errors: pledgeErrors, req: req)
    var view = try PersonShow.view(person: person, accounts: accounts, grants: grants, today: tenant.today, req: req)
    view.pledges = section
    view.pledgeRequests = PledgesPage.requestSection(
      person: person, model: pledges, today: tenant.today, values: requestValues, errors: requestErrors, req: req)
    view.training = try await PersonShow.training(of: person, tenant: tenant, req: req)
    return try await req.renderPage("person", title: person.fullName, body: view, status: status)
  }

  @Sendable static func new(req: Request) async throws -> Response {
    try await PersonFormPage.render(req, person: nil, values: ["employment_type": EmploymentType.employee.rawValue], errors: [:])
  }

  @Sendable static func create(req: Request) async throws -> Response {
    let form = try req.content.decode(PersonFormPage.Form.self)
    do {
      let person = try await Register.savePerson(
        form.draft, departmentID: form.departmentID, into: nil, organisationID: try req.requireOrganisationID(), actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.person(try person.requireID()), flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await PersonFormPage.render(
        req, person: nil, values: form.values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func edit(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    return try await PersonFormPage.render(req, person: person, values: PersonFormPage.values(of: person), errors: [:])
  }

  @Sendable static func update(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    let form = try req.content.decode(PersonFormPage.Form.self)
    do {
      _ = try await Register.savePerson(
        form.draft, departmentID: form.departmentID, into: person, organisationID: try req.requireOrganisationID(),
        actor: req.auditActor, now: req.now, on: req.db)
      return req.redirect(to: SiteRoute.person(try person.requireID()), flash: .saved)
    } catch let invalid as ValidationFailure {
      return try await PersonFormPage.render(
        req, person: person, values: form.values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func delete(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    try await Register.deletePerson(person, actor: req.auditActor, now: req.now, files: req.mamori.files, on: req.db)
    return req.redirect(to: SiteRoute.people, flash: .deleted)
  }
}
