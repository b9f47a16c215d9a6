import Fluent
import Foundation
import MamoriCore
import Vapor

/// One person's record.
enum PersonShow {
  struct View: Encodable, Sendable {
    struct Fact: Encodable, Sendable {
      var label: String
      var value: String
    }

    var name: String
    var status: String
    var statusCode: String
    var facts: [Fact]
    var notes: String?
    var accounts: [String]?
    var leaverNote: String?
    var editHref: String
    var deleteAction: String
    var backHref: String
  }

  static func view(person: Person, accounts: [User], today: CivilDate, req: Request) throws -> View {
    let id = try person.requireID()
    let status = person.status(on: today)
    var leaverNote: String?
    if status == .leaving, let exit = person.exitDay {
      leaverNote = req.t("people.leaver_note", ["date": req.display(exit) ?? "", "days": "\(today.days(until: exit))"])
    }
    let facts: [View.Fact] = [
      .init(label: req.t("people.field.code"), value: person.code),
      .init(label: req.t("people.field.login_name"), value: person.loginName),
      .init(label: req.t("people.field.department"), value: person.department?.name ?? "—"),
      .init(label: req.t("people.field.job_title"), value: person.jobTitle.isEmpty ? "—" : person.jobTitle),
      .init(label: req.t("people.field.employment_type"), value: req.t(person.employment.labelKey)),
      .init(label: req.t("people.field.email"), value: person.email ?? "—"),
      .init(label: req.t("people.field.hire_date"), value: req.display(person.hireDay) ?? "—"),
      .init(label: req.t("people.field.notice_date"), value: req.display(person.noticeDay) ?? "—"),
      .init(label: req.t("people.field.exit_date"), value: req.display(person.exitDay) ?? "—"),
    ]
    return View(
      name: person.fullName, status: req.t(status.labelKey), statusCode: status.rawValue, facts: facts,
      notes: person.notes.isEmpty ? nil : person.notes,
      accounts: accounts.map { "\($0.displayName) <\($0.email)> · \(req.t($0.accountStatus.labelKey))" }.nonEmpty,
      leaverNote: leaverNote, editHref: SiteRoute.personEdit(id).path, deleteAction: SiteRoute.personDelete(id).path,
      backHref: SiteRoute.people.path)
  }
}

enum PeopleController {
  @Sendable static func index(req: Request) async throws -> Response {
    let model = try await PeopleIndex.load(req, filter: PeopleIndex.Filter(query: req.query))
    return try await req.renderPage("people", title: req.t("people.title"), body: PeopleIndex.view(model, req: req))
  }

  @Sendable static func show(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    try await person.$department.load(on: req.db)
    let accounts = try await User.query(on: req.db).filter(\.$person.$id == person.requireID()).all()
    let organisation = try await req.requireOrganisation()
    return try await req.renderPage(
      "person", title: person.fullName,
      body: try PersonShow.view(person: person, accounts: accounts, today: req.today(for: organisation), req: req))
  }

  @Sendable static func new(req: Request) async throws -> Response {
    try await PersonFormPage.render(req, person: nil, values: ["employment_type": EmploymentType.employee.rawValue], errors: [:])
  }

  @Sendable static func create(req: Request) async throws -> Response {
    let form = try req.content.decode(PersonFormPage.Form.self)
    do {
      let person = try await Register.savePerson(
        form.draft, departmentID: form.departmentID, into: nil, organisationID: try req.requireOrganisationID(), on: req.db)
      return req.redirect(to: SiteRoute.person(try person.requireID()), flash: "flash.saved")
    } catch let invalid as Register.Invalid {
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
        on: req.db)
      return req.redirect(to: SiteRoute.person(try person.requireID()), flash: "flash.saved")
    } catch let invalid as Register.Invalid {
      return try await PersonFormPage.render(
        req, person: person, values: form.values, errors: req.messages(invalid.issues), status: .unprocessableEntity)
    }
  }

  @Sendable static func delete(req: Request) async throws -> Response {
    let person = try await req.find(Person.self, "personID")
    try await person.delete(on: req.db)
    return req.redirect(to: SiteRoute.people, flash: "flash.deleted")
  }
}
